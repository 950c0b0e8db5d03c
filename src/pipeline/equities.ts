// Equity prices: one range request per ticker down a chain of sources — Yahoo, Nasdaq, Stooq, Tiingo — until one
// answers; every close is stored as traded that day, under the source that served it.
import type { Config } from '../config.js';
import type { Context } from '../context.js';
import { asError, describeError } from '../errors.js';
import { fetchNasdaqHistorical } from '../sources/nasdaq.js';
import { fetchStooqDaily, stooqSymbol } from '../sources/stooq.js';
import { fetchTiingoDaily, tiingoSymbol } from '../sources/tiingo.js';
import {
  fetchYahooChart,
  fetchYahooSpark,
  localTime,
  type PriceBar,
  SPARK_MAX_SYMBOLS,
  type SparkRange,
  type SparkSeriesParsed,
  type SplitEvent,
  sparkRangeFor,
  toAsTraded,
} from '../sources/yahoo.js';
import {
  newestCloseDate,
  refreshEquityMonthly,
  splitsKnownThrough,
  storedCloses,
  storedSplits,
  syncUniverse,
  upsertCloses,
  upsertClosesKeepingVolume,
} from '../store/equities.js';
import { addDays, type IsoDate, toIsoDate } from '../time.js';
import { loadUniverse, symbolRanges, type Ticker } from '../universe.js';
import { alreadyCommitted, type ChunkHooks, writeChunk } from './chunks.js';
import type { ItemResult } from './result.js';

/** Days re-fetched before the newest stored close on an incremental run (a weekend plus revisions). */
export const EQUITY_REFETCH_DAYS = 5;
export const EQUITY_HISTORY_START: IsoDate = '2010-01-01';
/**
 * A close of the spark batch that differs from the stored Yahoo close of the same day by more than this fraction
 * (after undoing the splits we know of) means a split or another adjustment we have no event for: the ticker's
 * chart is asked, with its events. Yahoo's own revisions of a close are cents; the smallest splits are ≥ 5 %.
 */
export const SPARK_MISMATCH = 0.02;
/**
 * Spark carries no volume, so a day the batch stores first has none. Each daily run sends this many of the tickers
 * with such a day in the last VOLUME_WINDOW_DAYS to their chart instead (taking turns by the day's number), which
 * fills the volume back from the oldest such day: 15 tickers are all covered within 8 days, for 2 requests a day.
 */
export const VOLUME_REFRESH_PER_RUN = 2;
export const VOLUME_WINDOW_DAYS = 21;

export interface EquityIngestOptions {
  readonly from?: IsoDate;
  readonly to?: IsoDate;
  /** Tickers to load (default: the whole universe). */
  readonly only?: readonly string[];
  readonly chunks?: ChunkHooks;
}

export type PriceSourceName = 'yahoo' | 'nasdaq' | 'stooq' | 'tiingo';

/** What a source served: closes as traded, and the split events it knows of (stored beside them). */
interface Served {
  readonly bars: readonly PriceBar[];
  readonly splits: readonly SplitEvent[];
  /** A caveat for the run's detail (split events unknown for a split-adjusted source). */
  readonly note?: string;
}

interface PriceSource {
  readonly name: PriceSourceName;
  /** Why the source is not asked at all (a key it needs is not set), or null. */
  readonly unconfigured: (config: Config) => string | null;
  /** Why it has nothing for this ticker (Tiingo has no index), or null. */
  readonly unsupported: (t: Ticker) => string | null;
  /** `symbol`: the exchange symbol in force for the range when it is a former one (a rename); else the ticker's. */
  readonly fetch: (
    ctx: Context,
    t: Ticker,
    from: IsoDate,
    to: IsoDate,
    today: IsoDate,
    symbol?: string,
  ) => Promise<Served>;
}

/** The day whose bar is still in progress while the New York session is open (before 16:00), else undefined. */
export function openSessionDate(now: Date): IsoDate | undefined {
  const ny = localTime(Math.floor(now.getTime() / 1000), 'America/New_York');
  return ny.minutes < 16 * 60 ? ny.date : undefined;
}

/**
 * Nasdaq's and Stooq's histories are split-adjusted as of today: un-adjust them with the split events Yahoo or
 * Tiingo told us about. Those are known up to the newest close either served; a miner with none (or none lately)
 * may have had a split we do not know of, and the detail says so.
 */
