// What the README promises and no other test showed: Retry-After as an HTTP date, 408 retried, a Retry-After
// longer than the retry budget failing at once, per-host spacing, the daemon's cron ticks and --no-catch-up, and
// configuration bounds, the SEC's own spacing, and shutdown cutting a Retry-After or backoff wait short (and the grace
// period running out when a job never ends).
import { spawn } from 'node:child_process';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { network } from '../jobs/network.js';
import { CONFIG_VARIABLES, loadConfig } from '../src/config.js';
import { createHttp } from '../src/context.js';
import { Daemon } from '../src/daemon/daemon.js';
import { type Http, parseRetryAfter } from '../src/http.js';
import { secGet } from '../src/sources/sec.js';
import { CLI } from './support/cli.js';
import { createTestEnv, serveNetwork, type TestEnv } from './support/env.js';

let t: TestEnv;
beforeEach(async () => {
  t = await createTestEnv();
  serveNetwork(t.fake);
});
afterEach(async () => t.close());

const URL_OF = (p: string) => `${t.fake.url}${p}`;

describe('retries as the README says', () => {
  it('reads Retry-After as seconds or as an HTTP date', () => {
    const now = Date.parse('2026-02-01T06:00:00Z');
    expect(parseRetryAfter('2', now)).toBe(2000);
    expect(parseRetryAfter('Sun, 01 Feb 2026 06:00:03 GMT', now)).toBe(3000);
    expect(parseRetryAfter('Sun, 01 Feb 2026 05:59:00 GMT', now)).toBe(0); // in the past: no wait
    expect(parseRetryAfter('soon', now)).toBeUndefined();
  });

  it('waits until the HTTP date a 503 names before asking again', async () => {
    const until = new Date(Date.now() + 1_500).toUTCString(); // whole seconds: at least 0.5 s from now
    t.fake.script('/probe-date', [{ status: 503, body: 'busy', headers: { 'retry-after': until } }]);
    t.fake.on('/probe-date', { status: 200, body: '{}', headers: { 'content-type': 'application/json' } });
    await t.ctx.http.get({ source: 'blockchain', url: URL_OF('/probe-date') });
    const [first, second] = t.fake.requestsTo('/probe-date');
    expect(second!.at).toBeGreaterThanOrEqual(Date.parse(until) - 5); // not before the date (5 ms of clock rounding)
    expect(second!.at - first!.at).toBeGreaterThan(0);
  });

  it('retries a 408 like a 503, and does not retry a 404', async () => {
    t.fake.script('/timeout-once', [{ status: 408, body: 'Request Timeout' }]);
    t.fake.on('/timeout-once', { status: 200, body: '{}', headers: { 'content-type': 'application/json' } });
    await t.ctx.http.get({ source: 'blockchain', url: URL_OF('/timeout-once') });
    expect(t.fake.requestsTo('/timeout-once')).toHaveLength(2);
    t.fake.on('/gone', { status: 404, body: 'Not Found' });
    await expect(t.ctx.http.get({ source: 'blockchain', url: URL_OF('/gone') })).rejects.toThrow(
      /blockchain: HTTP 404/,
    );
    expect(t.fake.requestsTo('/gone')).toHaveLength(1);
  });

  it('gives up at once when Retry-After asks for longer than HASHPULSE_HTTP_MAX_RETRY_TIME_MS', async () => {
    t.fake.on('/slow-down', { status: 429, body: 'Too Many Requests', headers: { 'retry-after': '3600' } });
    await expect(t.ctx.http.get({ source: 'yahoo', url: URL_OF('/slow-down') })).rejects.toThrow(
      /asked to wait 3600 s \(Retry-After\), longer than HASHPULSE_HTTP_MAX_RETRY_TIME_MS; giving up/,
    );
    expect(t.fake.requestsTo('/slow-down')).toHaveLength(1);
  });
});

/**
 * Requests sent together through an Http whose clock stands still (Date.now frozen): the waits its throttle logs
 * are then exactly what it decided, with none of the machine's load in them (measured at the server, a request
 * delayed on a busy machine arrives late and shortens the next gap, so gaps there prove nothing either way).
 */
async function throttleWaits(env: Record<string, string>, send: (http: Http) => Promise<unknown>): Promise<number[]> {
  const waits: number[] = [];
  const log = pino(
    { level: 'debug' },
    {
      write: (line: string) => {
        const w = (JSON.parse(line) as { waitMs?: unknown }).waitMs;
        if (typeof w === 'number') waits.push(w);
      },
    },
  );
  const now = vi.spyOn(Date, 'now').mockReturnValue(Date.parse('2026-02-01T06:00:00Z'));
  try {
    await send(createHttp(loadConfig(env), log));
  } finally {
    now.mockRestore();
  }
  return waits;
}

