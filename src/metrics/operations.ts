// Reads the miner-operations figures from their views (operations_monthly, operations_tickers_monthly,
// network_issuance_monthly): the same SQL a user runs. The row types are tied to the views in src/metrics/columns.ts.
import type { Sqlite } from '../db/sqlite.js';
import type { Month } from '../time.js';

export interface NetworkIssuanceMonth {
  month: string;
  days_in_month: number;
  height_start_est: number | null;
  height_end_est: number | null;
  blocks_est: number | null;
  subsidy_btc: number | null;
  fees_btc: number | null;
  fee_days: number;
  btc_issued: number | null;
}

export interface OperationsTickerMonth {
  month: string;
  ticker: string;
  name: string | null;
  btc_produced: number | null;
  hashrate_ehs: number | null;
  hashrate_basis: 'operating' | 'average' | 'installed' | null;
  btc_held: number | null;
  /** 'override' when any figure comes from data/operations.csv, else the filing's 'sec-8k' / 'sec-6k'. */
  source: string;
  accession: string | null;
  document_url: string | null;
  /** The filing's parsed/unparsed (NULL: no filing for the month, only a hand entry). */
  filing_status: string | null;
  days_in_month: number;
  network_hashrate_avg_ehs: number | null;
  share_of_network_pct: number | null;
  btc_per_ehs_day: number | null;
  btc_price_avg_usd: number | null;
  realized_hashprice_usd_per_ehs_day: number | null;
  network_hashprice_usd_per_ehs_day: number | null;
  realized_vs_network_pct: number | null;
  market_cap_usd: number | null;
  market_cap_per_ehs_usd: number | null;
}

export interface OperationsMonth {
  month: string;
  days_in_month: number;
  universe_count: number;
  reporting_count: number;
  producing_count: number;
  combined_hashrate_ehs: number | null;
  network_hashrate_avg_ehs: number | null;
  share_of_network_pct: number | null;
  btc_produced: number | null;
  subsidy_btc: number | null;
  fees_btc: number | null;
  btc_issued: number | null;
  share_of_btc_issued_pct: number | null;
  btc_per_ehs_day: number | null;
  realized_hashprice_usd_per_ehs_day: number | null;
  hashprice_usd_per_ehs_day: number | null;
  hashprice_usd_per_phs_day: number | null;
  hashprice_btc_per_phs_day: number | null;
  combined_market_cap_usd: number | null;
  market_cap_per_ehs_usd: number | null;
}

export function getOperationsMonth(sqlite: Sqlite, month: Month): OperationsMonth | undefined {
  return sqlite.prepare('select * from operations_monthly where month = ?').get(month) as OperationsMonth | undefined;
}

export function getOperationsTickers(sqlite: Sqlite, month: Month): OperationsTickerMonth[] {
  return sqlite
    .prepare('select * from operations_tickers_monthly where month = ? order by hashrate_ehs desc nulls last, ticker')
    .all(month) as OperationsTickerMonth[];
}