function unadjust(
  ctx: Context,
  t: Ticker,
  source: PriceSourceName,
  adjusted: readonly PriceBar[],
  today: IsoDate,
): Served {
  const bars = toAsTraded(adjusted, storedSplits(ctx.sqlite, t.ticker));
  if (t.role === 'benchmark') return { bars, splits: [] }; // an index has no splits
  const known = splitsKnownThrough(ctx.sqlite, t.ticker);
  if (known !== null && known >= addDays(today, -EQUITY_REFETCH_DAYS)) return { bars, splits: [] };
  const note = known
    ? `split events known only through ${known}: ${source}'s closes before a later split would stay split-adjusted`
    : `no split events known for ${t.ticker} (Yahoo and Tiingo never served it): ${source}'s split-adjusted closes are stored as served, off by the ratio of any split after them`;
  ctx.log.warn({ ticker: t.ticker, source, splitsKnownThrough: known }, `${t.ticker}: ${note}`);
  return { bars, splits: [], note };
}

const keyMissing = (variable: string, why: string) => (value: string) =>
  value ? null : `not asked: ${variable} is not set (${why})`;

/** The chain, in order of preference. The view equity_close_daily picks among stored closes in the same order. */
export const PRICE_SOURCES: readonly PriceSource[] = [
  {
    name: 'yahoo',
    unconfigured: () => null,
    unsupported: () => null,
    fetch: async (ctx, t, from, to, _today, symbol) => {
      const chart = await fetchYahooChart(ctx.http, ctx.config.yahooUrl, symbol ?? t.ticker, from, to, ctx.clock.now());
      return { bars: toAsTraded(chart.bars, chart.splits), splits: chart.splits };
    },
  },
  {
    name: 'nasdaq',
    unconfigured: () => null,
    unsupported: () => null,
    fetch: async (ctx, t, from, to, today, symbol) => {
      const nasdaqSymbol = symbol ?? t.nasdaq_symbol ?? t.ticker;
      const adjusted = await fetchNasdaqHistorical(
        ctx.http,
        ctx.config.nasdaqUrl,
        nasdaqSymbol,
        t.role === 'benchmark' ? 'index' : 'stocks',
        from,
        to,
      );
      return unadjust(ctx, t, 'nasdaq', adjusted, today);
    },
  },
  {
    name: 'stooq',
    unconfigured: (c) =>
      keyMissing('HASHPULSE_STOOQ_APIKEY', "Stooq's daily CSV needs a free key since March 2026")(c.stooqApikey),
    unsupported: () => null,
    fetch: async (ctx, t, from, to, today, symbol) => {
      const dropFrom = openSessionDate(ctx.clock.now());
      const sym = stooqSymbol(symbol ? { ticker: symbol } : t);
      const adjusted = await fetchStooqDaily(
        ctx.http,
        ctx.config.stooqUrl,
        sym,
        from,
        to,
        ctx.config.stooqApikey,
        dropFrom ? { dropFrom } : {},
      );
      return unadjust(ctx, t, 'stooq', adjusted, today);
    },
  },
  {
    name: 'tiingo',
    unconfigured: (c) => keyMissing('HASHPULSE_TIINGO_TOKEN', 'a free Tiingo account gives one')(c.tiingoToken),
    unsupported: (t) => (tiingoSymbol(t) === null ? 'Tiingo has no index data' : null),
    fetch: async (ctx, t, from, to, _today, symbol) => {
      const sym = tiingoSymbol(symbol ? { ticker: symbol, role: t.role } : t)!;
      const r = await fetchTiingoDaily(ctx.http, ctx.config.tiingoUrl, sym, from, to, ctx.config.tiingoToken);
      // Tiingo's closes are raw (as traded); its newest row may be the session in progress.
      const dropFrom = openSessionDate(ctx.clock.now());
      return { bars: dropFrom ? r.bars.filter((b) => b.date < dropFrom) : r.bars, splits: r.splits };
    },
  },
];

