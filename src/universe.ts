// The tracked tickers: data/universe.json (user-editable, versioned), validated with zod.
import fs from 'node:fs';
import * as z from 'zod';
import { ConfigError, UsageError } from './errors.js';
import { addDays } from './time.js';

const IsoDateField = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date YYYY-MM-DD');
const Filer = z.enum(['10-K', '20-F', '40-F']);

// A dated fact is in force from `from` (inclusive) until the next entry's `from`; `note` says where it comes from.
const note = z.string().optional();
const SymbolEntry = z.object({ from: IsoDateField, symbol: z.string().regex(/^\^?[A-Z0-9.-]{1,10}$/), note }).strict();
const NameEntry = z.object({ from: IsoDateField, name: z.string().min(1), note }).strict();
const FilerEntry = z.object({ from: IsoDateField, filer: Filer, note }).strict();
const UnitEntry = z.object({ from: IsoDateField, shares_per_unit: z.number().positive(), note }).strict();

export const Ticker = z.object({
  ticker: z.string().regex(/^\^?[A-Z0-9.-]{1,10}$/, 'a ticker like MARA or ^GSPC'),
  name: z.string().min(1),
  role: z.enum(['miner', 'benchmark']),
  cik: z.number().int().positive().optional(),
  exchange: z.string().optional(),
  filer: Filer.optional(),
  /** Symbol at Nasdaq's API when it differs (the S&P 500 is SPX there, ^GSPC at Yahoo). */
  nasdaq_symbol: z.string().optional(),
  /** Symbol at Stooq when the rule in src/sources/stooq.ts (`mara.us`, `^spx`) does not give it. */
  stooq_symbol: z.string().optional(),
  /** First US trading day of the security: a backfill never asks for prices before it. */
  listed_since: IsoDateField.optional(),
  /** Exchange symbols over time; the last one is `ticker`. One continuous series is kept under `ticker`, and
   *  each range is fetched under the symbol in force then (a rename or redomicile changes the symbol). */
  symbols: z.array(SymbolEntry).min(1).optional(),
  /** Company names over time; the last one is `name`. */
  names: z.array(NameEntry).min(1).optional(),
  /** Annual report form over time (a foreign filer becoming a US domestic filer, or back); the last one is `filer`. */
  filers: z.array(FilerEntry).min(1).optional(),
  /** Ordinary shares per listed unit over time: 2 for an ADS of two shares, 1 when the shares trade directly.
   *  Market cap = close × shares outstanding ÷ shares per unit; returns compare the same unit. Default 1. */
  listed_units: z.array(UnitEntry).min(1).optional(),
});
export type Ticker = z.infer<typeof Ticker>;

const UniverseFile = z.object({ _comment: z.string().optional(), tickers: z.array(Ticker).min(1) });

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
  const parsed = UniverseFile.safeParse(raw);
  if (!parsed.success) {
    const i = parsed.error.issues[0];
    throw new ConfigError('HASHPULSE_UNIVERSE', file, `${i?.path.join('.') ?? ''}: ${i?.message ?? 'invalid'}`);
  }
  const tickers = parsed.data.tickers;
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
