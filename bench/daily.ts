// npm run bench (daily requests): what one daily run of network + equities + shares asks the upstreams, after a
// backfill has filled the database — the 14 miners and ^GSPC of data/universe.json, against a fake upstream on
// 127.0.0.1 serving synthetic payloads in the published formats (bench/synthetic.ts). Prints requests per host and
// the total, and fails its own check (exit 1) above 12. Not a test: no assertion on values, only the count.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { equities } from '../jobs/equities.js';
import { network } from '../jobs/network.js';
import { shares } from '../jobs/shares.js';
import { loadConfig } from '../src/config.js';
import { createContext } from '../src/context.js';
import { silentLogger } from '../src/log.js';
import { runJob } from '../src/pipeline/job.js';
import { loadUniverse } from '../src/universe.js';
import { FakeUpstream, json, type SeenRequest } from '../test/support/fake-upstream.js';
import type { BenchCheck } from './bench-module.js';
import {
  benchUpstreamEnv,
  serveSyntheticSec,
  syntheticDailyIndex,
  syntheticNetwork,
  syntheticYahooChart,
  syntheticYahooSpark,
} from './synthetic.js';

/** The goal of issue 12: a daily run in at most this many requests. */
export const DAILY_REQUESTS_TARGET = 12;
/**
 * The daily run is at the tests' clock, Sunday 2026-02-01 01:00 in New York; the backfill two days before (Friday
 * 01:00), so that the daily run has a weekday's EDGAR index to read (Friday's; Saturday has none) — a weekday's cost.
 */
const BACKFILL_AT = '2026-01-30T06:00:00Z';
const DAILY_AT = '2026-02-01T06:00:00Z';

/** Which upstream host a request to the fake went to, by the path each real host serves. */
export function hostOf(r: SeenRequest): string {
  if (r.path.startsWith('/charts/')) return 'blockchain.info';
  if (r.path.startsWith('/api/v2/ohlc/')) return 'bitstamp.net';
  if (r.path.startsWith('/api/v1/')) return 'mempool.space';
  if (r.path.startsWith('/v8/finance/')) return 'query1.finance.yahoo.com';
  if (r.path.startsWith('/api/quote/')) return 'api.nasdaq.com';
  if (r.path.startsWith('/submissions/') || r.path.startsWith('/api/xbrl/')) return 'data.sec.gov';
  if (r.path.startsWith('/Archives/')) return 'www.sec.gov';
  return 'other';
}

