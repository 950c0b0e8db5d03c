// The backfill chunk ledger (backfill_chunks): which items of which backfill are committed.
import type { Sqlite } from '../db/sqlite.js';
/** What a resumable batch job needs from the chunk ledger (src/pipeline/chunks.ts writes each chunk with it);
 *  R is the job's per-item result (the pipeline's ItemResult). */
export interface ChunkHooks<R = unknown> {
  /** True when an earlier attempt of the same backfill already committed this item. */
  done(item: string): boolean;
  /** Records the item as committed; called inside the transaction that writes its rows. */
  commit(item: string, rows: number): void;
  /** Progress: called after every item, whatever its outcome. */
  onItem?(result: R): void;
}

/** Hooks for one backfill, identified by `key` (job + resolved range): resume skips what it committed. */
export function chunkLedger<R>(
  sqlite: Sqlite,
  key: string,
  now: () => Date,
  onItem?: ChunkHooks<R>['onItem'],
): ChunkHooks<R> {
  const done = new Set(
    sqlite.prepare('select chunk from backfill_chunks where backfill = ?').pluck().all(key) as string[],
  );
  const ins = sqlite.prepare(
    'insert into backfill_chunks (backfill, chunk, rows_written, committed_at) values (?, ?, ?, ?) on conflict (backfill, chunk) do update set rows_written = excluded.rows_written, committed_at = excluded.committed_at',
  );
  return {
    done: (item) => done.has(item),
    commit: (item, rows) => {
      ins.run(key, item, rows, now().toISOString());
    },
    ...(onItem ? { onItem } : {}),
  };
}

export function forgetBackfill(sqlite: Sqlite, key: string): number {
  return sqlite.prepare('delete from backfill_chunks where backfill = ?').run(key).changes;
}