export async function ingestEquities(ctx: Context, opts: EquityIngestOptions = {}): Promise<ItemResult[]> {
  const universe = loadUniverse(ctx.config.universePath);
  syncUniverse(ctx.sqlite, universe.tickers);
  const tickers = opts.only?.length ? opts.only.map((t) => universe.resolve(t)) : universe.tickers;
  const today = toIsoDate(ctx.clock.now());
  // A source without its key is left out of the whole run, said once here rather than once per ticker.
  const notAsked: string[] = [];
  const chain = PRICE_SOURCES.filter((s) => {
    const why = s.unconfigured(ctx.config);
    if (why) {
      ctx.log.info({ source: s.name }, `${s.name}: ${why}`);
      notAsked.push(`${s.name}: ${why}`);
    }
    return why === null;
  });
  // The daily run (no --from): the recent closes of every ticker already loaded from Yahoo in one spark request
  // per 20 symbols; what the batch does not serve goes down the chain below, one chart request per ticker.
  const daily = opts.from === undefined && chain[0]?.name === 'yahoo';
  const volumeTurn = daily ? volumeRefreshTurn(ctx, tickers, today) : new Map<string, IsoDate>();
  const batched = daily
    ? await ingestSpark(
        ctx,
        tickers.filter((t) => !volumeTurn.has(t.ticker)),
        opts,
        today,
      )
    : new Map<string, ItemResult>();
  const results: ItemResult[] = [];
  for (const t of tickers) {
    const r = opts.chunks?.done(`prices.${t.ticker}`)
      ? alreadyCommitted(`prices.${t.ticker}`)
      : (batched.get(t.ticker) ?? (await ingestTicker(ctx, t, opts, today, chain, notAsked, volumeTurn.get(t.ticker))));
    opts.chunks?.onItem?.(r);
    results.push(r);
  }
  if (results.some((r) => r.status === 'ok')) {
    const months = refreshEquityMonthly(ctx.sqlite);
    results.push({ item: 'sector_monthly', status: 'ok', rows: 0, detail: `${months} months recomputed` });
  }
  return results;
}

/**
 * One source's closes for [from, to], each stretch asked under the symbol in force then (a ticker renamed in the
 * range is two requests). Upstreams usually move the whole history to the new symbol and forget the old one, so a
 * stretch under a former symbol that fails is asked again under the current one before the source counts as failed.
 */
async function fetchBySymbol(
  ctx: Context,
  s: PriceSource,
  t: Ticker,
  from: IsoDate,
  to: IsoDate,
  today: IsoDate,
): Promise<Served> {
  const ranges = symbolRanges(t, from, to);
  if (ranges.length === 1 && ranges[0]!.symbol === t.ticker) return s.fetch(ctx, t, from, to, today);
  const bars: PriceBar[] = [];
  const splits: SplitEvent[] = [];
  const notes: string[] = [];
  for (const r of ranges) {
    let served: Served;
    if (r.symbol === t.ticker) served = await s.fetch(ctx, t, r.from, r.to, today);
    else {
      try {
        served = await s.fetch(ctx, t, r.from, r.to, today, r.symbol);
      } catch (err) {
        ctx.log.info(
          { ticker: t.ticker, symbol: r.symbol, source: s.name },
          `${t.ticker}: ${s.name} has no ${r.symbol} (${describeError(err)}); asking ${r.from}..${r.to} under ${t.ticker}`,
        );
        served = await s.fetch(ctx, t, r.from, r.to, today);
      }
    }
    bars.push(...served.bars.filter((b) => b.date >= r.from && b.date <= r.to));
    splits.push(...served.splits.filter((x) => !splits.some((y) => y.date === x.date)));
    if (served.note) notes.push(served.note);
  }
  return { bars, splits, ...(notes.length ? { note: [...new Set(notes)].join('; ') } : {}) };
}

/** The incremental range of a ticker: from a few days before its newest stored close (or its listing) to today. */
function incrementalRange(ctx: Context, t: Ticker, opts: EquityIngestOptions, today: IsoDate): [IsoDate, IsoDate] {
  let from = opts.from;
  if (!from) {
    const newest = newestCloseDate(ctx.sqlite, t.ticker);
    from = newest ? addDays(newest, -EQUITY_REFETCH_DAYS) : (t.listed_since ?? EQUITY_HISTORY_START);
  }
  if (t.listed_since && from < t.listed_since) from = t.listed_since;
  const to = opts.to && opts.to < today ? opts.to : today;
  return [from, to];
}

/**
 * The tickers whose turn it is to have their volume filled back (VOLUME_REFRESH_PER_RUN), each with the oldest
 * day of the window that has a Yahoo close but no volume. Turns go round the sorted list by the day's number, so
 * a day without volume on Yahoo's side too never holds up the others.
 */
