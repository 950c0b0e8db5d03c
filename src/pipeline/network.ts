// Network ingestion: each daily figure fetched once for the range from its chain of sources — the primary first,
// the next source only for what the ones before it failed or left uncovered — validated, upserted; and the
// retarget list.
import type { Context } from '../context.js';
import { asError, describeError, PayloadError } from '../errors.js';
import { type FetchedPayload, parseJsonBody } from '../http.js';
import type { ChartSlug } from '../sources/blockchain.js';
import type { DerivedDay } from '../sources/derived.js';
import type { HashrateHistory } from '../sources/mempool.js';
import { BITSTAMP_START, MEMPOOL_PRICE_START } from '../sources/validate.js';
import { refreshNetworkMonthly } from '../store/aggregate.js';
import {
  type DailyTable,
  newestDate,
  newestRetarget,
  newestRetargetDate,
  upsertDaily,
  upsertRetargets,
} from '../store/network.js';
import { addDays, daysBetween, type IsoDate, isoDateToUnix, toIsoDate, unixToIsoDate } from '../time.js';
import { alreadyCommitted, type ChunkHooks, writeChunk } from './chunks.js';
import { failedItem, type ItemResult } from './result.js';

/** The first day of bitcoin's history we ask for when a series is empty. */
export const HISTORY_START: IsoDate = '2009-01-03';
/** Days re-fetched before the newest stored day on an incremental run (upstreams revise their latest days). */
export const REFETCH_DAYS = 3;
/**
 * An incremental run asks for the retarget list only once this many days have passed since the newest stored
 * retarget. The next one comes 2,016 blocks later: 14 days at the 10-minute target, and no epoch since 2016 has been
 * shorter than about 11.5 days (the largest upward adjustments were under +20 %); an epoch of 9 days would need
 * the hashrate 55 % above the difficulty. Asking from day 9 on leaves that margin, and a missed list is asked again
 * the next day.
 */
export const RETARGET_DUE_DAYS = 9;

// The sources (their parsers and zod) load when a series is fetched: `check`, `status` and the publish readiness
// read the chain declarations below without them.
const mempool = () => import('../sources/mempool.js');
const blockchain = () => import('../sources/blockchain.js');
const bitstamp = () => import('../sources/bitstamp.js');
const derivedSource = () => import('../sources/derived.js');

/** The `source` a daily row is stored under. */
export type DailySourceName = 'mempool' | 'blockchain' | 'bitstamp' | 'derived';

export interface DailyPoint {
  readonly date: IsoDate;
  readonly value: number;
}

/** What one network run shares between the series it loads (the derived rows feed two figures). */
export interface RunState {
  readonly ctx: Context;
  readonly memo: Map<string, Promise<unknown>>;
}

/** One source of one daily figure. */
export interface DailyLink {
  /** Series id (`blockchain.market-price`): an item of results and backfill chunks, a token of `--only`. */
  readonly id: string;
  readonly source: DailySourceName;
  /** The upstream host asked (derived rows come from mempool.space): series of one host run one after another. */
  readonly host: 'mempool' | 'blockchain' | 'bitstamp';
  /** First day this source can have a value: uncovered days before it do not call for it. */
  readonly historyStart: IsoDate;
  fetch(run: RunState, from: IsoDate, to: IsoDate, today: IsoDate): Promise<readonly DailyPoint[]>;
  /** Its payloads in the raw archive, read again by `hashpulse reprocess` (src/pipeline/archive.ts): the URL path
   *  they were fetched from and the parser. Absent: reprocess leaves them alone. */
  readonly archived?: ArchivedDaily;
}

export interface ArchivedDaily {
  readonly path: RegExp;
  /** Loads the source's parser (sources load on demand: `check` and `status` read these declarations without
   *  them) and returns it. */
  parser(): Promise<(p: FetchedPayload) => readonly DailyPoint[]>;
}

/**
 * A daily series: the table it fills and its chain of sources, primary first. A `figure` feeds the note, and its
 * failure (no source gave anything) fails the run; a `comparison` series is only compared with the primary by
 * `hashpulse check`: its failure is reported but does not fail the run.
 */
