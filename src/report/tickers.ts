// The per-ticker blocks of the note: the equities table and the returns against bitcoin.
import type { TickerMonth } from '../metrics/equities.js';
import type { ReportTicker } from '../metrics/note-data.js';
import type { NoteBlock } from './blocks.js';
import { TICKER_HEAD, tickerCells, tickerTable } from './equities.js';
import { fmtPct, fmtPp } from './format.js';

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
