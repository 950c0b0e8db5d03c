// The backfill chunk ledger (backfill_chunks): which items of which backfill are committed.
import type { Sqlite } from '../db/sqlite.js';
import type { ChunkHooks } from '../pipeline/chunks.js';

/** Hooks for one backfill, identified by `key` (job + resolved range): resume skips what it committed. */
export function chunkLedger(sqlite: Sqlite, key: string, now: () => Date, onItem?: ChunkHooks['onItem']): ChunkHooks {
  const done = new Set(sqlite.prepare('select chunk from backfill_chunks where backfill = ?').pluck().all(key) as string[]);
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
