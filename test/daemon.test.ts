// The daemon as an operator runs it: catch-up at start, one per database file, no overlap, clean SIGTERM.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { network } from '../jobs/network.js';
import { Daemon } from '../src/daemon/daemon.js';
import type { JobDefinition } from '../src/pipeline/job.js';
import { runJob } from '../src/pipeline/job.js';
import { CLI, runCli } from './support/cli.js';
import { createTestEnv, serveNetwork, type TestEnv } from './support/env.js';

const POLLER = path.resolve(import.meta.dirname, 'support/reader-poller.mjs');

let t: TestEnv;
beforeEach(async () => {
  t = await createTestEnv({ now: '2026-02-01T06:00:00Z' });
  serveNetwork(t.fake);
});
afterEach(async () => t.close());

function startDaemon(env: Record<string, string>) {
  const child = spawn(process.execPath, [CLI, 'daemon'], {
    env: { PATH: process.env.PATH ?? '', ...env, HASHPULSE_LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((r) => child.on('close', (code) => r(code)));
  const waitFor = async (re: RegExp, ms = 15_000) => {
    const until = Date.now() + ms;
    while (!re.test(out)) {
      if (Date.now() > until) throw new Error(`timed out waiting for ${re}; output so far:\n${out}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  };
  return { child, exited, waitFor, output: () => out };
}

describe('hashpulse daemon', () => {
  it('catches up at start, refuses a second daemon on the same file, and exits 0 on SIGTERM', async () => {
    const d = startDaemon(t.env);
    await d.waitFor(/"msg":"job network ok/);
    await d.waitFor(/hashpulse daemon running/);
    // Catch-up loaded all history (the database was empty): January is complete.
    const jan = t.opened.sqlite
      .prepare("select days_with_data from network_monthly where month = '2026-01'")
      .pluck()
      .get();
    expect(jan).toBe(31);
    expect(d.output()).toMatch(/"trigger":"catch-up"/);

    const second = await runCli(['daemon'], t.env);
    expect(second.code).toBe(3);
    expect(second.stderr).toMatch(/another hashpulse daemon \(pid \d+ on .*\) already uses .*test\.db/);

    d.child.kill('SIGTERM');
    expect(await d.exited).toBe(0);
    expect(t.opened.sqlite.prepare('select count(*) from daemon_lock').pluck().get()).toBe(0);
    // The lock is free again: a new daemon starts (and, with a fresh successful run, does not catch up again).
    const catchUps = () =>
      t.opened.sqlite
        .prepare("select count(*) from job_runs where job = 'network' and trigger = 'catch-up'")
        .pluck()
        .get();
    expect(catchUps()).toBe(1);
    const again = startDaemon(t.env);
    await again.waitFor(/hashpulse daemon running/);
    expect(catchUps()).toBe(1); // the ledger, not a log line: no second catch-up run was recorded
    again.child.kill('SIGINT');
    expect(await again.exited).toBe(0);
  });

  it('SIGTERM in the middle of a run: the run keeps what it fetched, writes no partial series, exit 0', async () => {
    // blockchain.com's charts are asked one after another, each written before the next is asked: when the request
    // for miners-revenue (the second chart) arrives, market-price is committed. SIGTERM is sent at that moment, on
    // an event of the code under test, and that request is never answered.
    let d!: ReturnType<typeof startDaemon>;
    t.fake.intercept = (req) => {
      if (req.path !== '/charts/miners-revenue') return undefined;
      d.child.kill('SIGTERM');
      return { fault: 'hang' };
    };
    d = startDaemon(t.env);
    expect(await d.exited).toBe(0);
    expect(d.output()).toMatch(/waiting for running jobs to finish/);
    const s = t.opened.sqlite;
    const count = (table: string, source?: string) =>
      s
        .prepare(`select count(*) from ${table}${source ? ' where source = ?' : ''}`)
        .pluck()
        .get(...(source ? [source] : [])) as number;
    expect(count('btc_price_daily', 'blockchain')).toBe(92); // fetched before the signal: kept, whole
    expect(count('miners_revenue_daily')).toBe(0); // cut off: nothing, from no source of its chain
    expect(count('tx_fees_daily')).toBe(0); // never asked
    // mempool.space's hashrate runs on its own host at the same time: all there or not there at all (91 days of
    // the fixture and the genesis point of the whole-history list).
    expect([0, 92]).toContain(count('hashrate_daily', 'mempool'));
    expect(s.prepare('pragma integrity_check').pluck().get()).toBe('ok');
    expect(s.prepare("select count(*) from job_runs where status = 'running'").pluck().get()).toBe(0);
    // The interrupted run is recorded; what it had not fetched yet is named as cut off by the shutdown.
    const run = s
      .prepare("select status, error from job_runs where job = 'network' order by id desc limit 1")
      .get() as { status: string; error: string | null };
    expect(run.status).toBe('failed');
    expect(run.error).toMatch(/shutting down/);
  });

  it('takes over the lock of a crashed daemon (its pid is gone)', async () => {
    t.opened.sqlite
      .prepare("insert into daemon_lock values (1, 999999, ?, '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z')")
      .run((await import('node:os')).hostname());
    const d = startDaemon({ ...t.env, HASHPULSE_SCHEDULE_NETWORK: '0 3 * * *' });
    await d.waitFor(/hashpulse daemon running/);
    // The lock now names the new daemon, not the dead pid.
    expect(t.opened.sqlite.prepare('select pid from daemon_lock').pluck().all()).toEqual([d.child.pid]);
    d.child.kill('SIGTERM');
    expect(await d.exited).toBe(0);
    expect(t.opened.sqlite.prepare('select count(*) from daemon_lock').pluck().get()).toBe(0);
  });

  it('refuses a bad cron expression at start, naming the job', async () => {
    const r = await runCli(['daemon'], { ...t.env, HASHPULSE_SCHEDULE_NETWORK: 'every day' });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /HASHPULSE_SCHEDULE_NETWORK="every day" is invalid: not a valid cron expression for job "network"/,
    );
  });
});

describe('scheduling rules', () => {
  it('never runs a job over itself: the second tick is skipped and recorded', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const slow: JobDefinition = {
      name: 'slow',
      description: 'test',
      schedule: '0 0 1 1 *',
      maxAgeHours: 1e9,
      run: async () => {
        await gate;
        return [{ item: 'x', status: 'ok', rows: 1 }];
      },
    };
    const daemon = new Daemon(t.ctx, { jobs: [slow], catchUp: false });
    await daemon.start();
    const first = daemon.trigger(slow, 'schedule');
    const skipped = await daemon.trigger(slow, 'schedule');
    expect(skipped).toBeUndefined();
    release();
    expect((await first)?.status).toBe('ok');
    await daemon.stop();
    const rows = t.opened.sqlite
      .prepare("select status, error from job_runs where job = 'slow' order by id")
      .all() as Array<{ status: string; error: string | null }>;
    expect(rows.map((r) => r.status).sort()).toEqual(['ok', 'skipped']);
    expect(rows.find((r) => r.status === 'skipped')?.error).toMatch(/still in progress/);
  });

  it('a failed run is recorded, and the next one succeeds and is recorded too', async () => {
    t.fake.script(
      '/charts/market-price',
      Array.from({ length: 4 }, () => ({ status: 503, body: 'Service Unavailable' })),
    );
    // …and the price's second and third sources too, once: the figure has no source left in the first run.
    for (const p of ['/api/v1/historical-price', '/api/v2/ohlc/btcusd/'])
      t.fake.script(p, [{ status: 404, body: 'Not Found' }]);
    const daemon = new Daemon(t.ctx, { jobs: [network], catchUp: false });
    await daemon.start();
    const first = await daemon.trigger(network, 'schedule');
    const second = await daemon.trigger(network, 'schedule');
    await daemon.stop();
    expect(first?.status).toBe('failed');
    expect(second?.status).toBe('ok');
    const runs = t.opened.sqlite
      .prepare("select status, error from job_runs where job = 'network' order by id")
      .all() as Array<{ status: string; error: string | null }>;
    expect(runs.map((r) => r.status)).toEqual(['failed', 'ok']);
    expect(runs[0]!.error).toMatch(/blockchain\.market-price: blockchain: HTTP 503/);
    expect(
      t.opened.sqlite.prepare("select btc_close_usd from network_monthly where month = '2026-01'").pluck().get(),
    ).toBe(78150);
  });

  it('a manual run does not overlap the same job running in another live process', async () => {
    // Another process (here: our parent, certainly alive) holds a 'running' network run on this host.
    t.opened.sqlite
      .prepare(
        "insert into job_runs (job, trigger, started_at, status, pid, hostname) values ('network', 'schedule', '2026-02-01T05:59:00.000Z', 'running', ?, ?)",
      )
      .run(process.ppid, (await import('node:os')).hostname());
    const report = await runJob(t.ctx, network, 'manual');
    expect(report.status).toBe('skipped');
    expect(report.error).toMatch(new RegExp(`already running in process ${process.ppid}`));
    expect(t.fake.requests).toHaveLength(0);
  });

  it('catches up after a week of downtime by fetching the missed days, not only today', async () => {
    t.setNow('2026-01-24T06:00:00Z');
    await runJob(t.ctx, network, 'schedule'); // loads up to Jan 23
    t.setNow('2026-02-01T06:00:00Z'); // the server was down for a week
    const daemon = new Daemon(t.ctx, { jobs: [network] });
    await daemon.start();
    await daemon.stop();
    const jan = t.opened.sqlite
      .prepare("select days_with_data from network_monthly where month = '2026-01'")
      .pluck()
      .get();
    expect(jan).toBe(31);
    const triggers = t.opened.sqlite
      .prepare("select trigger from job_runs where job = 'network' order by id")
      .pluck()
      .all();
    expect(triggers).toEqual(['schedule', 'catch-up']);
  });

  it('a reader in another process, holding one read-only connection, never sees SQLITE_BUSY while jobs write', async () => {
    // The reader is its own process (test/support/reader-poller.mjs, `keep`: one connection, busy timeout 0, a
    // read every 2 ms), so its reads can land in the middle of this process's write transactions. (A reader in
    // this thread could not: every better-sqlite3 write is synchronous, and a setInterval never runs inside one.)
    const poller = spawn(process.execPath, [POLLER, t.dbPath, 'keep', '2'], { stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    const printed = (re: RegExp) =>
      new Promise<string>((resolve, reject) => {
        const check = () => {
          const m = re.exec(out);
          if (m) resolve(m[0]);
        };
        poller.stdout.on('data', (d: Buffer) => {
          out += d.toString();
          check();
        });
        poller.once('close', (code) => reject(new Error(`poller exited with ${code}; output:\n${out}`)));
        check();
      });
    await printed(/^ready$/m);
    poller.stdin.write('phase jobs\n');
    const before = t.opened.sqlite.prepare('select count(*) from job_runs').pluck().get() as number;
    for (let i = 0; i < 3; i++) await runJob(t.ctx, network, 'backfill', { from: '2025-11-01' });
    expect(t.opened.sqlite.prepare('select count(*) from job_runs').pluck().get()).toBe(before + 3);
    const line = printed(/^\{.*\}$/m);
    poller.stdin.write('stop\n');
    const result = JSON.parse(await line) as { reads: Record<string, number>; errors: unknown[] };
    expect(result.errors).toEqual([]);
    expect(result.reads.jobs).toBeGreaterThan(0); // it was reading while the three runs wrote
  });
});
