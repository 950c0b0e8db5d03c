// Shared payload checks: zod parsing with errors that name the source and URL, and plausibility bounds
// that catch a unit off by a factor (TH/s read as EH/s, H/s as TH/s) before anything is stored.
import type { z } from 'zod';
import { PayloadError } from '../errors.js';

export interface PayloadContext {
  readonly source: string;
  readonly url: string;
}

export function parseWith<T extends z.ZodType>(schema: T, body: unknown, ctx: PayloadContext): z.output<T> {
  const r = schema.safeParse(body);
  if (!r.success) {
    const issues = r.error.issues
      .slice(0, 3)
      .map((i) => `${i.path.length ? i.path.join('.') : '(root)'}: ${i.message}`)
      .join('; ');
    throw new PayloadError(ctx.source, ctx.url, issues);
  }
  return r.data;
}

/** mempool.space's first price row: MtGox's week of Monday 2010-07-19. Here, beside the bounds (no zod in this
 *  module), so the network chain (src/pipeline/network.ts) declares its sources without loading their parsers. */
export const MEMPOOL_PRICE_START = '2010-07-19';
/** Bitstamp's BTC/USD market opened in August 2011; no daily candle is expected before. */
export const BITSTAMP_START = '2011-08-18';

/** Bounds for one daily figure; `modernMin` applies from `modernFrom` on, when the figure cannot be that small. */
export interface Bounds {
  readonly label: string;
  readonly min: number;
  readonly max: number;
  readonly modernFrom?: string;
  readonly modernMin?: number;
}

export const BOUNDS = {
  hashrate_ehs: { label: 'hashrate (EH/s)', min: 0, max: 100_000, modernFrom: '2019-01-01', modernMin: 1 },
  difficulty: { label: 'difficulty', min: 0, max: 1e16, modernFrom: '2019-01-01', modernMin: 1e12 },
  price_usd: { label: 'BTC price (USD)', min: 0, max: 10_000_000, modernFrom: '2017-01-01', modernMin: 100 },
  revenue_usd: {
    label: 'miners revenue (USD/day)',
    min: 0,
    max: 10_000_000_000,
    modernFrom: '2017-01-01',
    modernMin: 100_000,
  },
  fees_btc: { label: 'transaction fees (BTC/day)', min: -1e-9, max: 100_000 },
  shares: { label: 'shares outstanding', min: 1000, max: 1e11 },
} as const satisfies Record<string, Bounds>;

/** Throws a PayloadError on the first row outside its bounds: one bad row means the unit or the payload is wrong. */
export function assertPlausible(
  rows: ReadonlyArray<{ date: string; value: number }>,
  bounds: Bounds,
  ctx: PayloadContext,
): void {
  for (const r of rows) {
    const min =
      bounds.modernFrom && bounds.modernMin !== undefined && r.date >= bounds.modernFrom
        ? bounds.modernMin
        : bounds.min;
    if (!Number.isFinite(r.value) || r.value < min || r.value > bounds.max || (min === 0 && r.value <= 0)) {
      throw new PayloadError(
        ctx.source,
        ctx.url,
        `${bounds.label} ${r.value} on ${r.date} is outside the plausible range ${min}..${bounds.max} (wrong unit?)`,
      );
    }
  }
}