export async function run(): Promise<{ lines: string[]; ok: boolean; checks: BenchCheck[] }> {
  const universePath = path.resolve(import.meta.dirname, '../../data/universe.json');
  const universe = loadUniverse(universePath);
  const fake = await FakeUpstream.start();
  const net = syntheticNetwork();
  for (const p of ['all', '3d', '1w', '1m', '3m', '6m', '1y', '2y', '3y'])
    fake.on(`/api/v1/mining/hashrate/${p}`, json(net.hashrate));
  fake.on('/api/v1/mining/difficulty-adjustments', json(net.adjustments));
  for (const p of ['3d', '1w', '1m', '3m'])
    fake.on(`/api/v1/mining/difficulty-adjustments/${p}`, json(net.adjustments.slice(0, 3)));
  for (const [slug, body] of Object.entries(net.charts)) fake.on(`/charts/${slug}`, json(body));
  const charts = new Map<string, unknown>();
  for (const t of universe.tickers) {
    // Every symbol a ticker traded under (BITF before KEEL, …) is served, the way Yahoo keeps them.
    for (const symbol of new Set([t.ticker, ...(t.symbols ?? []).map((s) => s.symbol)])) {
      const chart = syntheticYahooChart(symbol, t.listed_since ?? '2010-01-04');
      charts.set(symbol, chart);
      fake.on(`/v8/finance/chart/${encodeURIComponent(symbol)}`, json(chart));
    }
    serveSyntheticSec(fake, t);
  }
  fake.on('/v8/finance/spark', (req) => json(syntheticYahooSpark(req, charts)));
  // EDGAR's daily indexes: a weekday's form index (nobody of ours filed); a weekend day has none (403, as www.sec.gov
  // answers for a path that does not exist).
  fake.intercept = (req) =>
    req.path.startsWith('/Archives/edgar/daily-index/') ? syntheticDailyIndex(req.path) : undefined;

  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hashpulse-bench-'));
  const env = {
    HASHPULSE_DB: path.join(dir, 'daily.db'),
    ...benchUpstreamEnv(fake.url),
    HASHPULSE_UNIVERSE: universePath,
    HASHPULSE_SHARES_OVERRIDES: path.join(dir, 'shares-overrides.csv'),
  };
  const config = loadConfig(env);
  const log = silentLogger();
  let now = new Date(BACKFILL_AT);
  const { ctx, close } = await createContext({ config, log, clock: { now: () => now } });
  try {
    for (const [job, params] of [
      [network, { from: '2025-01-01' }],
      [shares, { refresh: 'all' as const }],
      [equities, { from: '2025-01-01' }],
    ] as const) {
      const r = await runJob(ctx, job, 'backfill', params);
      if (r.status !== 'ok') throw new Error(`bench backfill of ${job.name} failed: ${r.error}`);
    }
    const runDay = async (at: Date) => {
      now = at;
      const seen = fake.requests.length;
      const daily = [];
      for (const job of [network, equities, shares]) daily.push(await runJob(ctx, job, 'schedule'));
      const failed = daily.filter((r) => r.status !== 'ok');
      if (failed.length) throw new Error(`bench daily run failed: ${failed.map((r) => r.error).join('; ')}`);
      const perHost = new Map<string, number>();
      for (const r of fake.requests.slice(seen)) perHost.set(hostOf(r), (perHost.get(hostOf(r)) ?? 0) + 1);
      return { daily, perHost, total: fake.requests.length - seen };
    };
    const first = await runDay(new Date(DAILY_AT));
    // The next day: the closes the first run took from Yahoo's spark batch have no volume, so two tickers take
    // their turn at the chart (steady state).
    const nextAt = new Date(Date.parse(DAILY_AT) + 86_400_000);
    const next = await runDay(nextAt);
    const ok = first.total <= DAILY_REQUESTS_TARGET && next.total <= DAILY_REQUESTS_TARGET;
    const describe = (label: string, d: typeof first) => [
      label,
      `  per job: ${d.daily.map((r) => `${r.job} ${r.requests}`).join(', ')}`,
      `  per host: ${[...d.perHost.entries()]
        .sort((a, b) => b[1] - a[1])
        .map(([h, n]) => `${h} ${n}`)
        .join(', ')}`,
      `  total: ${d.total} requests (target <= ${DAILY_REQUESTS_TARGET}) ${d.total <= DAILY_REQUESTS_TARGET ? 'ok' : 'FAILED'}`,
    ];
    const lines = [
      ...describe(
        `daily run (network + equities + shares, ${universe.tickers.length} tickers, ${universe.miners.length} SEC filers) at ${DAILY_AT}, after a backfill at ${BACKFILL_AT}:`,
        first,
      ),
      ...describe(`the next day's run at ${nextAt.toISOString()} (volume turns included):`, next),
    ];
    const checks: BenchCheck[] = [
      {
        metric: 'daily run requests, after a backfill',
        before: '36',
        now: String(first.total),
        target: `<= ${DAILY_REQUESTS_TARGET}`,
        ok: first.total <= DAILY_REQUESTS_TARGET,
      },
      {
        metric: 'daily run requests, the next day',
        before: '36',
        now: String(next.total),
        target: `<= ${DAILY_REQUESTS_TARGET}`,
        ok: next.total <= DAILY_REQUESTS_TARGET,
      },
    ];
    return { lines, ok, checks };
  } finally {
    await close();
    await fake.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const { lines, ok } = await run();
  console.log(lines.join('\n'));
  if (!ok) process.exitCode = 1;
}
