// 0004: the backfill chunk ledger — which items (series, tickers) of which backfill are committed.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('backfill_chunks')
    .addColumn('backfill', 'text', (c) => c.notNull()) // e.g. 'network 2009-01-03..2026-01-31'
    .addColumn('chunk', 'text', (c) => c.notNull()) // e.g. 'blockchain.market-price', 'prices.MARA'
    .addColumn('rows_written', 'integer', (c) => c.notNull())
    .addColumn('committed_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('backfill_chunks_pk', ['backfill', 'chunk'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('backfill_chunks').ifExists().execute();
}
