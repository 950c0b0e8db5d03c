// The JSON contract of `hashpulse report --format json`: keys are only ever added, never renamed or removed.
// {month, network, equities, economics, changes, retargets, assumptions, sources}; a range is an array of these.

import { NETWORK_FIGURE_SOURCES } from '../metrics/network.js';
import type { ReportData } from '../metrics/note-data.js';
import { subsidySchedule } from '../mining.js';
import { yoyBaseMonth, ytdBaseMonth } from './changes.js';
import { equitiesJson } from './equities.js';
import { networkJson } from './network.js';
import { operationsJson } from './operations.js';

export const REPORT_FIGURE_SOURCES = {
  ...NETWORK_FIGURE_SOURCES,
  equity_prices:
    'Yahoo Finance v8 chart (closes as traded); fallbacks in order: Nasdaq historical quotes, Stooq daily CSV, Tiingo end-of-day (equity_prices_daily.source says which)',
  shares_outstanding: 'SEC XBRL dei:EntityCommonStockSharesOutstanding, filing cover pages, data/shares-overrides.csv',
  retargets: 'mempool.space /api/v1/mining/difficulty-adjustments',
  power_cost: 'assumed: fleet_efficiency_jth × 24 × power_price_usd_mwh (see assumptions)',
  gross_profit:
    'derived: hashprice_note_usd_per_ehs_day (the basis HASHPULSE_HASHPRICE_BASIS names) − power_cost_usd_per_ehs_day',
  block_reward_opportunity:
    'derived: subsidy of the next 210,000 blocks from the estimated month-end height × btc_close_usd',
  operations:
    "the miners' monthly production updates (Exhibit 99.1 of their 8-K/6-K on EDGAR, parsed) and data/operations.csv (wins); BTC issued: subsidy from heights interpolated between retargets + tx_fees_effective",
} as const;

export const METHODS = {
  power_cost_formula:
    'power_cost_usd_per_ehs_day = fleet_efficiency_jth × 24 h × power_price_usd_mwh (1 EH/s at E J/TH draws E MW); power only',
  month_end_height_method:
    'newest retarget on or before height_est_date + (end of height_est_date − that retarget’s time) × blocks_per_day_est (2,016 blocks over the last retarget period; 144/day if only one retarget is stored), rounded',
  opportunity_method:
    'subsidy of blocks height_month_end_est … +209,999 (50 BTC halved every 210,000 blocks, exact across halvings; fees excluded) × btc_close_usd. The note’s own method is not published.',
  valuation_method:
    'valuation_to_opportunity_pct = combined_market_cap_usd (last US trading day) / block_reward_opportunity_usd × 100',
  ytd_yoy_method:
    'YTD: vs the previous December’s figure; YoY: vs the same month a year earlier; null where that month is not stored',
} as const;

