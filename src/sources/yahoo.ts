// Yahoo Finance v8: the chart API (daily closes, split-adjusted, and split events for one symbol) and the spark API
// (the recent daily closes of up to 20 symbols in one request: the equities job's daily run).
import * as z from 'zod';
import { PayloadError, SourceError } from '../errors.js';
import { type FetchedPayload, type Http, parseJsonBody } from '../http.js';
import { addDays, byDate, type IsoDate, isoDateToUnix } from '../time.js';
import { assertPlausible, type Bounds, type PayloadContext, parseWith } from './validate.js';

export const SOURCE = 'yahoo';

/** Yahoo and Nasdaq answer scripts that announce themselves with 403s or bot pages; they expect a browser. */
export const BROWSER_USER_AGENT =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/142.0.0.0 Safari/537.36';

export const CLOSE_USD_BOUNDS: Bounds = { label: 'close (USD)', min: 0, max: 1_000_000 };

export interface PriceBar {
  readonly date: IsoDate;
  readonly close_usd: number;
  readonly adj_close_usd: number | null;
  readonly volume: number | null;
}
export interface SplitEvent {
  readonly date: IsoDate;
  readonly numerator: number;
  readonly denominator: number;
}
export interface YahooChart {
  readonly bars: PriceBar[];
  readonly splits: SplitEvent[];
  readonly currency: string;
  /** IANA name of the exchange's time zone, e.g. 'America/New_York'. */
  readonly timezone: string;
}

const Series = z.array(z.number().nullable());
const Period = z.object({
  timezone: z.string().optional(),
  start: z.number().int(),
  end: z.number().int(),
  gmtoffset: z.number().optional(),
});

export const YahooChartResponse = z.object({
  chart: z.object({
    result: z
      .array(
        z.object({
          meta: z.object({
            currency: z.string().nullable(),
            symbol: z.string(),
            instrumentType: z.string().optional(),
            timezone: z.string().optional(),
            exchangeTimezoneName: z.string().min(1),
            currentTradingPeriod: z
              .object({ pre: Period.optional(), regular: Period.optional(), post: Period.optional() })
              .optional(),
            dataGranularity: z.string().optional(),
          }),
          timestamp: z.array(z.number().int()).optional(),
          events: z
            .object({
              splits: z
                .record(
                  z.string(),
                  z.object({
                    date: z.number().int(),
                    numerator: z.number().positive(),
                    denominator: z.number().positive(),
                    splitRatio: z.string().optional(),
                  }),
                )
                .optional(),
              dividends: z.record(z.string(), z.unknown()).optional(),
            })
            .optional(),
          indicators: z.object({
            // An empty range comes back as `quote: [{}]` and no `timestamp` key at all.
            quote: z
              .array(
                z.object({
                  close: Series.optional(),
                  open: Series.optional(),
                  high: Series.optional(),
                  low: Series.optional(),
                  volume: Series.optional(),
                }),
              )
              .min(1),
            adjclose: z.array(z.object({ adjclose: Series.optional() })).optional(),
          }),
        }),
      )
      .nullable(),
    error: z.object({ code: z.string(), description: z.string() }).nullable(),
  }),
});

const Yahoo404 = z.object({
  chart: z.object({ result: z.null(), error: z.object({ code: z.string(), description: z.string() }) }),
});

interface LocalTime {
  readonly date: IsoDate;
  readonly minutes: number;
}
const formatters = new Map<string, Intl.DateTimeFormat>();

/** Calendar date and minutes after midnight of a unix time in an IANA zone (DST included). */
export function localTime(unixSeconds: number, timeZone: string): LocalTime {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    });
    formatters.set(timeZone, f);
  }
  const p: Record<string, string> = {};
  for (const part of f.formatToParts(new Date(unixSeconds * 1000))) p[part.type] = part.value;
  return { date: `${p.year}-${p.month}-${p.day}`, minutes: Number(p.hour) * 60 + Number(p.minute) };
}

export interface ParseYahooOptions {
  readonly symbol: string;
  readonly now: Date;
  /** HTTP status the body came with (Yahoo's 404 for an unknown symbol carries a JSON body); default 200. */
  readonly status?: number;
}

