// Reads the whole note from the report_monthly and report_tickers_monthly tables (what SQL users see; rewritten from
// their *_live views whenever an input changes), the month's retargets, and the daily series the HTML charts draw.

import type { Sqlite } from '../db/sqlite.js';
import { type IsoDate, lastDayOfMonth, type Month } from '../time.js';
import type { SectorMonth, TickerMonth } from './equities.js';
import type { NetworkMonth } from './network.js';
import type { OperationsMonth, OperationsTickerMonth } from './operations.js';

/** One row of report_monthly; columns are documented in the README. */
export interface ReportMonth {
  month: string;
  days_in_month: number | null;
  days_with_data: number | null;
  hashrate_avg_ehs: number | null;
  hashrate_min_ehs: number | null;
  hashrate_min_date: string | null;
  hashrate_max_ehs: number | null;
  hashrate_mom_pct: number | null;
  hashrate_ytd_pct: number | null;
  hashrate_yoy_pct: number | null;
  hashrate_ytd_avg_ehs: number | null;
  difficulty_end: number | null;
  difficulty_avg: number | null;
  difficulty_mom_pct: number | null;
  difficulty_ath: number | null;
  difficulty_ath_date: string | null;
  difficulty_below_ath_pct: number | null;
  retarget_count: number;
  btc_close_usd: number | null;
  btc_close_date: string | null;
  btc_return_pct: number | null;
  revenue_usd_per_day_avg: number | null;
  revenue_days: number | null;
  btc_price_sources: string | null;
  revenue_sources: string | null;
  hashprice_usd_per_ehs_day: number | null;
  hashprice_mom_pct: number | null;
  hashprice_ytd_pct: number | null;
  hashprice_yoy_pct: number | null;
  hashprice_btc_per_ehs_day: number | null;
  hashprice_expected_usd_per_ehs_day: number | null;
  hashprice_expected_mom_pct: number | null;
  hashprice_expected_btc_per_ehs_day: number | null;
  hashprice_difficulty_usd_per_ehs_day: number | null;
  hashprice_difficulty_mom_pct: number | null;
  hashprice_difficulty_btc_per_ehs_day: number | null;
  blocks_per_day_avg: number | null;
  fees_per_block_btc_avg: number | null;
  /** HASHPULSE_HASHPRICE_BASIS in force: which of the three the note's sentence and gross profit use. */
  hashprice_basis: 'expected' | 'realized' | 'difficulty';
  hashprice_note_usd_per_ehs_day: number | null;
  hashprice_note_mom_pct: number | null;
  fleet_efficiency_jth: number | null;
  fleet_efficiency_source: string | null;
  power_price_usd_mwh: number | null;
  power_price_source: string | null;
  assumptions_note: string | null;
  power_cost_usd_per_ehs_day: number | null;
  gross_profit_usd_per_ehs_day: number | null;
  gross_profit_mom_pct: number | null;
  gross_margin_pct: number | null;
  height_est_date: string;
  height_est_retarget: number | null;
  blocks_per_day_est: number | null;
  height_month_end_est: number | null;
  subsidy_btc_per_block: number | null;
  subsidy_next_210000_blocks_btc: number | null;
  block_reward_opportunity_usd: number | null;
  last_trading_date: string | null;
  combined_market_cap_usd: number | null;
  combined_market_cap_mom_pct: number | null;
  combined_market_cap_ytd_pct: number | null;
  combined_market_cap_yoy_pct: number | null;
  combined_peak_usd: number | null;
  combined_peak_month: string | null;
  combined_below_peak_pct: number | null;
  valuation_to_opportunity_pct: number | null;
  btc_return_trading_pct: number | null;
  outperformed_btc_count: number | null;
  priced_count: number | null;
  capped_count: number | null;
  universe_count: number | null;
  best_ticker: string | null;
  best_return_pct: number | null;
  worst_ticker: string | null;
  worst_return_pct: number | null;
  benchmark_return_pct: number | null;
  missing_tickers: string | null;
  /** Mean of valuation_to_opportunity_pct over 2022-01 … the month (NULL until the history reaches 2022-01). */
  valuation_to_opportunity_avg_since_2022_pct: number | null;
  /** valuation_to_opportunity_pct ÷ that mean: 3.0 is "about 3 times the post-2022 average". */
  valuation_to_avg_since_2022_ratio: number | null;
  /** From operations_monthly: the listed miners' production updates of the month (NULL without any). */
  operations_reporting_count: number | null;
  operations_combined_hashrate_ehs: number | null;
  operations_share_of_network_pct: number | null;
  operations_btc_produced: number | null;
  operations_share_of_btc_issued_pct: number | null;
}

/** One row of report_tickers_monthly. */
export interface ReportTicker {
  month: string;
  ticker: string;
  name: string | null;
  role: string | null;
  close_date: string;
  close_usd: number;
  price_source: string;
  prev_close_date: string | null;
  return_pct: number | null;
  return_ytd_pct: number | null;
  btc_return_pct: number | null;
  return_minus_btc_pct: number | null;
  outperformed_btc: number | null;
  shares_outstanding: number | null;
  shares_as_of: string | null;
  shares_source: string | null;
  market_cap_usd: number | null;
  share_of_combined_cap_pct: number | null;
}

export interface Retarget {
  date: IsoDate;
  time_utc: string;
  height: number;
  difficulty: number;
  change_pct: number | null;
}

