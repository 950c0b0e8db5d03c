// Reads the monthly network figures from the network_monthly view (the same numbers a SQL user sees).
import type { Db } from '../db/connection.js';
import type { NetworkMonthlyView } from '../db/schema.js';
import type { Month } from '../time.js';

export type NetworkMonth = NetworkMonthlyView;

export async function getNetworkMonth(db: Db, month: Month): Promise<NetworkMonth | undefined> {
  return db.selectFrom('network_monthly').selectAll().where('month', '=', month).executeTakeFirst();
}

export async function storedMonthRange(db: Db): Promise<{ first: Month; last: Month } | null> {
  const r = await db
    .selectFrom('hashrate_daily')
    .select((eb) => [eb.fn.min('date').as('lo'), eb.fn.max('date').as('hi')])
    .where('source', '=', 'mempool')
    .executeTakeFirst();
  if (!r?.lo || !r.hi) return null;
  return { first: String(r.lo).slice(0, 7), last: String(r.hi).slice(0, 7) };
}

/** Which upstream each figure of network_monthly comes from (the primary source of each daily series). */
export const NETWORK_FIGURE_SOURCES = {
  hashrate: 'mempool.space /api/v1/mining/hashrate (daily avgHashrate, H/s → EH/s)',
  difficulty: 'mempool.space /api/v1/mining/difficulty-adjustments (retarget in force at the end of each day)',
  btc_price: 'blockchain.com /charts/market-price (daily USD)',
  miners_revenue: 'blockchain.com /charts/miners-revenue (USD/day, subsidy + fees)',
  hashprice: 'derived: revenue_usd_per_day_avg / hashrate_avg_ehs',
} as const;
