// Shared wiring for CLI commands. Heavy modules (zod config, Kysely, axios, pino) load only in the commands
// that need them, so read-only commands start fast.
import { type Clock, clockStartingAt } from '../clock.js';
import { type Config, loadConfig, readConfig } from '../config.js';
import type { Context, OpenContext } from '../context.js';
import type { Sqlite } from '../db/sqlite.js';

/** Exit codes: 0 ok, 1 a run or check failed, 2 bad input (usage or configuration), 3 locked by another process. */
export const EXIT = { ok: 0, failed: 1, usage: 2, locked: 3 } as const;

export interface GlobalOptions {
  verbose?: boolean;
  db?: string;
}

/** The command's clock: HASHPULSE_NOW when set (tests, reproducible runs), else the system clock. */
export function cliClock(): Clock {
  return clockStartingAt(readConfig(process.env, ['now']).now);
}

/** The named configuration values only (read-only commands): the rest is neither read nor validated. */
export function settings<K extends keyof Config>(keys: readonly K[]): Pick<Config, K> {
  return readConfig(process.env, keys);
}

/** The whole configuration, validated (writing commands and the daemon); --db wins over HASHPULSE_DB. */
export async function configFrom(opts: GlobalOptions): Promise<Config> {
  const config = loadConfig(process.env);
  return opts.db ? Object.freeze({ ...config, dbPath: opts.db }) : config;
}

/** Read-only commands: the file opened read-only (they write nothing), without the full config or Kysely. */
export async function withReader<T>(opts: GlobalOptions, fn: (sqlite: Sqlite) => Promise<T> | T): Promise<T> {
  const { openReadOnly } = await import('../db/sqlite.js');
  const sqlite = openReadOnly(opts.db || settings(['dbPath']).dbPath);
  try {
    return await fn(sqlite);
  } finally {
    if (!readersLeftToExit) sqlite.close();
  }
}

let readersLeftToExit = false;

/** For a read-only program, which the bin ends with process.exit() as soon as its command is done (src/cli.ts):
 *  its read-only connection is then left for the end of the process to release. Closing it frees every object of
 *  the schema one by one, ~0.75 ms in a fresh process, and a reader has nothing to write or checkpoint at the
 *  end: the process's end releases its locks and mappings (test/readers.test.ts: no lock left, the WAL empty, the
 *  file byte for byte as it was). */
export function leaveReadersToExit(): void {
  readersLeftToExit = true;
}

/** The context of a writing command or the daemon: the whole configuration, its logger (debug with --verbose),
 *  the CLI clock, the database opened and migrated. */
export async function openCliContext(opts: GlobalOptions, logTo: 'stdout' | 'stderr'): Promise<OpenContext> {
  const config = await configFrom(opts);
  const { createLogger } = await import('../log.js');
  const { createContext } = await import('../context.js');
  const log = createLogger(opts.verbose ? 'debug' : config.logLevel, logTo);
  return createContext({ config, log, clock: cliClock() });
}

export async function withContext<T>(
  opts: GlobalOptions,
  fn: (ctx: Context) => Promise<T>,
  logTo: 'stdout' | 'stderr' = 'stderr',
): Promise<T> {
  const open = await openCliContext(opts, logTo);
  try {
    return await fn(open.ctx);
  } finally {
    await open.close();
  }
}

export function parseList(value: string, previous: string[] = []): string[] {
  return [
    ...previous,
    ...value
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
  ];
}
