// Shared wiring for CLI commands: config → logger → db → http → context, and the exit-code contract.
import { loadConfig, type Config } from '../config.js';
import { type Context, createHttp, systemClock } from '../context.js';
import { openDb, type OpenedDb } from '../db/connection.js';
import { createLogger, type Logger } from '../log.js';

/** Exit codes: 0 ok, 1 a run or check failed, 2 bad input (usage or configuration), 3 locked by another process. */
export const EXIT = { ok: 0, failed: 1, usage: 2, locked: 3 } as const;

export interface GlobalOptions {
  verbose?: boolean;
  db?: string;
}

export function configFrom(opts: GlobalOptions): Config {
  const config = loadConfig(process.env);
  return opts.db ? Object.freeze({ ...config, dbPath: opts.db }) : config;
}

export async function withDb<T>(opts: GlobalOptions, fn: (db: OpenedDb, config: Config) => Promise<T>): Promise<T> {
  const config = configFrom(opts);
  const opened = await openDb(config.dbPath);
  try {
    return await fn(opened, config);
  } finally {
    await opened.close();
  }
}

export async function withContext<T>(
  opts: GlobalOptions,
  fn: (ctx: Context) => Promise<T>,
  logTo: 'stdout' | 'stderr' = 'stderr',
): Promise<T> {
  const config = configFrom(opts);
  const log: Logger = createLogger(opts.verbose ? 'debug' : config.logLevel, logTo);
  const opened = await openDb(config.dbPath);
  try {
    return await fn({ config, db: opened.db, http: createHttp(config, log), log, clock: systemClock });
  } finally {
    await opened.close();
  }
}

export function parseList(value: string, previous: string[] = []): string[] {
  return [...previous, ...value.split(',').map((s) => s.trim()).filter(Boolean)];
}
