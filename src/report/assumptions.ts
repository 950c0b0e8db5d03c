// The assumptions printed with the numbers: where each cost assumption came from, how each figure is computed, and
// which source served the month's BTC prices and miners' revenue.
import type { ReportMonth } from '../metrics/note-data.js';
import { fmtNum, fmtPlain, fmtUsd } from './format.js';

const SOURCE_LABEL: Readonly<Record<string, string>> = {
  'built-in': 'built-in default',
  env: 'from the environment',
  file: 'from the per-month file',
};

export function assumptionLines(r: ReportMonth, economicsFile: string): string[] {
  const src = (s: string | null, variable: string) =>
    s === 'env'
      ? `${SOURCE_LABEL.env} (${variable})`
      : s === 'file'
        ? `from ${economicsFile}, row ${r.month}`
        : (SOURCE_LABEL[s ?? ''] ?? 'unknown');
  const lines = [
    `Fleet efficiency ${fmtPlain(r.fleet_efficiency_jth)} J/TH, ${src(r.fleet_efficiency_source, 'HASHPULSE_FLEET_EFFICIENCY_JTH')}.`,
    `Power price ${fmtUsd(r.power_price_usd_mwh, 2)}/MWh, ${src(r.power_price_source, 'HASHPULSE_POWER_PRICE_USD_MWH')}.`,
  ];
  if (r.assumptions_note) lines.push(`Note for ${r.month}: ${r.assumptions_note}`);
  lines.push(
    'Power cost per EH/s per day = fleet efficiency (J/TH) × 24 h × power price ($/MWh): 1 EH/s at E J/TH draws E MW. Power only: no hosting, staff, pool fees or depreciation.',
  );
  lines.push(
    `Hashprice basis: ${r.hashprice_basis} (HASHPULSE_HASHPRICE_BASIS; expected = 144 × (subsidy + fees per block) × mean price ÷ mean hashrate, ` +
      'realized = mean revenue ÷ mean hashrate, difficulty = (subsidy + fees per block) × 86,400 ÷ (difficulty × 2^32) × price). Gross profit uses it.',
  );
  if (r.height_month_end_est !== null) {
    lines.push(
      `Month-end height is estimated, not observed: retarget ${fmtNum(r.height_est_retarget)} plus ${fmtNum(r.blocks_per_day_est, 1)} blocks/day ` +
        `(the pace of the last retarget period) to the end of ${r.height_est_date}.`,
    );
  }
  lines.push(
    "Block-reward opportunity = subsidy of the next 210,000 blocks (halving every 210,000 blocks; fees left out) × the month-end BTC close. The note's own method is not published; this is ours.",
  );
  if (r.last_trading_date && r.btc_close_date) {
    lines.push(
      `Market caps are at the last US trading day (${r.last_trading_date}); the BTC close at ${r.btc_close_date}.`,
    );
  }
  lines.push(
    'YTD compares with the previous December, YoY with the same month a year earlier, only where that month is stored.',
  );
  const served = servedBy(r);
  if (served) lines.push(served);
  return lines;
}

/** What each source name means when it served a figure (the chains of btc_price_effective and
 *  miners_revenue_effective). */
export const SERVED_BY_LABEL: Readonly<Record<string, string>> = {
  blockchain: 'blockchain.com',
  mempool: 'mempool.space historical price',
  bitstamp: 'Bitstamp daily close',
  coinmetrics: 'CoinMetrics community data',
  derived: "an estimate derived from mempool.space's per-block rewards (not a measured value)",
};

/** "BTC prices from …; miners' revenue from …" for the month, or null when nothing is stored. */
export function servedBy(r: Pick<ReportMonth, 'btc_price_sources' | 'revenue_sources'>): string | null {
  const label = (list: string | null) =>
    list
      ? list
          .split(',')
          .map((s) => SERVED_BY_LABEL[s] ?? s)
          .join(' and ')
      : null;
  const parts = [
    ...(r.btc_price_sources ? [`BTC prices from ${label(r.btc_price_sources)}`] : []),
    ...(r.revenue_sources ? [`miners' revenue from ${label(r.revenue_sources)}`] : []),
  ];
  return parts.length ? `${parts.join('; ')}.` : null;
}
