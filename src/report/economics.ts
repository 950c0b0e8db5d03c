// Miner economics in the note: gross profit per EH/s and the four-year block-reward opportunity, as sentences and
// as the "Miner economics" block. (Gross profit itself is computed in SQL: src/figures/report-monthly.ts.)

import type { ReportMonth } from '../metrics/note-data.js';
import { HALVING_INTERVAL_BLOCKS, subsidySchedule } from '../mining.js';
import type { NoteBlock } from './blocks.js';
import { changeSentences } from './changes.js';
import { fmtNum, fmtPct, fmtPlain, fmtUsd, fmtUsdShort } from './format.js';

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
  out.push(...changeSentences(r));
  return out;
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
