// 0011: hashprice three ways — realized (revenue earned), expected at 144 blocks a day (the bank note's), and from
// difficulty (the hashrate indexes') — in network_monthly, and the basis the note and gross profit use.
import { type Kysely, sql } from 'kysely';

const COLUMNS = [
  'btc_price_usd_avg',
  'blocks_per_day_avg',
  'subsidy_btc_per_block_avg',
  'fees_per_block_btc_avg',
  'hashprice_btc_per_ehs_day',
  'hashprice_expected_usd_per_ehs_day',
  'hashprice_expected_mom_pct',
  'hashprice_expected_btc_per_ehs_day',
  'hashprice_difficulty_usd_per_ehs_day',
  'hashprice_difficulty_mom_pct',
  'hashprice_difficulty_btc_per_ehs_day',
] as const;

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const c of COLUMNS) await db.schema.alterTable('network_monthly').addColumn(c, 'real').execute();
  // HASHPULSE_HASHPRICE_BASIS in force, written beside the other economics defaults.
  await db.schema
    .alterTable('economics_defaults')
    .addColumn('hashprice_basis', 'text', (c) =>
      c.notNull().defaultTo('expected').check(sql`hashprice_basis in ('expected', 'realized', 'difficulty')`),
    )
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('economics_defaults').dropColumn('hashprice_basis').execute();
  for (const c of [...COLUMNS].reverse()) await db.schema.alterTable('network_monthly').dropColumn(c).execute();
}
