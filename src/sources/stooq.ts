// Stooq daily CSV (`/q/d/l/?s=<symbol>&i=d&d1=&d2=&apikey=`): split-adjusted daily closes, a keyed fallback.
import { PayloadError } from '../errors.js';
import type { Http } from '../http.js';
import { type IsoDate, isValidDate } from '../time.js';
import { assertPlausible, type PayloadContext } from './validate.js';
import { CLOSE_USD_BOUNDS, type PriceBar } from './yahoo.js';

export const SOURCE = 'stooq';

/** Stooq's symbols: US stocks are `<ticker>.us` in lower case (a share class dot becomes a dash, `brk-b.us`),
 *  indices keep their caret (`^spx`). A universe entry's `stooq_symbol` wins over the rule. */
const INDEX_SYMBOLS: Readonly<Record<string, string>> = { '^GSPC': '^spx' };

export function stooqSymbol(t: { readonly ticker: string; readonly stooq_symbol?: string | undefined }): string {
  if (t.stooq_symbol) return t.stooq_symbol;
  const index = INDEX_SYMBOLS[t.ticker];
  if (index) return index;
  if (t.ticker.startsWith('^')) return t.ticker.toLowerCase();
  return `${t.ticker.toLowerCase().replace(/\./g, '-')}.us`;
}

export interface ParseStooqOptions {
  /** The symbol asked for (for messages). */
  readonly symbol: string;
  /** Rows dated on or after this day are dropped: the caller passes today while the session is open, because
   *  Stooq's newest row is then the bar in progress (last trade, partial volume), not a close. */
  readonly dropFrom?: IsoDate;
}

// Every failure comes as HTTP 200 with a body that is not CSV; these are recognised before any CSV parsing.
const KEY_PAGE = /get your apikey/i;
const POW_PAGE = /__verify|crypto\.subtle\.digest|requires javascript/i;
const QUOTA = /exceeded the daily hits limit/i;
const NO_DATA = /^(?:no data|n\/d)\b/i;
const HTML = /<(?:!doctype|html|head|body|script)\b/i;
const HEADER = /^date[,;]open[,;]high[,;]low[,;]close(?:[,;]volume)?(?:[,;].*)?$/i;

function startOf(text: string): string {
  return text.replace(/\s+/g, ' ').trim().slice(0, 80);
}

/** A number cell as Stooq writes it (`245`, `242.21`, `98594718.564571`); anything else is a PayloadError. */
function num(cell: string | undefined, what: string, ctx: PayloadContext): number {
  const s = (cell ?? '').trim();
  if (!/^-?\d+(?:\.\d+)?(?:e[+-]?\d+)?$/i.test(s))
    throw new PayloadError(ctx.source, ctx.url, `${what} "${cell ?? ''}" is not a number`);
  return Number(s);
}

/**
 * Stooq's daily CSV → bars, oldest first, as published (split-adjusted as of the day of the download),
 * `adj_close_usd` null. The header may follow junk lines (old PHP warnings); CRLF or LF; `,` or `;`.
 */