function volumeRefreshTurn(ctx: Context, tickers: readonly Ticker[], today: IsoDate): Map<string, IsoDate> {
  const wanted = new Set(tickers.map((t) => t.ticker));
  const gaps = (
    ctx.sqlite
      .prepare(
        `select ticker, min(date) as since from equity_prices_daily
         where source = 'yahoo' and volume is null and date >= ? and date < ?
         group by ticker order by ticker`,
      )
      .all(addDays(today, -VOLUME_WINDOW_DAYS), today) as Array<{ ticker: string; since: IsoDate }>
  ).filter((g) => wanted.has(g.ticker));
  const turn = new Map<string, IsoDate>();
  if (gaps.length === 0) return turn;
  const dayNumber = Math.floor(Date.parse(`${today}T00:00:00Z`) / 86_400_000);
  const k = Math.min(VOLUME_REFRESH_PER_RUN, gaps.length);
  for (let j = 0; j < k; j++) {
    const g = gaps[(dayNumber * k + j) % gaps.length]!;
    turn.set(g.ticker, g.since);
  }
  return turn;
}

/**
 * The spark batch of a daily run. A ticker is in it when it has Yahoo closes stored, one symbol over its range and a
 * range spark covers; it is served from it when Yahoo returned its symbol and every close of the answer that we hold
 * already (and the close before the first, `chartPreviousClose`) agrees with the stored one once the splits we know
 * of are undone. Otherwise — not returned, a split or adjustment suspected, nothing stored to compare, or the
 * request failed — the ticker is left to the chain (its chart, with split events). Returns the served tickers.
 */
async function ingestSpark(
  ctx: Context,
  tickers: readonly Ticker[],
  opts: EquityIngestOptions,
  today: IsoDate,
): Promise<Map<string, ItemResult>> {
  const planned = new Map<SparkRange, Array<{ t: Ticker; symbol: string; from: IsoDate; to: IsoDate }>>();
  for (const t of tickers) {
    if (opts.chunks?.done(`prices.${t.ticker}`)) continue;
    if (!newestCloseDate(ctx.sqlite, t.ticker)) continue; // first load: the chart, with the whole history
    const [from, to] = incrementalRange(ctx, t, opts, today);
    const ranges = symbolRanges(t, from, to);
    const range = sparkRangeFor(from, today);
    if (from > to || ranges.length !== 1 || !range) continue;
    planned.set(range, [...(planned.get(range) ?? []), { t, symbol: ranges[0]!.symbol, from, to }]);
  }
  const served = new Map<string, ItemResult>();
  for (const [range, all] of planned) {
    for (let i = 0; i < all.length; i += SPARK_MAX_SYMBOLS) {
      const batch = all.slice(i, i + SPARK_MAX_SYMBOLS);
      let answer: Awaited<ReturnType<typeof fetchYahooSpark>>;
      try {
        answer = await fetchYahooSpark(
          ctx.http,
          ctx.config.yahooUrl,
          batch.map((b) => b.symbol),
          range,
          ctx.clock.now(),
        );
      } catch (err) {
        ctx.log.warn(
          { source: 'yahoo', symbols: batch.length, err: asError(err) },
          `yahoo spark batch of ${batch.length} symbols failed (${describeError(err)}); asking each ticker's chart`,
        );
        continue;
      }
      for (const { t, symbol, from, to } of batch) {
        const why = sparkServe(ctx, t, answer.get(symbol), from, to, batch.length, range);
        if (typeof why === 'string') {
          ctx.log.info({ ticker: t.ticker, symbol }, `${t.ticker}: ${why}; asking its chart`);
          continue;
        }
        served.set(t.ticker, why);
      }
    }
  }
  return served;
}

