// Shares outstanding: the SEC XBRL API per miner, the newest filing's cover page when the API lags, and the
// user's overrides file.
import type { Context } from '../context.js';
import { describeError } from '../errors.js';
import { readOverrides } from '../sources/overrides.js';
import { fetchCoverShares, fetchSharesConcept, fetchSubmissions, newestPeriodicFiling } from '../sources/sec.js';
import {
  coverNote,
  refreshEquityMonthly,
  replaceShares,
  type SharesRowIn,
  syncUniverse,
  upsertCoverShares,
} from '../store/equities.js';
import { daysBetween, toIsoDate } from '../time.js';
import { loadUniverse, type Ticker } from '../universe.js';
import { alreadyCommitted, type ChunkHooks, writeChunk } from './chunks.js';
import { failedItem, type ItemResult } from './result.js';

/** A periodic filing this recent is read from its cover page too, to cross-check the XBRL API. */
export const CROSS_CHECK_DAYS = 10;

export interface SharesIngestOptions {
  readonly only?: readonly string[];
  readonly chunks?: ChunkHooks;
  /** 'new-filings' (the daily run): one request per filer, the XBRL API only when a periodic filing is new.
   *  'all' (a backfill): the whole XBRL history of every filer. */
  readonly refresh?: 'all' | 'new-filings';
}

export async function ingestShares(ctx: Context, opts: SharesIngestOptions = {}): Promise<ItemResult[]> {
  const universe = loadUniverse(ctx.config.universePath);
  syncUniverse(ctx.sqlite, universe.tickers);
  const chosen = opts.only?.length ? opts.only.map((t) => universe.resolve(t)) : universe.tickers;
  const results: ItemResult[] = [];

  // Overrides first: a bad line fails this item and applies nothing from the file.
  try {
    const rows = readOverrides(ctx.config.sharesOverridesPath, new Set(universe.tickers.map((t) => t.ticker)));
    const n = ctx.sqlite
      .transaction(() =>
        universe.tickers.reduce(
          (sum, t) =>
            sum +
            replaceShares(
              ctx.sqlite,
              t.ticker,
              'override',
              rows.filter((r) => r.ticker === t.ticker),
            ),
          0,
        ),
      )
      .immediate();
    results.push({ item: 'shares.overrides', status: 'ok', rows: n, detail: ctx.config.sharesOverridesPath });
  } catch (err) {
    results.push(failedItem('shares.overrides', err));
  }
  opts.chunks?.onItem?.(results[0]!);

  for (const t of chosen) {
    if (t.role !== 'miner' || !t.cik) continue;
    const item = `shares.${t.ticker}`;
    const r = opts.chunks?.done(item)
      ? alreadyCommitted(item)
      : await ingestTickerShares(ctx, t, opts.chunks, opts.refresh ?? 'new-filings');
    opts.chunks?.onItem?.(r);
    results.push(r);
  }
  if (results.some((r) => r.status === 'ok')) refreshEquityMonthly(ctx.sqlite);
  return results;
}

async function ingestTickerShares(
  ctx: Context,
  t: Ticker & { cik?: number },
  chunks: ChunkHooks | undefined,
  refresh: 'all' | 'new-filings',
): Promise<ItemResult> {
  const item = `shares.${t.ticker}`;
  const cik = t.cik as number;
  const ua = ctx.config.secUserAgent || undefined;
  try {
    // The filing list first: when its newest periodic filing is one we hold a count from, nothing is new.
    const refs = await fetchSubmissions(ctx.http, ctx.config.secUrl, cik, ua);
    const newest = newestPeriodicFiling(refs);
    if (
      refresh === 'new-filings' &&
      newest &&
      ctx.sqlite
        .prepare('select 1 from shares_outstanding where ticker = ? and accession = ?')
        .get(t.ticker, newest.accessionNumber)
    ) {
      return {
        item,
        status: 'ok',
        rows: 0,
        detail: `no new periodic filing since ${newest.form} ${newest.accessionNumber} (${newest.filingDate})`,
      };
    }
    // Fetch everything, then write it in one transaction: a failed request writes nothing.
    const rows = await fetchSharesConcept(ctx.http, ctx.config.secUrl, cik, ua);
    let detail = `${rows.length} counts from the XBRL API`;
    let cover: SharesRowIn | undefined;
    /** The newest periodic filing's cover-page count, as a row (crossCheck: the API has that filing already). */
    const readCover = async (filing: NonNullable<typeof newest>, crossCheck: boolean) => {
      const c = await fetchCoverShares(
        ctx.http,
        ctx.config.secArchivesUrl,
        cik,
        filing.accessionNumber,
        filing.primaryDocument,
        ua,
      );
      const row: SharesRowIn = {
        as_of: c.as_of,
        shares: c.shares,
        accession: filing.accessionNumber,
        form: filing.form,
        filed: filing.filingDate,
        note: coverNote(c.classes, crossCheck),
      };
      return { c, row };
    };
    if (newest && !rows.some((r) => r.accession === newest.accessionNumber)) {
      // The XBRL API can lag a fresh filing, and 20-F/40-F filers often have no dei count there at all:
      // read the newest periodic filing's cover page when the API has nothing from that filing.
      const { c, row } = await readCover(newest, false);
      cover = row;
      detail += `; cover page of ${newest.form} ${newest.accessionNumber}: ${c.shares} as of ${c.as_of}`;
    } else if (newest && daysBetween(newest.filingDate, toIsoDate(ctx.clock.now())) <= CROSS_CHECK_DAYS) {
      // A fresh filing the API already has: read its cover page once to cross-check the API's count. The API's
      // count is what counts, so a cross-check that cannot be made is a warning, not a failure.
      try {
        const { c, row } = await readCover(newest, true);
        cover = row;
        const api = rows.find((r) => r.accession === newest.accessionNumber);
        if (api && (api.as_of !== c.as_of || Math.abs(api.shares / c.shares - 1) > 0.01)) {
          ctx.log.warn(
            { ticker: t.ticker, api, cover: c },
            `${t.ticker}: the XBRL API says ${api.shares} shares as of ${api.as_of}, the cover page of ${newest.accessionNumber} says ${c.shares} as of ${c.as_of}`,
          );
          detail += `; cover page DISAGREES with the API (${c.shares} as of ${c.as_of})`;
        } else {
          detail += `; cover page of ${newest.form} ${newest.accessionNumber} agrees with the API`;
        }
      } catch (err) {
        ctx.log.warn({ ticker: t.ticker, err }, `${t.ticker}: cover-page cross-check not made: ${describeError(err)}`);
        detail += `; cover-page cross-check not made: ${describeError(err)}`;
      }
    } else if (newest) {
      detail += `; newest filing ${newest.form} ${newest.accessionNumber} already in the API`;
    }
    const written = writeChunk(
      ctx,
      chunks,
      item,
      () =>
        replaceShares(ctx.sqlite, t.ticker, 'sec', rows) + (cover ? upsertCoverShares(ctx.sqlite, t.ticker, cover) : 0),
    );
    return { item, status: 'ok', rows: written, detail };
  } catch (err) {
    ctx.log.error({ ticker: t.ticker, err }, `${t.ticker}: shares failed: ${describeError(err)}`);
    return failedItem(item, err);
  }
}
