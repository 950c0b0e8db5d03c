// The economics half of the note: gross profit per EH/s, the four-year block-reward opportunity, YTD/YoY, the
// month's retargets, the per-ticker table and the assumptions printed with the numbers.
import { HALVING_INTERVAL_BLOCKS, subsidySchedule } from '../metrics/economics.js';
import type { TickerMonth } from '../metrics/equities.js';
import type { ReportMonth, ReportTicker, Retarget } from '../metrics/report.js';
import { addMonths, monthName } from '../time.js';
import { TICKER_HEAD, tickerCells, tickerTable } from './equities.js';
import { fmtDifficulty, fmtEhs, fmtNum, fmtPct, fmtUsd, fmtUsdShort } from './format.js';
import type { NoteBlock } from './note.js';

const MINUS = '−';

/** 17.5 → "17.5", 50.36 → "50.36", 3.125 → "3.125": as many decimals as the value has (up to 8). */
export function fmtPlain(x: number | null | undefined): string {
  if (x === null || x === undefined) return 'n/a';
  const s = fmtNum(Math.abs(x), 8).replace(/\.?0+$/, '');
  return `${x < 0 ? MINUS : ''}${s}`;
}

/** A difference of two percents, in percentage points: "+46.3 pp". */
export function fmtPp(x: number | null | undefined, digits = 1): string {
  if (x === null || x === undefined) return 'n/a';
  const s = Math.abs(x).toFixed(digits);
  return `${Number(s) === 0 ? '' : x < 0 ? MINUS : '+'}${s} pp`;
}

export const ytdBaseMonth = (month: string): string => `${Number(month.slice(0, 4)) - 1}-12`;
export const yoyBaseMonth = (month: string): string => addMonths(month, -12);

/** "115,268 × 3.125 + 94,732 × 1.5625" for the blocks from the month-end height on. */
export function subsidySplit(r: ReportMonth): string {
  if (r.height_month_end_est === null) return 'n/a';
  return subsidySchedule(r.height_month_end_est, HALVING_INTERVAL_BLOCKS)
    .map((s) => `${fmtNum(s.blocks)} × ${fmtPlain(s.subsidy_btc_per_block)}`)
    .join(' + ');
}

export function economicsSentences(r: ReportMonth): string[] {
  const out: string[] = [];
  if (r.gross_profit_usd_per_ehs_day !== null) {
    const margin = r.gross_margin_pct !== null ? `, a ${r.gross_margin_pct.toFixed(1)}% margin` : '';
    out.push(
      `Gross profit was ${fmtUsd(r.gross_profit_usd_per_ehs_day)} per EH/s per day (${fmtPct(r.gross_profit_mom_pct)} MoM${margin}): ` +
        `${fmtUsd(r.hashprice_note_usd_per_ehs_day)} of hashprice${r.hashprice_basis === 'realized' ? '' : ` (${r.hashprice_basis})`} less ${fmtUsd(r.power_cost_usd_per_ehs_day)} of power at ` +
        `${fmtPlain(r.fleet_efficiency_jth)} J/TH and ${fmtUsd(r.power_price_usd_mwh, 2)}/MWh.`,
    );
  }
  if (r.block_reward_opportunity_usd !== null && r.height_month_end_est !== null) {
    const avg =
      r.valuation_to_avg_since_2022_ratio !== null && r.valuation_to_opportunity_avg_since_2022_pct !== null
        ? `, ${r.valuation_to_avg_since_2022_ratio.toFixed(1)} times the post-2022 average of ${r.valuation_to_opportunity_avg_since_2022_pct.toFixed(1)}%`
        : '';
    const share =
      r.valuation_to_opportunity_pct !== null
        ? `; the miners' combined market cap is ${r.valuation_to_opportunity_pct.toFixed(1)}% of it${avg}`
        : '';
    out.push(
      `From an estimated month-end height of ${fmtNum(r.height_month_end_est)}, the next 210,000 blocks will pay ` +
        `${fmtNum(r.subsidy_next_210000_blocks_btc)} BTC of subsidy, a four-year block-reward opportunity of ` +
        `${fmtUsdShort(r.block_reward_opportunity_usd)} at ${fmtUsd(r.btc_close_usd)}${share}.`,
    );
  }
  const parts = (kind: 'ytd' | 'yoy') => {
    const items: Array<[string, number | null, boolean]> = [
      ['hashrate', kind === 'ytd' ? r.hashrate_ytd_pct : r.hashrate_yoy_pct, r.hashrate_avg_ehs !== null],
      ['hashprice', kind === 'ytd' ? r.hashprice_ytd_pct : r.hashprice_yoy_pct, r.hashprice_usd_per_ehs_day !== null],
      [
        'combined market cap',
        kind === 'ytd' ? r.combined_market_cap_ytd_pct : r.combined_market_cap_yoy_pct,
        r.combined_market_cap_usd !== null,
      ],
    ];
    return items.filter(([, , has]) => has);
  };
  for (const [kind, label, base] of [
    ['ytd', 'Year to date', ytdBaseMonth(r.month)],
    ['yoy', 'Year over year', yoyBaseMonth(r.month)],
  ] as const) {
    const items = parts(kind);
    if (items.length === 0) continue;
    if (items.every(([, v]) => v === null)) out.push(`${label}: no figures for ${monthName(base)} to compare with.`);
    else out.push(`${label} (vs ${monthName(base)}): ${items.map(([name, v]) => `${name} ${fmtPct(v)}`).join(', ')}.`);
  }
  return out;
}

