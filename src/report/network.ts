// The network half of the monthly report: the note's sentences and a figure table, or the JSON contract.
import type { NetworkMonth } from '../metrics/network.js';
import { NETWORK_FIGURE_SOURCES } from '../metrics/network.js';
import type { ReportMonth } from '../metrics/note-data.js';
import { fmtDifficulty, fmtEhs, fmtNum, fmtPct, fmtUsd, fmtUsdShort, moved } from './format.js';

/** How the note names each hashprice basis. */
export const BASIS_LABEL = {
  expected: 'expected at 144 blocks a day',
  realized: 'realized',
  difficulty: 'from difficulty',
} as const;

type Basis = Pick<ReportMonth, 'hashprice_basis' | 'hashprice_note_usd_per_ehs_day' | 'hashprice_note_mom_pct'>;

export function networkSentences(n: NetworkMonth, b?: Basis): string[] {
  const out: string[] = [];
  if (n.hashrate_avg_ehs !== null) {
    const low =
      n.hashrate_min_ehs !== null
        ? ` (low ${fmtEhs(n.hashrate_min_ehs)} on ${n.hashrate_min_date}, high ${fmtEhs(n.hashrate_max_ehs)})`
        : '';
    out.push(`Average network hashrate ${moved(n.hashrate_mom_pct)} MoM to ${fmtEhs(n.hashrate_avg_ehs)}${low}.`);
  }
  if (n.difficulty_end !== null) {
    const ath =
      n.difficulty_below_ath_pct !== null && Math.abs(n.difficulty_below_ath_pct) < 0.05
        ? `, at its all-time high`
        : ` and sits ${Math.abs(n.difficulty_below_ath_pct ?? 0).toFixed(1)}% below the all-time high of ${fmtDifficulty(n.difficulty_ath)} (${n.difficulty_ath_date})`;
    out.push(`Difficulty ${moved(n.difficulty_mom_pct)} to ${fmtDifficulty(n.difficulty_end)} at month end${ath}.`);
  }
  if (n.btc_close_usd !== null) {
    out.push(
      `Bitcoin closed at ${fmtUsd(n.btc_close_usd)} on ${n.btc_close_date}, ${fmtPct(n.btc_return_pct)} over the month.`,
    );
  }
  if (b && b.hashprice_basis !== 'realized') {
    if (b.hashprice_note_usd_per_ehs_day !== null) {
      const at = b.hashprice_basis === 'expected' ? 'at 144 blocks a day' : 'at the difficulty in force';
      const blocks = n.blocks_per_day_avg !== null ? ` on ${fmtNum(n.blocks_per_day_avg, 1)} blocks a day` : '';
      const realized =
        n.hashprice_usd_per_ehs_day !== null ? `; ${fmtUsd(n.hashprice_usd_per_ehs_day)} realized${blocks}` : '';
      out.push(
        `Miners earned ${fmtUsd(b.hashprice_note_usd_per_ehs_day)} per EH/s per day ${at} (hashprice ${BASIS_LABEL[b.hashprice_basis]}, ${moved(b.hashprice_note_mom_pct)} MoM${realized}).`,
      );
    }
  } else if (n.hashprice_usd_per_ehs_day !== null) {
    out.push(
      `Miners earned ${fmtUsd(n.hashprice_usd_per_ehs_day)} per EH/s per day (hashprice ${moved(n.hashprice_mom_pct)} MoM), on ${fmtUsdShort(n.revenue_usd_per_day_avg)} of revenue a day.`,
    );
  }
  return out;
}

export function networkTable(n: NetworkMonth): Array<[string, string]> {
  return [
    ['Hashrate, monthly average', `${fmtEhs(n.hashrate_avg_ehs)}  (${fmtPct(n.hashrate_mom_pct)} MoM)`],
    [
      'Hashrate, low / high',
      `${fmtEhs(n.hashrate_min_ehs)} on ${n.hashrate_min_date ?? 'n/a'} / ${fmtEhs(n.hashrate_max_ehs)}`,
    ],
    ['Difficulty, month end', `${fmtDifficulty(n.difficulty_end)}  (${fmtPct(n.difficulty_mom_pct)} MoM)`],
    ['Difficulty, monthly average', fmtDifficulty(n.difficulty_avg)],
    [
      'Difficulty, all-time high',
      `${fmtDifficulty(n.difficulty_ath)} on ${n.difficulty_ath_date ?? 'n/a'}  (${fmtPct(n.difficulty_below_ath_pct)} vs ATH)`,
    ],
    ['BTC close', `${fmtUsd(n.btc_close_usd)} on ${n.btc_close_date ?? 'n/a'}  (${fmtPct(n.btc_return_pct)} MoM)`],
    ['Miners revenue, daily average', `${fmtUsd(n.revenue_usd_per_day_avg)}  (${n.revenue_days} days)`],
    ['Hashprice', `${fmtUsd(n.hashprice_usd_per_ehs_day)} per EH/s per day  (${fmtPct(n.hashprice_mom_pct)} MoM)`],
    [
      'Hashprice, expected at 144 blocks a day',
      `${fmtUsd(n.hashprice_expected_usd_per_ehs_day)} per EH/s per day  (${fmtPct(n.hashprice_expected_mom_pct)} MoM)`,
    ],
    [
      'Hashprice, from difficulty',
      `${fmtUsd(n.hashprice_difficulty_usd_per_ehs_day)} per EH/s per day  (${fmtPct(n.hashprice_difficulty_mom_pct)} MoM)`,
    ],
    ['Blocks a day (derived)', fmtNum(n.blocks_per_day_avg, 1)],
    ['Days with hashrate data', `${fmtNum(n.days_with_data)} of ${n.days_in_month}`],
  ];
}

export function networkJson(n: NetworkMonth): {
  network: Omit<NetworkMonth, 'month'>;
  sources: typeof NETWORK_FIGURE_SOURCES;
} {
  const { month: _month, ...network } = n;
  return { network, sources: NETWORK_FIGURE_SOURCES };
}
