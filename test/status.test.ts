// `hashpulse status` and the daemon's /healthz and /metrics, on states built by hand relative to a fixed "now"
// (HASHPULSE_NOW for the CLI, the health server's clock in process): no check depends on the day the suite runs.
import BetterSqlite3 from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { JOBS } from '../jobs/index.js';
import { startHealthServer } from '../src/daemon/health.js';
import { evaluateStatus } from '../src/daemon/status.js';
import { addDays } from '../src/time.js';
import { runCli } from './support/cli.js';
import { createTestEnv, type TestEnv } from './support/env.js';

let t: TestEnv;
const now = new Date('2026-02-01T06:00:00Z');
const today = now.toISOString().slice(0, 10);
beforeEach(async () => {
  t = await createTestEnv({ now: now.toISOString() });
});
afterEach(async () => t.close());

/** Every job succeeded an hour ago; every network series has yesterday; the newest retarget is 5 days old. */
function healthyState(): void {
  const s = t.opened.sqlite;
  const hourAgo = new Date(now.getTime() - 3_600_000).toISOString();
  for (const j of JOBS) {
    s.prepare(
      "insert into job_runs (job, trigger, started_at, finished_at, status, rows_written, requests) values (?, 'schedule', ?, ?, 'ok', 10, 1)",
    ).run(j.name, hourAgo, hourAgo);
  }
  const y = addDays(today, -1);
  s.prepare("insert into hashrate_daily values (?, 'mempool', 1000), (?, 'blockchain', 1010)").run(y, y);
  for (const [table] of [['btc_price_daily'], ['miners_revenue_daily'], ['tx_fees_daily'], ['difficulty_daily']])
    s.prepare(`insert into ${table} values (?, 'blockchain', 5)`).run(y);
  s.prepare("insert into difficulty_retargets values (933408, ?, ?, 141.67e12, -3.4, 'mempool')").run(
    `${addDays(today, -5)}T06:45:00Z`,
    addDays(today, -5),
  );
}

describe('hashpulse status', () => {
  it('on an empty database says nothing is loaded and exits 1', async () => {
    const r = await runCli(['status'], t.env);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/nothing is loaded yet: run `hashpulse backfill` or start the daemon/);
    expect(r.stdout).toMatch(/^mempool\.hashrate\s+—\s+NO/m);
  });

  it("counts each job's runs by outcome and names its last run that did something", async () => {
    healthyState(); // every job: one ok run an hour ago, 10 rows
    const s = t.opened.sqlite;
    const run = s.prepare(
      "insert into job_runs (job, trigger, started_at, finished_at, status, rows_written, requests, error) values (?, 'schedule', ?, ?, ?, ?, 1, ?)",
    );
    const at = (minutesAgo: number) => new Date(now.getTime() - minutesAgo * 60_000).toISOString();
    run.run('equities', at(50), at(49), 'failed', 3, 'Yahoo answered 429\nstack');
    run.run('equities', at(40), at(40), 'skipped', 0, null); // after the failure: not an outcome
    run.run('shares', at(30), null, 'running', 0, null);
    run.run('shares', at(20), at(20), 'skipped', 0, null);
    const r = await runCli(['status', '--json'], t.env);
    const jobs = (JSON.parse(r.stdout) as { jobs: Array<Record<string, unknown>> }).jobs;
    const pick = (name: string) => {
      const j = jobs.find((x) => x.job === name)!;
      return [
        j.runs_ok,
        j.runs_failed,
        j.runs_skipped,
        j.rows_written_total,
        j.last_status,
        j.last_started_at,
        j.last_ok_at,
        j.running,
        j.state,
      ];
    };
    const hourAgo = at(60);
    // ok + failed rows: 10 + 3; the failure is the last run that did something, so the job is failing.
    expect(pick('equities')).toEqual([1, 1, 1, 13, 'failed', at(50), hourAgo, false, 'failing']);
    // A run still going is the last one; the last success stays the hour-old one.
    expect(pick('shares')).toEqual([1, 0, 1, 10, 'running', at(30), hourAgo, true, 'ok']);
    expect(pick('network')).toEqual([1, 0, 0, 10, 'ok', hourAgo, hourAgo, false, 'ok']);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout).problems).toContain(`job equities failed at ${at(50)}: Yahoo answered 429`);
  });

  it('exits 0 when every job succeeded recently and every series is fresh', async () => {
    healthyState();
    const r = await runCli(['status', '--json'], t.env);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout) as {
      ok: boolean;
      jobs: Array<{ job: string; state: string; next_run: string }>;
      series: Array<{ series: string; newest: string; fresh: boolean }>;
    };
    expect(doc.ok).toBe(true);
    expect(doc.jobs.map((j) => [j.job, j.state])).toEqual([
      ['network', 'ok'],
      ['equities', 'ok'],
      ['shares', 'ok'],
      ['operations', 'ok'],
      ['aggregate', 'ok'],
      ['publish', 'ok'],
    ]);
    // network runs at 01:30 UTC: the next run is at 01:30 today or tomorrow.
    expect(doc.jobs[0]!.next_run).toMatch(/T01:30:00\.000Z$/);
    expect(doc.series.find((s) => s.series === 'mempool.hashrate')).toMatchObject({
      newest: addDays(today, -1),
      fresh: true,
    });
  });

  it('exits 1 and names the series when one is stale, and the job when its last run failed', async () => {
    healthyState();
    t.opened.sqlite.prepare("delete from hashrate_daily where source = 'mempool'").run();
    t.opened.sqlite.prepare("insert into hashrate_daily values (?, 'mempool', 990)").run(addDays(today, -5));
    t.opened.sqlite
      .prepare(
        "insert into job_runs (job, trigger, started_at, finished_at, status, error) values ('equities', 'schedule', ?, ?, 'failed', 'prices.MARA: Yahoo: yahoo: HTTP 503')",
      )
      .run(now.toISOString(), now.toISOString());
    const r = await runCli(['status'], t.env);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(`  - mempool.hashrate is stale: newest ${addDays(today, -5)}, 5 days old`);
    expect(r.stdout).toMatch(/ {2}- job equities failed at .*: prices\.MARA: Yahoo: yahoo: HTTP 503/);
    expect(r.stdout).toMatch(/^equities\s+failing\s/m);
  });
});

