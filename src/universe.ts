// The tracked tickers: data/universe.json (user-editable, versioned), validated with zod.
import fs from 'node:fs';
import { z } from 'zod';
import { ConfigError, UsageError } from './errors.js';

export const Ticker = z.object({
  ticker: z.string().regex(/^\^?[A-Z0-9.\-]{1,10}$/, 'a ticker like MARA or ^GSPC'),
  name: z.string().min(1),
  role: z.enum(['miner', 'benchmark']),
  cik: z.number().int().positive().optional(),
  exchange: z.string().optional(),
  filer: z.enum(['10-K', '20-F', '40-F']).optional(),
  /** Symbol at Nasdaq's API when it differs (the S&P 500 is SPX there, ^GSPC at Yahoo). */
  nasdaq_symbol: z.string().optional(),
  /** Symbol at Stooq when the rule in src/sources/stooq.ts (`mara.us`, `^spx`) does not give it. */
  stooq_symbol: z.string().optional(),
  /** First trading day worth fetching: a backfill never asks for prices before it. */
  listed_since: z.string().regex(/^\d{4}-\d{2}-\d{2}$/).optional(),
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
    if (t.role === 'miner' && !t.cik) throw new ConfigError('HASHPULSE_UNIVERSE', file, `miner ${t.ticker} needs its SEC "cik" (shares outstanding come from its filings)`);
  }
  return universeOf(tickers);
}

export function universeOf(tickers: readonly Ticker[]): Universe {
  const byTicker = new Map(tickers.map((t) => [t.ticker, t]));
  return {
    tickers,
    miners: tickers.filter((t) => t.role === 'miner'),
    find: (t) => byTicker.get(t.toUpperCase()),
    resolve(t) {
      const found = byTicker.get(t.toUpperCase());
      if (!found) throw new UsageError(`unknown ticker "${t}" (tracked: ${tickers.map((x) => x.ticker).join(', ')}; add it to the universe file)`);
      return found;
    },
  };
}