describe('politeness', () => {
  it('spaces requests to one host by HASHPULSE_HTTP_MIN_INTERVAL_MS, even when they are sent together', async () => {
    t.fake.on('/polite', { status: 200, body: '{}', headers: { 'content-type': 'application/json' } });
    const waits = await throttleWaits({ ...t.env, HASHPULSE_HTTP_MIN_INTERVAL_MS: '250' }, (http) =>
      Promise.all([1, 2, 3].map(() => http.get({ source: 'blockchain', url: URL_OF('/polite') }))),
    );
    // The first goes at once; the second and the third each wait the whole interval behind the one before.
    expect(waits).toEqual([250, 250]);
    expect(t.fake.requestsTo('/polite')).toHaveLength(3);
  });
});

describe('the SEC’s own spacing', () => {
  it('spaces requests to the SEC by 125 ms (8 a second) even when the configured interval is 1 ms', async () => {
    // A configured interval of 1 ms (not 0, which turns all spacing off): a wait of 125 ms is the SEC's.
    t.fake.on('/sec-paced', { status: 200, body: '{}', headers: { 'content-type': 'application/json' } });
    const waits = await throttleWaits({ ...t.env, HASHPULSE_HTTP_MIN_INTERVAL_MS: '1' }, (http) =>
      Promise.all([1, 2, 3].map(() => secGet(http, URL_OF('/sec-paced'), 'hashpulse-tests tests@example.com'))),
    );
    expect(waits).toEqual([125, 125]);
    expect(t.fake.requestsTo('/sec-paced')).toHaveLength(3);
  });
});

describe('shutting down during a wait', () => {
  /** An Http whose warnings are seen as they are logged: `logged(re)` resolves on the matching line. */
  function watchedHttp(env: Record<string, string>) {
    const lines: string[] = [];
    const waiters: Array<{ re: RegExp; resolve: () => void }> = [];
    const log = pino(
      { level: 'warn' },
      {
        write: (line: string) => {
          lines.push(line);
          for (const w of [...waiters]) if (w.re.test(line)) w.resolve();
        },
      },
    );
    const config = loadConfig(env);
    const logged = (re: RegExp) =>
      new Promise<void>((resolve) => (lines.some((l) => re.test(l)) ? resolve() : waiters.push({ re, resolve })));
    return { config, log, http: createHttp(config, log, t.opened.sqlite), logged };
  }
  // Waits of 5 minutes, far beyond the test's 30 s timeout: a wait that shutdown did not cut short fails the test.
  const LONG = { HASHPULSE_HTTP_MAX_RETRY_TIME_MS: '600000' };

  it('a Retry-After wait ends at once on abort: one request sent, the error says it is shutting down', async () => {
    const w = watchedHttp({ ...t.env, ...LONG });
    t.fake.on('/busy', { status: 503, body: 'busy', headers: { 'retry-after': '300' } });
    const pending = w.http.get({ source: 'blockchain', url: URL_OF('/busy') });
    const outcome = pending.then(
      () => 'resolved',
      (err: Error) => err.message,
    );
    await w.logged(/waiting 300000 ms as Retry-After asks/);
    w.http.abort();
    expect(await outcome).toMatch(/shutting down/);
    expect(t.fake.requestsTo('/busy')).toHaveLength(1);
  });

  it('a backoff wait (no Retry-After) ends at once on abort too', async () => {
    const w = watchedHttp({ ...t.env, ...LONG, HASHPULSE_HTTP_RETRY_MIN_MS: '300000' });
    t.fake.on('/flaky', { status: 503, body: 'busy' });
    const outcome = w.http.get({ source: 'blockchain', url: URL_OF('/flaky') }).then(
      () => 'resolved',
      (err: Error) => err.message,
    );
    await w.logged(/attempt 1 failed, retrying/);
    w.http.abort();
    expect(await outcome).toMatch(/shutting down/);
    expect(t.fake.requestsTo('/flaky')).toHaveLength(1);
  });

  it('SIGTERM’s stop() during a job’s Retry-After wait: the job ends, is recorded failed, the daemon stops', async () => {
    const w = watchedHttp({ ...t.env, ...LONG });
    t.fake.on('/charts/market-price', { status: 429, body: 'Too Many Requests', headers: { 'retry-after': '300' } });
    const ctx = { ...t.ctx, config: w.config, log: w.log, http: w.http };
    // A grace period far beyond the test's timeout: stop() returns in time only because the job itself ended.
    const daemon = new Daemon(ctx, { jobs: [network], catchUp: false, shutdownGraceMs: 600_000 });
    await daemon.start();
    const run = daemon.trigger(network, 'manual');
    await w.logged(/blockchain: waiting 300000 ms as Retry-After asks/);
    await daemon.stop();
    expect((await run)?.status).toBe('failed');
    const last = t.opened.sqlite
      .prepare("select status, error from job_runs where job = 'network' order by id desc limit 1")
      .get() as { status: string; error: string };
    expect(last.status).toBe('failed');
    expect(last.error).toMatch(/blockchain\.market-price: .*shutting down/);
    expect(t.fake.requestsTo('/charts/market-price')).toHaveLength(1);
    expect(t.opened.sqlite.prepare('select count(*) from daemon_lock').pluck().get()).toBe(0);
  });

  it('the grace period running out: stop() returns although a job never ends, and releases the lock', async () => {
    let started!: () => void;
    const running = new Promise<void>((r) => (started = r));
    const stuck = {
      name: 'stuck',
      description: 'test: never finishes',
      schedule: '0 0 1 1 *',
      maxAgeHours: 1e9,
      run: () => {
        started();
        return new Promise<never>(() => {});
      },
    };
    const lines: string[] = [];
    const log = pino({ level: 'warn' }, { write: (l: string) => void lines.push(l) });
    const daemon = new Daemon({ ...t.ctx, log }, { jobs: [stuck], catchUp: false, shutdownGraceMs: 50 });
    await daemon.start();
    void daemon.trigger(stuck, 'manual');
    await running;
    await daemon.stop(); // would never return if it waited for the job
    expect(lines.join('')).toMatch(/running jobs did not finish within the grace period/);
    expect(t.opened.sqlite.prepare('select count(*) from daemon_lock').pluck().get()).toBe(0);
  });
});