describe('health endpoint', () => {
  it('reads one snapshot: a run committed while it reads is seen whole or not at all', () => {
    healthyState(); // network: one ok run an hour ago
    const reader = new BetterSqlite3(t.dbPath, { readonly: true });
    try {
      // Between status's first statement (the counts of each job's runs) and its second (each job's last run),
      // another connection commits a failed network run, as the daemon's job process would.
      let committed = false;
      const racing = new Proxy(reader, {
        get(target, key) {
          if (key === 'prepare')
            return (sql: string) => {
              if (!committed && sql.includes('select * from job_runs where id in')) {
                t.opened.sqlite
                  .prepare(
                    "insert into job_runs (job, trigger, started_at, finished_at, status, rows_written, requests, error) values ('network', 'schedule', ?, ?, 'failed', 0, 1, 'HTTP 503')",
                  )
                  .run(now.toISOString(), now.toISOString());
                committed = true;
              }
              return target.prepare(sql);
            };
          const v = Reflect.get(target, key, target);
          return typeof v === 'function' ? v.bind(target) : v;
        },
      });
      const network = (r: ReturnType<typeof evaluateStatus>) => {
        const j = r.jobs.find((x) => x.job === 'network')!;
        return { state: j.state, last_status: j.last_status, runs_ok: j.runs_ok, runs_failed: j.runs_failed };
      };
      // Before the run: its counts and its last run agree (not "failing" with no failed run counted).
      expect(network(evaluateStatus(racing, JOBS, {}, now))).toEqual({
        state: 'ok',
        last_status: 'ok',
        runs_ok: 1,
        runs_failed: 0,
      });
      expect(committed).toBe(true);
      // The next look sees the whole run.
      expect(network(evaluateStatus(reader, JOBS, {}, now))).toEqual({
        state: 'failing',
        last_status: 'failed',
        runs_ok: 1,
        runs_failed: 1,
      });
    } finally {
      reader.close();
    }
  });

  it('/healthz answers 200 when healthy and 503 with the reasons when not; /metrics is Prometheus text', async () => {
    healthyState();
    const h = await startHealthServer({
      sqlite: t.opened.sqlite,
      jobs: JOBS,
      schedules: {},
      host: '127.0.0.1',
      port: 0,
      log: t.ctx.log,
      now: () => now,
    });
    try {
      const ok = await fetch(`${h.url}/healthz`);
      expect(ok.status).toBe(200);
      expect(((await ok.json()) as { status: string }).status).toBe('ok');
      const metrics = await fetch(`${h.url}/metrics`);
      expect(metrics.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
      const text = await metrics.text();
      expect(text).toContain('# TYPE hashpulse_job_runs_total counter');
      expect(text).toContain('hashpulse_job_runs_total{job="network",status="ok"} 1');
      expect(text).toContain('hashpulse_job_rows_written_total{job="network"} 10');
      expect(text).toContain(
        `hashpulse_series_newest_timestamp_seconds{series="mempool.hashrate"} ${Date.parse(`${addDays(today, -1)}T00:00:00Z`) / 1000}`,
      );
      expect(text).toContain('hashpulse_up 1');

      t.opened.sqlite
        .prepare(
          "insert into job_runs (job, trigger, started_at, status, error) values ('network', 'schedule', ?, 'failed', 'blockchain.market-price: blockchain: HTTP 503')",
        )
        .run(now.toISOString());
      const bad = await fetch(`${h.url}/healthz`);
      expect(bad.status).toBe(503);
      const body = (await bad.json()) as { status: string; problems: string[] };
      expect(body.problems).toEqual([
        expect.stringMatching(/^job network failed at .*: blockchain\.market-price: blockchain: HTTP 503$/),
      ]);
      expect(await (await fetch(`${h.url}/metrics`)).text()).toContain(
        'hashpulse_job_runs_total{job="network",status="failed"} 1',
      );
      expect((await fetch(`${h.url}/other`)).status).toBe(404);
    } finally {
      await h.close();
    }
  });
});