export function parseYahooChart(body: unknown, ctx: PayloadContext, opts: ParseYahooOptions): YahooChart {
  if (opts.status === 404) {
    const e = Yahoo404.safeParse(body);
    if (!e.success)
      throw new SourceError(SOURCE, ctx.url, `HTTP 404 for "${opts.symbol}" without Yahoo's chart error body`, 404);
    throw new SourceError(SOURCE, ctx.url, `unknown symbol "${opts.symbol}": ${e.data.chart.error.description}`, 404);
  }
  const data = parseWith(YahooChartResponse, body, ctx).chart;
  if (data.error)
    throw new PayloadError(
      ctx.source,
      ctx.url,
      `chart.error for "${opts.symbol}": ${data.error.code}: ${data.error.description}`,
    );
  const result = data.result?.[0];
  if (!result || data.result?.length !== 1)
    throw new PayloadError(
      ctx.source,
      ctx.url,
      `expected exactly one chart result for "${opts.symbol}", got ${data.result?.length ?? 0}`,
    );
  const { meta, indicators } = result;
  if (meta.currency !== 'USD')
    throw new PayloadError(
      ctx.source,
      ctx.url,
      `"${opts.symbol}" is quoted in ${meta.currency ?? 'no currency'}, expected USD`,
    );
  const tz = meta.exchangeTimezoneName;
  try {
    localTime(0, tz);
  } catch (err) {
    throw new PayloadError(ctx.source, ctx.url, `unknown exchangeTimezoneName "${tz}"`, { cause: err });
  }

  const quote = indicators.quote[0] ?? {};
  const close = quote.close;
  const volume = quote.volume;
  const adj = indicators.adjclose?.[0]?.adjclose;
  const stamps = result.timestamp;
  if (stamps === undefined) {
    const values = Math.max(...Object.values(quote).map((series) => series?.length ?? 0), 0);
    if (values > 0)
      throw new PayloadError(ctx.source, ctx.url, `quote arrays hold ${values} values but there is no timestamp array`);
  } else {
    if (close === undefined && stamps.length > 0)
      throw new PayloadError(ctx.source, ctx.url, `${stamps.length} timestamps but no close array`);
    for (const [name, series] of [
      ['close', close],
      ['volume', volume],
      ['adjclose', adj],
    ] as const) {
      if (series !== undefined && series.length !== stamps.length) {
        throw new PayloadError(ctx.source, ctx.url, `${stamps.length} timestamps but ${series.length} ${name} values`);
      }
    }
  }

  const byDay = new Map<IsoDate, PriceBar>();
  (stamps ?? []).forEach((t, i) => {
    const c = close?.[i];
    if (c === null || c === undefined) return; // Yahoo sends a bar of nulls for some days: no data, not a zero
    const date = localTime(t, tz).date; // stamped at the 09:30 open, so the exchange-local date is the session
    byDay.set(date, { date, close_usd: c, adj_close_usd: adj?.[i] ?? null, volume: volume?.[i] ?? null });
  });

  // The newest bar may be the session in progress (its "close" is the last trade): not a close yet.
  const nowS = Math.floor(opts.now.getTime() / 1000);
  const today = localTime(nowS, tz);
  const live = byDay.get(today.date);
  if (live) {
    // currentTradingPeriod can already describe the next session; only trust its end if it is today's.
    const end = meta.currentTradingPeriod?.regular?.end;
    const open = end !== undefined && localTime(end, tz).date === today.date ? nowS < end : today.minutes < 16 * 60;
    if (open) byDay.delete(today.date);
  }

  const bars = [...byDay.values()].sort(byDate);
  assertPlausible(
    bars.map((b) => ({ date: b.date, value: b.close_usd })),
    CLOSE_USD_BOUNDS,
    ctx,
  );

  const splitsByDay = new Map<IsoDate, SplitEvent>();
  for (const s of Object.values(result.events?.splits ?? {})) {
    const date = localTime(s.date, tz).date;
    splitsByDay.set(date, { date, numerator: s.numerator, denominator: s.denominator });
  }
  return { bars, splits: [...splitsByDay.values()].sort(byDate), currency: meta.currency, timezone: tz };
}

/**
 * Undoes split adjustment: a bar before a split's date is multiplied by numerator/denominator of every later
 * split (4:1 → ×4, a 1:10 reverse split → ÷10) and its volume divided by it, giving the close as traded that day.
 */
