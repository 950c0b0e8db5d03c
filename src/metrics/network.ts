// Reads the monthly network figures straight from the network_monthly view: the same SQL a user runs.
import type { NetworkMonthlyView } from '../db/schema.js';
import type { Sqlite } from '../db/sqlite.js';
import type { Month } from '../time.js';

export type NetworkMonth = NetworkMonthlyView;

export function storedMonthRange(sqlite: Sqlite): { first: Month; last: Month } | null {
  const r = sqlite
    .prepare("select min(date) as lo, max(date) as hi from hashrate_daily where source = 'mempool'")
    .get() as { lo: string | null; hi: string | null };
  return r.lo && r.hi ? { first: r.lo.slice(0, 7), last: r.hi.slice(0, 7) } : null;
}

/** Which upstream each figure of network_monthly comes from: the primary source of each daily series, then the
 *  sources of its chain for the days the primary lacks (src/pipeline/network.ts). */
export const NETWORK_FIGURE_SOURCES = {
  hashrate: 'mempool.space /api/v1/mining/hashrate (daily avgHashrate, H/s → EH/s)',
  difficulty: 'mempool.space /api/v1/mining/difficulty-adjustments (retarget in force at the end of each day)',
  btc_price:
    'blockchain.com /charts/market-price (daily USD); days it lacks: mempool.space /api/v1/historical-price (close at 00:00 UTC the next day), then Bitstamp daily candles (close)',
  miners_revenue:
    'blockchain.com /charts/miners-revenue (USD/day, subsidy + fees); days it lacks: derived from mempool.space per-block rewards × a block count estimated from hashrate and difficulty',
  hashprice: 'derived: revenue_usd_per_day_avg / hashrate_avg_ehs',
} as const;
