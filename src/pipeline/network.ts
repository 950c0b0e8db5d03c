// Network ingestion: each daily series and the retarget list fetched once for the range, validated, upserted.
import type { Context } from '../context.js';
import { describeError, PayloadError } from '../errors.js';
import { type ChartSlug, fetchChart } from '../sources/blockchain.js';
import { fetchDifficultyAdjustments, fetchHashrate, hashratePeriodFor } from '../sources/mempool.js';
import { refreshNetworkMonthly } from '../store/aggregate.js';
import { type DailyTable, newestDate, newestRetargetDate, upsertDaily, upsertRetargets } from '../store/network.js';
import { addDays, type IsoDate, toIsoDate } from '../time.js';
import { alreadyCommitted, type ChunkHooks, writeChunk } from './chunks.js';
import type { ItemResult } from './result.js';

/** The first day of bitcoin's history we ask for when a series is empty. */
export const HISTORY_START: IsoDate = '2009-01-03';
/** Days re-fetched before the newest stored day on an incremental run (upstreams revise their latest days). */
export const REFETCH_DAYS = 3;

interface DailySeries {
  readonly id: string;
  readonly source: 'mempool' | 'blockchain';
  readonly table: DailyTable;
  fetch(ctx: Context, from: IsoDate, today: IsoDate): Promise<ReadonlyArray<{ date: IsoDate; value: number }>>;
}

const chart = (slug: ChartSlug, table: DailyTable): DailySeries => ({
  id: `blockchain.${slug}`,
  source: 'blockchain',
  table,
  fetch: (ctx, from, today) => fetchChart(ctx.http, ctx.config.blockchainUrl, slug, from, today),
});

/** Every daily network series; the first of each figure is the primary one the monthly views read. */
export const NETWORK_SERIES: readonly DailySeries[] = [
  {
    id: 'mempool.hashrate',
    source: 'mempool',
    table: 'hashrate_daily',
    fetch: async (ctx, from, today) =>
      (await fetchHashrate(ctx.http, ctx.config.mempoolUrl, hashratePeriodFor(from, today))).map((r) => ({ date: r.date, value: r.hashrate_ehs })),
  },
  chart('market-price', 'btc_price_daily'),
  chart('miners-revenue', 'miners_revenue_daily'),
  chart('transaction-fees', 'tx_fees_daily'),
  chart('hash-rate', 'hashrate_daily'),
  chart('difficulty', 'difficulty_daily'),
];

export const RETARGETS_SERIES = 'mempool.difficulty-adjustments';
export const NETWORK_SERIES_IDS: readonly string[] = [...NETWORK_SERIES.map((s) => s.id), RETARGETS_SERIES];

export interface NetworkIngestOptions {
  /** First day to load; omitted = incremental (a few days before the newest stored day, or all history). */
  readonly from?: IsoDate;
  /** Last day to load (inclusive); omitted = yesterday, the last complete UTC day. */
  readonly to?: IsoDate;
  /** Restrict to these series ids or sources ('mempool', 'blockchain.market-price', …). */
  readonly only?: readonly string[];
  readonly chunks?: ChunkHooks;
}

function selected(id: string, only?: readonly string[]): boolean {
  return !only || only.length === 0 || only.some((o) => o === id || id.startsWith(`${o}.`) || o === 'network');
}