export interface DailyPoint {
  date: IsoDate;
  hashrate_ehs: number | null;
  difficulty: number | null;
  hashprice_usd_per_ehs_day: number | null;
  hashprice_expected_usd_per_ehs_day: number | null;
  hashprice_difficulty_usd_per_ehs_day: number | null;
}

export function getReportMonths(sqlite: Sqlite, from: Month, to: Month): ReportMonth[] {
  return sqlite
    .prepare('select * from report_monthly where month between ? and ? order by month')
    .all(from, to) as ReportMonth[];
}

/** report_monthly's columns in order (the CSV header), read from SQLite so the CSV can never drift from the table
 *  (whose columns are report_monthly_live's, in its order: test/report-tables.test.ts). */
export function reportMonthlyColumns(sqlite: Sqlite): string[] {
  return sqlite
    .prepare('select * from report_monthly limit 0')
    .columns()
    .map((c) => c.name);
}

/** The listed miners' share of the network's hashrate per month (operations_monthly), for the HTML chart. */
export function getOperationsShare(
  sqlite: Sqlite,
  from: Month,
  to: Month,
): Array<{ month: string; share_of_network_pct: number | null }> {
  return sqlite
    .prepare('select month, share_of_network_pct from operations_monthly where month between ? and ? order by month')
    .all(from, to) as Array<{
    month: string;
    share_of_network_pct: number | null;
  }>;
}

export function getRetargets(sqlite: Sqlite, from: IsoDate, to: IsoDate): Retarget[] {
  return sqlite
    .prepare(
      'select date, time_utc, height, difficulty, change_pct from difficulty_retargets where date between ? and ? order by height',
    )
    .all(from, to) as Retarget[];
}

/** network_daily between two dates (the view spans every stored day; the chart window is a slice of it). */
export function getDailySeries(sqlite: Sqlite, from: IsoDate, to: IsoDate): DailyPoint[] {
  return sqlite
    .prepare(
      'select date, hashrate_ehs, difficulty, hashprice_usd_per_ehs_day, hashprice_expected_usd_per_ehs_day, hashprice_difficulty_usd_per_ehs_day from network_daily where date between ? and ? order by date',
    )
    .all(from, to) as DailyPoint[];
}

/** Everything the report prints for one month. `network`, `sector` and `tickers` are the rows the JSON contract
 *  has always carried; `report` and `reportTickers` the rows of the report views. */
export interface ReportData {
  readonly month: Month;
  readonly network: NetworkMonth | null;
  readonly sector: SectorMonth | null;
  readonly tickers: readonly TickerMonth[];
  readonly report: ReportMonth;
  readonly reportTickers: readonly ReportTicker[];
  readonly retargets: readonly Retarget[];
  /** Miner operations (operations_monthly, operations_tickers_monthly); null / [] for a month without any. */
  readonly operations?: OperationsMonth | null;
  readonly operationsTickers?: readonly OperationsTickerMonth[];
}

/** The stored months from `from` to `to` that have network or equity figures, each with its note's data.
 *  One query per table for the whole range. */
export function loadReportData(sqlite: Sqlite, from: Month, to: Month): ReportData[] {
  const group = <T extends { month: string }>(rows: T[]): Map<string, T[]> => {
    const m = new Map<string, T[]>();
    for (const r of rows) m.set(r.month, [...(m.get(r.month) ?? []), r]);
    return m;
  };
  const network = group(
    sqlite.prepare('select * from network_monthly where month between ? and ?').all(from, to) as NetworkMonth[],
  );
  const sectors = group(
    sqlite.prepare('select * from sector_monthly where month between ? and ?').all(from, to) as SectorMonth[],
  );
  // Miners first, then benchmarks.
  const tickers = group(
    sqlite
      .prepare('select * from equity_monthly where month between ? and ? order by month, role desc, ticker')
      .all(from, to) as TickerMonth[],
  );
  const reportTickers = group(
    sqlite
      .prepare(
        "select * from report_tickers_monthly where month between ? and ? order by month, role = 'benchmark', ticker",
      )
      .all(from, to) as ReportTicker[],
  );
  const retargets = group(
    (getRetargets(sqlite, `${from}-01`, lastDayOfMonth(to)) as Array<Retarget & { month?: string }>).map((r) => ({
      ...r,
      month: r.date.slice(0, 7),
    })),
  );
  const ops = group(
    sqlite.prepare('select * from operations_monthly where month between ? and ?').all(from, to) as OperationsMonth[],
  );
  const opsTickers = group(
    sqlite
      .prepare(
        'select * from operations_tickers_monthly where month between ? and ? order by month, hashrate_ehs desc nulls last, ticker',
      )
      .all(from, to) as OperationsTickerMonth[],
  );
  return getReportMonths(sqlite, from, to).map((report) => {
    const month = report.month;
    const sector = sectors.get(month)?.[0] ?? null;
    return {
      month,
      network: network.get(month)?.[0] ?? null,
      sector,
      tickers: sector ? (tickers.get(month) ?? []) : [],
      report,
      reportTickers: reportTickers.get(month) ?? [],
      retargets: (retargets.get(month) ?? []).map(({ month: _m, ...r }) => r),
      operations: ops.get(month)?.[0] ?? null,
      operationsTickers: opsTickers.get(month) ?? [],
    };
  });
}
