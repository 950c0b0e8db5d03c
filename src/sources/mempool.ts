// mempool.space mining API: daily network hashrate and the list of difficulty retargets.
import { z } from 'zod';
import { PayloadError } from '../errors.js';
import type { Http } from '../http.js';
import { addDays, byDate, daysBetween, type IsoDate, unixToIsoDate } from '../time.js';
import { assertPlausible, BOUNDS, parseWith, type PayloadContext } from './validate.js';

export const SOURCE = 'mempool';

export interface HashrateRow { readonly date: IsoDate; readonly hashrate_ehs: number }
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
  z.tuple([z.number().int().positive(), z.number().int().nonnegative(), z.number().positive(), z.number().nonnegative()]),
);

/**
 * H/s → EH/s, and the end-of-day stamp shifted back to the day measured; zero days (no blocks indexed) dropped.
 * A point that is not at a midnight keeps its own day: the only one mempool serves is the genesis point
 * (1231006505 = 2009-01-03T18:15:05Z, `getnetworkhashps(1, 1)`), added by hand in front of the daily points of
 * the whole-history list; it is stored as 2009-01-03, the genesis day.
 */
export function parseHashrate(body: unknown, ctx: PayloadContext): HashrateRow[] {
  const data = parseWith(HashrateResponse, body, ctx);
  const points = new Map<IsoDate, HashrateRow>();
  for (const h of data.hashrates) {
    if (h.avgHashrate === 0) continue; // no blocks indexed that day: store nothing rather than a zero
    // The row stamped 2024-01-02T00:00Z measures 2024-01-01: the stamp is the midnight that ends the day.
    const date = h.timestamp % 86_400 === 0 ? addDays(unixToIsoDate(h.timestamp), -1) : unixToIsoDate(h.timestamp);
    points.set(date, { date, hashrate_ehs: h.avgHashrate / 1e18 });
  }
  const rows = [...points.values()].sort(byDate);
  if (rows.length === 0) throw new PayloadError(ctx.source, ctx.url, 'no daily hashrate rows (every window of mempool.space has some)');
  assertPlausible(rows.map((r) => ({ date: r.date, value: r.hashrate_ehs })), BOUNDS.hashrate_ehs, ctx);
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
    if (ratio === 0 && height !== 0) throw new PayloadError(ctx.source, ctx.url, `retarget at height ${height} has ratio 0 (only the genesis row, height 0, may)`);
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
  assertPlausible(rows.map((r) => ({ date: r.date, value: r.difficulty })), BOUNDS.difficulty, ctx);
  for (const r of rows) {
    if (r.change_pct !== null && (r.change_pct > 300.0001 || r.change_pct < -75.0001)) {
      throw new PayloadError(ctx.source, ctx.url, `retarget at height ${r.height} changes difficulty by ${r.change_pct.toFixed(2)}%, beyond the protocol's x4 / ÷4`);
    }
  }
  return rows;
}

/** mempool.space's fixed windows (any other value returns the whole history), with their length in days. */
const PERIODS: ReadonlyArray<readonly [string, number]> = [
  ['3d', 3], ['1w', 7], ['1m', 28], ['3m', 89], ['6m', 181], ['1y', 365], ['2y', 730], ['3y', 1095], ['4y', 1460],
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
