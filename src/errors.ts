// Named error classes: each carries where it happened so the CLI can print one precise line.

/** An upstream answered badly or not at all (network error, timeout, HTTP status). */
export class SourceError extends Error {
  override readonly name = 'SourceError';
  constructor(
    readonly source: string,
    readonly url: string,
    message: string,
    readonly status?: number,
    options?: { cause?: unknown },
  ) {
    super(`${source}: ${message} (${url})`, options);
  }
}

/** An upstream answered 200 but the body is not what the published format promises. */
export class PayloadError extends Error {
  override readonly name = 'PayloadError';
  constructor(
    readonly source: string,
    readonly url: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(`${source}: invalid payload: ${message} (${url})`, options);
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

export function describeError(err: unknown): string {
  if (err instanceof Error) return err.message;
  return String(err);
}