/** The upstream base URLs besides mempool's (whose case names its scheme): each refuses a URL without one. */
const UPSTREAM_URLS = [
  'HASHPULSE_BLOCKCHAIN_URL',
  'HASHPULSE_BITSTAMP_URL',
  'HASHPULSE_YAHOO_URL',
  'HASHPULSE_NASDAQ_URL',
  'HASHPULSE_STOOQ_URL',
  'HASHPULSE_TIINGO_URL',
  'HASHPULSE_SEC_URL',
  'HASHPULSE_SEC_ARCHIVES_URL',
];

describe('configuration bounds', () => {
  it.each([
    ['HASHPULSE_HTTP_RETRIES', '21'],
    ['HASHPULSE_HTTP_TIMEOUT_MS', '0'],
    ['HASHPULSE_HTTP_PORT', '70000'],
    ['HASHPULSE_RAW_RETENTION_DAYS', '-1'],
    ['HASHPULSE_MEMPOOL_URL', 'ftp://mempool.space'],
    ['HASHPULSE_LOG_LEVEL', 'loud'],
    ['HASHPULSE_FLEET_EFFICIENCY_JTH', '0'],
    ['HASHPULSE_POWER_PRICE_USD_MWH', '2001'],
    ['HASHPULSE_HASHPRICE_BASIS', 'median'],
    ['HASHPULSE_NOW', 'yesterday'],
    ['HASHPULSE_NOW', '2026-13-01'],
    // …and every other variable with a bound (README "Configuration"), just past it.
    ['HASHPULSE_HTTP_RETRIES', '-1'],
    ['HASHPULSE_HTTP_TIMEOUT_MS', '1.5'],
    ['HASHPULSE_HTTP_RETRY_MIN_MS', '-1'],
    ['HASHPULSE_HTTP_MAX_RETRY_TIME_MS', '0'],
    ['HASHPULSE_HTTP_MIN_INTERVAL_MS', '-1'],
    ['HASHPULSE_HTTP_MAX_BYTES', '0'],
    ['HASHPULSE_HTTP_PORT', '65536'],
    ['HASHPULSE_HTTP_PORT', '-1'],
    ['HASHPULSE_RAW_RETENTION_DAYS', '36501'],
    ['HASHPULSE_PUBLISH_AFTER_DAYS', '367'],
    ['HASHPULSE_PUBLISH_AFTER_DAYS', '-1'],
    ['HASHPULSE_PUBLISH_WEBHOOK_URL', 'hooks.example.com/x'],
    ['HASHPULSE_FLEET_EFFICIENCY_JTH', '1001'],
    ['HASHPULSE_POWER_PRICE_USD_MWH', '-1'],
    ...UPSTREAM_URLS.map((v) => [v, 'example.com'] as [string, string]),
  ])('%s=%s is refused naming the variable', (variable, value) => {
    expect(() => loadConfig({ ...t.env, [variable]: value })).toThrow(new RegExp(variable));
  });
  it('accepts the bounds themselves: 20 retries, port 0, retention 0', () => {
    const c = loadConfig({
      ...t.env,
      HASHPULSE_HTTP_RETRIES: '20',
      HASHPULSE_HTTP_PORT: '0',
      HASHPULSE_RAW_RETENTION_DAYS: '0',
    });
    expect([c.httpRetries, c.httpPort, c.rawRetentionDays]).toEqual([20, 0, 0]);
  });
  it('accepts the upper bounds too: port 65535, retention 36,500 days, publish after 366 days, 1,000 J/TH', () => {
    const c = loadConfig({
      ...t.env,
      HASHPULSE_HTTP_PORT: '65535',
      HASHPULSE_RAW_RETENTION_DAYS: '36500',
      HASHPULSE_PUBLISH_AFTER_DAYS: '366',
      HASHPULSE_FLEET_EFFICIENCY_JTH: '1000',
    });
    expect([c.httpPort, c.rawRetentionDays, c.publishAfterDays]).toEqual([65535, 36500, 366]);
  });
  it('has a bound tested above for every variable but the free-text ones (paths, keys, names)', () => {
    // Written by hand: a new variable fails here until it gets a bounds case or joins this list.
    const FREE_TEXT = [
      'HASHPULSE_DB',
      'HASHPULSE_STOOQ_APIKEY',
      'HASHPULSE_TIINGO_TOKEN',
      'HASHPULSE_SEC_USER_AGENT',
      'HASHPULSE_UNIVERSE',
      'HASHPULSE_SHARES_OVERRIDES',
      'HASHPULSE_OPERATIONS',
      'HASHPULSE_ECONOMICS',
      'HASHPULSE_USER_AGENT',
      'HASHPULSE_PUBLISH_DIR',
      'HASHPULSE_HTTP_HOST',
    ];
    const BOUNDED = [
      'HASHPULSE_NOW',
      'HASHPULSE_MEMPOOL_URL',
      ...UPSTREAM_URLS,
      'HASHPULSE_FLEET_EFFICIENCY_JTH',
      'HASHPULSE_POWER_PRICE_USD_MWH',
      'HASHPULSE_HASHPRICE_BASIS',
      'HASHPULSE_HTTP_TIMEOUT_MS',
      'HASHPULSE_HTTP_RETRIES',
      'HASHPULSE_HTTP_RETRY_MIN_MS',
      'HASHPULSE_HTTP_MAX_RETRY_TIME_MS',
      'HASHPULSE_HTTP_MIN_INTERVAL_MS',
      'HASHPULSE_HTTP_MAX_BYTES',
      'HASHPULSE_RAW_RETENTION_DAYS',
      'HASHPULSE_PUBLISH_AFTER_DAYS',
      'HASHPULSE_PUBLISH_WEBHOOK_URL',
      'HASHPULSE_HTTP_PORT',
      'HASHPULSE_LOG_LEVEL',
    ];
    expect(CONFIG_VARIABLES.map((v) => v.env).sort()).toEqual([...FREE_TEXT, ...BOUNDED].sort());
  });
});

