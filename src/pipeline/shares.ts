// Shares outstanding: the SEC XBRL API per miner, the newest filing's cover page when the API lags, and the
// user's overrides file.
import type { Context } from '../context.js';
import { describeError } from '../errors.js';
import { readOverrides } from '../sources/overrides.js';
import {
  fetchCoverShares,
  fetchDailyIndex,
  fetchSharesConcept,
  fetchSubmissions,
  newestPeriodicFiling,
  PERIODIC_FORMS,
} from '../sources/sec.js';
import { localTime } from '../sources/yahoo.js';
import {
  coverNote,
  refreshEquityMonthly,
  replaceShares,
  type SharesRowIn,
  syncUniverse,
  upsertCoverShares,
} from '../store/equities.js';
import { addDays, daysBetween, type IsoDate, toIsoDate } from '../time.js';
import { loadUniverse, type Ticker } from '../universe.js';
import { alreadyCommitted, type ChunkHooks, writeChunk } from './chunks.js';
import { failedItem, type ItemResult } from './result.js';

/** A periodic filing this recent is read from its cover page too, to cross-check the XBRL API. */
export const CROSS_CHECK_DAYS = 10;

/**
 * The daily run reads EDGAR's daily indexes of the days since the last successful run instead of every filer's
 * submissions — up to this many days; after a longer gap one submissions request per filer is cheaper and surer.
 */
export const INDEX_MAX_DAYS = 7;

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

  // A daily run asks EDGAR's daily indexes which filers filed a periodic report; only those are asked further.
  const filers = chosen.filter((t) => t.role === 'miner' && t.cik);
  const plan = opts.refresh !== 'all' && !opts.chunks && filers.length > 0 ? await indexPlan(ctx) : null;
  for (const t of chosen) {
    if (t.role !== 'miner' || !t.cik) continue;
    const item = `shares.${t.ticker}`;
    const r = opts.chunks?.done(item)
      ? alreadyCommitted(item)
      : plan && !plan.filed.has(t.cik)
        ? { item, status: 'ok' as const, rows: 0, detail: `no periodic report in EDGAR's daily index of ${plan.days}` }
        : await ingestTickerShares(ctx, t, opts.chunks, opts.refresh ?? 'new-filings');
    opts.chunks?.onItem?.(r);
    results.push(r);
  }
  if (results.some((r) => r.status === 'ok')) refreshEquityMonthly(ctx.sqlite);
  return results;
}

/** The calendar date in New York (EDGAR's filing dates are Eastern business days). */
function easternDate(at: Date): IsoDate {
  return localTime(Math.floor(at.getTime() / 1000), 'America/New_York').date;
}

/**
 * Which filers (CIKs) filed a periodic report since the last successful shares run, from EDGAR's daily indexes —
 * or null for the full path (one submissions request per filer), logged with the reason: no successful run yet
 * (or only partial ones, `--only`), a run earlier on the same Eastern day (no index is out since), a gap over
 * INDEX_MAX_DAYS days (weekends are not asked: EDGAR has no index for them), a weekday without an index (a federal holiday, or the index not out yet: the submissions
 * are surer), or an index that could not be read.
 *
 * A run at time X has seen every filing dated before X's Eastern date: the full path sees everything, and the index
 * path reads the indexes of the last run's Eastern date through the day before X's (each published overnight, whole).
 */
async function indexPlan(ctx: Context): Promise<{ filed: Set<number>; days: string } | null> {
  const full = (why: string) => {
    ctx.log.info({ job: 'shares' }, `shares: every filer's submissions: ${why}`);
    return null;
  };
  const runs = ctx.sqlite
    .prepare("select started_at, params from job_runs where job = 'shares' and status = 'ok' order by id desc limit 20")
    .all() as Array<{ started_at: string; params: string | null }>;
  const last = runs.find((r) => {
    const p = r.params ? (JSON.parse(r.params) as { only?: unknown[] }) : {};
    return !p.only || p.only.length === 0;
  });
  if (!last) return full('no successful run of every filer yet');
  const from = easternDate(new Date(last.started_at));
  const through = addDays(easternDate(ctx.clock.now()), -1);
  if (from > through) return full(`the last successful run (${last.started_at}) was earlier today, Eastern time`);
  const span = daysBetween(from, through) + 1;
  if (span > INDEX_MAX_DAYS)
    return full(`the last successful run (${last.started_at}) is ${span} days back, over ${INDEX_MAX_DAYS}`);
  const filed = new Set<number>();
  const ua = ctx.config.secUserAgent || undefined;
  for (let d = from; d <= through; d = addDays(d, 1)) {
    const weekday = new Date(`${d}T00:00:00Z`).getUTCDay();
    // EDGAR accepts no filings on a weekend (one sent then is dated the next business day): there is no index.
    if (weekday === 0 || weekday === 6) continue;
    let rows: Awaited<ReturnType<typeof fetchDailyIndex>>;
    try {
      rows = await fetchDailyIndex(ctx.http, ctx.config.secArchivesUrl, d, ua);
    } catch (err) {
      return full(`EDGAR's daily index of ${d} could not be read (${describeError(err)})`);
    }
    if (rows === null) return full(`EDGAR has no daily index of ${d}, a weekday`);
    for (const r of rows) if (PERIODIC_FORMS.has(r.form)) filed.add(r.cik);
  }
  return { filed, days: from === through ? from : `${from}..${through}` };
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
