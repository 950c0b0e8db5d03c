// Tiingo end-of-day prices (`/tiingo/daily/<ticker>/prices`): raw closes and split factors, a keyed fallback.
import * as z from 'zod';
import { PayloadError, SourceError } from '../errors.js';
import { type Http, parseJsonBody } from '../http.js';
import { addDays, type IsoDate } from '../time.js';
import { assertPlausible, type PayloadContext, parseWith } from './validate.js';
import { CLOSE_USD_BOUNDS, type PriceBar, type SplitEvent } from './yahoo.js';

export const SOURCE = 'tiingo';

/** Tiingo's symbol for a ticker, or null when Tiingo has none: it offers no index data ("We do not offer index
 *  data", Tiingo staff). Share classes use a dash (`BRK-B`). */
export function tiingoSymbol(t: { readonly ticker: string; readonly role?: string }): string | null {
  if (t.role === 'benchmark' || t.ticker.startsWith('^')) return null;
  return t.ticker.replace(/\./g, '-');
}

// One row per trading day, oldest first; `close` is the close as traded, the `adj*` fields are CRSP-adjusted.
const Row = z.object({
  date: z.string().regex(/^\d{4}-\d{2}-\d{2}T00:00:00(?:\.\d+)?(?:Z|\+00:00)$/, 'midnight UTC of the trading day'),
  close: z.number(),
  high: z.number(),
  low: z.number(),
  open: z.number(),
  volume: z.number().nonnegative(),
  adjClose: z.number(),
  adjHigh: z.number(),
  adjLow: z.number(),
  adjOpen: z.number(),
  adjVolume: z.number(),
  divCash: z.number(),
  splitFactor: z.number().positive(),
});
export const TiingoDailyResponse = z.array(Row);

const Detail = z.object({ detail: z.string() });
/** The hourly and monthly caps: `{"detail":"Error: You have run over your hourly request allocation…"}` or a
 *  plain-text "You have run over your 500 symbol look up for this month…", both seen with HTTP 200. */
const QUOTA = /run over your/i;

export interface TiingoDaily {
  /** Closes as traded that day (Tiingo's raw `close`), volume in shares traded. */
  readonly bars: PriceBar[];
  /** Days whose `splitFactor` is not 1: 4 for a 4:1 split, 0.1 for a 1:10 reverse split. */
  readonly splits: SplitEvent[];
}

export interface ParseTiingoOptions {
  readonly symbol: string;
  /** The range asked for must contain a trading day: an empty answer is then an error, not "nothing new". */
  readonly requireRows: boolean;
  /** HTTP status of the body (Tiingo answers an unknown ticker with 404 and a `detail`); default 200. */
  readonly status?: number;
}

/** splitFactor → numerator/denominator: 4 → 4/1, 0.1 → 1/10 (as Yahoo writes a 1:10 reverse split). */
function splitOf(date: IsoDate, f: number): SplitEvent {
  if (f < 1) {
    const inv = 1 / f;
    if (Math.abs(inv - Math.round(inv)) < 1e-6) return { date, numerator: 1, denominator: Math.round(inv) };
  }
  return { date, numerator: f, denominator: 1 };
}

export function parseTiingoDaily(body: unknown, ctx: PayloadContext, opts: ParseTiingoOptions): TiingoDaily {
  const detail = Detail.safeParse(body);
  if (detail.success) {
    const d = detail.data.detail;
    if (QUOTA.test(d)) throw new SourceError(ctx.source, ctx.url, `quota exceeded: ${d}`, opts.status ?? 200);
    if (opts.status === 404) throw new SourceError(ctx.source, ctx.url, `unknown ticker "${opts.symbol}": ${d}`, 404);
    throw new PayloadError(ctx.source, ctx.url, `an error instead of prices for "${opts.symbol}": ${d}`);
  }
  if (opts.status === 404)
    throw new SourceError(
      ctx.source,
      ctx.url,
      `HTTP 404 for "${opts.symbol}" without Tiingo's {"detail": …} body`,
      404,
    );
  const rows = parseWith(TiingoDailyResponse, body, ctx);
  if (rows.length === 0) {
    if (opts.requireRows)
      throw new PayloadError(ctx.source, ctx.url, `no rows for "${opts.symbol}" in a range that has trading days`);
    return { bars: [], splits: [] };
  }
  const bars: PriceBar[] = [];
  const splits: SplitEvent[] = [];
  for (const r of rows) {
    const date = r.date.slice(0, 10);
    const prev = bars.at(-1);
    if (prev && date <= prev.date)
      throw new PayloadError(ctx.source, ctx.url, `${date} after ${prev.date}: rows are not oldest first`);
    bars.push({ date, close_usd: r.close, adj_close_usd: r.adjClose, volume: Math.round(r.volume) });
    if (r.splitFactor !== 1) splits.push(splitOf(date, r.splitFactor));
  }
  assertPlausible(
    bars.map((b) => ({ date: b.date, value: b.close_usd })),
    CLOSE_USD_BOUNDS,
    ctx,
  );
  return { bars, splits };
}

/** At least three weekdays in the range: US exchanges have never closed three weekdays running since 2001. */
export function rangeHasTradingDay(from: IsoDate, to: IsoDate): boolean {
  let weekdays = 0;
  for (let d = from; d <= to && weekdays < 3; d = addDays(d, 1)) {
    const dow = new Date(`${d}T00:00:00Z`).getUTCDay();
    if (dow !== 0 && dow !== 6) weekdays++;
  }
  return weekdays >= 3;
}

/** Daily prices of `symbol` from `from` to `to` inclusive; the token goes in the Authorization header (never the URL). */
export async function fetchTiingoDaily(
  http: Http,
  baseUrl: string,
  symbol: string,
  from: IsoDate,
  to: IsoDate,
  token: string,
): Promise<TiingoDaily> {
  const r = await http.getText({
    source: SOURCE,
    url: `${baseUrl}/tiingo/daily/${encodeURIComponent(symbol)}/prices`,
    params: { startDate: from, endDate: to },
    headers: { Authorization: `Token ${token}`, 'Content-Type': 'application/json' },
    minIntervalMs: 1000,
    acceptStatuses: [404],
  });
  // The monthly symbol cap arrives as HTTP 200 plain text, not JSON (the hourly one as JSON: see the parser).
  const text = r.body.trim();
  if (QUOTA.test(text) && !/^[[{]/.test(text))
    throw new SourceError(SOURCE, r.url, `quota exceeded: ${text.replace(/\s+/g, ' ').slice(0, 200)}`, r.status);
  return parseTiingoDaily(
    parseJsonBody(r.raw),
    { source: SOURCE, url: r.url },
    { symbol, requireRows: rangeHasTradingDay(from, to), status: r.status },
  );
}
