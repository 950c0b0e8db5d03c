// Typed tables and views for Kysely; the README documents each one for people who query the file.
import type { Generated } from 'kysely';

export interface DailyHashrate {
  date: string;
  source: string;
  hashrate_ehs: number;
}
export interface DailyDifficulty {
  date: string;
  source: string;
  difficulty: number;
}
export interface DailyBtcPrice {
  date: string;
  source: string;
  price_usd: number;
}
export interface DailyMinersRevenue {
  date: string;
  source: string;
  revenue_usd: number;
}
export interface DailyTxFees {
  date: string;
  source: string;
  fees_btc: number;
}

export interface DifficultyRetarget {
  height: number;
  time_utc: string;
  date: string;
  difficulty: number;
  change_pct: number | null;
  source: string;
}

export type JobStatus = 'running' | 'ok' | 'failed' | 'skipped';

export interface JobRunTable {
  id: Generated<number>;
  job: string;
  trigger: string;
  started_at: string;
  finished_at: string | null;
  status: JobStatus;
  rows_written: Generated<number>;
  requests: Generated<number>;
  error: string | null;
  params: string | null;
  pid: number | null;
  hostname: string | null;
}

export interface DaemonLockTable {
  id: number;
  pid: number;
  hostname: string;
  started_at: string;
  heartbeat_at: string;
}

export interface NetworkMonthlyView {
  month: string;
  days_in_month: number;
  days_with_data: number;
  hashrate_avg_ehs: number | null;
  hashrate_min_ehs: number | null;
  hashrate_min_date: string | null;
  hashrate_max_ehs: number | null;
  hashrate_mom_pct: number | null;
  difficulty_end: number | null;
  difficulty_avg: number | null;
  difficulty_mom_pct: number | null;
  difficulty_ath: number | null;
  difficulty_ath_date: string | null;
  difficulty_below_ath_pct: number | null;
  btc_close_usd: number | null;
  btc_close_date: string | null;
  btc_return_pct: number | null;
  revenue_usd_per_day_avg: number | null;
  revenue_days: number;
  /** The sources that served the month's BTC prices and revenues, comma-separated ('blockchain', 'mempool,…'). */
  btc_price_sources: string | null;
  revenue_sources: string | null;
  hashprice_usd_per_ehs_day: number | null;
  hashprice_mom_pct: number | null;
  btc_price_usd_avg: number | null;
  /** Blocks a day derived from revenue, price, fees and subsidy; subsidy and fees per block (BTC) of the month. */
  blocks_per_day_avg: number | null;
  subsidy_btc_per_block_avg: number | null;
  fees_per_block_btc_avg: number | null;
  hashprice_btc_per_ehs_day: number | null;
  hashprice_expected_usd_per_ehs_day: number | null;
  hashprice_expected_mom_pct: number | null;
  hashprice_expected_btc_per_ehs_day: number | null;
  hashprice_difficulty_usd_per_ehs_day: number | null;
  hashprice_difficulty_mom_pct: number | null;
  hashprice_difficulty_btc_per_ehs_day: number | null;
}

export interface NetworkDailyView {
  date: string;
  hashrate_ehs: number | null;
  difficulty: number | null;
  btc_price_usd: number | null;
  btc_price_source: string | null;
  miners_revenue_usd: number | null;
  miners_revenue_source: string | null;
  tx_fees_btc: number | null;
  tx_fees_source: string | null;
  height_end_est: number | null;
  subsidy_btc_per_block: number | null;
  blocks_derived: number | null;
  fees_per_block_btc: number | null;
  hashprice_usd_per_ehs_day: number | null;
  hashprice_expected_usd_per_ehs_day: number | null;
  hashprice_difficulty_usd_per_ehs_day: number | null;
}

export interface SourceComparisonView {
  date: string;
  metric: string;
  primary_source: string;
  primary_value: number;
  other_source: string;
  other_value: number;
  diff_pct: number;
}

export interface Database {
  hashrate_daily: DailyHashrate;
  difficulty_daily: DailyDifficulty;
  btc_price_daily: DailyBtcPrice;
  miners_revenue_daily: DailyMinersRevenue;
  tx_fees_daily: DailyTxFees;
  difficulty_retargets: DifficultyRetarget;
  job_runs: JobRunTable;
  daemon_lock: DaemonLockTable;
  network_daily: NetworkDailyView;
  network_monthly: NetworkMonthlyView;
  network_source_comparison: SourceComparisonView;
}

/** equity_close_daily: the close each figure uses, one per ticker and day (source by priority). */
export interface EquityCloseDailyView {
  ticker: string;
  date: string;
  close_usd: number;
  source: string;
  shares_per_unit: number;
}
/** equity_splits_effective: the split events figures apply (not one that coincides with a listed-unit change). */
export interface EquitySplitsEffectiveView {
  ticker: string;
  date: string;
  numerator: number;
  denominator: number;
  source: string;
}
/** shares_effective: one share count per ticker and as-of date (override, then XBRL API, then cover page). */
export interface SharesEffectiveView {
  ticker: string;
  as_of: string;
  shares: number;
  source: string;
  accession: string | null;
  form: string | null;
  filed: string | null;
}
/** equity_market_cap_daily: close × the share count in force that day. */
export interface EquityMarketCapDailyView {
  ticker: string;
  date: string;
  close_usd: number;
  price_source: string;
  shares_per_unit: number;
  shares_outstanding: number | null;
  shares_as_of: string | null;
  shares_source: string | null;
  market_cap_usd: number | null;
}
/** trading_month_ends: the month's last US trading day. */
export interface TradingMonthEndsView {
  month: string;
  last_trading_date: string;
}
/** btc_price_effective, miners_revenue_effective, tx_fees_effective: one value per day, from the first source of
 *  the figure's chain that has the day. */
export interface BtcPriceEffectiveView {
  date: string;
  price_usd: number;
  source: string;
}
export interface MinersRevenueEffectiveView {
  date: string;
  revenue_usd: number;
  source: string;
}
export interface TxFeesEffectiveView {
  date: string;
  fees_btc: number;
  source: string;
}
