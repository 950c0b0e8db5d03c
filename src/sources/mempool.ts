// mempool.space API: daily network hashrate, the list of difficulty retargets, the BTC/USD price history and
// per-block rewards and fees in daily buckets (the inputs of the derived revenue and fees, sources/derived.ts).
import * as z from 'zod';
import { PayloadError } from '../errors.js';
import type { Http } from '../http.js';
import { byDate, daysBetween, type IsoDate, unixToIsoDate } from '../time.js';
import { assertPlausible, BOUNDS, type PayloadContext, parseWith } from './validate.js';

export const SOURCE = 'mempool';

export interface HashrateRow {
  readonly date: IsoDate;
  readonly hashrate_ehs: number;
}
export interface RetargetRow {
  readonly height: number;
  readonly time_utc: string;
  readonly date: IsoDate;
  readonly difficulty: number;
  readonly change_pct: number | null;
}

export const HashrateResponse = z.object({
  hashrates: z.array(z.object({ timestamp: z.number().int(), avgHashrate: z.number().nonnegative() })),
  // The `difficulty` list uses the key `time` today (older docs show `timestamp`); we do not read it.
  difficulty: z.array(z.unknown()).optional(),
  currentHashrate: z.number().optional(),
  currentDifficulty: z.number().optional(),
});

// [time_s, height, difficulty, ratio], newest first; ratio 1.06983 means +6.983 %. The whole-history list ends
// with mempool's hand-added genesis row [1231006505, 0, 1, 0]: ratio 0, because it has no predecessor
// (backend/src/api/mining/mining.ts, $indexDifficultyAdjustments).
export const DifficultyAdjustmentsResponse = z.array(
  z.tuple([
    z.number().int().positive(),
    z.number().int().nonnegative(),
    z.number().positive(),
    z.number().nonnegative(),
  ]),
);

/**
 * H/s → EH/s, and the end-of-day stamp shifted back to the day measured; zero days (no blocks indexed) dropped.
 * A point that is not at a midnight keeps its own day: the only one mempool serves is the genesis point
 * (1231006505 = 2009-01-03T18:15:05Z, `getnetworkhashps(1, 1)`), added by hand in front of the daily points of
 * the whole-history list; it is stored as 2009-01-03, the genesis day.
 */
export function parseHashrate(body: unknown, ctx: PayloadContext): HashrateRow[] {
  const data = parseWith(HashrateResponse, body, ctx);
  // One row per day, the last of a day winning. Rows come in ascending days (the genesis point and the first
  // daily point share 2009-01-03): appended as they come, a repeat of the last day replacing it; any other order
  // goes through a map by day, sorted by day.
  let rows: HashrateRow[] = [];
  let points: Map<IsoDate, HashrateRow> | undefined;
  for (const h of data.hashrates) {
    if (h.avgHashrate === 0) continue; // no blocks indexed that day: store nothing rather than a zero
    // The row stamped 2024-01-02T00:00Z measures 2024-01-01: the stamp is the midnight that ends the day.
    const date = unixToIsoDate(h.timestamp % 86_400 === 0 ? h.timestamp - 86_400 : h.timestamp);
    const row = { date, hashrate_ehs: h.avgHashrate / 1e18 };
    const last = rows.length > 0 ? rows[rows.length - 1]!.date : '';
    if (!points && date >= last) {
      if (date === last) rows[rows.length - 1] = row;
      else rows.push(row);
      continue;
    }
    points ??= new Map(rows.map((r) => [r.date, r]));
    points.set(date, row);
  }
  if (points) rows = [...points.values()].sort(byDate);
  if (rows.length === 0)
    throw new PayloadError(ctx.source, ctx.url, 'no daily hashrate rows (every window of mempool.space has some)', {
      empty: true,
    });
  assertPlausible(
    rows.map((r) => ({ date: r.date, value: r.hashrate_ehs })),
    BOUNDS.hashrate_ehs,
    ctx,
  );
  return rows;
}

