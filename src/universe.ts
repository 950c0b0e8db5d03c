// The tracked tickers: data/universe.json (user-editable, versioned). It is configuration, read by every command
// that touches tickers, so like src/config.ts it is validated by hand (zod cost `hashpulse universe` ~15 ms of
// start-up, a third of its time); upstream payloads are still validated with zod. Each refusal names the field's
// path (`tickers.0.role: …`), the file and HASHPULSE_UNIVERSE.
import fs from 'node:fs';
import { ConfigError, UsageError } from './errors.js';
import { addDays } from './time.js';

const FILERS = ['10-K', '20-F', '40-F'] as const;
const ROLES = ['miner', 'benchmark'] as const;
const SYMBOL = /^\^?[A-Z0-9.-]{1,10}$/;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

export type Filer = (typeof FILERS)[number];

/** A dated fact is in force from `from` (inclusive) until the next entry's `from`; `note` says where it comes from. */
interface Dated {
  readonly from: string;
  readonly note?: string;
}

export interface Ticker {
  readonly ticker: string;
  readonly name: string;
  readonly role: (typeof ROLES)[number];
  readonly cik?: number;
  readonly exchange?: string;
  readonly filer?: Filer;
  /** Symbol at Nasdaq's API when it differs (the S&P 500 is SPX there, ^GSPC at Yahoo). */
  readonly nasdaq_symbol?: string;
  /** Symbol at Stooq when the rule in src/sources/stooq.ts (`mara.us`, `^spx`) does not give it. */
  readonly stooq_symbol?: string;
  /** First US trading day of the security: a backfill never asks for prices before it. */
  readonly listed_since?: string;
  /** Exchange symbols over time; the last one is `ticker`. One continuous series is kept under `ticker`, and
   *  each range is fetched under the symbol in force then (a rename or redomicile changes the symbol). */
  readonly symbols?: ReadonlyArray<Dated & { readonly symbol: string }>;
  /** Company names over time; the last one is `name`. */
  readonly names?: ReadonlyArray<Dated & { readonly name: string }>;
  /** Annual report form over time (a foreign filer becoming a US domestic filer, or back); the last one is `filer`. */
  readonly filers?: ReadonlyArray<Dated & { readonly filer: Filer }>;
  /** Ordinary shares per listed unit over time: 2 for an ADS of two shares, 1 when the shares trade directly.
   *  Market cap = close × shares outstanding ÷ shares per unit; returns compare the same unit. Default 1. */
  readonly listed_units?: ReadonlyArray<Dated & { readonly shares_per_unit: number }>;
}

/** A refusal at a path of the file (`tickers.0.role`). */
class Invalid extends Error {
  constructor(
    readonly at: string,
    message: string,
  ) {
    super(message);
  }
}

/** Checks a value at a path and returns it as kept (an object without the fields it does not know). */
type Check = (v: unknown, at: string) => unknown;
const fail = (at: string, message: string): never => {
  throw new Invalid(at, message);
};
const shown = (v: unknown) => JSON.stringify(v) ?? 'nothing';
const str =
  (pattern?: RegExp, what?: string): Check =>
  (v, at) => {
    if (typeof v !== 'string') return fail(at, `expected a string, got ${shown(v)}`);
    if (pattern && !pattern.test(v)) fail(at, `expected ${what}, got "${v}"`);
    return v;
  };
const text: Check = (v, at) => (str()(v, at) === '' ? fail(at, 'must not be empty') : v);
const oneOf =
  (values: readonly string[]): Check =>
  (v, at) =>
    typeof v === 'string' && values.includes(v)
      ? v
      : fail(at, `expected one of ${values.map((x) => `"${x}"`).join(', ')}, got ${shown(v)}`);
const positive =
  (integer: boolean): Check =>
  (v, at) =>
    typeof v === 'number' && Number.isFinite(v) && v > 0 && (!integer || Number.isInteger(v))
      ? v
      : fail(at, `expected a positive ${integer ? 'integer' : 'number'}, got ${shown(v)}`);
const date = str(ISO_DATE, 'a date YYYY-MM-DD');

/** An object with these fields (`name?` may be absent). `strict`: a field it does not know is refused; else it is
 *  dropped from what is kept. */
