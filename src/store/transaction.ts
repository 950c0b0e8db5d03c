// Transactions of our own, or none inside the caller's: the writers' (writeTransaction) and the readers'
// (readTransaction).
import type { Database as Sqlite } from 'better-sqlite3';

/**
 * Runs `write` in a transaction of its own, or straight inside the caller's when one is open (a backfill's chunk):
 * not as a nested SAVEPOINT. Inside a savepoint, every statement that fires a trigger (the data_versions counters,
 * migration 0015) keeps a statement journal that spills to a temporary file: ~13 µs per row written instead of
 * ~1 µs. The caller's transaction rolls back as a whole when `write` throws, as it would with the savepoint.
 */
export function writeTransaction<T>(sqlite: Sqlite, write: () => T): T {
  return sqlite.inTransaction ? write() : sqlite.transaction(write)();
}

/**
 * Runs `read` in a transaction (one snapshot of the file for every statement, while a writer commits), or straight
 * inside the caller's when one is open. BEGIN and COMMIT by exec: better-sqlite3's transaction() prepares nine
 * statements the first time a connection uses it (BEGIN in four modes and the savepoint controls), ~0.35 ms of a
 * read command that has just started.
 */
export function readTransaction<T>(sqlite: Sqlite, read: () => T): T {
  if (sqlite.inTransaction) return read();
  sqlite.exec('BEGIN');
  try {
    const result = read();
    sqlite.exec('COMMIT');
    return result;
  } catch (err) {
    if (sqlite.inTransaction) sqlite.exec('ROLLBACK');
    throw err;
  }
}