/**
 * The retarget list by height, with the change in percent. The genesis row (height 0, difficulty 1, ratio 0) is
 * kept as the first "retarget" — the difficulty in force until height 32,256 — with `change_pct` NULL: it has no
 * predecessor. A ratio of 0 anywhere else is a broken payload.
 */
export function parseDifficultyAdjustments(body: unknown, ctx: PayloadContext): RetargetRow[] {
  const data = parseWith(DifficultyAdjustmentsResponse, body, ctx);
  const byHeight = new Map<number, RetargetRow>();
  for (const [time, height, difficulty, ratio] of data) {
    if (ratio === 0 && height !== 0)
      throw new PayloadError(
        ctx.source,
        ctx.url,
        `retarget at height ${height} has ratio 0 (only the genesis row, height 0, may)`,
      );
    const iso = new Date(time * 1000).toISOString();
    byHeight.set(height, {
      height,
      time_utc: iso.replace('.000Z', 'Z'),
      date: iso.slice(0, 10),
      difficulty,
      change_pct: height === 0 ? null : (ratio - 1) * 100,
    });
  }
  const rows = [...byHeight.values()].sort((a, b) => a.height - b.height);
  assertPlausible(
    rows.map((r) => ({ date: r.date, value: r.difficulty })),
    BOUNDS.difficulty,
    ctx,
  );
  for (const r of rows) {
    if (r.change_pct !== null && (r.change_pct > 300.0001 || r.change_pct < -75.0001)) {
      throw new PayloadError(
        ctx.source,
        ctx.url,
        `retarget at height ${r.height} changes difficulty by ${r.change_pct.toFixed(2)}%, beyond the protocol's x4 / ÷4`,
      );
    }
  }
  return rows;
}

/** mempool.space's fixed windows (any other value returns the whole history), with their length in days. */
const PERIODS: ReadonlyArray<readonly [string, number]> = [
  ['3d', 3],
  ['1w', 7],
  ['1m', 28],
  ['3m', 89],
  ['6m', 181],
  ['1y', 365],
  ['2y', 730],
  ['3y', 1095],
  ['4y', 1460],
];

/** The smallest window whose start lies before `from` (rows are stamped a day late, hence the spare day). */
export function hashratePeriodFor(from: IsoDate, today: IsoDate): string {
  const need = daysBetween(from, today) + 2;
  for (const [name, days] of PERIODS) if (need <= days) return name;
  return 'all';
}

export async function fetchHashrate(http: Http, baseUrl: string, period: string): Promise<HashrateRow[]> {
  const r = await http.getJson({ source: SOURCE, url: `${baseUrl}/api/v1/mining/hashrate/${period}` });
  return parseHashrate(r.body, { source: SOURCE, url: r.url });
}

/** `period` undefined fetches every retarget since 2009 (about 450 rows, one request). */
export async function fetchDifficultyAdjustments(http: Http, baseUrl: string, period?: string): Promise<RetargetRow[]> {
  const path = period ? `/api/v1/mining/difficulty-adjustments/${period}` : '/api/v1/mining/difficulty-adjustments';
  const r = await http.getJson({ source: SOURCE, url: `${baseUrl}${path}` });
  return parseDifficultyAdjustments(r.body, { source: SOURCE, url: r.url });
}

// ---------------------------------------------------------------------------------------------------------------
// BTC/USD price history: GET /api/v1/historical-price?currency=USD (backend/src/repositories/PricesRepository.ts,
// $getHistoricalPrices). One answer with the whole history, newest first: weekly rows (MtGox, then Kraken) until
// about 2022-05, hourly rows since, every stamp on a full hour.

export interface DailyPriceRow {
  readonly date: IsoDate;
  readonly price_usd: number;
}

export const HistoricalPriceResponse = z.object({
  // With currency=USD the keys `[currency]` and `USD` collapse: each row is {time, USD}.
  prices: z.array(z.object({ time: z.number().int(), USD: z.number() })),
  exchangeRates: z.record(z.string(), z.number()).optional(),
});