export function retargetSentence(month: string, retargets: readonly Retarget[]): string {
  if (retargets.length === 0) return `No difficulty retarget in ${monthName(month)}.`;
  const list = retargets.map((t) => `${t.date} at height ${fmtNum(t.height)} (${fmtPct(t.change_pct, 2)})`);
  return `Difficulty retargets in ${monthName(month)}: ${list.join(', ')}.`;
}

export function retargetsBlock(retargets: readonly Retarget[]): NoteBlock {
  return {
    kind: 'table',
    title: 'Difficulty retargets',
    head: ['date', 'height', 'difficulty', 'change'],
    align: ['left', 'right', 'right', 'right'],
    rows: retargets.map((t) => [t.date, fmtNum(t.height), fmtDifficulty(t.difficulty), fmtPct(t.change_pct, 2)]),
  };
}

export function economicsBlock(r: ReportMonth): NoteBlock {
  const perDay = (x: number | null) => (x === null ? 'n/a' : `${fmtUsd(x)} per EH/s per day`);
  return {
    kind: 'pairs',
    title: 'Miner economics',
    rows: [
      [
        'Hashprice',
        r.hashprice_basis === 'realized'
          ? perDay(r.hashprice_note_usd_per_ehs_day)
          : `${perDay(r.hashprice_note_usd_per_ehs_day)}  (${r.hashprice_basis} basis)`,
      ],
      [
        'Power cost',
        `${perDay(r.power_cost_usd_per_ehs_day)}  (${fmtPlain(r.fleet_efficiency_jth)} J/TH × 24 h × ${fmtUsd(r.power_price_usd_mwh, 2)}/MWh)`,
      ],
      [
        'Gross profit',
        `${perDay(r.gross_profit_usd_per_ehs_day)}  (${fmtPct(r.gross_profit_mom_pct)} MoM, margin ${fmtPct(r.gross_margin_pct).replace(/^\+/, '')})`,
      ],
      [
        'Month-end height (est.)',
        r.height_month_end_est === null
          ? 'n/a (no retarget stored)'
          : `${fmtNum(r.height_month_end_est)}  (end of ${r.height_est_date}; ${fmtNum(r.blocks_per_day_est, 1)} blocks/day since retarget ${fmtNum(r.height_est_retarget)})`,
      ],
      ['Subsidy per block', r.subsidy_btc_per_block === null ? 'n/a' : `${fmtPlain(r.subsidy_btc_per_block)} BTC`],
      [
        'Subsidy, next 210,000 blocks',
        r.subsidy_next_210000_blocks_btc === null
          ? 'n/a'
          : `${fmtPlain(r.subsidy_next_210000_blocks_btc)} BTC  (${subsidySplit(r)})`,
      ],
      [
        'Block-reward opportunity',
        r.block_reward_opportunity_usd === null
          ? 'n/a'
          : `${fmtUsdShort(r.block_reward_opportunity_usd)}  (at BTC ${fmtUsd(r.btc_close_usd)} on ${r.btc_close_date})`,
      ],
      [
        'Combined market cap / opportunity',
        r.valuation_to_opportunity_pct === null ? 'n/a' : `${r.valuation_to_opportunity_pct.toFixed(1)}%`,
      ],
    ],
  };
}

export function changesBlock(r: ReportMonth): NoteBlock {
  return {
    kind: 'table',
    title: `Changes (YTD vs ${ytdBaseMonth(r.month)}, YoY vs ${yoyBaseMonth(r.month)})`,
    head: ['figure', 'value', 'MoM', 'YTD', 'YoY'],
    align: ['left', 'right', 'right', 'right', 'right'],
    rows: [
      [
        'Hashrate, monthly average',
        fmtEhs(r.hashrate_avg_ehs),
        fmtPct(r.hashrate_mom_pct),
        fmtPct(r.hashrate_ytd_pct),
        fmtPct(r.hashrate_yoy_pct),
      ],
      ['Hashrate, year-to-date average', fmtEhs(r.hashrate_ytd_avg_ehs), '', '', ''],
      [
        'Hashprice, per EH/s per day',
        fmtUsd(r.hashprice_usd_per_ehs_day),
        fmtPct(r.hashprice_mom_pct),
        fmtPct(r.hashprice_ytd_pct),
        fmtPct(r.hashprice_yoy_pct),
      ],
      [
        'Combined market cap',
        fmtUsdShort(r.combined_market_cap_usd),
        fmtPct(r.combined_market_cap_mom_pct),
        fmtPct(r.combined_market_cap_ytd_pct),
        fmtPct(r.combined_market_cap_yoy_pct),
      ],
    ],
  };
}

/** The equities table as src/report/equities.ts prints it (same columns and order), as cells for md and HTML. */
export function tickersBlock(rows: readonly TickerMonth[]): NoteBlock {
  return {
    kind: 'table',
    title: 'Miner equities',
    head: [...TICKER_HEAD],
    align: ['left', 'right', 'right', 'right', 'right', 'left', 'left', 'left'],
    rows: tickerCells(rows),
    preformatted: tickerTable(rows),
  };
}

/** Per ticker: the month's return against bitcoin over the same dates, the year to date, the share of the cap. */
export function returnsBlock(rows: readonly ReportTicker[]): NoteBlock {
  return {
    kind: 'table',
    title: 'Returns against bitcoin',
    head: ['ticker', 'return', 'BTC, same dates', 'difference', 'YTD', 'share of cap'],
    align: ['left', 'right', 'right', 'right', 'right', 'right'],
    rows: rows.map((t) => [
      t.ticker,
      fmtPct(t.return_pct),
      fmtPct(t.btc_return_pct),
      fmtPp(t.return_minus_btc_pct),
      fmtPct(t.return_ytd_pct),
      t.share_of_combined_cap_pct === null ? '' : `${t.share_of_combined_cap_pct.toFixed(1)}%`,
    ]),
  };
}

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
