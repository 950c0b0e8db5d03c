// The report of a month or a range, read in one transaction and rendered in one format: what `hashpulse report`
// prints and what the publish job writes (the same functions, so a published note is the report). Renderers are
// loaded only for the format asked for, so `report --format json` does not load the HTML code.
import type { Sqlite } from '../db/sqlite.js';
import {
  getDailySeries,
  getOperationsShare,
  getReportMonths,
  getRetargets,
  loadReportData,
  type ReportData,
  reportMonthlyColumns,
} from '../metrics/note-data.js';
import { readTransaction } from '../store/transaction.js';
import { addMonths, lastDayOfMonth, type Month, monthName } from '../time.js';
import type { Format } from './formats.js';
import type { ChartWindow } from './html.js';
import type { Note, NoteBlock } from './note.js';

/** How many months of daily data the HTML charts show before a single reported month. */
const CHART_MONTHS_BEFORE = 11;

export interface ReportRequest {
  readonly from: Month;
  readonly to: Month;
  /** A range (--from/--to) rather than one month: JSON is then an array, and the charts span the range. */
  readonly range: boolean;
  readonly format: Format;
}

export interface ReportRead {
  /** The months of the range that have figures (empty: nothing stored). */
  readonly data: readonly ReportData[];
  /** report_monthly's columns (CSV only). */
  readonly columns: readonly string[];
  /** The charts' data (HTML only). */
  readonly window: ChartWindow | null;
}

/** Everything the format needs, read in one transaction so every part sees the same database state. */
export function readReport(sqlite: Sqlite, req: ReportRequest): ReportRead {
  return readTransaction(sqlite, () => {
    const data = loadReportData(sqlite, req.from, req.to);
    const columns = req.format === 'csv' && data.length > 0 ? reportMonthlyColumns(sqlite) : [];
    const chartFrom = req.range ? req.from : addMonths(req.to, -CHART_MONTHS_BEFORE);
    const window =
      req.format === 'html' && data.length > 0
        ? {
            from: chartFrom,
            to: req.to,
            daily: getDailySeries(sqlite, `${chartFrom}-01`, lastDayOfMonth(req.to)),
            months: getReportMonths(sqlite, chartFrom, req.to),
            retargets: getRetargets(sqlite, `${chartFrom}-01`, lastDayOfMonth(req.to)),
            operations: getOperationsShare(sqlite, chartFrom, req.to),
          }
        : null;
    return { data, columns, window };
  });
}

/** What a caller adds to the note of the last month: sentences after the note's own, blocks after its blocks,
 *  top-level keys after the JSON contract's (the publish job's revision and gaps). */
export interface NoteAddition {
  readonly sentences: readonly string[];
  readonly blocks: readonly NoteBlock[];
  readonly json: Readonly<Record<string, unknown>>;
}

export async function renderReport(
  read: ReportRead,
  req: ReportRequest & { readonly economicsFile: string },
  addition?: NoteAddition,
): Promise<string> {
  const { data, columns, window } = read;
  const { format, from, to, range, economicsFile } = req;
  if (format === 'json') {
    const { renderJson } = await import('./json.js');
    return renderJson(data, { economicsFile, range, ...(addition ? { extra: addition.json } : {}) });
  }
  if (format === 'csv') {
    const { renderCsv } = await import('./csv.js');
    return renderCsv(
      columns,
      data.map((d) => d.report),
    );
  }
  const { buildNote } = await import('./note.js');
  const notes: Note[] = data.map((d) => buildNote(d, { economicsFile }));
  if (addition && notes.length > 0) {
    const last = notes[notes.length - 1]!;
    notes[notes.length - 1] = {
      ...last,
      sentences: [...last.sentences, ...addition.sentences],
      blocks: [...last.blocks, ...addition.blocks],
    };
  }
  if (format === 'md') return (await import('./markdown.js')).renderMarkdown(notes);
  if (format === 'table') return (await import('./text.js')).renderText(notes);
  const { loadChartLibrary, renderHtml } = await import('./html.js');
  const last = data[data.length - 1]!;
  const title = range ? `Bitcoin mining — ${monthName(from)} to ${monthName(to)}` : `Bitcoin mining — ${monthName(to)}`;
  return renderHtml(
    {
      title,
      notes: [...notes].reverse(), // newest month first on the page
      window: window!,
      tickersMonth: last.month,
      tickers: last.reportTickers,
      btcReturnTradingPct: last.report.btc_return_trading_pct,
      lastTradingDate: last.report.last_trading_date,
    },
    loadChartLibrary(),
  );
}