export function parseStooqCsv(text: string, ctx: PayloadContext, opts: ParseStooqOptions): PriceBar[] {
  const body = text.replace(/^\uFEFF/, '');
  const trimmed = body.trim();
  const sym = opts.symbol;
  if (trimmed === '')
    throw new PayloadError(
      ctx.source,
      ctx.url,
      `empty body for "${sym}" (Stooq's answer when it has no data: unknown symbol, or no trading day in the range)`,
    );
  if (KEY_PAGE.test(body)) {
    throw new PayloadError(
      ctx.source,
      ctx.url,
      `Stooq sent its "Get your apikey" page instead of CSV: the API key is missing or refused (HASHPULSE_STOOQ_APIKEY; a free key from https://stooq.com/q/d/?s=spy.us&get_apikey)`,
    );
  }
  if (QUOTA.test(body)) {
    throw new PayloadError(
      ctx.source,
      ctx.url,
      `quota exceeded: "${startOf(body)}" — Stooq blocks this key until its daily limit resets (tomorrow); not retried`,
    );
  }
  if (POW_PAGE.test(body)) {
    throw new PayloadError(
      ctx.source,
      ctx.url,
      `Stooq sent its JavaScript proof-of-work page (POST /__verify) instead of CSV: it blocks non-browser clients from this network; hashpulse does not solve it`,
    );
  }
  if (NO_DATA.test(trimmed)) {
    throw new PayloadError(
      ctx.source,
      ctx.url,
      `"${startOf(body)}" for "${sym}": unknown symbol, or no trading day in the range`,
    );
  }
  const lines = body.split(/\r?\n/);
  const h = lines.findIndex((l) => HEADER.test(l.trim()));
  if (h < 0) {
    const what = HTML.test(body) ? 'an HTML page' : 'text';
    throw new PayloadError(
      ctx.source,
      ctx.url,
      `${what} instead of a Date,Open,High,Low,Close CSV for "${sym}": ${startOf(body)}`,
    );
  }
  const headerLine = lines[h]!.trim();
  const sep = headerLine.includes(';') ? ';' : ',';
  const cols = headerLine.split(sep).map((c) => c.trim().toLowerCase());
  const iDate = cols.indexOf('date');
  const iClose = cols.indexOf('close');
  const iVolume = cols.indexOf('volume');

  const bars: PriceBar[] = [];
  for (let i = h + 1; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (line === '') continue;
    const cells = line.split(sep);
    if (cells.length !== cols.length)
      throw new PayloadError(
        ctx.source,
        ctx.url,
        `line ${i + 1} has ${cells.length} cells, the header ${cols.length}: "${line.slice(0, 60)}"`,
      );
    const date = cells[iDate]!.trim();
    if (!isValidDate(date))
      throw new PayloadError(ctx.source, ctx.url, `line ${i + 1}: date "${date}" is not YYYY-MM-DD`);
    const prev = bars.at(-1);
    if (prev && date <= prev.date)
      throw new PayloadError(
        ctx.source,
        ctx.url,
        `line ${i + 1}: ${date} after ${prev.date}: rows are not oldest first`,
      );
    const close = num(cells[iClose], `close on ${date}`, ctx);
    // Old rows carry fractional volumes (adjusted with a non-integer factor); the table stores whole shares.
    const vol =
      iVolume >= 0 && (cells[iVolume] ?? '').trim() !== ''
        ? Math.round(num(cells[iVolume], `volume on ${date}`, ctx))
        : null;
    bars.push({ date, close_usd: close, adj_close_usd: null, volume: vol });
  }
  if (bars.length === 0) throw new PayloadError(ctx.source, ctx.url, `a CSV header and no rows for "${sym}"`);
  const kept = opts.dropFrom ? bars.filter((b) => b.date < opts.dropFrom!) : bars;
  assertPlausible(
    kept.map((b) => ({ date: b.date, value: b.close_usd })),
    CLOSE_USD_BOUNDS,
    ctx,
  );
  return kept;
}

const compact = (d: IsoDate) => d.replace(/-/g, '');

/** Daily bars of `symbol` from `from` to `to` inclusive (Stooq honours d1/d2). The key travels as `apikey`,
 *  the only way Stooq takes it, and is redacted from every URL hashpulse reports or archives. */
export async function fetchStooqDaily(
  http: Http,
  baseUrl: string,
  symbol: string,
  from: IsoDate,
  to: IsoDate,
  apikey: string,
  opts: { readonly dropFrom?: IsoDate } = {},
): Promise<PriceBar[]> {
  const r = await http.getText({
    source: SOURCE,
    url: `${baseUrl}/q/d/l/`,
    params: { s: symbol, d1: compact(from), d2: compact(to), i: 'd', apikey },
    secretParams: ['apikey'],
    minIntervalMs: 1000,
  });
  return parseStooqCsv(
    r.body,
    { source: SOURCE, url: r.url },
    { symbol, ...(opts.dropFrom ? { dropFrom: opts.dropFrom } : {}) },
  );
}
