// A database file as an older release left it: the real migrations applied up to one of them (Kysely's migrator),
// then `exec` on the raw handle (what that release had beside them), then closed for the test to open as today.
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, Migrator, SqliteDialect } from 'kysely';
import { loadMigrations } from '../../migrations/index.js';

export async function makeOldFile(file: string, lastMigration: string, exec: (raw: BetterSqlite3.Database) => void) {
  const raw = new BetterSqlite3(file);
  const db = new Kysely<unknown>({ dialect: new SqliteDialect({ database: raw }) });
  try {
    const r = await new Migrator({ db, provider: { getMigrations: loadMigrations } }).migrateTo(lastMigration);
    if (r.error) throw r.error;
    exec(raw);
  } finally {
    await db.destroy();
  }
}
