// Yahoo Finance v8 spark: the recent daily closes (split-adjusted, no volume) of up to 20 symbols in one request —
// the equities job's daily run; the per-symbol chart (yahoo.ts) stays for backfills, splits and missing symbols.
import { z } from 'zod';
import { PayloadError, SourceError } from '../errors.js';
import { type FetchedPayload, type Http, parseJsonBody } from '../http.js';
import { byDate, type IsoDate } from '../time.js';
import { assertPlausible, type PayloadContext, parseWith } from './validate.js';
import { BROWSER_USER_AGENT, CLOSE_USD_BOUNDS, localTime, SOURCE } from './yahoo.js';

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
  /** The close of the session before the first bar (split-adjusted as of today), when Yahoo sends it. */
  readonly chartPreviousClose: number | null;
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
    out.set(s.symbol, { symbol: s.symbol, bars, chartPreviousClose: s.chartPreviousClose ?? null });
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
  let raw: FetchedPayload;
  try {
    raw = await http.get({
      source: SOURCE,
      url: `${baseUrl}/v8/finance/spark`,
      params: { symbols: symbols.join(','), range, interval: '1d' },
      userAgent: BROWSER_USER_AGENT,
      minIntervalMs: 1000,
      acceptStatuses: [404],
    });
  } catch (err) {
    if (err instanceof SourceError && err.status === 429) {
      throw new SourceError(
        SOURCE,
        err.url,
        `${err.detail} — Yahoo limits clients per IP and keeps a block for 15 minutes or more`,
        429,
        { cause: err },
      );
    }
    throw err;
  }
  if (raw.status === 404) return new Map();
  let body: unknown;
  try {
    body = parseJsonBody(raw);
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
  return parseYahooSpark(body, { source: SOURCE, url: raw.url }, now);
}