export interface DailySeries {
  /** The primary source's id. */
  readonly id: string;
  readonly table: DailyTable;
  readonly role: 'figure' | 'comparison';
  readonly chain: readonly DailyLink[];
}

const series = (
  table: DailyTable,
  role: DailySeries['role'],
  chain: readonly [DailyLink, ...DailyLink[]],
): DailySeries => ({ id: chain[0].id, table, role, chain });

const chart = (slug: ChartSlug, historyStart: IsoDate = HISTORY_START): DailyLink => ({
  id: `blockchain.${slug}`,
  source: 'blockchain',
  host: 'blockchain',
  historyStart,
  fetch: async (run, from, _to, today) =>
    (await blockchain()).fetchChart(run.ctx.http, run.ctx.config.blockchainUrl, slug, from, today),
  archived: {
    path: new RegExp(`/charts/${slug}$`),
    parser: async () => {
      const { parseChart } = await blockchain();
      return (p) => parseChart(slug, parseJsonBody(p), p);
    },
  },
});

/** A whole-history answer asked once per run, whichever series needs it first. */
function once<T>(run: RunState, key: string, fetch: () => Promise<T>): Promise<T> {
  let p = run.memo.get(key) as Promise<T> | undefined;
  if (!p) {
    p = fetch();
    run.memo.set(key, p);
  }
  return p;
}

/** mempool.space's /mining/hashrate/all: the hashrate series on a full backfill, and an input of the derived rows. */
const hashrateHistory = (run: RunState): Promise<HashrateHistory> =>
  once(run, 'mempool.hashrate/all', async () =>
    (await mempool()).fetchHashrateHistory(run.ctx.http, run.ctx.config.mempoolUrl),
  );

/** mempool.space's rewards, fees and hashrate, fetched once per run for both derived figures. */
const derivedDays = (run: RunState): Promise<DerivedDay[]> =>
  once(run, 'derived', async () =>
    (await derivedSource()).fetchDerivedMinersDaily(run.ctx.http, run.ctx.config.mempoolUrl, () =>
      hashrateHistory(run),
    ),
  );

const derived = (figure: 'miners-revenue' | 'transaction-fees'): DailyLink => ({
  id: `derived.${figure}`,
  source: 'derived',
  host: 'mempool',
  historyStart: figure === 'miners-revenue' ? MEMPOOL_PRICE_START : HISTORY_START,
  fetch: async (run) =>
    (await derivedDays(run)).flatMap((d) => {
      const value = figure === 'miners-revenue' ? d.revenue_usd : d.fees_btc;
      return value === null ? [] : [{ date: d.date, value }];
    }),
});

/**
 * Every daily network series, one declaration each; a chain lists the sources of one figure in priority order:
 * the primary first, then the sources asked for the days it leaves out. The monthly figures take each day from
 * the first source of the chain that has it.
 */
export const NETWORK_SERIES: readonly DailySeries[] = [
  series('hashrate_daily', 'figure', [
    {
      id: 'mempool.hashrate',
      source: 'mempool',
      host: 'mempool',
      historyStart: HISTORY_START,
      fetch: async (run, from, _to, today) => {
        const { fetchHashrate, hashratePeriodFor } = await mempool();
        const period = hashratePeriodFor(from, today);
        const rows =
          period === 'all'
            ? (await hashrateHistory(run)).hashrates
            : await fetchHashrate(run.ctx.http, run.ctx.config.mempoolUrl, period);
        return rows.map((r) => ({ date: r.date, value: r.hashrate_ehs }));
      },
      archived: {
        path: /\/mining\/hashrate\//, // the windows (…/3m, …/6m) and the whole history (…/all)
        parser: async () => {
          const { parseHashrate } = await mempool();
          return (p) => parseHashrate(parseJsonBody(p), p).map((r) => ({ date: r.date, value: r.hashrate_ehs }));
        },
      },
    },
  ]),
  series('btc_price_daily', 'figure', [
    chart('market-price', MEMPOOL_PRICE_START), // blockchain.com's chart is 0 (no market) until mid-August 2010
    {
      id: 'mempool.historical-price',
      source: 'mempool',
      host: 'mempool',
      historyStart: MEMPOOL_PRICE_START,
      fetch: async (run) =>
        (await (await mempool()).fetchHistoricalPrice(run.ctx.http, run.ctx.config.mempoolUrl)).map((r) => ({
          date: r.date,
          value: r.price_usd,
        })),
    },
    {
      id: 'bitstamp.btcusd',
      source: 'bitstamp',
      host: 'bitstamp',
      historyStart: BITSTAMP_START,
      fetch: async (run, from, to, today) =>
        (await (await bitstamp()).fetchBitstampDaily(run.ctx.http, run.ctx.config.bitstampUrl, from, to, today)).map(
          (r) => ({
            date: r.date,
            value: r.close_usd,
          }),
        ),
    },
  ]),
  series('miners_revenue_daily', 'figure', [chart('miners-revenue', MEMPOOL_PRICE_START), derived('miners-revenue')]),
  series('tx_fees_daily', 'figure', [chart('transaction-fees'), derived('transaction-fees')]),
  series('hashrate_daily', 'comparison', [chart('hash-rate')]),
  series('difficulty_daily', 'comparison', [chart('difficulty')]),
];

