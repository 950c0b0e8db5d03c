// Bitstamp public OHLC API: daily BTC/USD candles, the third source of the BTC price (no key needed).
import * as z from 'zod';
import { PayloadError } from '../errors.js';
import type { Http } from '../http.js';
import { byDate, type IsoDate, isoDateToUnix, unixToIsoDate } from '../time.js';
import { assertPlausible, BOUNDS, type PayloadContext, parseWith } from './validate.js';

export const SOURCE = 'bitstamp';

export { BITSTAMP_START } from './validate.js';
/** Candles per request: Bitstamp's maximum `limit`. */
export const PAGE_CANDLES = 1000;
const DAY_S = 86_400;

export interface CloseRow {
  readonly date: IsoDate;
  readonly close_usd: number;
}

/** Every number is a string, the timestamp included: {"timestamp":"1710201600","close":"71474",…}. */
const numeric = z.string().regex(/^-?\d+(\.\d+)?([eE][-+]?\d+)?$/, 'a number in a string');
export const OhlcResponse = z.object({
  data: z.object({
    pair: z.string(),
    ohlc: z.array(
      z.object({ timestamp: numeric, open: numeric, high: numeric, low: numeric, close: numeric, volume: numeric }),
    ),
  }),
});

export interface OhlcPage {
  /** Closed daily candles: day D's close is the close of the candle that opens at D 00:00 UTC. */
  readonly rows: CloseRow[];
  /** Open time of the newest candle served (open or closed), for paging; null when none. */
  readonly lastTimestamp: number | null;
  readonly candles: number;
}

/**
 * One page of daily candles, oldest first. The still-open candle of `today` (and anything later) is dropped: its
 * close is the last trade so far, not the day's close. An empty page, a pair other than BTC/USD or a candle not
 * opening at 00:00 UTC (not a daily step) is refused.
 */
export function parseBitstampOhlc(body: unknown, ctx: PayloadContext, today: IsoDate): OhlcPage {
  const data = parseWith(OhlcResponse, body, ctx).data;
  if (data.pair !== 'BTC/USD')
    throw new PayloadError(ctx.source, ctx.url, `pair is "${data.pair}", expected "BTC/USD"`);
  if (data.ohlc.length === 0)
    throw new PayloadError(ctx.source, ctx.url, 'no candles for a window that must have some');
  const open = isoDateToUnix(today);
  const byDay = new Map<IsoDate, CloseRow>();
  let last: number | null = null;
  for (const c of data.ohlc) {
    const t = Number(c.timestamp);
    if (t % DAY_S !== 0)
      throw new PayloadError(
        ctx.source,
        ctx.url,
        `candle ${c.timestamp} does not open at 00:00 UTC (not a daily step)`,
      );
    last = last === null ? t : Math.max(last, t);
    if (t >= open) continue;
    const date = unixToIsoDate(t);
    byDay.set(date, { date, close_usd: Number(c.close) });
  }
  const rows = [...byDay.values()].sort(byDate);
  assertPlausible(
    rows.map((r) => ({ date: r.date, value: r.close_usd })),
    BOUNDS.price_usd,
    ctx,
  );
  return { rows, lastTimestamp: last, candles: data.ohlc.length };
}

/**
 * Daily closes from `from` to `to`: pages of 1,000 candles from `start` (only `start` is sent: with `end` too,
 * Bitstamp counts back from `end`), each page starting the day after the newest candle of the previous one.
 */
export async function fetchBitstampDaily(
  http: Http,
  baseUrl: string,
  from: IsoDate,
  to: IsoDate,
  today: IsoDate,
): Promise<CloseRow[]> {
  const out = new Map<IsoDate, CloseRow>();
  const end = isoDateToUnix(to);
  let start = isoDateToUnix(from);
  const maxPages = Math.ceil((end - start) / DAY_S / PAGE_CANDLES) + 2;
  for (let page = 0; page < maxPages && start <= end; page++) {
    const r = await http.getJson({
      source: SOURCE,
      url: `${baseUrl}/api/v2/ohlc/btcusd/`,
      params: { step: DAY_S, limit: PAGE_CANDLES, start },
    });
    const p = parseBitstampOhlc(r.body, { source: SOURCE, url: r.url }, today);
    for (const row of p.rows) if (row.date >= from && row.date <= to) out.set(row.date, row);
    // A short page reached the newest candle; a page that does not move forward would loop.
    if (p.candles < PAGE_CANDLES || p.lastTimestamp === null || p.lastTimestamp < start) break;
    start = p.lastTimestamp + DAY_S;
  }
  return [...out.values()].sort(byDate);
}
