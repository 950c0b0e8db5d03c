// Equity prices: one Yahoo chart request per ticker for the range, Nasdaq as the fallback when Yahoo fails.
import type { Context } from '../context.js';
import { describeError } from '../errors.js';
import { fetchNasdaqHistorical } from '../sources/nasdaq.js';
import { fetchYahooChart, toAsTraded } from '../sources/yahoo.js';
import { newestCloseDate, refreshEquityMonthly, storedSplits, syncUniverse, upsertCloses } from '../store/equities.js';
import { addDays, type IsoDate, toIsoDate } from '../time.js';
import { loadUniverse, type Ticker } from '../universe.js';
import { alreadyCommitted, type ChunkHooks, writeChunk } from './chunks.js';
import type { ItemResult } from './result.js';

/** Days re-fetched before the newest stored close on an incremental run (a weekend plus revisions). */
export const EQUITY_REFETCH_DAYS = 5;
export const EQUITY_HISTORY_START: IsoDate = '2010-01-01';

export interface EquityIngestOptions {
  readonly from?: IsoDate;
  readonly to?: IsoDate;
  /** Tickers to load (default: the whole universe). */
  readonly only?: readonly string[];
  readonly chunks?: ChunkHooks;
}

export async function ingestEquities(ctx: Context, opts: EquityIngestOptions = {}): Promise<ItemResult[]> {
  const universe = loadUniverse(ctx.config.universePath);
  syncUniverse(ctx.sqlite, universe.tickers);
  const tickers = opts.only?.length ? opts.only.map((t) => universe.resolve(t)) : universe.tickers;
  const today = toIsoDate(ctx.clock.now());
  const results: ItemResult[] = [];
  for (const t of tickers) {
    const r = opts.chunks?.done(`prices.${t.ticker}`) ? alreadyCommitted(`prices.${t.ticker}`) : await ingestTicker(ctx, t, opts, today);
    opts.chunks?.onItem?.(r);
    results.push(r);
  }
  if (results.some((r) => r.status === 'ok')) {
    const months = refreshEquityMonthly(ctx.sqlite);
    results.push({ item: 'sector_monthly', status: 'ok', rows: 0, detail: `${months} months recomputed` });
  }
  return results;
}

async function ingestTicker(ctx: Context, t: Ticker, opts: EquityIngestOptions, today: IsoDate): Promise<ItemResult> {
  const item = `prices.${t.ticker}`;
  let from = opts.from;
  if (!from) {
    const newest = newestCloseDate(ctx.sqlite, t.ticker);
    from = newest ? addDays(newest, -EQUITY_REFETCH_DAYS) : (t.listed_since ?? EQUITY_HISTORY_START);
  }
  if (t.listed_since && from < t.listed_since) from = t.listed_since;
  const to = opts.to && opts.to < today ? opts.to : today;
  if (from > to) return { item, status: 'skipped', rows: 0, detail: `nothing to fetch: ${from} is after ${to}` };
  let yahooError: string;
  try {
    const chart = await fetchYahooChart(ctx.http, ctx.config.yahooUrl, t.ticker, from, to, ctx.clock.now());
    const bars = toAsTraded(chart.bars, chart.splits).filter((b) => b.date >= from && b.date <= to);
    const rows = writeChunk(ctx, opts.chunks, item, () =>
      upsertCloses(ctx.sqlite, t.ticker, 'yahoo', bars.map((b) => ({ date: b.date, close_usd: b.close_usd, volume: b.volume })), chart.splits),
    );
    return { item, status: 'ok', rows, detail: `yahoo ${from}..${to}` };
  } catch (err) {
    yahooError = describeError(err);
    ctx.log.warn({ ticker: t.ticker, err: yahooError }, `${t.ticker}: Yahoo failed (${yahooError}); trying Nasdaq`);
  }
  try {
    const symbol = t.nasdaq_symbol ?? t.ticker;
    // Nasdaq's history is split-adjusted as of today: un-adjust it with the splits Yahoo told us about.
    const adjusted = await fetchNasdaqHistorical(ctx.http, ctx.config.nasdaqUrl, symbol, t.role === 'benchmark' ? 'index' : 'stocks', from, to);
    const bars = toAsTraded(adjusted, storedSplits(ctx.sqlite, t.ticker)).filter((b) => b.date >= from && b.date <= to);
    const rows = writeChunk(ctx, opts.chunks, item, () =>
      upsertCloses(ctx.sqlite, t.ticker, 'nasdaq', bars.map((b) => ({ date: b.date, close_usd: b.close_usd, volume: b.volume }))),
    );
    return { item, status: 'ok', rows, detail: `nasdaq ${from}..${to} (Yahoo failed: ${yahooError})` };
  } catch (err) {
    const error = `Yahoo: ${yahooError}; Nasdaq: ${describeError(err)}`;
    ctx.log.error({ ticker: t.ticker, err: error }, `${t.ticker}: no prices: ${error}`);
    return { item, status: 'failed', rows: 0, error };
  }
}
