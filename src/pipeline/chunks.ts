// Resumable batch work: a backfill's items (a series, a ticker) are chunks; each chunk's rows and its
// "committed" mark are written in ONE transaction, so a crash between them can neither skip nor double data.
import type { Context } from '../context.js';
import type { ChunkHooks as LedgerHooks } from '../store/chunks.js';
import type { ItemResult } from './result.js';

/** The chunk ledger's hooks, with the pipeline's per-item result. */
export type ChunkHooks = LedgerHooks<ItemResult>;

/** Runs `write` (synchronous upserts) and the commit mark in one transaction; returns what `write` returned. */
export function writeChunk(ctx: Context, hooks: ChunkHooks | undefined, item: string, write: () => number): number {
  return ctx.sqlite
    .transaction(() => {
      const rows = write(); // the upserts' own transactions nest as savepoints
      hooks?.commit(item, rows);
      return rows;
    })
    .immediate(); // IMMEDIATE: the write lock first, so a read inside cannot meet SQLITE_BUSY_SNAPSHOT
}

/** The result of an item an earlier attempt committed. */
export function alreadyCommitted(item: string): ItemResult {
  return {
    item,
    status: 'skipped',
    rows: 0,
    detail: 'committed by an earlier attempt of this backfill (use --force to refetch)',
  };
}