export function toAsTraded(bars: readonly PriceBar[], splits: readonly SplitEvent[]): PriceBar[] {
  return bars.map((b) => {
    let num = 1;
    let den = 1;
    for (const s of splits) {
      if (s.date > b.date) {
        num *= s.numerator;
        den *= s.denominator;
      }
    }
    if (num === den) return b;
    return {
      ...b,
      close_usd: (b.close_usd * num) / den,
      volume: b.volume === null ? null : Math.round((b.volume * den) / num),
    };
  });
}

/**
 * Daily bars from `from` to `to` inclusive, and every split from `from` until `now`; `now` also decides whether
 * today's bar is final.
 */
/**
 * One Yahoo request, as a browser asks it, at most one a second; a 404 is returned (it carries Yahoo's error body).
 * A 429 says what it means: the block is per IP and outlasts any retry (its body is one line, "Edge: Too Many
 * Requests").
 */
/** A Yahoo answer's JSON body. Addresses Yahoo places in the EU can get its cookie-consent form instead
 *  (consent.yahoo.com, "collectConsent"): that is named for what it is, not as a bad JSON body. */
function yahooJsonBody(raw: FetchedPayload): unknown {
  try {
    return parseJsonBody(raw);
  } catch (err) {
    if (/collectConsent|consent\.yahoo\.com|guce\.yahoo\.com/i.test(raw.body)) {
      throw new PayloadError(
        SOURCE,
        raw.url,
        `Yahoo's cookie-consent page (HTTP ${raw.status}) instead of JSON: Yahoo treats this address as being in the EU`,
        { cause: err },
      );
    }
    throw err;
  }
}

async function yahooGet(http: Http, url: string, params: Record<string, string | number>): Promise<FetchedPayload> {
  try {
    return await http.get({
      source: SOURCE,
      url,
      params,
      userAgent: BROWSER_USER_AGENT,
      minIntervalMs: 1000,
      acceptStatuses: [404],
    });
  } catch (err) {
    if (err instanceof SourceError && err.status === 429) {
      throw new SourceError(
        SOURCE,
        err.url,
        `${err.detail} — Yahoo limits clients per IP (non-browser clients and datacenter addresses first) and keeps a block for 15 minutes or more`,
        429,
        { cause: err },
      );
    }
    throw err;
  }
}

export async function fetchYahooChart(
  http: Http,
  baseUrl: string,
  symbol: string,
  from: IsoDate,
  to: IsoDate,
  now: Date,
): Promise<YahooChart> {
  // Closes come adjusted for every split up to today, but `events` lists only the splits inside the range asked
  // for: ask through `now` so that every split behind the adjustment is in the answer, then drop bars after `to`.
  const period2 = Math.max(isoDateToUnix(addDays(to, 1)), Math.ceil(now.getTime() / 1000));
  const raw = await yahooGet(http, `${baseUrl}/v8/finance/chart/${encodeURIComponent(symbol)}`, {
    period1: isoDateToUnix(from),
    period2,
    interval: '1d',
    events: 'div|split',
  });
  let body: unknown;
  try {
    body = yahooJsonBody(raw);
  } catch (err) {
    if (raw.status === 404)
      throw new SourceError(SOURCE, raw.url, `HTTP 404 for "${symbol}" without Yahoo's chart error body`, 404, {
        cause: err,
      });
    throw err;
  }
  const chart = parseYahooChart(body, { source: SOURCE, url: raw.url }, { symbol, now, status: raw.status });
  return { ...chart, bars: chart.bars.filter((b) => b.date <= to) };
}

// ---------------------------------------------------------------------------------------------------------------
// Spark: the recent daily closes (split-adjusted, no volume) of up to 20 symbols in one request — the equities job's
// daily run; the per-symbol chart above stays for backfills, splits and missing symbols.

/** Yahoo answers at most 20 symbols per spark request (more is a 400). */
export const SPARK_MAX_SYMBOLS = 20;
/** The ranges spark takes, with the calendar days each surely covers back from today. */
export const SPARK_RANGES = [
  ['1mo', 28],
  ['3mo', 89],
] as const;
export type SparkRange = (typeof SPARK_RANGES)[number][0];

/** Spark carries no time zone; every symbol of the universe trades in New York (US listings and the S&P 500). */
export const SPARK_TIMEZONE = 'America/New_York';

