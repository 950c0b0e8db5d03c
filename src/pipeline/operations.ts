// Miner operations: each miner's production updates (8-K/6-K Exhibit 99.1) found through its SEC submissions
// list — only filings not examined before — parsed and stored with their provenance; then data/operations.csv.
import type { Context } from '../context.js';
import { describeError } from '../errors.js';
import { readOperationsCsv } from '../sources/operations-csv.js';
import type { FilingRef } from '../sources/sec.js';
import { fetchSubmissions } from '../sources/sec.js';
import { syncUniverse } from '../store/equities.js';
import {
  checkedAccessions,
  type FilingCheckedIn,
  type OperationsRowIn,
  replaceOperationsOverrides,
  storeOperationsFilings,
} from '../store/operations.js';
import { addDays, type IsoDate, toIsoDate } from '../time.js';
import { loadUniverse, type Ticker } from '../universe.js';
import { alreadyCommitted, type ChunkHooks, writeChunk } from './chunks.js';
import { failedItem, type ItemResult } from './result.js';

/** A daily run looks at filings of the last 62 days (two monthly updates) that it has not examined yet. */
export const DAILY_LOOKBACK_DAYS = 62;
/** A backfill without --from starts here (the monthly updates of today's universe begin in 2021–22). */
export const OPERATIONS_HISTORY_START = '2021-01-01';

export interface OperationsIngestOptions {
  readonly only?: readonly string[];
  /** First filing date to examine (default: DAILY_LOOKBACK_DAYS before today). */
  readonly from?: IsoDate;
  readonly to?: IsoDate;
  readonly chunks?: ChunkHooks;
  /** 'new-filings' (the daily run): only filings never examined. 'all' (a backfill): every filing in the range is
   *  read again (a parser fix then reaches old months). */
  readonly refresh?: 'all' | 'new-filings';
}

/**
 * An 8-K furnishing a press release under Item 7.01 (Regulation FD) or 8.01, or any 6-K. Earnings (2.02) and
 * other 8-Ks are skipped without a request; a feed without `items` leaves every 8-K in.
 */
export function isCandidate(ref: FilingRef): boolean {
  if (ref.form === '6-K') return true;
  if (ref.form !== '8-K') return false;
  return ref.items === undefined || ref.items === '' || /(?:^|,)\s*(?:7\.01|8\.01)\b/.test(ref.items);
}

export async function ingestOperations(ctx: Context, opts: OperationsIngestOptions = {}): Promise<ItemResult[]> {
  const universe = loadUniverse(ctx.config.universePath);
  syncUniverse(ctx.sqlite, universe.tickers);
  const chosen = opts.only?.length ? opts.only.map((t) => universe.resolve(t)) : universe.miners;
  const results: ItemResult[] = [];

  // The hand file first: a bad line fails this item and applies nothing from the file.
  try {
    const rows = readOperationsCsv(ctx.config.operationsPath, new Set(universe.miners.map((t) => t.ticker)));
    results.push({
      item: 'operations.overrides',
      status: 'ok',
      rows: replaceOperationsOverrides(ctx.sqlite, rows),
      detail: ctx.config.operationsPath,
    });
  } catch (err) {
    results.push(failedItem('operations.overrides', err));
  }
  opts.chunks?.onItem?.(results[0]!);

  const today = toIsoDate(ctx.clock.now());
  const since = opts.from ?? addDays(today, -DAILY_LOOKBACK_DAYS);
  const until = opts.to ?? today;
  for (const t of chosen) {
    if (t.role !== 'miner' || !t.cik) continue;
    const item = `operations.${t.ticker}`;
    const r = opts.chunks?.done(item)
      ? alreadyCommitted(item)
      : await ingestTickerOperations(ctx, t, since, until, opts.chunks, opts.refresh ?? 'new-filings');
    opts.chunks?.onItem?.(r);
    results.push(r);
  }
  return results;
}

