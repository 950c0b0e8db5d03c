// npm run bench:daemon — the daemon's memory and idle CPU: RSS after start-up and after 100 scheduled runs of
// the network job (every 2 s against a fake upstream on 127.0.0.1), then RSS and CPU of an idle daemon (no
// catch-up, nothing due for hours). Targets: idle <= 60 MB; <= 80 MB after 100 runs, and no growth (the RSS
// after 100 runs at most 5 MB above the RSS after 20). RSS is VmRSS from /proc: it counts the pages of the node
// binary the process touched (ICU data, for one, once anything formats dates with Intl), about 30 MB for bare node.
// The daemon runs each job in a process of its own (src/daemon/job-runner.ts): the RSS figures are the daemon's,
// and the job processes' peak RSS (ru_maxrss, which each logs as it ends) is reported beside them: memory the
// machine needs for the seconds a run lasts, given back when it ends.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { FakeUpstream, json } from '../test/support/fake-upstream.js';
import { type BenchCheck, median } from './bench-module.js';
import { syntheticNetwork, syntheticYahooChart } from './synthetic.js';

const CLI = path.resolve(import.meta.dirname, '../src/cli.cjs');
const IDLE_MB = 60;
const RUNS_MB = 80;
const GROWTH_MB = 5;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const rssMb = (pid: number) =>
  Number(/VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;
/** Where the resident memory is: anonymous (heaps, malloc) and file-backed (mostly the node binary's pages). */
const rssSplit = (pid: number) => {
  const t = fs.readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8');
  const kb = (k: string) => Number(new RegExp(`^${k}:\\s+(\\d+)`, 'm').exec(t)?.[1] ?? 0);
  return `${(kb('Anonymous') / 1024).toFixed(1)} MB anonymous, ${((kb('Rss') - kb('Anonymous')) / 1024).toFixed(1)} MB file-backed`;
};
const cpuTicks = (pid: number) => {
  const f = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return Number(f[11]) + Number(f[12]); // utime + stime, in clock ticks (100 per second)
};

export async function run(): Promise<{ lines: string[]; ok: boolean; checks: BenchCheck[] }> {
  const fake = await FakeUpstream.start();
  const net = syntheticNetwork();
  // Windows answered like the real services: a short period gets its last days, a chart its days from `start`.
  const days: Record<string, number> = { '3d': 3, '1w': 7, '1m': 30, '3m': 91 };
  fake.on('/api/v1/mining/hashrate/all', json(net.hashrate));
  for (const [p, n] of Object.entries(days))
    fake.on(`/api/v1/mining/hashrate/${p}`, json({ ...net.hashrate, hashrates: net.hashrate.hashrates.slice(-n) }));
  fake.on('/api/v1/mining/difficulty-adjustments', json(net.adjustments));
  for (const p of Object.keys(days))
    fake.on(`/api/v1/mining/difficulty-adjustments/${p}`, json(net.adjustments.slice(0, 3)));
  for (const [slug, body] of Object.entries(net.charts)) {
    fake.on(`/charts/${slug}`, (req) => {
      const from = Date.parse(`${req.query.start ?? '2009-01-03'}T00:00:00Z`) / 1000;
      return json({ ...body, values: body.values.filter((v) => v.x >= from) });
    });
  }
  fake.on('/v8/finance/chart/%5EGSPC', json(syntheticYahooChart('^GSPC', '2020-01-02')));

  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hashpulse-daemon-bench-'));
  const universe = path.join(dir, 'universe.json');
  fs.writeFileSync(
    universe,
    JSON.stringify({ tickers: [{ ticker: '^GSPC', name: 'S&P 500', role: 'benchmark', listed_since: '2020-01-02' }] }),
  );
  const db = path.join(dir, 'daemon.db');
  const env = {
    PATH: process.env.PATH ?? '',
    HASHPULSE_DB: db,
    HASHPULSE_UNIVERSE: universe,
    HASHPULSE_LOG_LEVEL: 'warn',
    // The publish job runs at catch-up too: its notes go to the bench's folder, not data/notes of the tree.
    HASHPULSE_PUBLISH_DIR: path.join(dir, 'notes'),
    HASHPULSE_MEMPOOL_URL: fake.url,
    HASHPULSE_BLOCKCHAIN_URL: fake.url,
    HASHPULSE_YAHOO_URL: fake.url,
    HASHPULSE_NASDAQ_URL: fake.url,
    HASHPULSE_BITSTAMP_URL: fake.url,
    HASHPULSE_SEC_URL: fake.url,
    HASHPULSE_SEC_ARCHIVES_URL: fake.url,
    HASHPULSE_SEC_USER_AGENT: 'bench bench@example.com',
    HASHPULSE_HTTP_MIN_INTERVAL_MS: '0',
    // The synthetic history ends on 2026-01-31: "now" is the next morning, so a run finds yesterday served and asks
    // no fallback source (on the wall clock it looked for months the fake does not serve, through every source's
    // retries, and most 2-second ticks were skipped as the previous run was still going).
    HASHPULSE_NOW: '2026-02-01T06:00:00Z',
  };
  const runsOf = (statuses = "'ok', 'failed'") => {
    if (!fs.existsSync(db)) return 0;
    const r = new BetterSqlite3(db, { readonly: true });
    try {
      return (
        (r
          .prepare(
            `select count(*) from job_runs where job = 'network' and trigger = 'schedule' and status in (${statuses})`,
          )
          .pluck()
          .get() as number) ?? 0
      );
    } catch {
      return 0;
    } finally {
      r.close();
    }
  };

  // Phase 1: the network job every 2 seconds (node-cron's six-field form), 100 runs (ticks skipped while the previous
  // run is still going are not counted). Logged at info, for the line
  // each job process's end gets (its peak RSS).
  const d1 = spawn(process.execPath, [CLI, 'daemon'], {
    env: { ...env, HASHPULSE_SCHEDULE_NETWORK: '*/2 * * * * *', HASHPULSE_LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  const jobPeaks: number[] = []; // the scheduled network runs
  const catchUpPeaks: string[] = []; // the start's catch-up runs, all history of every job on an empty file
  let pending = '';
  d1.stdout.on('data', (d: Buffer) => {
    const lines = (pending + d.toString()).split('\n');
    pending = lines.pop() ?? '';
    for (const l of lines) {
      const peak = /"peakRssMb":([\d.]+)/.exec(l)?.[1];
      if (peak === undefined) continue;
      if (l.includes('"trigger":"schedule"')) jobPeaks.push(Number(peak));
      else catchUpPeaks.push(`${/"job":"(\w+)"/.exec(l)?.[1]} ${peak} MB`);
    }
  });
  await sleep(5000); // start-up and catch-up
  const rssStart = rssMb(d1.pid!);
  const samples: string[] = [];
  let rss20: number | undefined;
  while (runsOf() < 100) {
    await sleep(2000);
    const n = runsOf();
    if (n >= 20 && rss20 === undefined) rss20 = rssMb(d1.pid!);
    if (n > 0 && n % 20 < 2) samples.push(`${n} runs: ${rssMb(d1.pid!).toFixed(1)} MB`);
  }
  const rss100 = rssMb(d1.pid!);
  const skippedTicks = runsOf("'skipped'");
  const split100 = rssSplit(d1.pid!);
  d1.kill('SIGTERM');
  await new Promise((r) => d1.on('close', r));

  // Phase 2: default schedules (nothing due for hours), data fresh: an idle daemon for 10 s.
  const d2 = spawn(process.execPath, [CLI, 'daemon', '--no-catch-up'], { env, stdio: 'ignore' });
  await sleep(3000);
  const c0 = cpuTicks(d2.pid!);
  await sleep(10_000);
  const idleCpuPct = (cpuTicks(d2.pid!) - c0) / 10; // ticks per 10 s → percent of one core
  const rssIdle = rssMb(d2.pid!);
  const splitIdle = rssSplit(d2.pid!);
  d2.kill('SIGTERM');
  await new Promise((r) => d2.on('close', r));
  await fake.close();
  fs.rmSync(dir, { recursive: true, force: true });
  const growth = rss100 - (rss20 ?? rss100);
  const verdict = (good: boolean) => (good ? 'ok' : 'FAIL');
  const ok = rssIdle <= IDLE_MB && rss100 <= RUNS_MB && growth <= GROWTH_MB;
  const peakMax = jobPeaks.length ? Math.max(...jobPeaks) : Number.NaN;
  const lines = [
    `daemon RSS after start-up (catch-up of all jobs done): ${rssStart.toFixed(1)} MB`,
    `daemon RSS after 100 scheduled network runs: ${rss100.toFixed(1)} MB (${split100}), ${growth >= 0 ? '+' : ''}${growth.toFixed(1)} MB since run 20 (${skippedTicks} ticks skipped while a run was going; samples: ${[...new Set(samples)].join('; ')}) — target <= ${RUNS_MB} MB, growth <= ${GROWTH_MB} MB: ${verdict(rss100 <= RUNS_MB && growth <= GROWTH_MB)}`,
    `job processes (one per run, gone when it ends), peak RSS: scheduled network runs median ${median(jobPeaks).toFixed(1)} MB, max ${peakMax.toFixed(1)} MB over ${jobPeaks.length} runs; catch-up on the empty file: ${catchUpPeaks.join(', ')}`,
    `idle daemon: ${rssIdle.toFixed(1)} MB RSS (${splitIdle}), ${idleCpuPct.toFixed(2)}% of one core over 10 s — target <= ${IDLE_MB} MB: ${verdict(rssIdle <= IDLE_MB)}`,
  ];
  // `before`: the tsc build of 3c27d75 (README, "The build, start-up and memory").
  const checks: BenchCheck[] = [
    {
      metric: 'daemon idle RSS (MB)',
      before: '91.6',
      now: rssIdle.toFixed(1),
      target: `<= ${IDLE_MB}`,
      ok: rssIdle <= IDLE_MB,
    },
    {
      metric: 'daemon RSS after 100 runs (MB)',
      before: '113',
      now: `${rss100.toFixed(1)} (${growth >= 0 ? '+' : ''}${growth.toFixed(1)} since run 20)`,
      target: `<= ${RUNS_MB}, growth <= ${GROWTH_MB}`,
      ok: rss100 <= RUNS_MB && growth <= GROWTH_MB,
    },
    {
      metric: 'peak RSS of a network job process (MB)',
      before: '— (ran in the daemon)',
      now: peakMax.toFixed(1),
      target: 'reported',
      ok: true,
    },
  ];
  return { lines, ok, checks };
}

// Standalone (node dist/bench/daemon.js); when another bench bundles this module it only calls run().
if (/[\\/]daemon\.[jt]s$/.test(process.argv[1] ?? '')) {
  const { lines, ok } = await run();
  console.log(lines.join('\n'));
  if (!ok) process.exitCode = 1;
}
