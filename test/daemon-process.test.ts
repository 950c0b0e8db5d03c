// Runs in job processes (src/daemon/job-runner.ts: what `hashpulse daemon` does, one child process per run): the
// same figures, ledger, events, no-overlap rule and shutdown as runs in the daemon's own thread.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { network } from '../jobs/network.js';
import type { Context } from '../src/context.js';
import { Daemon } from '../src/daemon/daemon.js';
import { childProcessRunner } from '../src/daemon/job-runner.js';
import type { RunSummary } from '../src/pipeline/job.js';
import { CLI } from './support/cli.js';
import { createTestEnv, serveNetwork, type TestEnv } from './support/env.js';

const JOB_PROCESS = path.resolve(import.meta.dirname, '../dist/src/job-process.js');

let t: TestEnv;
beforeEach(async () => {
  t = await createTestEnv({ now: '2026-02-01T06:00:00Z' });
  serveNetwork(t.fake);
});
afterEach(async () => t.close());

function daemonWithJobProcesses(ctx: Context = t.ctx, shutdownGraceMs?: number): Daemon {
  const runner = childProcessRunner({ ctx, script: JOB_PROCESS });
  return new Daemon(ctx, { jobs: [network], catchUp: false, runner, ...(shutdownGraceMs ? { shutdownGraceMs } : {}) });
}

const lastNetworkRun = () =>
  t.opened.sqlite
    .prepare(
      "select pid, trigger, status, rows_written, requests, error from job_runs where job = 'network' order by id desc limit 1",
    )
    .get() as {
    pid: number;
    trigger: string;
    status: string;
    rows_written: number;
    requests: number;
    error: string | null;
  };