/** How far before D+1 00:00 UTC the last price row may be and still stand for day D's close. */
export const PRICE_CLOSE_TOLERANCE_S = 2 * 3600;
export { MEMPOOL_PRICE_START } from './validate.js';

/**
 * Day D's price is its close: the last row at or before D+1 00:00 UTC, taken only if it is at most 2 hours
 * before that instant AND belongs to the hourly series (a neighbouring row within 2 hours). A weekly row — even
 * one stamped exactly at a midnight — is a week's candle, not a daily close: days of the weekly era are left out.
 * Rows with USD ≤ 0 (mempool's fake 2010 row, values reset by its sanity check) are not prices.
 */
export function parseHistoricalPrice(body: unknown, ctx: PayloadContext): DailyPriceRow[] {
  const data = parseWith(HistoricalPriceResponse, body, ctx);
  if (data.prices.length === 0)
    throw new PayloadError(ctx.source, ctx.url, 'empty prices list (mempool.space always has its 2010 rows)');
  const byTime = new Map<number, number>();
  for (const p of data.prices) if (p.USD > 0) byTime.set(p.time, p.USD);
  const times = [...byTime.keys()].sort((a, b) => a - b);
  const closes = new Map<IsoDate, DailyPriceRow>();
  for (let i = 0; i < times.length; i++) {
    const t = times[i]!;
    const hourly =
      (i > 0 && t - times[i - 1]! <= PRICE_CLOSE_TOLERANCE_S) ||
      (i + 1 < times.length && times[i + 1]! - t <= PRICE_CLOSE_TOLERANCE_S);
    const closeAt = Math.ceil(t / 86_400) * 86_400; // the midnight at or after the row
    if (!hourly || closeAt - t > PRICE_CLOSE_TOLERANCE_S) continue;
    const date = unixToIsoDate(closeAt - 86_400);
    closes.set(date, { date, price_usd: byTime.get(t)! }); // ascending: the last row before the midnight wins
  }
  const rows = [...closes.values()].sort(byDate);
  if (rows.length === 0)
    throw new PayloadError(
      ctx.source,
      ctx.url,
      `no hourly price rows among ${data.prices.length}: no daily close can be read`,
    );
  assertPlausible(
    rows.map((r) => ({ date: r.date, value: r.price_usd })),
    BOUNDS.price_usd,
    ctx,
  );
  return rows;
}

export async function fetchHistoricalPrice(http: Http, baseUrl: string): Promise<DailyPriceRow[]> {
  const r = await http.getJson({
    source: SOURCE,
    url: `${baseUrl}/api/v1/historical-price`,
    params: { currency: 'USD' },
  });
  return parseHistoricalPrice(r.body, { source: SOURCE, url: r.url });
}

// ---------------------------------------------------------------------------------------------------------------
// Block rewards and fees per bucket: GET /api/v1/mining/blocks/{rewards,fees}/all (BlocksRepository.ts,
// $getHistoricalBlockRewards / $getHistoricalBlockFees). With `all` (or any unknown period) the buckets are
// UTC days (GROUP BY UNIX_TIMESTAMP(blockTimestamp) DIV 86400). Each holds AVERAGES per block in sats, the mean
// height and mean block time, and the USD price mempool linked to one of the bucket's blocks; NOT the number
// of blocks, so no daily total can be read from one bucket alone (see sources/derived.ts).

export interface BlockBucket {
  readonly date: IsoDate;
  readonly avg_height: number;
  /** Average per block, in satoshis: coinbase outputs (subsidy + fees claimed) for rewards, fees for fees. */
  readonly avg_sats: number;
  /** Price (USD) of one block of the bucket, in practice the first: the hourly price after its time. */
  readonly usd: number | null;
}

