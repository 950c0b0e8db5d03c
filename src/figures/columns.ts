// Every view's (and materialised table's) columns as runtime lists, each tied at compile time to the TypeScript
// row type that reads it: a column missing from a list, or a name the type lacks, fails `tsc`; test/figures.test.ts
// compares each list with the real columns (`pragma table_info`), so a view and its reader cannot drift apart.
import type {
  BtcPriceEffectiveView,
  EquityCloseDailyView,
  EquityMarketCapDailyView,
  EquitySplitsEffectiveView,
  MinersRevenueEffectiveView,
  NetworkDailyView,
  NetworkMonthlyView,
  SharesEffectiveView,
  SourceComparisonView,
  TradingMonthEndsView,
  TxFeesEffectiveView,
} from '../db/schema.js';
import type { SectorMonth, TickerMonth } from '../metrics/equities.js';
import type { NetworkIssuanceMonth, OperationsMonth, OperationsTickerMonth } from '../metrics/operations.js';
import type { ReportMonth, ReportTicker } from '../metrics/report.js';

type Missing<T, K extends readonly PropertyKey[]> = Exclude<keyof T, K[number]>;

/** `columnsOf<Row>()([...])` compiles only when the list names every key of Row, and nothing else. */
export function columnsOf<T>() {
  return <const K extends ReadonlyArray<keyof T & string>>(cols: K & ([Missing<T, K>] extends [never] ? unknown : { missing: Missing<T, K> })): readonly string[] => cols;
}

const networkMonthly = columnsOf<NetworkMonthlyView>()([
  'month', 'days_in_month', 'days_with_data', 'hashrate_avg_ehs', 'hashrate_min_ehs', 'hashrate_min_date', 'hashrate_max_ehs',
  'hashrate_mom_pct', 'difficulty_end', 'difficulty_avg', 'difficulty_mom_pct', 'difficulty_ath', 'difficulty_ath_date',
  'difficulty_below_ath_pct', 'btc_close_usd', 'btc_close_date', 'btc_return_pct', 'revenue_usd_per_day_avg', 'revenue_days',
  'btc_price_sources', 'revenue_sources', 'hashprice_usd_per_ehs_day', 'hashprice_mom_pct', 'btc_price_usd_avg', 'blocks_per_day_avg',
  'subsidy_btc_per_block_avg', 'fees_per_block_btc_avg', 'hashprice_btc_per_ehs_day', 'hashprice_expected_usd_per_ehs_day',
  'hashprice_expected_mom_pct', 'hashprice_expected_btc_per_ehs_day', 'hashprice_difficulty_usd_per_ehs_day', 'hashprice_difficulty_mom_pct',
  'hashprice_difficulty_btc_per_ehs_day',
]);
const equityMonthly = columnsOf<TickerMonth>()([
  'month', 'ticker', 'role', 'close_date', 'close_usd', 'price_source', 'shares_per_unit', 'prev_close_date', 'return_pct', 'shares_outstanding',
  'shares_as_of', 'shares_source', 'market_cap_usd', 'btc_return_pct', 'outperformed_btc',
]);
const sectorMonthly = columnsOf<SectorMonth>()([
  'month', 'last_trading_date', 'combined_market_cap_usd', 'combined_market_cap_mom_pct', 'combined_peak_usd', 'combined_peak_month',
  'below_peak_pct', 'btc_return_pct', 'outperformed_btc_count', 'priced_count', 'capped_count', 'universe_count', 'best_ticker',
  'best_return_pct', 'worst_ticker', 'worst_return_pct', 'benchmark_return_pct', 'missing_tickers',
]);

