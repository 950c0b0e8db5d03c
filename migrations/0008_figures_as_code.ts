// 0008: views leave the versioned migrations. Migrations 0001, 0002 and 0007 created the views of their time;
// from here on src/figures/ defines every view and src/db/figures.ts (re)creates them after the migrations.
// This migration drops the old ones and adds the table that records which view text a file holds.
import { type Kysely, sql } from 'kysely';

const OLD_VIEWS = [
  'report_tickers_monthly',
  'report_monthly',
  'sector_monthly_live',
  'equity_monthly_live',
  'trading_month_ends',
  'equity_market_cap_daily',
  'shares_effective',
  'equity_close_daily',
  'network_source_comparison',
  'network_monthly_live',
  'network_daily',
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const v of OLD_VIEWS) await sql`drop view if exists ${sql.raw(v)}`.execute(db);
  // One row per view (its sha256) and one row named '*' with the fingerprint of the whole list.
  await db.schema
    .createTable('figure_versions')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('sha256', 'text', (c) => c.notNull())
    .addColumn('applied_at', 'text', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  // The views of src/figures/ stay; 0007 and earlier do not recreate theirs on the way down.
  await db.schema.dropTable('figure_versions').ifExists().execute();
}
