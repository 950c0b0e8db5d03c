// The note of one month as a format-neutral document — sentences and titled blocks of cells — that the table,
// Markdown and HTML renderers lay out. Numbers are formatted here once, so every format prints the same text.
import type { ReportData } from '../metrics/note-data.js';
import { monthName } from '../time.js';
import { assumptionLines } from './assumptions.js';
import type { NoteBlock } from './blocks.js';
import { changesBlock } from './changes.js';
import { economicsBlock, economicsSentences } from './economics.js';
import { equitySentences } from './equities.js';
import { networkSentences, networkTable } from './network.js';
import { operationsBlock, operationsSentences } from './operations.js';
import { retargetSentence, retargetsBlock } from './retargets.js';
import { returnsBlock, tickersBlock } from './tickers.js';

export type { Align, NoteBlock } from './blocks.js';

export interface Note {
  readonly month: string;
  readonly title: string;
  /** The note's sentences, in the order a reader expects: network, economics, equities. */
  readonly sentences: readonly string[];
  readonly blocks: readonly NoteBlock[];
}

export function buildNote(d: ReportData, opts: { readonly economicsFile: string }): Note {
  const { month, network: n, sector, report: r } = d;
  const sentences: string[] = [];
  const blocks: NoteBlock[] = [];
  if (n) {
    sentences.push(...networkSentences(n, r));
    if (d.retargets.length > 0 || n.difficulty_end !== null) sentences.push(retargetSentence(month, d.retargets));
    if (n.days_with_data < n.days_in_month)
      sentences.push(`Note: ${n.days_in_month - n.days_with_data} day(s) of ${month} have no hashrate data.`);
  } else {
    sentences.push(`No network data for ${month}.`);
  }
  sentences.push(...economicsSentences(r));
  if (sector) sentences.push(...equitySentences(sector));
  else sentences.push(`No equity data for ${month} (run: hashpulse run equities).`);
  if (d.operations) sentences.push(...operationsSentences(d.operations, d.operationsTickers ?? []));

  if (n) blocks.push({ kind: 'pairs', title: 'Network', rows: networkTable(n) });
  if (d.retargets.length > 0) blocks.push(retargetsBlock(d.retargets));
  blocks.push(economicsBlock(r), changesBlock(r));
  if (d.tickers.length > 0) blocks.push(tickersBlock(d.tickers));
  if (d.reportTickers.some((t) => t.return_pct !== null)) blocks.push(returnsBlock(d.reportTickers));
  if (d.operationsTickers && d.operationsTickers.length > 0) blocks.push(operationsBlock(d.operationsTickers));
  blocks.push({ kind: 'lines', title: 'Assumptions', lines: assumptionLines(r, opts.economicsFile) });
  return { month, title: `Bitcoin mining — ${monthName(month)}`, sentences, blocks };
}
