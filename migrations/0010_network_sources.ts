// 0010: each network figure has a chain of sources (issue: survive blockchain.com going dark); network_monthly
// says which sources served the month's BTC prices and revenues.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('network_monthly').addColumn('btc_price_sources', 'text').execute();
  await db.schema.alterTable('network_monthly').addColumn('revenue_sources', 'text').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('network_monthly').dropColumn('revenue_sources').execute();
  await db.schema.alterTable('network_monthly').dropColumn('btc_price_sources').execute();
}