// The flat shape /v8/finance/spark returns, keyed by symbol (the older /v7 answer nests the same under
// spark.result[].response[] with chart-like meta/indicators). `start`/`end`/`dataGranularity` are not read.
const SparkSeries = z.object({
  symbol: z.string(),
  timestamp: z.array(z.number().int()).nullable().optional(),
  close: z.array(z.number().nullable()).nullable().optional(),
  chartPreviousClose: z.number().nullable().optional(),
  previousClose: z.number().nullable().optional(),
});
export const YahooSparkResponse = z.record(z.string(), SparkSeries);

export interface SparkBar {
  readonly date: IsoDate;
  readonly close_usd: number;
}
export interface SparkSeriesParsed {
  readonly symbol: string;
  /** Closes by New York trading date, oldest first, split-adjusted as of today like the chart's `close`. */
  readonly bars: readonly SparkBar[];
  /** The close of the session before the answer's first stamp (split-adjusted as of today), when Yahoo sends it. */
  readonly chartPreviousClose: number | null;
  /** The date of the answer's first stamp, even when its close is null: chartPreviousClose is the day before it. */
  readonly firstStampDate: IsoDate | null;
}

/** The smallest spark range whose answer reaches back to `from`, or null when the span needs the chart endpoint. */
export function sparkRangeFor(from: IsoDate, today: IsoDate): SparkRange | null {
  const days = (Date.parse(`${today}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000;
  for (const [range, covers] of SPARK_RANGES) if (days <= covers) return range;
  return null;
}

/**
 * Every symbol of the answer, by symbol. A symbol Yahoo does not know is simply absent (the caller asks its chart);
 * a null close is a day without data, not a zero; the bar of a session still open at `now` is not a close yet.
 */
export function parseYahooSpark(body: unknown, ctx: PayloadContext, now: Date): Map<string, SparkSeriesParsed> {
  if (body && typeof body === 'object' && 'spark' in body)
    throw new PayloadError(
      ctx.source,
      ctx.url,
      "the nested /v7 spark shape (spark.result[].response[]) where /v8's flat answer keyed by symbol was expected",
    );
  const data = parseWith(YahooSparkResponse, body, ctx);
  const nowS = Math.floor(now.getTime() / 1000);
  const today = localTime(nowS, SPARK_TIMEZONE);
  const out = new Map<string, SparkSeriesParsed>();
  for (const [key, s] of Object.entries(data)) {
    const stamps = s.timestamp ?? [];
    const close = s.close ?? [];
    if (stamps.length !== close.length)
      throw new PayloadError(ctx.source, ctx.url, `${key}: ${stamps.length} timestamps but ${close.length} closes`);
    const byDay = new Map<IsoDate, SparkBar>();
    stamps.forEach((t, i) => {
      const c = close[i];
      if (c === null || c === undefined) return;
      const date = localTime(t, SPARK_TIMEZONE).date; // stamped at the 09:30 open, like the chart's bars
      byDay.set(date, { date, close_usd: c });
    });
    // Spark has no trading period: a bar of today before 16:00 New York time is the session in progress.
    if (today.minutes < 16 * 60) byDay.delete(today.date);
    const bars = [...byDay.values()].sort(byDate);
    assertPlausible(
      bars.map((b) => ({ date: b.date, value: b.close_usd })),
      CLOSE_USD_BOUNDS,
      ctx,
    );
    out.set(s.symbol, {
      symbol: s.symbol,
      bars,
      chartPreviousClose: s.chartPreviousClose ?? null,
      firstStampDate: stamps.length ? localTime(stamps[0]!, SPARK_TIMEZONE).date : null,
    });
  }
  return out;
}

/**
 * The recent daily closes of up to 20 symbols in one request. A 404 (Yahoo knows none of the symbols) is an empty
 * answer: every symbol then goes to its chart.
 */
export async function fetchYahooSpark(
  http: Http,
  baseUrl: string,
  symbols: readonly string[],
  range: SparkRange,
  now: Date,
): Promise<Map<string, SparkSeriesParsed>> {
  if (symbols.length === 0 || symbols.length > SPARK_MAX_SYMBOLS)
    throw new RangeError(`spark takes 1 to ${SPARK_MAX_SYMBOLS} symbols, got ${symbols.length}`);
  const raw = await yahooGet(http, `${baseUrl}/v8/finance/spark`, {
    symbols: symbols.join(','),
    range,
    interval: '1d',
  });
  if (raw.status === 404) return new Map();
  return parseYahooSpark(yahooJsonBody(raw), { source: SOURCE, url: raw.url }, now);
}