function object(fields: Record<string, Check>, strict: boolean): Check {
  const known = new Set(Object.keys(fields).map((k) => k.replace(/\?$/, '')));
  return (v, at) => {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) return fail(at, `expected an object, got ${shown(v)}`);
    const obj = v as Record<string, unknown>;
    if (strict) for (const key of Object.keys(obj)) if (!known.has(key)) fail(at, `unknown field "${key}"`);
    const kept: Record<string, unknown> = {};
    for (const [spec, check] of Object.entries(fields)) {
      const key = spec.replace(/\?$/, '');
      const path = at ? `${at}.${key}` : key;
      if (obj[key] === undefined) {
        if (!spec.endsWith('?')) fail(path, 'required');
        continue;
      }
      kept[key] = check(obj[key], path);
    }
    return kept;
  };
}

/** A list of at least one element. */
const list =
  (each: Check): Check =>
  (v, at) => {
    if (!Array.isArray(v)) return fail(at, `expected a list, got ${shown(v)}`);
    if (v.length === 0) fail(at, 'expected at least one entry');
    return v.map((e, i) => each(e, `${at}.${i}`));
  };

/** A dated history: its entries know only their own fields. */
const dated = (fields: Record<string, Check>): Check => list(object({ from: date, ...fields, 'note?': str() }, true));

const TICKER: Check = object(
  {
    ticker: str(SYMBOL, 'a ticker like MARA or ^GSPC'),
    name: text,
    role: oneOf(ROLES),
    'cik?': positive(true),
    'exchange?': str(),
    'filer?': oneOf(FILERS),
    'nasdaq_symbol?': str(),
    'stooq_symbol?': str(),
    'listed_since?': date,
    'symbols?': dated({ symbol: str(SYMBOL, 'a symbol like MARA') }),
    'names?': dated({ name: text }),
    'filers?': dated({ filer: oneOf(FILERS) }),
    'listed_units?': dated({ shares_per_unit: positive(false) }),
  },
  false,
);

const UNIVERSE_FILE = object({ '_comment?': str(), tickers: list(TICKER) }, false);

export interface Universe {
  readonly tickers: readonly Ticker[];
  readonly miners: readonly Ticker[];
  find(ticker: string): Ticker | undefined;
  /** The ticker, or a UsageError listing the known ones (exit code 2). */
  resolve(ticker: string): Ticker;
}

export function loadUniverse(file: string): Universe {
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (err) {
    throw new ConfigError('HASHPULSE_UNIVERSE', file, `cannot read the universe file: ${(err as Error).message}`);
  }
  let tickers: Ticker[];
  try {
    tickers = (UNIVERSE_FILE(raw, '') as { tickers: Ticker[] }).tickers;
  } catch (err) {
    if (err instanceof Invalid)
      throw new ConfigError('HASHPULSE_UNIVERSE', file, `${err.at || 'the file'}: ${err.message}`);
    throw err;
  }
  const seen = new Set<string>();
  for (const t of tickers) {
    if (seen.has(t.ticker)) throw new ConfigError('HASHPULSE_UNIVERSE', file, `ticker ${t.ticker} is listed twice`);
    seen.add(t.ticker);
    if (t.role === 'miner' && !t.cik)
      throw new ConfigError(
        'HASHPULSE_UNIVERSE',
        file,
        `miner ${t.ticker} needs its SEC "cik" (shares outstanding come from its filings)`,
      );
    const problem = historyProblem(t);
    if (problem) throw new ConfigError('HASHPULSE_UNIVERSE', file, `${t.ticker}: ${problem}`);
  }
  const former = new Map<string, string>();
  for (const t of tickers) for (const s of t.symbols ?? []) if (s.symbol !== t.ticker) former.set(s.symbol, t.ticker);
  for (const [symbol, owner] of former) {
    if (seen.has(symbol))
      throw new ConfigError(
        'HASHPULSE_UNIVERSE',
        file,
        `${symbol} is a former symbol of ${owner} and also a tracked ticker`,
      );
  }
  return universeOf(tickers);
}

