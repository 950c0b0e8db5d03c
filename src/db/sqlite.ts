// The raw better-sqlite3 handle: WAL so readers never block on the daemon, a busy timeout, a cheap schema check.
import fs from 'node:fs';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { MIGRATION_NAMES } from '../../migrations/index.js';
import { figuresCurrent } from './figures.js';

export type Sqlite = BetterSqlite3.Database;

export const BUSY_TIMEOUT_MS = 10_000;

export function openSqlite(file: string): Sqlite {
  if (file !== ':memory:') fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const sqlite = new BetterSqlite3(file);
  sqlite.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('foreign_keys = ON');
  return sqlite;
}

/** True when every known migration is recorded as applied and the views are this release's (no Kysely needed). */
export function isMigrated(sqlite: Sqlite): boolean {
  const hasTable = sqlite.prepare("select 1 from sqlite_master where type = 'table' and name = 'kysely_migration'").get();
  if (!hasTable) return false;
  const applied = new Set(sqlite.prepare('select name from kysely_migration').pluck().all() as string[]);
  return MIGRATION_NAMES.every((n) => applied.has(n)) && figuresCurrent(sqlite);
}

/** For read-only commands: the raw handle, migrated first only when the schema is behind (rare, slower). */
export async function openForReading(file: string): Promise<Sqlite> {
  const sqlite = openSqlite(file);
  if (!isMigrated(sqlite)) {
    const { migrateSqlite } = await import('./connection.js');
    await migrateSqlite(sqlite);
  }
  return sqlite;
}
