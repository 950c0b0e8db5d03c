// 0009: corporate events of the universe — symbol, name, filer form and shares per listed unit over time — as
// periods the views join on, and the unit beside each monthly close.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  // One row per stretch of time in which a ticker's symbol, name, filer form and shares per listed unit are all
  // constant: valid_from inclusive, valid_to exclusive (NULL = still in force). Rewritten from the universe file
  // by every equities/shares run, like the universe table.
  await db.schema
    .createTable('universe_periods')
    .addColumn('ticker', 'text', (c) => c.notNull())
    .addColumn('valid_from', 'text', (c) => c.notNull())
    .addColumn('valid_to', 'text')
    .addColumn('symbol', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('filer', 'text')
    .addColumn('shares_per_unit', 'real', (c) => c.notNull())
    .addPrimaryKeyConstraint('universe_periods_pk', ['ticker', 'valid_from'])
    .execute();
  // Ordinary shares per listed unit on the month's close date (2 for an ADS of two shares).
  await db.schema.alterTable('equity_monthly').addColumn('shares_per_unit', 'real').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('equity_monthly').dropColumn('shares_per_unit').execute();
  await db.schema.dropTable('universe_periods').ifExists().execute();
}
