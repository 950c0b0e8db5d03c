// Shares outstanding: the SEC XBRL API per miner, the newest filing's cover page when the API lags, and the
// user's overrides file.
import type { Context } from '../context.js';
import { describeError } from '../errors.js';
import { readOverrides } from '../sources/overrides.js';
import { fetchCoverShares, fetchSharesConcept, fetchSubmissions, newestPeriodicFiling } from '../sources/sec.js';
import { refreshEquityMonthly, replaceShares, syncUniverse, upsertCoverShares } from '../store/equities.js';
import { loadUniverse, type Ticker } from '../universe.js';
import type { ItemResult } from './result.js';

export interface SharesIngestOptions {
  readonly only?: readonly string[];
}

export async function ingestShares(ctx: Context, opts: SharesIngestOptions = {}): Promise<ItemResult[]> {
  const universe = loadUniverse(ctx.config.universePath);
  syncUniverse(ctx.sqlite, universe.tickers);
  const chosen = opts.only?.length ? opts.only.map((t) => universe.resolve(t)) : universe.tickers;
  const results: ItemResult[] = [];

  // Overrides first: a bad line fails this item and applies nothing from the file.
  try {
    const rows = readOverrides(ctx.config.sharesOverridesPath, new Set(universe.tickers.map((t) => t.ticker)));
    let n = 0;
    for (const t of universe.tickers) n += replaceShares(ctx.sqlite, t.ticker, 'override', rows.filter((r) => r.ticker === t.ticker));
    results.push({ item: 'shares.overrides', status: 'ok', rows: n, detail: ctx.config.sharesOverridesPath });
  } catch (err) {
    results.push({ item: 'shares.overrides', status: 'failed', rows: 0, error: describeError(err) });
  }

  for (const t of chosen) {
    if (t.role !== 'miner' || !t.cik) continue;
    results.push(await ingestTickerShares(ctx, t));
  }
  if (results.some((r) => r.status === 'ok')) refreshEquityMonthly(ctx.sqlite);
  return results;
}

async function ingestTickerShares(ctx: Context, t: Ticker & { cik?: number }): Promise<ItemResult> {
  const item = `shares.${t.ticker}`;
  const cik = t.cik as number;
  const ua = ctx.config.secUserAgent || undefined;
  try {
    const rows = await fetchSharesConcept(ctx.http, ctx.config.secUrl, cik, ua);
    let written = replaceShares(ctx.sqlite, t.ticker, 'sec', rows);
    // The XBRL API can lag a fresh filing, and 20-F/40-F filers often have no dei count there at all:
    // read the newest periodic filing's cover page when the API has nothing from that filing.
    const refs = await fetchSubmissions(ctx.http, ctx.config.secUrl, cik, ua);
    const newest = newestPeriodicFiling(refs);
    let detail = `${rows.length} counts from the XBRL API`;
    if (newest && !rows.some((r) => r.accession === newest.accessionNumber)) {
      const cover = await fetchCoverShares(ctx.http, ctx.config.secArchivesUrl, cik, newest.accessionNumber, newest.primaryDocument, ua);
      written += upsertCoverShares(ctx.sqlite, t.ticker, { as_of: cover.as_of, shares: cover.shares, accession: newest.accessionNumber, form: newest.form, filed: newest.filingDate, note: `${cover.classes} class(es) on the cover page` });
      detail += `; cover page of ${newest.form} ${newest.accessionNumber}: ${cover.shares} as of ${cover.as_of}`;
    } else if (newest) {
      detail += `; newest filing ${newest.form} ${newest.accessionNumber} already in the API`;
    }
    return { item, status: 'ok', rows: written, detail };
  } catch (err) {
    ctx.log.error({ ticker: t.ticker, err: describeError(err) }, `${t.ticker}: shares failed: ${describeError(err)}`);
    return { item, status: 'failed', rows: 0, error: describeError(err) };
  }
}
