// blockchain.com Charts API: daily hash-rate, difficulty, market-price, miners-revenue and transaction-fees.
import * as z from 'zod';
import { PayloadError } from '../errors.js';
import type { Http } from '../http.js';
import { byDate, daysBetween, type IsoDate, unixToIsoDate } from '../time.js';
import { assertPlausible, BOUNDS, type Bounds, type PayloadContext, parseWith } from './validate.js';

export const SOURCE = 'blockchain';

/** Each chart slug, what it measures, and how its unit converts to ours. Key on the slug, never on `name`. */
export const CHARTS = {
  'hash-rate': { toOurUnit: (y: number) => y / 1e6, bounds: BOUNDS.hashrate_ehs, zeroIsMissing: true }, // TH/s → EH/s
  difficulty: { toOurUnit: (y: number) => y, bounds: BOUNDS.difficulty, zeroIsMissing: true },
  'market-price': { toOurUnit: (y: number) => y, bounds: BOUNDS.price_usd, zeroIsMissing: true }, // USD
  'miners-revenue': { toOurUnit: (y: number) => y, bounds: BOUNDS.revenue_usd, zeroIsMissing: true }, // USD/day
  'transaction-fees': { toOurUnit: (y: number) => y, bounds: BOUNDS.fees_btc, zeroIsMissing: false }, // BTC/day
} as const satisfies Record<string, { toOurUnit: (y: number) => number; bounds: Bounds; zeroIsMissing: boolean }>;

export type ChartSlug = keyof typeof CHARTS;

export interface ChartPoint {
  readonly date: IsoDate;
  readonly value: number;
}

export const ChartResponse = z.object({
  status: z.literal('ok'),
  name: z.string(),
  unit: z.string().optional(),
  period: z.string().optional(),
  description: z.string().optional(),
  values: z.array(z.object({ x: z.number().int(), y: z.number() })),
});

export function parseChart(slug: ChartSlug, body: unknown, ctx: PayloadContext): ChartPoint[] {
  const chart = CHARTS[slug];
  const data = parseWith(ChartResponse, body, ctx);
  if (data.period !== undefined && data.period !== 'day') {
    throw new PayloadError(
      ctx.source,
      ctx.url,
      `chart ${slug} has period "${data.period}", expected daily points (sampled=false)`,
    );
  }
  // One point per day, the last of a day winning. Points come in ascending x: appended as they come (a repeat of
  // the last x replacing it); an answer out of order (never seen) goes through a map by day, sorted by day.
  let rows: ChartPoint[] = [];
  let points: Map<IsoDate, ChartPoint> | undefined;
  let lastX = Number.NEGATIVE_INFINITY;
  for (const v of data.values) {
    if (v.x % 86_400 !== 0) {
      throw new PayloadError(
        ctx.source,
        ctx.url,
        `chart ${slug} point x=${v.x} is not at 00:00 UTC (down-sampled response?)`,
      );
    }
    // Early history (2009-2010) has 0 for days with no blocks or no market: that is no data, not a zero.
    if (v.y === 0 && chart.zeroIsMissing) continue;
    const point = { date: unixToIsoDate(v.x), value: chart.toOurUnit(v.y) };
    if (!points && v.x >= lastX) {
      if (v.x === lastX) rows[rows.length - 1] = point;
      else rows.push(point);
      lastX = v.x;
      continue;
    }
    points ??= new Map(rows.map((r) => [r.date, r]));
    points.set(point.date, point);
  }
  if (points) rows = [...points.values()].sort(byDate);
  // `status: "ok"` with `values: []` is how the charts went quiet in March 2026 (blockchain/coin-definitions#507).
  if (rows.length === 0)
    throw new PayloadError(ctx.source, ctx.url, `chart ${slug} has no data points for the range asked`, {
      empty: true,
    });
  assertPlausible(rows, chart.bounds, ctx);
  return rows;
}

/** Asks for every daily point from `from` to today: `start` plus a timespan in days, never down-sampled. */
export async function fetchChart(
  http: Http,
  baseUrl: string,
  slug: ChartSlug,
  from: IsoDate,
  today: IsoDate,
): Promise<ChartPoint[]> {
  const days = Math.max(1, daysBetween(from, today) + 1);
  const r = await http.getJson({
    source: SOURCE,
    url: `${baseUrl}/charts/${slug}`,
    params: { timespan: `${days}days`, start: from, format: 'json', sampled: 'false' },
  });
  return parseChart(slug, r.body, { source: SOURCE, url: r.url });
}