const bucket = {
  avgHeight: z.number().int().nonnegative(),
  timestamp: z.number().int().positive(),
  USD: z.number().optional(),
};
export const BlockRewardsResponse = z.array(z.object({ ...bucket, avgRewards: z.number().int().nonnegative() }));
export const BlockFeesResponse = z.array(z.object({ ...bucket, avgFees: z.number().int().nonnegative() }));

function toBuckets(
  kind: 'rewards' | 'fees',
  data: ReadonlyArray<{ avgHeight: number; timestamp: number; USD?: number | undefined; avg: number }>,
  ctx: PayloadContext,
): BlockBucket[] {
  if (data.length === 0) throw new PayloadError(ctx.source, ctx.url, `empty block ${kind} list`);
  const byDay = new Map<IsoDate, BlockBucket>();
  for (const b of data) {
    const date = unixToIsoDate(b.timestamp); // the mean block time lies inside the bucket's UTC day
    if (byDay.has(date))
      throw new PayloadError(
        ctx.source,
        ctx.url,
        `two block ${kind} buckets on ${date}: not daily buckets (ask for period "all")`,
      );
    byDay.set(date, {
      date,
      avg_height: b.avgHeight,
      avg_sats: b.avg,
      usd: b.USD !== undefined && b.USD > 0 ? b.USD : null,
    });
  }
  return [...byDay.values()].sort(byDate);
}

export function parseBlockRewards(body: unknown, ctx: PayloadContext): BlockBucket[] {
  return toBuckets(
    'rewards',
    parseWith(BlockRewardsResponse, body, ctx).map((b) => ({ ...b, avg: b.avgRewards })),
    ctx,
  );
}

export function parseBlockFees(body: unknown, ctx: PayloadContext): BlockBucket[] {
  return toBuckets(
    'fees',
    parseWith(BlockFeesResponse, body, ctx).map((b) => ({ ...b, avg: b.avgFees })),
    ctx,
  );
}

/** Daily buckets over the whole history (about 6,000 rows, one request each). */
export async function fetchBlockBuckets(http: Http, baseUrl: string, kind: 'rewards' | 'fees'): Promise<BlockBucket[]> {
  const r = await http.getJson({ source: SOURCE, url: `${baseUrl}/api/v1/mining/blocks/${kind}/all` });
  const ctx = { source: SOURCE, url: r.url };
  return kind === 'rewards' ? parseBlockRewards(r.body, ctx) : parseBlockFees(r.body, ctx);
}

// The retarget list inside /mining/hashrate/{period} (`difficulty`, oldest first; key `time`, formerly
// `timestamp`): with `all` it is every retarget from the genesis row on, which is what derived.ts needs.
export const HashrateDifficultyList = z.array(
  z.object({
    height: z.number().int().nonnegative(),
    difficulty: z.number().positive(),
    time: z.number().int().optional(),
    timestamp: z.number().int().optional(),
  }),
);

export interface HashrateHistory {
  readonly hashrates: HashrateRow[];
  /** Retargets by height, ascending: [height, difficulty]. */
  readonly difficulty: ReadonlyArray<readonly [number, number]>;
}

export function parseHashrateHistory(body: unknown, ctx: PayloadContext): HashrateHistory {
  const hashrates = parseHashrate(body, ctx);
  // Missing or empty only matters to the derived rows (deriveMinersDaily says so); the hashrate stands alone.
  const list = parseWith(z.object({ difficulty: HashrateDifficultyList.optional() }), body, ctx).difficulty ?? [];
  const difficulty = list.map((d) => [d.height, d.difficulty] as const).sort((a, b) => a[0] - b[0]);
  return { hashrates, difficulty };
}

export async function fetchHashrateHistory(http: Http, baseUrl: string): Promise<HashrateHistory> {
  const r = await http.getJson({ source: SOURCE, url: `${baseUrl}/api/v1/mining/hashrate/all` });
  return parseHashrateHistory(r.body, { source: SOURCE, url: r.url });
}
