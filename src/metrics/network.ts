// Reads the monthly network figures straight from the network_monthly view: the same SQL a user runs.
import type { NetworkMonthlyView } from '../db/schema.js';
import type { Sqlite } from '../db/sqlite.js';
import type { Month } from '../time.js';

export type NetworkMonth = NetworkMonthlyView;

export function getNetworkMonth(sqlite: Sqlite, month: Month): NetworkMonth | undefined {
  return sqlite.prepare('select * from network_monthly where month = ?').get(month) as NetworkMonth | undefined;
}

export function storedMonthRange(sqlite: Sqlite): { first: Month; last: Month } | null {
  const r = sqlite.prepare("select min(date) as lo, max(date) as hi from hashrate_daily where source = 'mempool'").get() as { lo: string | null; hi: string | null };
  return r.lo && r.hi ? { first: r.lo.slice(0, 7), last: r.hi.slice(0, 7) } : null;
}

/** Which upstream each figure of network_monthly comes from (the primary source of each daily series). */
export const NETWORK_FIGURE_SOURCES = {
  hashrate: 'mempool.space /api/v1/mining/hashrate (daily avgHashrate, H/s → EH/s)',
  difficulty: 'mempool.space /api/v1/mining/difficulty-adjustments (retarget in force at the end of each day)',
  btc_price: 'blockchain.com /charts/market-price (daily USD); else mempool.space /api/v1/historical-price; else Bitstamp daily OHLC',
  miners_revenue:
    "blockchain.com /charts/miners-revenue (USD/day, subsidy + fees); else derived from mempool.space's per-block rewards (source 'derived')",
  hashprice: 'derived: revenue_usd_per_day_avg / hashrate_avg_ehs',
} as const;