describe('the daemon’s schedule', () => {
  function daemon(args: string[], env: Record<string, string>) {
    const child = spawn(process.execPath, [CLI, 'daemon', ...args], {
      env: { PATH: process.env.PATH ?? '', ...env, HASHPULSE_LOG_LEVEL: 'info' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    const waiters: Array<{ re: RegExp; resolve: () => void }> = [];
    const onData = (d: Buffer) => {
      out += d.toString();
      for (const w of [...waiters]) {
        if (!w.re.test(out)) continue;
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve();
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    const exited = new Promise<number | null>((r) => child.on('close', (code) => r(code)));
    // Resolves on the daemon's own log line (an event it emits), not after a fixed time.
    const logged = (re: RegExp) =>
      new Promise<void>((resolve) => (re.test(out) ? resolve() : waiters.push({ re, resolve })));
    return { child, exited, logged };
  }

  it('--no-catch-up runs nothing at start; a HASHPULSE_SCHEDULE_<JOB> tick (UTC) runs the job and records it', async () => {
    // Every second (node-cron's six-field form) for aggregate; the others on a date that never comes.
    const env = {
      ...t.env,
      HASHPULSE_SCHEDULE_AGGREGATE: '* * * * * *',
      HASHPULSE_SCHEDULE_NETWORK: '0 0 1 1 *',
      HASHPULSE_SCHEDULE_EQUITIES: '0 0 1 1 *',
      HASHPULSE_SCHEDULE_SHARES: '0 0 1 1 *',
    };
    const d = daemon(['--no-catch-up'], env);
    await d.logged(/hashpulse daemon running/);
    await d.logged(/"msg":"job aggregate ok/);
    d.child.kill('SIGTERM');
    expect(await d.exited).toBe(0);
    const runs = t.opened.sqlite
      .prepare("select job, trigger from job_runs where status != 'skipped' order by id")
      .all() as Array<{ job: string; trigger: string }>;
    expect(runs.filter((r) => r.trigger === 'catch-up')).toEqual([]);
    expect(runs[0]).toEqual({ job: 'aggregate', trigger: 'schedule' });
    expect(runs.every((r) => r.job === 'aggregate')).toBe(true);
  });
});