export async function ingestNetwork(ctx: Context, opts: NetworkIngestOptions = {}): Promise<ItemResult[]> {
  const today = toIsoDate(ctx.clock.now());
  const lastComplete = addDays(today, -1);
  const to = opts.to && opts.to < lastComplete ? opts.to : lastComplete;

  const tasks: Array<{ source: string; run: () => Promise<ItemResult> }> = [];
  for (const s of NETWORK_SERIES) {
    if (!selected(s.id, opts.only)) continue;
    tasks.push({ source: s.source, run: () => ingestDaily(ctx, s, opts.from, to, today, opts.chunks) });
  }
  if (selected(RETARGETS_SERIES, opts.only)) tasks.push({ source: 'mempool', run: () => ingestRetargets(ctx, opts.from, today, opts.chunks) });

  // Different hosts in parallel, one host's series one after another (the per-host throttle spaces them anyway).
  const bySource = new Map<string, Array<() => Promise<ItemResult>>>();
  for (const t of tasks) bySource.set(t.source, [...(bySource.get(t.source) ?? []), t.run]);
  const perSource = await Promise.all(
    [...bySource.values()].map(async (runs) => {
      const out: ItemResult[] = [];
      for (const run of runs) {
        const r = await run();
        opts.chunks?.onItem?.(r);
        out.push(r);
      }
      return out;
    }),
  );
  const order = new Map(NETWORK_SERIES_IDS.map((id, i) => [id, i]));
  const results = perSource.flat().sort((a, b) => (order.get(a.item) ?? 0) - (order.get(b.item) ?? 0));
  // Whatever did load is reflected in the monthly figures at once, even if another series failed.
  if (results.some((r) => r.status === 'ok')) {
    const months = refreshNetworkMonthly(ctx.sqlite);
    results.push({ item: 'network_monthly', status: 'ok', rows: 0, detail: `${months} months recomputed` });
  }
  return results;
}

async function ingestDaily(ctx: Context, s: DailySeries, fromOpt: IsoDate | undefined, to: IsoDate, today: IsoDate, chunks?: ChunkHooks): Promise<ItemResult> {
  if (chunks?.done(s.id)) return alreadyCommitted(s.id);
  let from = fromOpt;
  if (!from) {
    const newest = newestDate(ctx.sqlite, s.table, s.source);
    from = newest ? addDays(newest, -REFETCH_DAYS) : HISTORY_START;
  }
  if (from > to) return { item: s.id, status: 'skipped', rows: 0, detail: `nothing to fetch: ${from} is after ${to}` };
  try {
    const points = (await s.fetch(ctx, from, today)).filter((p) => p.date >= from && p.date <= to);
    if (points.length === 0) throw new PayloadError(s.source, s.id, `none of the points served fall in ${from}..${to}`);
    const rows = writeChunk(ctx, chunks, s.id, () => upsertDaily(ctx.sqlite, s.table, s.source, points));
    ctx.log.debug({ series: s.id, from, to, rows }, `${s.id}: ${rows} rows ${from}..${to}`);
    return { item: s.id, status: 'ok', rows, detail: `${from}..${to}` };
  } catch (err) {
    ctx.log.error({ series: s.id, err: describeError(err) }, `${s.id} failed: ${describeError(err)}`);
    return { item: s.id, status: 'failed', rows: 0, error: describeError(err) };
  }
}

async function ingestRetargets(ctx: Context, fromOpt: IsoDate | undefined, today: IsoDate, chunks?: ChunkHooks): Promise<ItemResult> {
  if (chunks?.done(RETARGETS_SERIES)) return alreadyCommitted(RETARGETS_SERIES);
  try {
    // The whole list is one small request and the all-time high needs all of it, so an empty table or a
    // backfill asks for everything; an incremental run asks for the window since the newest retarget.
    const newest = newestRetargetDate(ctx.sqlite);
    const period = fromOpt || !newest ? undefined : hashratePeriodFor(addDays(newest, -REFETCH_DAYS), today);
    const rows = await fetchDifficultyAdjustments(ctx.http, ctx.config.mempoolUrl, period === 'all' ? undefined : period);
    const n = writeChunk(ctx, chunks, RETARGETS_SERIES, () => upsertRetargets(ctx.sqlite, 'mempool', rows));
    return { item: RETARGETS_SERIES, status: 'ok', rows: n, detail: period ? `window ${period}` : 'all history' };
  } catch (err) {
    ctx.log.error({ series: RETARGETS_SERIES, err: describeError(err) }, `${RETARGETS_SERIES} failed: ${describeError(err)}`);
    return { item: RETARGETS_SERIES, status: 'failed', rows: 0, error: describeError(err) };
  }
}