describe('a daemon running each job in its own process', () => {
  it('a scheduled run: the figures, the run row (in the job process’s pid) and the run:finished event', async () => {
    const daemon = daemonWithJobProcesses();
    await daemon.start();
    const event = new Promise<RunSummary>((r) => daemon.once('run:finished', r));
    const summary = await daemon.trigger(network, 'schedule');
    await daemon.stop();
    expect(summary?.status).toBe('ok');
    expect(await event).toEqual(summary);
    // Every request of the run reached the fake upstream from the job process and was counted there.
    expect(summary?.requests).toBe(t.fake.requests.length);
    // The same figures as a run in this thread (test/daemon.test.ts): all 31 days of January; the fixture's
    // market-price close of 2026-01-31 is 78,150 USD.
    const s = t.opened.sqlite;
    expect(s.prepare("select days_with_data from network_monthly where month = '2026-01'").pluck().get()).toBe(31);
    expect(s.prepare("select btc_close_usd from network_monthly where month = '2026-01'").pluck().get()).toBe(78150);
    const run = lastNetworkRun();
    expect(run).toMatchObject({ trigger: 'schedule', status: 'ok', rows_written: summary?.rowsWritten });
    expect(run.requests).toBe(summary?.requests);
    expect(run.pid).not.toBe(process.pid); // run by another process
    expect(s.prepare('select count(*) from daemon_lock').pluck().get()).toBe(0);
  });

  it('every run’s summary comes back, run after run (the job process exits only once its message is written)', async () => {
    const daemon = daemonWithJobProcesses();
    await daemon.start();
    const statuses: string[] = [];
    daemon.on('run:finished', (r) => statuses.push(r.status));
    for (let i = 0; i < 4; i++) await daemon.trigger(network, 'schedule');
    await daemon.stop();
    expect(statuses).toEqual(['ok', 'ok', 'ok', 'ok']);
    const rows = t.opened.sqlite.prepare("select status from job_runs where job = 'network'").pluck().all();
    expect(rows).toEqual(['ok', 'ok', 'ok', 'ok']);
  });

  it('stop() during a run: the abort reaches the job process, an overlapping tick is skipped, the lock is freed', async () => {
    // A 300 s Retry-After within the retry budget: the job process waits until the abort ends the wait.
    const ctx = { ...t.ctx, config: { ...t.ctx.config, httpMaxRetryTimeMs: 600_000 } };
    t.fake.on('/charts/market-price', { status: 429, body: 'Too Many Requests', headers: { 'retry-after': '300' } });
    let asked!: () => void;
    const marketPriceAsked = new Promise<void>((r) => (asked = r));
    t.fake.intercept = (req) => {
      if (req.path === '/charts/market-price') asked();
      return undefined;
    };
    // A grace period far beyond the test's timeout: stop() returns in time only because the job process ended.
    const daemon = daemonWithJobProcesses(ctx, 600_000);
    await daemon.start();
    const skippedEvent = new Promise<{ job: string; reason: string }>((r) => daemon.once('run:skipped', r));
    const run = daemon.trigger(network, 'schedule');
    await marketPriceAsked;
    expect(await daemon.trigger(network, 'schedule')).toBeUndefined();
    expect((await skippedEvent).reason).toMatch(/previous network run still in progress/);
    await daemon.stop();
    expect((await run)?.status).toBe('failed');
    const s = t.opened.sqlite;
    const runs = s.prepare("select status, error from job_runs where job = 'network' order by id").all() as Array<{
      status: string;
      error: string | null;
    }>;
    expect(runs.map((r) => r.status).sort()).toEqual(['failed', 'skipped']);
    expect(runs.find((r) => r.status === 'failed')?.error).toMatch(/blockchain\.market-price: .*shutting down/);
    expect(t.fake.requestsTo('/charts/market-price')).toHaveLength(1);
    expect(s.prepare('select count(*) from daemon_lock').pluck().get()).toBe(0);
  });

  it('SIGTERM sent to the job process itself (systemd signals every process of the unit): it ends like on abort', async () => {
    const ctx = { ...t.ctx, config: { ...t.ctx.config, httpMaxRetryTimeMs: 600_000 } };
    t.fake.on('/charts/market-price', { status: 429, body: 'Too Many Requests', headers: { 'retry-after': '300' } });
    const s = t.opened.sqlite;
    t.fake.intercept = (req) => {
      if (req.path === '/charts/market-price')
        process.kill(s.prepare("select pid from job_runs where status = 'running'").pluck().get() as number, 'SIGTERM');
      return undefined;
    };
    const daemon = daemonWithJobProcesses(ctx, 600_000);
    await daemon.start();
    const summary = await daemon.trigger(network, 'schedule');
    await daemon.stop();
    // The run's summary came back: the process wrote what it had, recorded the cut-off series, and ended.
    expect(summary?.status).toBe('failed');
    expect(summary?.error).toMatch(/blockchain\.market-price: .*shutting down/);
    expect(lastNetworkRun()).toMatchObject({ status: 'failed', error: summary?.error });
  });

  it('a job process killed mid-run: its run is recorded failed at once, and the next run succeeds', async () => {
    const s = t.opened.sqlite;
    t.fake.intercept = (req) => {
      if (req.path !== '/charts/market-price') return undefined;
      const pid = s.prepare("select pid from job_runs where status = 'running'").pluck().get() as number;
      process.kill(pid, 'SIGKILL');
      return { fault: 'hang' };
    };
    const daemon = daemonWithJobProcesses();
    await daemon.start();
    expect(await daemon.trigger(network, 'schedule')).toBeUndefined(); // no summary: the process never sent one
    expect(lastNetworkRun()).toMatchObject({ status: 'failed', error: expect.stringMatching(/^interrupted/) });
    t.fake.intercept = undefined;
    expect((await daemon.trigger(network, 'schedule'))?.status).toBe('ok');
    await daemon.stop();
    expect(s.prepare("select count(*) from job_runs where status = 'running'").pluck().get()).toBe(0);
  });
});

describe('hashpulse daemon', () => {
  it('runs every catch-up run in a process of its own and logs its peak memory', async () => {
    const child = spawn(process.execPath, [CLI, 'daemon'], {
      env: { PATH: process.env.PATH ?? '', ...t.env, HASHPULSE_LOG_LEVEL: 'info' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    const running = new Promise<void>((resolve, reject) => {
      const seen = (d: Buffer) => {
        out += d.toString();
        if (/hashpulse daemon running/.test(out)) resolve();
      };
      child.stdout.on('data', seen);
      child.stderr.on('data', seen);
      child.once('close', (code) => reject(new Error(`daemon exited with ${code}:\n${out}`)));
    });
    const exited = new Promise<number | null>((r) => child.on('close', r));
    await running;
    const runs = t.opened.sqlite.prepare('select job, pid from job_runs order by id').all() as Array<{
      job: string;
      pid: number;
    }>;
    // The six jobs of jobs/index.ts, in catch-up order, each in its own process, none in the daemon's.
    expect(runs.map((r) => r.job)).toEqual(['network', 'equities', 'shares', 'operations', 'aggregate', 'publish']);
    expect(new Set(runs.map((r) => r.pid)).size).toBe(6);
    expect(runs.map((r) => r.pid)).not.toContain(child.pid);
    expect(out).toMatch(new RegExp(`job process for network \\(pid ${runs[0]!.pid}\\) ended: peak RSS \\d+\\.\\d MB`));
    expect(t.opened.sqlite.prepare('select pid from daemon_lock').pluck().get()).toBe(child.pid);
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });
});
