// Kysely over better-sqlite3 for the commands that write, migrated to the latest schema at every open (migrations
// are append-only); Kysely itself loads on first use (the daemon needs it only when the file is behind).
// Read-only commands use openReadOnly (src/db/sqlite.ts) and never migrate.
import type { Kysely, Migration, MigrationProvider } from 'kysely';
import { loadMigrations } from '../../migrations/index.js';
import { applyFigures } from './figures.js';
import type { Database } from './schema.js';
import { isMigrated, openSqlite, type Sqlite } from './sqlite.js';

export type Db = Kysely<Database>;

export interface OpenedDb {
  readonly db: Db;
  readonly sqlite: Sqlite;
  close(): Promise<void>;
}

/** The daemon's handle: the raw connection, migrated first when the file is behind (only then does Kysely load;
 *  it is dropped after). The long-lived process keeps no Kysely instance. */
export async function openMigrated(file: string): Promise<{ readonly sqlite: Sqlite; close(): void }> {
  const sqlite = openSqlite(file);
  try {
    if (!isMigrated(sqlite)) {
      const { Kysely, SqliteDialect } = await import('kysely');
      await migrateAll(new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) }), sqlite);
    }
  } catch (err) {
    sqlite.close();
    throw err;
  }
  return { sqlite, close: () => sqlite.close() };
}

export async function openDb(file: string, opts: { migrate?: boolean } = {}): Promise<OpenedDb> {
  const sqlite = openSqlite(file);
  const { Kysely, SqliteDialect } = await import('kysely');
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) });
  if (opts.migrate !== false) await migrateAll(db, sqlite);
  return { db, sqlite, close: () => db.destroy() };
}

class RegistryProvider implements MigrationProvider {
  getMigrations(): Promise<Record<string, Migration>> {
    return loadMigrations();
  }
}

export async function migrateToLatest(db: Kysely<unknown> | Db): Promise<string[]> {
  const { Migrator } = await import('kysely');
  const migrator = new Migrator({ db: db as Kysely<unknown>, provider: new RegistryProvider() });
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw error instanceof Error ? error : new Error(String(error));
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

/** The versioned migrations, then the views of src/figures/ whose text changed. */
export async function migrateAll(
  db: Kysely<unknown> | Db,
  sqlite: Sqlite,
): Promise<{ migrations: string[]; views: number }> {
  const migrations = await migrateToLatest(db);
  return { migrations, views: applyFigures(sqlite) };
}
