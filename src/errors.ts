// Named error classes: each carries where it happened so the CLI can print one precise line.

/** An upstream answered badly or not at all (network error, timeout, HTTP status). */
export class SourceError extends Error {
  override readonly name = 'SourceError';
  /** What went wrong, without the source and URL the message wraps it in. */
  readonly detail: string;
  /** No answer at all: the connection failed or timed out (as opposed to an answer we refuse). */
  readonly network: boolean;
  constructor(
    readonly source: string,
    readonly url: string,
    message: string,
    readonly status?: number,
    options?: { cause?: unknown; network?: boolean },
  ) {
    super(`${source}: ${message} (${url})`, options);
    this.detail = message;
    this.network = options?.network ?? false;
  }
}

/** An upstream answered 200 but the body is not what the published format promises. */
export class PayloadError extends Error {
  override readonly name = 'PayloadError';
  /** What is wrong with the body (the zod issues or the check that failed), without source and URL. */
  readonly detail: string;
  /** The body is well-formed but holds nothing (an empty body, `values: []`): "200 with nothing in it". */
  readonly empty: boolean;
  constructor(
    readonly source: string,
    readonly url: string,
    message: string,
    options?: { cause?: unknown; empty?: boolean },
  ) {
    super(`${source}: invalid payload: ${message} (${url})`, options);
    this.detail = message;
    this.empty = options?.empty ?? false;
  }
}

/** A configuration variable has a bad value. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(
    readonly variable: string,
    readonly value: string | undefined,
    readonly expected: string,
  ) {
    super(`${variable}=${JSON.stringify(value ?? '')} is invalid: ${expected}`);
  }
}

/** The user asked for something malformed (bad month, unknown ticker): exit code 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** Another process holds what we need (the daemon lock, a running job). */
export class LockError extends Error {
  override readonly name = 'LockError';
}

/** A file or folder hashpulse writes could not be written (unwritable folder, full disk, a file in the way). */
export class FileError extends Error {
  override readonly name = 'FileError';
  constructor(
    readonly path: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(`${message} (${path})`, options);
  }
}

/** The one-line message of anything thrown (summaries, the run ledger); logs take the Error itself (`err`). */
export function describeError(err: unknown): string {
  if (err instanceof Error) return err.message;
  return String(err);
}

/** Anything thrown, as an Error (a thrown string or object becomes the message of one). */
export function asError(err: unknown): Error {
  return err instanceof Error ? err : new Error(String(err));
}
