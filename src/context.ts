// The one context object every job and pipeline function receives: config, db, http, log and clock.

import type { Clock } from './clock.js';
import type { Config } from './config.js';
import type { Db } from './db/connection.js';
import type { Sqlite } from './db/sqlite.js';
import { Http, type HttpOptions } from './http.js';
import type { Logger } from './log.js';
import { archivePayload } from './store/raw.js';

export { type Clock, systemClock } from './clock.js';

export interface Context {
  readonly config: Config;
  /** Kysely over the file (typed reads and migrations). The daemon leaves it out: no job reads through it, and
   *  Kysely's code is ~400 KB an idle daemon would hold for nothing (see openMigrated). */
  readonly db?: Db;
  /** The same connection, raw: every write is a synchronous better-sqlite3 transaction (see store/). */
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
