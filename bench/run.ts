// npm run bench: every figure of issue 12 in one run, each part of bench/ in turn, then one summary table
// "metric | before | now | target | ok". Exits 1 when any check fails. Timings are ratios to floors measured in the
// same run, never tests. BENCH_ONLY=ingest,backfill runs some parts only.
import fs from 'node:fs';
import path from 'node:path';
import type { BenchCheck, BenchModule, BenchResult } from './bench-module.js';

/**
 * The parts, in the order they run (the daemon's, the longest, last). A part is a file of this folder exporting
 * `run(): Promise<BenchResult>` (bench/bench-module.ts); one not built yet is reported as absent, not failed. The
 * test on the compiled text keeps an older script of the same name (one that runs on import) from being started.
 */
const PARTS = ['daily', 'startup', 'ingest', 'backfill', 'daemon'] as const;

async function load(name: string): Promise<BenchModule | string> {
  const file = path.join(import.meta.dirname, `${name}.js`);
  if (!fs.existsSync(file)) return 'not built';
  const text = fs.readFileSync(file, 'utf8');
  if (!/export (async )?function run\(|export (const|let) run\b|export \{[^}]*\brun\b/.test(text))
    return 'no run() export';
  const mod = (await import(file)) as Partial<BenchModule>;
  return typeof mod.run === 'function' ? (mod as BenchModule) : 'no run() export';
}

function table(rows: readonly BenchCheck[]): string {
  const head: BenchCheck = { metric: 'metric', before: 'before', now: 'now', target: 'target', ok: true };
  const cells = (r: BenchCheck) => [r.metric, r.before, r.now, r.target, r === head ? 'ok' : r.ok ? 'ok' : 'FAIL'];
  const all = [head, ...rows].map(cells);
  const width = all[0]!.map((_, i) => Math.max(...all.map((c) => c[i]!.length)));
  const line = (c: string[]) => c.map((x, i) => x.padEnd(width[i]!)).join(' | ');
  return [line(all[0]!), width.map((w) => '-'.repeat(w)).join('-|-'), ...all.slice(1).map(line)].join('\n');
}

async function main(): Promise<void> {
  const only = process.env.BENCH_ONLY?.split(',').map((s) => s.trim());
  const rows: BenchCheck[] = [];
  for (const name of PARTS) {
    if (only && !only.includes(name)) continue;
    const part = await load(name);
    if (typeof part === 'string') {
      console.log(`[${name}] skipped: ${part}`);
      continue;
    }
    let r: BenchResult;
    try {
      r = await part.run();
    } catch (err) {
      r = { lines: [`${name} failed: ${(err as Error).stack ?? String(err)}`], ok: false };
    }
    console.log(r.lines.join('\n'));
    if (r.checks?.length) rows.push(...r.checks);
    else rows.push({ metric: name, before: '', now: r.ok ? 'pass' : 'fail', target: 'its own checks', ok: r.ok });
    if (r.checks?.length && !r.ok && r.checks.every((c) => c.ok))
      rows.push({ metric: `${name} (other)`, before: '', now: 'fail', target: 'its own checks', ok: false });
  }
  console.log(`peak RSS of the bench process: ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`);
  console.log(`\n${table(rows)}`);
  const failed = rows.filter((r) => !r.ok);
  if (rows.length === 0 || failed.length > 0) {
    console.log(
      rows.length ? `\n${failed.length} check(s) failed: ${failed.map((r) => r.metric).join(', ')}` : 'no part ran',
    );
    process.exitCode = 1;
  }
}

await main();