/** Dates ascending and the newest entry of each history equal to the current field. */
function historyProblem(t: Ticker): string | null {
  const checks: Array<[string, ReadonlyArray<{ from: string }> | undefined, string | undefined, string | undefined]> = [
    ['symbols', t.symbols, t.symbols?.at(-1)?.symbol, t.ticker],
    ['names', t.names, t.names?.at(-1)?.name, t.name],
    ['filers', t.filers, t.filers?.at(-1)?.filer, t.filer],
    ['listed_units', t.listed_units, undefined, undefined],
  ];
  for (const [key, list, newest, current] of checks) {
    if (!list) continue;
    for (let i = 1; i < list.length; i++) {
      if (list[i]!.from <= list[i - 1]!.from)
        return `${key}: dates must be in ascending order (${list[i - 1]!.from}, then ${list[i]!.from})`;
    }
    if (newest !== current) return `${key}: the newest entry (${newest}) must equal the current value (${current})`;
  }
  return null;
}

/** One stretch of time in which every dated fact of a ticker is constant; `valid_to` is exclusive, null = now. */
export interface TickerPeriod {
  readonly ticker: string;
  readonly valid_from: string;
  readonly valid_to: string | null;
  readonly symbol: string;
  readonly name: string;
  readonly filer: string | null;
  readonly shares_per_unit: number;
}

/** The ticker's history as periods; before the first dated entry of a fact, its first value holds. */
export function tickerPeriods(t: Ticker): TickerPeriod[] {
  const start = t.listed_since ?? '1900-01-01';
  const at = <E extends { from: string }>(list: readonly E[] | undefined, date: string): E | undefined =>
    list ? ([...list].reverse().find((e) => e.from <= date) ?? list[0]) : undefined;
  const changes = [
    start,
    ...[t.symbols, t.names, t.filers, t.listed_units].flatMap((l) => (l ?? []).map((e) => e.from)),
  ].filter((d) => d >= start);
  const dates = [...new Set(changes)].sort();
  return dates.map((from, i) => ({
    ticker: t.ticker,
    valid_from: from,
    valid_to: dates[i + 1] ?? null,
    symbol: at(t.symbols, from)?.symbol ?? t.ticker,
    name: at(t.names, from)?.name ?? t.name,
    filer: at(t.filers, from)?.filer ?? t.filer ?? null,
    shares_per_unit: at(t.listed_units, from)?.shares_per_unit ?? 1,
  }));
}

/** The symbol to ask an upstream for, for each stretch of [from, to] (inclusive dates): one entry per symbol. */
export function symbolRanges(t: Ticker, from: string, to: string): Array<{ symbol: string; from: string; to: string }> {
  const out: Array<{ symbol: string; from: string; to: string }> = [];
  for (const p of tickerPeriods(t)) {
    const lo = p.valid_from > from ? p.valid_from : from;
    const hiExclusive = p.valid_to;
    const hi = hiExclusive === null || hiExclusive > to ? to : addDays(hiExclusive, -1);
    if (lo > hi) continue;
    const last = out.at(-1);
    if (last && last.symbol === p.symbol) last.to = hi;
    else out.push({ symbol: p.symbol, from: lo, to: hi });
  }
  // A range before listed_since (or a ticker with no history) is asked under the current symbol.
  if (out.length === 0) out.push({ symbol: t.ticker, from, to });
  else if (out[0]!.from > from) out[0]!.from = from;
  return out;
}

export function universeOf(tickers: readonly Ticker[]): Universe {
  const byTicker = new Map(tickers.map((t) => [t.ticker, t]));
  // A former symbol finds its company too (`--only BITF` is KEEL), unless it is a tracked ticker itself.
  for (const t of tickers) for (const s of t.symbols ?? []) if (!byTicker.has(s.symbol)) byTicker.set(s.symbol, t);
  return {
    tickers,
    miners: tickers.filter((t) => t.role === 'miner'),
    find: (t) => byTicker.get(t.toUpperCase()),
    resolve(t) {
      const found = byTicker.get(t.toUpperCase());
      if (!found)
        throw new UsageError(
          `unknown ticker "${t}" (tracked: ${tickers.map((x) => x.ticker).join(', ')}; add it to the universe file)`,
        );
      return found;
    },
  };
}