/** Name of a view or materialised table → its columns (as a set: order is the view's own business). */
export const COLUMNS: Readonly<Record<string, readonly string[]>> = {
  btc_price_effective: columnsOf<BtcPriceEffectiveView>()(['date', 'price_usd', 'source']),
  miners_revenue_effective: columnsOf<MinersRevenueEffectiveView>()(['date', 'revenue_usd', 'source']),
  tx_fees_effective: columnsOf<TxFeesEffectiveView>()(['date', 'fees_btc', 'source']),
  network_daily: columnsOf<NetworkDailyView>()([
    'date', 'hashrate_ehs', 'difficulty', 'btc_price_usd', 'btc_price_source', 'miners_revenue_usd', 'miners_revenue_source',
    'tx_fees_btc', 'tx_fees_source', 'height_end_est', 'subsidy_btc_per_block', 'blocks_derived', 'fees_per_block_btc',
    'hashprice_usd_per_ehs_day', 'hashprice_expected_usd_per_ehs_day', 'hashprice_difficulty_usd_per_ehs_day',
  ]),
  network_monthly_live: networkMonthly,
  network_monthly: networkMonthly,
  network_source_comparison: columnsOf<SourceComparisonView>()(['date', 'metric', 'primary_source', 'primary_value', 'other_source', 'other_value', 'diff_pct']),
  equity_close_daily: columnsOf<EquityCloseDailyView>()(['ticker', 'date', 'close_usd', 'source', 'shares_per_unit']),
  equity_splits_effective: columnsOf<EquitySplitsEffectiveView>()(['ticker', 'date', 'numerator', 'denominator', 'source']),
  shares_effective: columnsOf<SharesEffectiveView>()(['ticker', 'as_of', 'shares', 'source', 'accession', 'form', 'filed']),
  equity_market_cap_daily: columnsOf<EquityMarketCapDailyView>()([
    'ticker', 'date', 'close_usd', 'price_source', 'shares_per_unit', 'shares_outstanding', 'shares_as_of', 'shares_source', 'market_cap_usd',
  ]),
  trading_month_ends: columnsOf<TradingMonthEndsView>()(['month', 'last_trading_date']),
  equity_monthly_live: equityMonthly,
  equity_monthly: equityMonthly,
  sector_monthly_live: sectorMonthly,
  sector_monthly: sectorMonthly,
  report_monthly: columnsOf<ReportMonth>()([
    'month', 'days_in_month', 'days_with_data', 'hashrate_avg_ehs', 'hashrate_min_ehs', 'hashrate_min_date', 'hashrate_max_ehs',
    'hashrate_mom_pct', 'hashrate_ytd_pct', 'hashrate_yoy_pct', 'hashrate_ytd_avg_ehs', 'difficulty_end', 'difficulty_avg',
    'difficulty_mom_pct', 'difficulty_ath', 'difficulty_ath_date', 'difficulty_below_ath_pct', 'retarget_count', 'btc_close_usd',
    'btc_close_date', 'btc_return_pct', 'revenue_usd_per_day_avg', 'revenue_days', 'btc_price_sources', 'revenue_sources',
    'hashprice_usd_per_ehs_day', 'hashprice_mom_pct',
    'hashprice_ytd_pct', 'hashprice_yoy_pct', 'hashprice_btc_per_ehs_day', 'hashprice_expected_usd_per_ehs_day',
    'hashprice_expected_mom_pct', 'hashprice_expected_btc_per_ehs_day', 'hashprice_difficulty_usd_per_ehs_day',
    'hashprice_difficulty_mom_pct', 'hashprice_difficulty_btc_per_ehs_day', 'blocks_per_day_avg', 'fees_per_block_btc_avg',
    'hashprice_basis', 'hashprice_note_usd_per_ehs_day', 'hashprice_note_mom_pct', 'fleet_efficiency_jth', 'fleet_efficiency_source', 'power_price_usd_mwh',
    'power_price_source', 'assumptions_note', 'power_cost_usd_per_ehs_day', 'gross_profit_usd_per_ehs_day', 'gross_profit_mom_pct',
    'gross_margin_pct', 'height_est_date', 'height_est_retarget', 'blocks_per_day_est', 'height_month_end_est', 'subsidy_btc_per_block',
    'subsidy_next_210000_blocks_btc', 'block_reward_opportunity_usd', 'last_trading_date', 'combined_market_cap_usd',
    'combined_market_cap_mom_pct', 'combined_market_cap_ytd_pct', 'combined_market_cap_yoy_pct', 'combined_peak_usd',
    'combined_peak_month', 'combined_below_peak_pct', 'valuation_to_opportunity_pct', 'btc_return_trading_pct',
    'outperformed_btc_count', 'priced_count', 'capped_count', 'universe_count', 'best_ticker', 'best_return_pct', 'worst_ticker',
    'worst_return_pct', 'benchmark_return_pct', 'missing_tickers', 'valuation_to_opportunity_avg_since_2022_pct',
    'valuation_to_avg_since_2022_ratio',
  ]),
  report_tickers_monthly: columnsOf<ReportTicker>()([
    'month', 'ticker', 'name', 'role', 'close_date', 'close_usd', 'price_source', 'prev_close_date', 'return_pct', 'return_ytd_pct',
    'btc_return_pct', 'return_minus_btc_pct', 'outperformed_btc', 'shares_outstanding', 'shares_as_of', 'shares_source',
    'market_cap_usd', 'share_of_combined_cap_pct',
  ]),
  network_issuance_monthly: columnsOf<NetworkIssuanceMonth>()([
    'month', 'days_in_month', 'height_start_est', 'height_end_est', 'blocks_est', 'subsidy_btc', 'fees_btc', 'fee_days', 'btc_issued',
  ]),
  operations_tickers_monthly: columnsOf<OperationsTickerMonth>()([
    'month', 'ticker', 'name', 'btc_produced', 'hashrate_ehs', 'hashrate_basis', 'btc_held', 'source', 'accession', 'document_url', 'filing_status',
    'days_in_month', 'network_hashrate_avg_ehs', 'share_of_network_pct', 'btc_per_ehs_day', 'btc_price_avg_usd', 'realized_hashprice_usd_per_ehs_day',
    'network_hashprice_usd_per_ehs_day', 'realized_vs_network_pct', 'market_cap_usd', 'market_cap_per_ehs_usd',
  ]),
  operations_monthly: columnsOf<OperationsMonth>()([
    'month', 'days_in_month', 'universe_count', 'reporting_count', 'producing_count', 'combined_hashrate_ehs', 'network_hashrate_avg_ehs',
    'share_of_network_pct', 'btc_produced', 'subsidy_btc', 'fees_btc', 'btc_issued', 'share_of_btc_issued_pct', 'btc_per_ehs_day',
    'realized_hashprice_usd_per_ehs_day', 'hashprice_usd_per_ehs_day', 'hashprice_usd_per_phs_day', 'hashprice_btc_per_phs_day',
    'combined_market_cap_usd', 'market_cap_per_ehs_usd',
  ]),
};
