// The miner-operations half of the note: sentences in the note's style, a per-miner table, and the JSON section.
// Every figure comes from the views operations_monthly / operations_tickers_monthly; a missing one prints "n/a"
// and is null in JSON, never 0.
import type { OperationsMonth, OperationsTickerMonth } from '../metrics/operations.js';
import type { NoteBlock } from './blocks.js';
import { fmtNum, fmtUsd, fmtUsdShort } from './format.js';

const share = (x: number | null, digits = 1) => (x === null ? 'n/a' : `${x.toFixed(digits)}%`);
/** 312 EH/s, 14.6 EH/s, 4.14 EH/s: small fleets keep their digits. */
const ehs = (x: number | null) => (x === null ? 'n/a' : `${fmtNum(x, x < 10 ? 2 : x < 100 ? 1 : 0)} EH/s`);
const btc = (x: number | null) => (x === null ? 'n/a' : `${fmtNum(x, x < 100 ? 1 : 0)} BTC`);

export function operationsSentences(m: OperationsMonth, tickers: readonly OperationsTickerMonth[]): string[] {
  const out: string[] = [];
  const who =
    m.reporting_count === m.universe_count
      ? `The ${m.universe_count} miners`
      : `The ${m.reporting_count} of ${m.universe_count} miners that reported a hashrate`;
  if (m.combined_hashrate_ehs !== null) {
    const mined =
      m.btc_produced !== null
        ? `, and ${m.producing_count === m.reporting_count ? 'mined' : `${m.producing_count} of them mined`} ${btc(m.btc_produced)}${m.share_of_btc_issued_pct !== null ? `, ${share(m.share_of_btc_issued_pct)} of the bitcoin issued` : ''}`
        : '';
    out.push(`${who} ran ${ehs(m.combined_hashrate_ehs)}, ${share(m.share_of_network_pct)} of the network${mined}.`);
  } else if (m.btc_produced !== null) {
    out.push(
      `${m.producing_count} of ${m.universe_count} miners reported ${btc(m.btc_produced)} mined but no hashrate${m.share_of_btc_issued_pct !== null ? ` (${share(m.share_of_btc_issued_pct)} of the bitcoin issued)` : ''}.`,
    );
  }
  if (m.realized_hashprice_usd_per_ehs_day !== null && m.hashprice_usd_per_ehs_day) {
    const ratio = (m.realized_hashprice_usd_per_ehs_day / m.hashprice_usd_per_ehs_day) * 100;
    out.push(
      `They earned ${fmtUsd(m.realized_hashprice_usd_per_ehs_day)} per EH/s per day, ${share(ratio, 0)} of the network's ${fmtUsd(m.hashprice_usd_per_ehs_day)} (${fmtUsd(m.hashprice_usd_per_phs_day, 2)} per PH/s${m.hashprice_btc_per_phs_day !== null ? `, ${m.hashprice_btc_per_phs_day.toFixed(6)} BTC` : ''}).`,
    );
  }
  const installed = tickers.filter((t) => t.hashrate_basis === 'installed').map((t) => t.ticker);
  if (installed.length > 0)
    out.push(`Installed rather than operating hashrate for: ${installed.join(', ')} (what the company reported).`);
  const unparsed = tickers
    .filter((t) => t.filing_status === 'unparsed' && t.source !== 'override')
    .map((t) => t.ticker);
  if (unparsed.length > 0)
    out.push(`Not read with confidence, left out where missing: ${unparsed.join(', ')} (see hashpulse check).`);
  return out;
}

export const OPERATIONS_HEAD = [
  'ticker',
  'BTC mined',
  'hashrate',
  'basis',
  'of network',
  'BTC/EH/day',
  'realized $/EH/day',
  'vs network',
  'cap per EH/s',
  'source',
] as const;

export function operationsBlock(tickers: readonly OperationsTickerMonth[]): NoteBlock {
  return {
    kind: 'table',
    title: 'Miner operations',
    head: [...OPERATIONS_HEAD],
    align: ['left', 'right', 'right', 'left', 'right', 'right', 'right', 'right', 'right', 'left'],
    rows: tickers.map((t) => [
      t.ticker,
      btc(t.btc_produced),
      ehs(t.hashrate_ehs),
      t.hashrate_basis ?? '',
      share(t.share_of_network_pct, 2),
      t.btc_per_ehs_day === null ? 'n/a' : t.btc_per_ehs_day.toFixed(3),
      fmtUsd(t.realized_hashprice_usd_per_ehs_day),
      share(t.realized_vs_network_pct, 0),
      fmtUsdShort(t.market_cap_per_ehs_usd),
      t.source === 'override'
        ? 'override'
        : `${t.source} ${t.accession ?? ''}${t.filing_status === 'unparsed' ? ' (unparsed)' : ''}`,
    ]),
  };
}

/** The JSON contract's `operations` key: null for a month without any operations figure. */
export function operationsJson(m: OperationsMonth | null, tickers: readonly OperationsTickerMonth[]) {
  if (!m) return null;
  return {
    combined_hashrate_ehs: m.combined_hashrate_ehs,
    share_of_network_pct: m.share_of_network_pct,
    reporting_count: m.reporting_count,
    universe_count: m.universe_count,
    btc_produced: m.btc_produced,
    share_of_btc_issued_pct: m.share_of_btc_issued_pct,
    btc_issued: m.btc_issued,
    network_hashrate_avg_ehs: m.network_hashrate_avg_ehs,
    realized_hashprice_usd_per_ehs_day: m.realized_hashprice_usd_per_ehs_day,
    hashprice_usd_per_phs_day: m.hashprice_usd_per_phs_day,
    hashprice_btc_per_phs_day: m.hashprice_btc_per_phs_day,
    market_cap_per_ehs_usd: m.market_cap_per_ehs_usd,
    tickers: tickers.map((t) => ({
      ticker: t.ticker,
      btc_produced: t.btc_produced,
      hashrate_ehs: t.hashrate_ehs,
      hashrate_basis: t.hashrate_basis,
      btc_held: t.btc_held,
      share_of_network_pct: t.share_of_network_pct,
      btc_per_ehs_day: t.btc_per_ehs_day,
      realized_hashprice_usd_per_ehs_day: t.realized_hashprice_usd_per_ehs_day,
      realized_vs_network_pct: t.realized_vs_network_pct,
      market_cap_per_ehs_usd: t.market_cap_per_ehs_usd,
      source: t.source,
      accession: t.accession,
      document_url: t.document_url,
      filing_status: t.filing_status,
    })),
  };
}