async function ingestTickerOperations(
  ctx: Context,
  t: Ticker,
  since: IsoDate,
  until: IsoDate,
  chunks: ChunkHooks | undefined,
  refresh: 'all' | 'new-filings',
): Promise<ItemResult> {
  const item = `operations.${t.ticker}`;
  const cik = t.cik as number;
  const ua = ctx.config.secUserAgent || undefined;
  try {
    const refs = await fetchSubmissions(ctx.http, ctx.config.secUrl, cik, ua);
    const seen = refresh === 'all' ? new Set<string>() : checkedAccessions(ctx.sqlite, t.ticker);
    const todo = refs
      .filter((r) => isCandidate(r) && r.filingDate >= since && r.filingDate <= until && !seen.has(r.accessionNumber))
      .sort((a, b) =>
        a.filingDate < b.filingDate
          ? -1
          : a.filingDate > b.filingDate
            ? 1
            : a.accessionNumber < b.accessionNumber
              ? -1
              : 1,
      );
    if (todo.length === 0) return { item, status: 'ok', rows: 0, detail: `no new 8-K/6-K since ${since}` };

    // cheerio (~30 MB resident) loads only when a filing is actually read, not in every daemon.
    const press = await import('../sources/sec-press.js');
    const filings: FilingCheckedIn[] = [];
    const rows: OperationsRowIn[] = [];
    // Every request first, then one transaction: a failed request writes nothing, and the next run retries.
    for (const ref of todo) {
      const base = { ticker: t.ticker, accession: ref.accessionNumber, form: ref.form, filed: ref.filingDate };
      const index = await press.fetchFilingIndex(ctx.http, ctx.config.secArchivesUrl, cik, ref.accessionNumber, ua);
      const doc = press.pressReleaseDocument(index.docs);
      if (!doc) {
        filings.push({
          ...base,
          document_url: null,
          kind: 'no-exhibit',
          month: null,
          status: null,
          detail: `no EX-99.1 in ${index.url}`,
        });
        continue;
      }
      const { url, update } = await press.fetchProductionUpdate(ctx.http, ctx.config.secArchivesUrl, doc.path, ua);
      if (update.kind === 'other') {
        filings.push({ ...base, document_url: url, kind: 'other', month: null, status: null, detail: null });
        continue;
      }
      const detail = update.problems.length ? update.problems.join(' | ') : null;
      filings.push({
        ...base,
        document_url: url,
        kind: 'production-update',
        month: update.month,
        status: update.status,
        detail,
      });
      if (update.status === 'unparsed')
        ctx.log.warn(
          { ticker: t.ticker, accession: ref.accessionNumber, url, problems: update.problems },
          `${t.ticker}: production update ${ref.accessionNumber} unparsed: ${detail}`,
        );
      if (update.month === null) continue; // visible in the ledger (and in check), but there is no month to file it under
      rows.push({
        ticker: t.ticker,
        month: update.month,
        source: ref.form === '6-K' ? 'sec-6k' : 'sec-8k',
        btc_produced: update.btc_produced,
        hashrate_ehs: update.hashrate_ehs,
        hashrate_basis: update.hashrate_basis,
        btc_held: update.btc_held,
        accession: ref.accessionNumber,
        document_url: url,
        provenance: update.provenance,
        status: update.status,
        filed: ref.filingDate,
        note: detail,
      });
    }
    const written = writeChunk(ctx, chunks, item, () => storeOperationsFilings(ctx.sqlite, filings, rows));
    const unparsed = filings.filter((f) => f.status === 'unparsed').length;
    return {
      item,
      status: 'ok',
      rows: written,
      detail: `${todo.length} 8-K/6-K examined: ${filings.filter((f) => f.kind === 'production-update').length} production update(s)${unparsed ? `, ${unparsed} unparsed` : ''}`,
    };
  } catch (err) {
    ctx.log.error({ ticker: t.ticker, err }, `${t.ticker}: operations failed: ${describeError(err)}`);
    return failedItem(item, err);
  }
}