export const RETARGETS_SERIES = 'mempool.difficulty-adjustments';
/** Every id `--only` and the results know: the series (= their primary source), the other sources, the retargets. */
export const NETWORK_SERIES_IDS: readonly string[] = [
  ...new Set([...NETWORK_SERIES.flatMap((s) => s.chain.map((l) => l.id)), RETARGETS_SERIES]),
];

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

/**
 * The sources of a series that run: the whole chain by default (or with `network`); with `--only` ids or source
 * names, just those sources, in chain order (`--only bitstamp` loads Bitstamp's closes for the whole range).
 */
export function linksToRun(s: DailySeries, only?: readonly string[]): DailyLink[] {
  return s.chain.filter((l) => selected(l.id, only));
}

/** The items (series, or the first selected source of each) a run with this `--only` loads, and the retargets. */
export function networkItems(only?: readonly string[]): string[] {
  const items = NETWORK_SERIES.flatMap((s) =>
    linksToRun(s, only)
      .slice(0, 1)
      .map((l) => l.id),
  );
  return selected(RETARGETS_SERIES, only) ? [...items, RETARGETS_SERIES] : items;
}

export async function ingestNetwork(ctx: Context, opts: NetworkIngestOptions = {}): Promise<ItemResult[]> {
  const today = toIsoDate(ctx.clock.now());
  const lastComplete = addDays(today, -1);
  const to = opts.to && opts.to < lastComplete ? opts.to : lastComplete;
  const run: RunState = { ctx, memo: new Map() };

  const tasks: Array<{ host: string; run: () => Promise<ItemResult> }> = [];
  for (const s of NETWORK_SERIES) {
    const links = linksToRun(s, opts.only);
    if (links.length === 0) continue;
    tasks.push({ host: links[0]!.host, run: () => ingestChain(run, s, links, opts.from, to, today, opts.chunks) });
  }
  if (selected(RETARGETS_SERIES, opts.only))
    tasks.push({ host: 'mempool', run: () => ingestRetargets(ctx, opts.from, today, opts.chunks) });

  // Different hosts in parallel, one host's series one after another (the per-host throttle spaces them anyway).
  const byHost = new Map<string, Array<() => Promise<ItemResult>>>();
  for (const t of tasks) byHost.set(t.host, [...(byHost.get(t.host) ?? []), t.run]);
  const perHost = await Promise.all(
    [...byHost.values()].map(async (runs) => {
      const out: ItemResult[] = [];
      for (const r0 of runs) {
        const r = await r0();
        opts.chunks?.onItem?.(r);
        out.push(r);
      }
      return out;
    }),
  );
  const order = new Map(NETWORK_SERIES_IDS.map((id, i) => [id, i]));
  const results = perHost.flat().sort((a, b) => (order.get(a.item) ?? 0) - (order.get(b.item) ?? 0));
  // Whatever did load is reflected in the monthly figures at once, even if another series failed.
  if (results.some((r) => r.status === 'ok')) {
    const months = refreshNetworkMonthly(ctx.sqlite);
    results.push({ item: 'network_monthly', status: 'ok', rows: 0, detail: `${months} months recomputed` });
  }
  return results;
}

