// The one context object every job and pipeline function receives: config, db, http, log and clock.
import type { Config } from './config.js';
import type { Db } from './db/connection.js';
import type { Sqlite } from './db/sqlite.js';
import { Http } from './http.js';
import type { Logger } from './log.js';

export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

export interface Context {
  readonly config: Config;
  /** Kysely over the file: typed reads and migrations. */
  readonly db: Db;
  /** The same connection, raw: every write is a synchronous better-sqlite3 transaction (see store/). */
  readonly sqlite: Sqlite;
  readonly http: Http;
  readonly log: Logger;
  readonly clock: Clock;
}

export function createHttp(config: Config, log: Logger): Http {
  return new Http({
    userAgent: config.userAgent,
    timeoutMs: config.httpTimeoutMs,
    retries: config.httpRetries,
    retryMinMs: config.httpRetryMinMs,
    maxRetryTimeMs: config.httpMaxRetryTimeMs,
    minIntervalMs: config.httpMinIntervalMs,
    maxBytes: config.httpMaxBytes,
    log,
  });
}
