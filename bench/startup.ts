// npm run bench (start-up): how close the read-only commands start to bare node. Each command runs as a whole
// process, paired with a `node -e 0` run right before or after it (the order alternates), and the figure is the
// median of the per-pair ratios: on a loaded machine both halves of a pair see the same load, so the ratio holds
// where absolute times do not. The database is a full-history backfill made by the built CLI from a fake upstream.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { FakeUpstream, json } from '../test/support/fake-upstream.js';
import type { BenchCheck, BenchResult } from './bench-module.js';
import { benchUpstreamEnv, serveSyntheticSec, syntheticNetwork, syntheticYahooChart } from './synthetic.js';

const CLI = path.resolve(import.meta.dirname, '../src/cli.cjs');
const UNIVERSE = path.resolve(import.meta.dirname, '../../data/universe.json');
const TARGET = 1.3;

/** The commands timed, each against bare node; status exits 1 (the data is not fresh at the real clock's day). */
// `before`: the first esbuild bundle (before the second pass on start-up), measured side by side with this build
// on a quiet machine (README, "The build, start-up and memory"); the tsc build of 3c27d75 was slower still.
const COMMANDS: ReadonlyArray<{ name: string; args: string[]; codes: number[]; before: string }> = [
  { name: 'report', args: ['report', '--month', '2026-01', '--format', 'json'], codes: [0], before: '3.31×' },
  { name: 'status', args: ['status'], codes: [0, 1], before: '3.41×' },
  { name: 'check', args: ['check'], codes: [0, 1], before: '8.03×' },
  { name: 'universe', args: ['universe'], codes: [0], before: '2.46×' },
  { name: '--help', args: ['--help'], codes: [0], before: '1.79×' },
];

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** The q-quantile of xs, interpolated between the two nearest ranks. */
function quantile(xs: readonly number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b);
  const at = (s.length - 1) * q;
  const lo = Math.floor(at);
  return s[lo]! + (s[Math.min(lo + 1, s.length - 1)]! - s[lo]!) * (at - lo);
}

/** A full-history database: network since 2009, the universe's closes since listing and share counts. */
async function makeDatabase(env: Record<string, string>): Promise<void> {
  const universe = JSON.parse(fs.readFileSync(UNIVERSE, 'utf8')) as {
    tickers: Array<{ ticker: string; cik?: number; filer?: string; role: string; listed_since?: string }>;
  };
  const fake = await FakeUpstream.start();
  const net = syntheticNetwork();
  for (const p of ['all', '3d', '1w', '1m', '3m']) fake.on(`/api/v1/mining/hashrate/${p}`, json(net.hashrate));
  fake.on('/api/v1/mining/difficulty-adjustments', json(net.adjustments));
  for (const [slug, body] of Object.entries(net.charts)) fake.on(`/charts/${slug}`, json(body));
  for (const t of universe.tickers) {
    const chart = json(syntheticYahooChart(t.ticker, t.listed_since ?? '2010-01-04'));
    fake.on(`/v8/finance/chart/${encodeURIComponent(t.ticker)}`, chart);
    serveSyntheticSec(fake, t);
  }
  const upstream = {
    ...benchUpstreamEnv(fake.url),
  };
  // Asynchronously: the fake upstream answers from this process's event loop.
  const { code, stderr } = await new Promise<{ code: number | null; stderr: string }>((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, 'backfill', '--from', '2009-01-03'], {
      env: { ...env, ...upstream },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', reject);
    child.on('close', (c) => resolve({ code: c, stderr: err }));
  });
  await fake.close();
  if (code !== 0) throw new Error(`bench backfill exited ${code}: ${stderr.trim().split('\n').slice(-3).join(' | ')}`);
}

/** Wall time of one whole process, in ms; its exit code must be one of `codes`. */
function timed(args: string[], env: Record<string, string>, codes: readonly number[]): number {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, args, { env, stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 << 20 });
  const ms = performance.now() - t0;
  if (r.status === null || !codes.includes(r.status))
    throw new Error(`node ${args.join(' ')} exited ${r.status}: ${r.stderr.toString().trim().slice(0, 300)}`);
  return ms;
}

export async function run(): Promise<BenchResult> {
  const pairs = Number(process.env.BENCH_PAIRS ?? 31);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hashpulse-startup-bench-'));
  const env = {
    PATH: process.env.PATH ?? '',
    HASHPULSE_DB: path.join(dir, 'startup.db'),
    HASHPULSE_UNIVERSE: UNIVERSE,
    HASHPULSE_PUBLISH_DIR: path.join(dir, 'notes'),
    HASHPULSE_NOW: '2026-02-01T06:00:00Z',
    HASHPULSE_LOG_LEVEL: 'warn',
  };
  try {
    await makeDatabase(env);
    const lines = [`start-up: each read-only command against bare \`node -e 0\`, median of ${pairs} paired runs`];
    let ok = true;
    const checks: BenchCheck[] = [];
    for (const c of COMMANDS) timed([CLI, ...c.args], env, c.codes); // warm the page cache
    // Round by round, one pair per command each round (in turn forwards and backwards), so a noisy moment of the
    // machine falls on every command a little instead of on all the pairs of one.
    const runs = COMMANDS.map(() => ({ ratios: [] as number[], ours: [] as number[], bare: [] as number[] }));
    for (let i = 0; i < pairs; i++) {
      const order = COMMANDS.map((_, j) => j);
      if (i % 2 === 1) order.reverse();
      for (const j of order) {
        const c = COMMANDS[j]!;
        // Alternate which half of the pair runs first, so neither always gets the warmer moment.
        const first = i % 2 === 0;
        const b0 = first ? timed(['-e', '0'], env, [0]) : 0;
        const o = timed([CLI, ...c.args], env, c.codes);
        const b = first ? b0 : timed(['-e', '0'], env, [0]);
        runs[j]!.ratios.push(o / b);
        runs[j]!.ours.push(o);
        runs[j]!.bare.push(b);
      }
    }
    COMMANDS.forEach((c, j) => {
      const { ratios, ours, bare } = runs[j]!;
      const ratio = median(ratios);
      ok &&= ratio <= TARGET;
      checks.push({
        metric: `${c.name} / bare node (ratio)`,
        before: c.before,
        now: `${ratio.toFixed(3)}×`,
        target: `<= ${TARGET}`,
        ok: ratio <= TARGET,
      });
      lines.push(
        `  hashpulse ${c.args.join(' ')}: ${ratio.toFixed(3)}× node (quartiles ${quantile(ratios, 0.25).toFixed(3)}–${quantile(ratios, 0.75).toFixed(3)}; median ${median(ours).toFixed(0)} ms vs ${median(bare).toFixed(0)} ms) — target <= ${TARGET}: ${ratio <= TARGET ? 'ok' : 'FAIL'}`,
      );
    });
    return { lines, ok, checks };
  } finally {
    if (process.env.BENCH_KEEP) console.log(`kept ${env.HASHPULSE_DB}`);
    else fs.rmSync(dir, { recursive: true, force: true });
  }
}

// Standalone (node dist/bench/startup.js); when another bench bundles this module it only calls run().
if (/[\\/]startup\.[jt]s$/.test(process.argv[1] ?? '')) {
  const { lines, ok } = await run();
  console.log(lines.join('\n'));
  if (!ok) process.exitCode = 1;
}
