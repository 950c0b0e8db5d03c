// Nasdaq quote API: daily history of a stock or an index, the fallback price source when Yahoo fails.
import * as z from 'zod';
import { PayloadError, SourceError } from '../errors.js';
import { type FetchedPayload, type Http, parseJsonBody } from '../http.js';
import { addDays, byDate, type IsoDate, isValidDate } from '../time.js';
import { assertPlausible, type PayloadContext, parseWith } from './validate.js';
import { BROWSER_USER_AGENT, CLOSE_USD_BOUNDS, type PriceBar } from './yahoo.js';

export const SOURCE = 'nasdaq';

export type NasdaqAssetClass = 'stocks' | 'index';

// Every cell is a display string: "03/01/2024", "$27.00", "29,209.23", "78,532,510", "--" for none.
const Row = z.object({
  date: z.string(),
  close: z.string(),
  volume: z.string(),
  open: z.string().optional(),
  high: z.string().optional(),
  low: z.string().optional(),
});

export const NasdaqHistoricalResponse = z.object({
  data: z
    .object({
      symbol: z.string(),
      totalRecords: z.number().int().nonnegative(),
      tradesTable: z
        .object({
          asOf: z.string().nullable().optional(),
          headers: z.record(z.string(), z.string()).nullable().optional(),
          rows: z.array(Row).nullable(),
        })
        .nullable(),
    })
    .nullable(),
  message: z.string().nullable(),
  status: z.object({
    rCode: z.number().int(),
    bCodeMessage: z.array(z.object({ code: z.number().int(), errorMessage: z.string() })).nullable(),
    developerMessage: z.string().nullable(),
  }),
});

const MISSING = new Set(['--', 'N/A', '']);

/** "$27.00" → 27, "78,532,510" → 78532510, "--" → null; anything else is a PayloadError. */
export function parseNasdaqNumber(cell: string, what: string, ctx: PayloadContext): number | null {
  const s = cell.trim();
  if (MISSING.has(s)) return null;
  const plain = s.replace(/^\$/, '').replace(/,/g, '');
  if (!/^\d+(\.\d+)?$/.test(plain)) throw new PayloadError(ctx.source, ctx.url, `${what} "${cell}" is not a number`);
  return Number(plain);
}

function symbolOf(url: string): string {
  const m = /\/api\/quote\/([^/?]+)\/historical/.exec(url);
  return m?.[1] ? decodeURIComponent(m[1]) : '?';
}

/** Rows come newest first; returned ascending, as-published (split-adjusted to today), adj_close_usd null. */
export function parseNasdaqHistorical(
  body: unknown,
  ctx: PayloadContext,
  symbol: string = symbolOf(ctx.url),
): PriceBar[] {
  const r = parseWith(NasdaqHistoricalResponse, body, ctx);
  const why = [
    ...(r.status.bCodeMessage ?? []).map((m) => `${m.errorMessage} (code ${m.code})`),
    r.message,
    r.status.developerMessage,
  ]
    .filter((s): s is string => Boolean(s))
    .join('; ');
  if (r.data === null) {
    // The error is in the body, often with HTTP 200: {"data":null,…,"status":{"rCode":400,"bCodeMessage":[…]}}.
    // Code 1001 "Symbol not exists." also comes back for real symbols Nasdaq has been throttling (cached for hours).
    const hint = r.status.bCodeMessage?.some((m) => m.code === 1001)
      ? '; Nasdaq also says this for a symbol it has been throttling, so retry later before concluding it is gone'
      : '';
    throw new SourceError(
      ctx.source,
      ctx.url,
      `no history for "${symbol}" (status.rCode ${r.status.rCode} in the body): ${why || 'no message'}${hint}`,
      r.status.rCode,
    );
  }
  if (r.status.rCode !== 200)
    throw new PayloadError(ctx.source, ctx.url, `status.rCode ${r.status.rCode} beside data: ${why}`);
  if (r.data.symbol.toUpperCase() !== symbol.toUpperCase() && symbol !== '?') {
    throw new PayloadError(ctx.source, ctx.url, `asked for "${symbol}", got "${r.data.symbol}"`);
  }
  const rows = r.data.tradesTable?.rows ?? [];
  // A range without trading days is `totalRecords: 0` and `rows: null`: nothing to return, not an error.
  if (rows.length === 0 && r.data.totalRecords > 0) {
    throw new PayloadError(ctx.source, ctx.url, `totalRecords ${r.data.totalRecords} but no rows`);
  }
  const byDay = new Map<IsoDate, PriceBar>();
  for (const row of rows) {
    const m = /^(\d{2})\/(\d{2})\/(\d{4})$/.exec(row.date);
    const date = m ? `${m[3]}-${m[1]}-${m[2]}` : '';
    if (!isValidDate(date)) throw new PayloadError(ctx.source, ctx.url, `row date "${row.date}" is not MM/DD/YYYY`);
    const close = parseNasdaqNumber(row.close, `close on ${date}`, ctx);
    if (close === null) continue;
    const volume = parseNasdaqNumber(row.volume, `volume on ${date}`, ctx);
    byDay.set(date, { date, close_usd: close, adj_close_usd: null, volume });
  }
  const bars = [...byDay.values()].sort(byDate);
  assertPlausible(
    bars.map((b) => ({ date: b.date, value: b.close_usd })),
    CLOSE_USD_BOUNDS,
    ctx,
  );
  return bars;
}

/**
 * Daily bars from `from` to `to` inclusive. Nasdaq adds a day's row after the session (often only the next day),
 * so unlike Yahoo there is no live bar to drop.
 */
export async function fetchNasdaqHistorical(
  http: Http,
  baseUrl: string,
  symbol: string,
  assetclass: NasdaqAssetClass,
  from: IsoDate,
  to: IsoDate,
): Promise<PriceBar[]> {
  // fromdate == todate is refused with code 1011 "Provided date is less than from date": ask from the day before.
  const fromdate = from === to ? addDays(from, -1) : from;
  let raw: FetchedPayload;
  try {
    raw = await http.get({
      source: SOURCE,
      url: `${baseUrl}/api/quote/${encodeURIComponent(symbol)}/historical`,
      params: { assetclass, fromdate, todate: to, limit: 9999 },
      userAgent: BROWSER_USER_AGENT,
      headers: {
        Referer: 'https://www.nasdaq.com/',
        Origin: 'https://www.nasdaq.com',
        Accept: 'application/json, text/plain, */*',
      },
      minIntervalMs: 1000,
      // "Symbol not exists" has been seen with HTTP 400 as well as 200: let its JSON reach the parser.
      acceptStatuses: [400],
    });
  } catch (err) {
    // Nasdaq's edge refuses with a 403 "Access Denied" page (not retried, like every 4xx): say what it means.
    if (err instanceof SourceError && err.status === 403) {
      throw new SourceError(
        SOURCE,
        err.url,
        `${err.detail} — Nasdaq's edge refuses this client (it expects a browser's headers; some server addresses are refused whatever the headers)`,
        403,
        { cause: err },
      );
    }
    throw err;
  }
  let body: unknown;
  try {
    body = parseJsonBody(raw);
  } catch (err) {
    if (raw.status === 400) throw new SourceError(SOURCE, raw.url, `HTTP 400 for "${symbol}"`, 400, { cause: err });
    throw err;
  }
  return parseNasdaqHistorical(body, { source: SOURCE, url: raw.url }, symbol).filter(
    (b) => b.date >= from && b.date <= to,
  );
}
