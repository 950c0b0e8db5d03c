// The writers' transactions: one of their own, or none inside the caller's (see writeTransaction).
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