/**
 * Days of from..to, on or after `start`, not in `covered` (dates of that range or others): their count and span.
 * Counted, not walked: the days of the range less the covered ones in it; then only the edges are walked to the
 * first and last uncovered day (a backfill asks this of 17 years, usually fully covered, for every source).
 */
function uncovered(
  from: IsoDate,
  to: IsoDate,
  start: IsoDate,
  covered: ReadonlySet<IsoDate>,
): { count: number; first: IsoDate; last: IsoDate } {
  const lo = from < start ? start : from;
  if (lo > to) return { count: 0, first: '', last: '' };
  let coveredIn = 0;
  for (const d of covered) if (d >= lo && d <= to) coveredIn++; // ISO dates compare as strings
  const count = daysBetween(lo, to) + 1 - coveredIn;
  if (count === 0) return { count, first: '', last: '' };
  let t = isoDateToUnix(lo);
  while (covered.has(unixToIsoDate(t))) t += 86_400;
  const first = unixToIsoDate(t);
  t = isoDateToUnix(to);
  while (covered.has(unixToIsoDate(t))) t -= 86_400;
  return { count, first, last: unixToIsoDate(t) };
}

/** The newest day stored for the first source that runs; without any, the newest of the chain's sources. */
function incrementalFrom(ctx: Context, s: DailySeries, links: readonly DailyLink[]): IsoDate {
  const newest =
    newestDate(ctx.sqlite, s.table, links[0]!.source) ??
    links
      .map((l) => newestDate(ctx.sqlite, s.table, l.source))
      .reduce<string | null>((a, b) => (b !== null && (a === null || b > a) ? b : a), null);
  return newest ? addDays(newest, -REFETCH_DAYS) : HISTORY_START;
}

/**
 * Runs one series' chain for from..to: the first source for the whole range; each next one, if days on or after
 * its history start are still uncovered, for the span of those days. Each source's rows are stored under its own
 * name, all in one transaction with the chunk mark. The series is ok when any source gave rows.
 */