/** One ticker's closes from the spark answer, stored; or why its chart must be asked instead. */
function sparkServe(
  ctx: Context,
  t: Ticker,
  series: SparkSeriesParsed | undefined,
  from: IsoDate,
  to: IsoDate,
  batchSize: number,
  range: SparkRange,
): ItemResult | string {
  if (!series) return `${t.ticker} not in the spark answer`;
  if (series.bars.length === 0) return `no closes for ${t.ticker} in the spark answer`;
  const splits = storedSplits(ctx.sqlite, t.ticker);
  const asTraded = toAsTraded(
    series.bars.map((b) => ({ ...b, adj_close_usd: null, volume: null })),
    splits,
  );
  const firstDate = asTraded[0]!.date;
  const stored = storedCloses(ctx.sqlite, t.ticker, 'yahoo', addDays(firstDate, -10));
  const pairs: Array<[IsoDate, number, number]> = [];
  for (const b of asTraded) {
    const s = stored.get(b.date);
    if (s !== undefined) pairs.push([b.date, b.close_usd, s]);
  }
  const firstStamp = series.firstStampDate ?? firstDate;
  const before = [...stored.keys()]
    .filter((d) => d < firstStamp)
    .sort()
    .at(-1);
  if (before && series.chartPreviousClose !== null) {
    const [prev] = toAsTraded(
      [{ date: before, close_usd: series.chartPreviousClose, adj_close_usd: null, volume: null }],
      splits,
    );
    pairs.push([before, prev!.close_usd, stored.get(before)!]);
  }
  if (pairs.length === 0) return `no stored Yahoo close to check the spark answer of ${t.ticker} against`;
  const off = pairs.find(([, batch, held]) => Math.abs(batch / held - 1) > SPARK_MISMATCH);
  if (off) {
    const [date, batch, held] = off;
    return `split or adjustment suspected: the spark close of ${date} is ${batch} where ${held} is stored (x${(batch / held).toFixed(4)})`;
  }
  const bars = asTraded.filter((b) => b.date >= from && b.date <= to);
  const rows = upsertClosesKeepingVolume(ctx.sqlite, t.ticker, 'yahoo', bars);
  return {
    item: `prices.${t.ticker}`,
    status: 'ok',
    rows,
    detail: `served by yahoo (spark batch of ${batchSize} symbols, range ${range}; ${pairs.length} stored closes agree), ${from}..${to}`,
  };
}

async function ingestTicker(
  ctx: Context,
  t: Ticker,
  opts: EquityIngestOptions,
  today: IsoDate,
  chain: readonly PriceSource[],
  notAsked: readonly string[],
  /** The oldest day whose volume the spark batch left empty, when it is this ticker's turn to fill it back. */
  volumeSince?: IsoDate,
): Promise<ItemResult> {
  const item = `prices.${t.ticker}`;
  const [incrementalFrom, to] = incrementalRange(ctx, t, opts, today);
  const from = volumeSince !== undefined && volumeSince < incrementalFrom ? volumeSince : incrementalFrom;
  if (from > to) return { item, status: 'skipped', rows: 0, detail: `nothing to fetch: ${from} is after ${to}` };
  const failures: string[] = [];
  const errs: Error[] = [];
  for (const [i, s] of chain.entries()) {
    const unsupported = s.unsupported(t);
    if (unsupported) {
      failures.push(`${s.name}: ${unsupported}`);
      continue;
    }
    try {
      const served = await fetchBySymbol(ctx, s, t, from, to, today);
      const bars = served.bars.filter((b) => b.date >= from && b.date <= to);
      const rows = writeChunk(ctx, opts.chunks, item, () =>
        upsertCloses(
          ctx.sqlite,
          t.ticker,
          s.name,
          bars.map((b) => ({ date: b.date, close_usd: b.close_usd, volume: b.volume })),
          served.splits,
        ),
      );
      const why = failures.length ? ` (${failures.join('; ')})` : '';
      return {
        item,
        status: 'ok',
        rows,
        detail: `served by ${s.name}${why}, ${from}..${to}${served.note ? `; ${served.note}` : ''}${
          volumeSince !== undefined
            ? `; its turn to fill back the volume the spark batch left empty since ${volumeSince}`
            : ''
        }`,
      };
    } catch (err) {
      const e = describeError(err);
      const failure = e.startsWith(`${s.name}:`) ? e : `${s.name}: ${e}`;
      failures.push(failure);
      errs.push(asError(err));
      const next = chain.slice(i + 1).find((n) => n.unsupported(t) === null)?.name;
      ctx.log.warn(
        { ticker: t.ticker, source: s.name, err },
        `${t.ticker}: ${failure}${next ? `; trying ${next}` : ''}`,
      );
    }
  }
  const error = `no price source served ${t.ticker}: ${[...failures, ...notAsked].join('; ')}`;
  const err = new AggregateError(errs, error);
  ctx.log.error({ ticker: t.ticker, err }, `${t.ticker}: ${error}`);
  return { item, status: 'failed', rows: 0, error, err };
}