export function reportJson(d: ReportData, opts: { readonly economicsFile: string }) {
  const r = d.report;
  const extra = new Map(d.reportTickers.map((t) => [t.ticker, t]));
  const equities = d.sector ? equitiesJson(d.sector, d.tickers) : null;
  return {
    month: d.month,
    network: d.network ? networkJson(d.network).network : null,
    equities: equities && {
      ...equities,
      tickers: equities.tickers.map((t) => {
        const x = extra.get(t.ticker);
        return {
          ...t,
          name: x?.name ?? null,
          return_ytd_pct: x?.return_ytd_pct ?? null,
          return_minus_btc_pct: x?.return_minus_btc_pct ?? null,
          share_of_combined_cap_pct: x?.share_of_combined_cap_pct ?? null,
        };
      }),
    },
    economics: {
      hashprice_usd_per_ehs_day: r.hashprice_usd_per_ehs_day,
      hashprice_btc_per_ehs_day: r.hashprice_btc_per_ehs_day,
      hashprice_mom_pct: r.hashprice_mom_pct,
      hashprice_expected_usd_per_ehs_day: r.hashprice_expected_usd_per_ehs_day,
      hashprice_expected_btc_per_ehs_day: r.hashprice_expected_btc_per_ehs_day,
      hashprice_expected_mom_pct: r.hashprice_expected_mom_pct,
      hashprice_difficulty_usd_per_ehs_day: r.hashprice_difficulty_usd_per_ehs_day,
      hashprice_difficulty_btc_per_ehs_day: r.hashprice_difficulty_btc_per_ehs_day,
      hashprice_difficulty_mom_pct: r.hashprice_difficulty_mom_pct,
      blocks_per_day_avg: r.blocks_per_day_avg,
      fees_per_block_btc_avg: r.fees_per_block_btc_avg,
      hashprice_basis: r.hashprice_basis,
      hashprice_note_usd_per_ehs_day: r.hashprice_note_usd_per_ehs_day,
      power_cost_usd_per_ehs_day: r.power_cost_usd_per_ehs_day,
      gross_profit_usd_per_ehs_day: r.gross_profit_usd_per_ehs_day,
      gross_profit_mom_pct: r.gross_profit_mom_pct,
      gross_margin_pct: r.gross_margin_pct,
      height_est_date: r.height_est_date,
      height_est_retarget: r.height_est_retarget,
      blocks_per_day_est: r.blocks_per_day_est,
      height_month_end_est: r.height_month_end_est,
      subsidy_btc_per_block: r.subsidy_btc_per_block,
      subsidy_next_210000_blocks_btc: r.subsidy_next_210000_blocks_btc,
      subsidy_schedule: r.height_month_end_est === null ? [] : subsidySchedule(r.height_month_end_est),
      btc_close_usd: r.btc_close_usd,
      block_reward_opportunity_usd: r.block_reward_opportunity_usd,
      combined_market_cap_usd: r.combined_market_cap_usd,
      valuation_to_opportunity_pct: r.valuation_to_opportunity_pct,
      valuation_to_opportunity_avg_since_2022_pct: r.valuation_to_opportunity_avg_since_2022_pct,
      valuation_to_avg_since_2022_ratio: r.valuation_to_avg_since_2022_ratio,
    },
    changes: {
      ytd_base_month: ytdBaseMonth(d.month),
      yoy_base_month: yoyBaseMonth(d.month),
      hashrate_avg_ehs: {
        value: r.hashrate_avg_ehs,
        mom_pct: r.hashrate_mom_pct,
        ytd_pct: r.hashrate_ytd_pct,
        yoy_pct: r.hashrate_yoy_pct,
      },
      hashrate_ytd_avg_ehs: r.hashrate_ytd_avg_ehs,
      hashprice_usd_per_ehs_day: {
        value: r.hashprice_usd_per_ehs_day,
        mom_pct: r.hashprice_mom_pct,
        ytd_pct: r.hashprice_ytd_pct,
        yoy_pct: r.hashprice_yoy_pct,
      },
      combined_market_cap_usd: {
        value: r.combined_market_cap_usd,
        mom_pct: r.combined_market_cap_mom_pct,
        ytd_pct: r.combined_market_cap_ytd_pct,
        yoy_pct: r.combined_market_cap_yoy_pct,
      },
    },
    retargets: d.retargets.map((t) => ({
      date: t.date,
      time_utc: t.time_utc,
      height: t.height,
      difficulty: t.difficulty,
      change_pct: t.change_pct,
    })),
    assumptions: {
      fleet_efficiency_jth: r.fleet_efficiency_jth,
      fleet_efficiency_source: r.fleet_efficiency_source,
      power_price_usd_mwh: r.power_price_usd_mwh,
      power_price_source: r.power_price_source,
      note: r.assumptions_note,
      economics_file: opts.economicsFile,
      ...METHODS,
    },
    // Which source of each chain served the month's days (comma-separated source names; see the README).
    sources: {
      ...REPORT_FIGURE_SOURCES,
      served_by: { btc_price: r.btc_price_sources, miners_revenue: r.revenue_sources },
    },
    // Miner operations from their production updates and data/operations.csv; null for a month without any.
    operations: operationsJson(d.operations ?? null, d.operationsTickers ?? []),
  };
}

/** `extra`: top-level keys appended to the last month's document (the published note's `publication`). */
export function renderJson(
  data: readonly ReportData[],
  opts: { readonly economicsFile: string; readonly range: boolean; readonly extra?: Readonly<Record<string, unknown>> },
): string {
  const docs: Array<Record<string, unknown>> = data.map((d) => reportJson(d, opts));
  if (opts.extra && docs.length > 0) docs[docs.length - 1] = { ...docs[docs.length - 1], ...opts.extra };
  return `${JSON.stringify(opts.range ? docs : docs[0], null, 2)}\n`;
}
