// The one context object every job and pipeline function receives: config, sqlite, http, log and clock; and the one
// function that makes it (createContext: the CLI's writing commands, the daemon, tests and benchmarks).
import type { Clock } from './clock.js';
import type { Config } from './config.js';
import type { Sqlite } from './db/sqlite.js';
import { Http, type HttpOptions } from './http.js';
import type { Logger } from './log.js';
import { archivePayload } from './store/raw.js';

export { type Clock, systemClock } from './clock.js';

export interface Context {
  readonly config: Config;
  /** The database file (migrated): every write is a synchronous better-sqlite3 transaction (see store/). */
  readonly sqlite: Sqlite;
  readonly http: Http;
  readonly log: Logger;
  readonly clock: Clock;
}

/**
 * The HTTP client; with a database handle, every 2xx payload also goes to the raw archive. `overrides` replace
 * the configured options (`hashpulse probe` wants no retries and its own response hook).
 */
export function createHttp(config: Config, log: Logger, sqlite?: Sqlite, overrides: Partial<HttpOptions> = {}): Http {
  const archive =
    sqlite && config.rawRetentionDays > 0
      ? (p: Parameters<typeof archivePayload>[1]) => archivePayload(sqlite, p)
      : undefined;
  return new Http({
    ...(archive ? { onResponse: archive } : {}),
    userAgent: config.userAgent,
    timeoutMs: config.httpTimeoutMs,
    retries: config.httpRetries,
    retryMinMs: config.httpRetryMinMs,
    maxRetryTimeMs: config.httpMaxRetryTimeMs,
    minIntervalMs: config.httpMinIntervalMs,
    maxBytes: config.httpMaxBytes,
    log,
    ...overrides,
  });
}

export interface OpenContext {
  readonly ctx: Context;
  /** The opened file: the better-sqlite3 handle the context holds. */
  readonly opened: { readonly sqlite: Sqlite };
  close(): Promise<void>;
}

/**
 * Opens (and migrates) config.dbPath and builds the context around it: the HTTP client archives into that file.
 * Kysely and the migrations load only when the file is behind this release (openMigrated), so a long-lived
 * daemon holds no Kysely instance and importing this module stays cheap for read-only commands.
 */
export async function createContext(opts: { config: Config; log: Logger; clock: Clock }): Promise<OpenContext> {
  const { openMigrated } = await import('./db/connection.js');
  const opened = await openMigrated(opts.config.dbPath);
  const ctx: Context = {
    config: opts.config,
    sqlite: opened.sqlite,
    http: createHttp(opts.config, opts.log, opened.sqlite),
    log: opts.log,
    clock: opts.clock,
  };
  return { ctx, opened, close: async () => opened.close() };
}
