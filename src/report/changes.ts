// Changes against earlier months: MoM, year to date (against the previous December) and year over year, as
// sentences and as the "Changes" table.
import type { ReportMonth } from '../metrics/note-data.js';
import { addMonths, monthName } from '../time.js';
import type { NoteBlock } from './blocks.js';
import { fmtEhs, fmtPct, fmtUsd, fmtUsdShort } from './format.js';

export const ytdBaseMonth = (month: string): string => `${Number(month.slice(0, 4)) - 1}-12`;
export const yoyBaseMonth = (month: string): string => addMonths(month, -12);

/** "Year to date (vs December 2025): hashrate +…, hashprice …, combined market cap …." and the same year over year. */
export function changeSentences(r: ReportMonth): string[] {
  const out: string[] = [];
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