async function ingestChain(
  run: RunState,
  s: DailySeries,
  links: readonly DailyLink[],
  fromOpt: IsoDate | undefined,
  to: IsoDate,
  today: IsoDate,
  chunks?: ChunkHooks,
): Promise<ItemResult> {
  const { ctx } = run;
  const item = links[0]!.id;
  if (chunks?.done(item)) return alreadyCommitted(item);
  const from = fromOpt ?? incrementalFrom(ctx, s, links);
  if (from > to) return { item, status: 'skipped', rows: 0, detail: `nothing to fetch: ${from} is after ${to}` };
  const covered = new Set<IsoDate>();
  const batches: Array<{ link: DailyLink; points: readonly DailyPoint[] }> = [];
  const notes: string[] = [];
  const errors: string[] = [];
  const errs: Error[] = [];
  // On an incremental run the next sources are asked only for days older than one day: a primary that publishes
  // yesterday late (blockchain.com often does) is asked again tomorrow, when the day is re-fetched anyway, instead of
  // every daily run costing a second-source request. A backfill (explicit from) fills every day it can at once.
  const fallbackTo = fromOpt === undefined ? addDays(to, -1) : to;
  for (const [i, link] of links.entries()) {
    let span: readonly [IsoDate, IsoDate] = [from, to];
    if (i > 0) {
      const need = uncovered(from, fallbackTo, link.historyStart, covered);
      if (need.count === 0) continue;
      span = [need.first, need.last];
      ctx.log.info(
        { series: item, source: link.id, days: need.count },
        `${item}: ${need.count} day(s) of ${from}..${to} uncovered; asking ${link.id} for ${span[0]}..${span[1]}`,
      );
    }
    try {
      const points = (await link.fetch(run, span[0], span[1], today)).filter(
        (p) => p.date >= span[0] && p.date <= span[1],
      );
      if (points.length === 0 && i === 0)
        throw new PayloadError(link.source, link.id, `none of the points served fall in ${span[0]}..${span[1]}`);
      if (points.length === 0) {
        // A later source that answered well but has nothing for these days (e.g. mempool.space's weekly era).
        notes.push(`${link.source} no rows for ${span[0]}..${span[1]}`);
        continue;
      }
      batches.push({ link, points });
      for (const p of points) covered.add(p.date);
      notes.push(`${link.source} ${points.length} rows ${span[0]}..${span[1]}`);
    } catch (err) {
      const msg = describeError(err);
      // The first source's error reads as before (its id is the item); later ones say which source failed.
      errors.push(i === 0 ? msg : `${link.id}: ${msg}`);
      errs.push(asError(err));
      notes.push(`${link.source} failed (${msg})`);
      ctx.log.warn({ series: item, source: link.id, err }, `${item}: ${link.id} failed: ${msg}`);
    }
  }
  if (batches.length === 0) {
    const error = errors.join('; ');
    // Every source's Error, stack and cause included, for the logs (`--verbose` shows them).
    const err = errs.length === 1 ? errs[0]! : new AggregateError(errs, error);
    if (s.role === 'comparison') {
      ctx.log.warn({ series: item, err }, `${item} (comparison only) not loaded: ${error}`);
      return { item, status: 'skipped', rows: 0, error, err, detail: 'comparison series only: the run goes on' };
    }
    ctx.log.error({ series: item, err }, `${item} failed: ${error}`);
    return { item, status: 'failed', rows: 0, error, err };
  }
  const rows = writeChunk(ctx, chunks, item, () =>
    batches.reduce((n, b) => n + upsertDaily(ctx.sqlite, s.table, b.link.source, b.points), 0),
  );
  const left = uncovered(
    from,
    to,
    links.reduce((a, l) => (l.historyStart < a ? l.historyStart : a), to), // ISO dates compare as strings
    covered,
  );
  const gap = left.count > 0 ? `; ${left.count} day(s) with no value from any source` : '';
  ctx.log.debug({ series: item, from, to, rows }, `${item}: ${rows} rows ${from}..${to}`);
  return {
    item,
    status: 'ok',
    rows,
    detail:
      notes.length === 1 && errors.length === 0 ? `${from}..${to}${gap}` : `${from}..${to}: ${notes.join('; ')}${gap}`,
  };
}

async function ingestRetargets(
  ctx: Context,
  fromOpt: IsoDate | undefined,
  today: IsoDate,
  chunks?: ChunkHooks,
): Promise<ItemResult> {
  if (chunks?.done(RETARGETS_SERIES)) return alreadyCommitted(RETARGETS_SERIES);
  const last = fromOpt ? null : newestRetarget(ctx.sqlite);
  if (last) {
    const dueAt = Date.parse(last.time_utc) + RETARGET_DUE_DAYS * 86_400_000;
    if (ctx.clock.now().getTime() < dueAt) {
      return {
        item: RETARGETS_SERIES,
        status: 'skipped',
        rows: 0,
        detail: `not due: the newest stored retarget (height ${last.height}, ${last.time_utc}) is less than ${RETARGET_DUE_DAYS} days old; the next comes 2,016 blocks after it`,
      };
    }
  }
  try {
    // The whole list is one small request and the all-time high needs all of it, so an empty table or a
    // backfill asks for everything; an incremental run asks for the window since the newest retarget.
    const newest = newestRetargetDate(ctx.sqlite);
    const { fetchDifficultyAdjustments, hashratePeriodFor } = await mempool();
    const period = fromOpt || !newest ? undefined : hashratePeriodFor(addDays(newest, -REFETCH_DAYS), today);
    const rows = await fetchDifficultyAdjustments(
      ctx.http,
      ctx.config.mempoolUrl,
      period === 'all' ? undefined : period,
    );
    const n = writeChunk(ctx, chunks, RETARGETS_SERIES, () => upsertRetargets(ctx.sqlite, 'mempool', rows));
    return { item: RETARGETS_SERIES, status: 'ok', rows: n, detail: period ? `window ${period}` : 'all history' };
  } catch (err) {
    ctx.log.error({ series: RETARGETS_SERIES, err }, `${RETARGETS_SERIES} failed: ${describeError(err)}`);
    return failedItem(RETARGETS_SERIES, err);
  }
}
