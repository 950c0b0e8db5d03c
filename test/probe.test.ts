// `hashpulse probe` as a user runs it, against the fake upstream: one request per upstream through the real
// fetch and parse, a verdict per source, exit 0 only when every source that is on is ok, and no database file.
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SOURCES } from '../src/sources/index.js';
import { PROBES } from '../src/sources/probes.js';
import { addDays } from '../src/time.js';
import { runCli } from './support/cli.js';
import { serveEquities, serveNetwork, tempDir, testEnvVars } from './support/env.js';
import { FakeUpstream, fixture, json } from './support/fake-upstream.js';

interface Row {
  source: string;
  url: string;
  status: number | null;
  latency_ms: number | null;
  verdict: string;
  detail: string;
}

/** The probe runs at HASHPULSE_NOW (test/support/env.ts): its windows end on this day, whatever the wall clock. */
const TODAY = '2026-02-01';
let fake: FakeUpstream;
let dir: string;
let dbPath: string;
let env: Record<string, string>;

/**
 * Nasdaq's MARA history for the probe's window (the last 10 days before today): the five recorded rows of
 * nasdaq/historical-MARA.json ("$27.00", "78,532,510", …), newest first, re-dated to the five weekdays before today.
 */
function recentNasdaqBody(): string {
  const body = JSON.parse(fixture('nasdaq/historical-MARA.json'));
  const weekdays: string[] = [];
  for (let d = addDays(TODAY, -1); weekdays.length < 5; d = addDays(d, -1)) {
    const dow = new Date(`${d}T00:00:00Z`).getUTCDay();
    if (dow !== 0 && dow !== 6) weekdays.push(d);
  }
  body.data.tradesTable.rows.forEach((row: { date: string }, i: number) => {
    const [y, m, dd] = weekdays[i]!.split('-');
    row.date = `${m}/${dd}/${y}`;
  });
  return JSON.stringify(body);
}

/** Bitstamp's daily candles for the probe's window: the fixture's first candle (strings, as Bitstamp sends them)
 *  re-stamped at each of the five midnights before today. */
function recentBitstampBody(): string {
  const body = JSON.parse(fixture('bitstamp/ohlc-btcusd-86400.json'));
  const first = body.data.ohlc[0];
  const today = Date.parse(`${TODAY}T00:00:00Z`) / 1000;
  body.data.ohlc = [5, 4, 3, 2, 1].map((k) => ({ ...first, timestamp: String(today - k * 86_400) }));
  return JSON.stringify(body);
}

beforeEach(async () => {
  fake = await FakeUpstream.start();
  serveNetwork(fake);
  serveEquities(fake);
  fake.on('/api/quote/MARA/historical', {
    status: 200,
    body: recentNasdaqBody(),
    headers: { 'content-type': 'application/json' },
  });
  fake.on('/api/v2/ohlc/btcusd/', {
    status: 200,
    body: recentBitstampBody(),
    headers: { 'content-type': 'application/json' },
  });
  dir = tempDir();
  dbPath = path.join(dir, 'never-created.db');
  env = testEnvVars(fake.url, dbPath); // HASHPULSE_HTTP_RETRIES=3: the probe must still ask once
});
afterEach(async () => {
  await fake.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const probeJson = async (extra: Record<string, string> = {}) => {
  const r = await runCli(['probe', '--json'], { ...env, ...extra });
  return { ...r, rows: JSON.parse(r.stdout) as Row[] };
};
const bySource = (rows: Row[], source: string) => rows.find((r) => r.source === source)!;

describe('hashpulse probe', () => {
  it('all upstreams answering: a table with one ok line each, one request each, exit 0, no database file', async () => {
    const r = await runCli(['probe'], env);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^source\s+url\s+status\s+latency\s+verdict$/m);
    // hashrate-all.json: 92 days 2025-11-01..2026-01-31 stamped a day late, one of them 0 (not stored): 91 rows.
    expect(r.stdout).toMatch(
      /^mempool hashrate\s+http:\/\/127\.0\.0\.1:\d+\/api\/v1\/mining\/hashrate\/3d\s+200\s+\d+ ms\s+ok \(91 rows, newest 2026-01-31\)$/m,
    );
    expect(r.stdout).toMatch(
      /^mempool difficulty-adjustments\s+\S+\/api\/v1\/mining\/difficulty-adjustments\/3m\s+200\s+\d+ ms\s+ok \(/m,
    );
    expect(r.stdout).toMatch(/^blockchain market-price\s+\S+\/charts\/market-price\s+200\s+\d+ ms\s+ok \(/m);
    // The ^GSPC fixture's newest bar is 2026-01-30 (46 sessions from 2025-11-24).
    expect(r.stdout).toMatch(
      /^yahoo chart \^GSPC\s+\S+\/v8\/finance\/chart\/%5EGSPC\s+200\s+\d+ ms\s+ok \(46 rows, newest 2026-01-30\)$/m,
    );
    // Five Nasdaq rows re-dated into the window; the yahoo URL shows no query string in the table.
    expect(r.stdout).toMatch(
      /^nasdaq historical MARA\s+\S+\/api\/quote\/MARA\/historical\s+200\s+\d+ ms\s+ok \(5 rows, newest /m,
    );
    // MARA's submissions fixture lists three filings, the newest filed 2025-12-15; its concept one count filed 2025-11-04.
    expect(r.stdout).toMatch(
      /^sec submissions\s+\S+\/submissions\/CIK0001507605\.json\s+200\s+\d+ ms\s+ok \(3 rows, newest 2025-12-15\)$/m,
    );
    expect(r.stdout).toMatch(
      /^sec companyconcept\s+\S+\/api\/xbrl\/companyconcept\/CIK0001507605\/dei\/EntityCommonStockSharesOutstanding\.json\s+200\s+\d+ ms\s+ok \(/m,
    );
    expect(r.stdout).toMatch(
      /^sec archives\s+\S+\/Archives\/edgar\/data\/\s+—\s+—\s+skipped: no small document to ask for/m,
    );
    expect(r.stdout).toMatch(/^stooq daily \^spx\s+\S+\s+—\s+—\s+skipped: no key: set HASHPULSE_STOOQ_APIKEY/m);
    expect(r.stdout).toMatch(/^tiingo daily MARA\s+\S+\s+—\s+—\s+skipped: no token: set HASHPULSE_TIINGO_TOKEN/m);
    expect(r.stdout).toMatch(
      /^bitstamp ohlc btcusd\s+\S+\/api\/v2\/ohlc\/btcusd\/\s+200\s+\d+ ms\s+ok \(5 rows, newest /m,
    );
    expect(r.stdout).toMatch(/^derived revenue and fees\s+\S+\s+—\s+—\s+skipped: not probed/m);
    expect(r.stdout).toMatch(/^probe: 8 of 8 sources ok, 4 skipped$/m);
    // One request per probe that is on, no more.
    expect(fake.requests.map((q) => q.path).sort()).toEqual([
      '/api/quote/MARA/historical',
      '/api/v1/mining/difficulty-adjustments/3m',
      '/api/v1/mining/hashrate/3d',
      '/api/v2/ohlc/btcusd/',
      '/api/xbrl/companyconcept/CIK0001507605/dei/EntityCommonStockSharesOutstanding.json',
      '/charts/market-price',
      '/submissions/CIK0001507605.json',
      '/v8/finance/chart/%5EGSPC',
    ]);
    expect(fs.existsSync(dbPath)).toBe(false);
    expect(fs.readdirSync(dir)).toEqual([]);
  });

  it('--json: stable keys; Yahoo 429 is "blocked (429)" after one request, and the exit code is 1', async () => {
    fake.on('/v8/finance/chart/%5EGSPC', {
      status: 429,
      body: fixture('yahoo/429-edge-too-many-requests.txt'),
      headers: { 'content-type': 'text/plain' },
    });
    const r = await probeJson();
    expect(r.code).toBe(1);
    for (const row of r.rows)
      expect(Object.keys(row)).toEqual(['source', 'url', 'status', 'latency_ms', 'verdict', 'detail']);
    const y = bySource(r.rows, 'yahoo chart ^GSPC');
    expect(y).toMatchObject({ status: 429, verdict: 'blocked (429)' });
    expect(y.detail).toMatch(/^yahoo: HTTP 429: Edge: Too Many Requests — Yahoo limits clients per IP/);
    expect(y.url).toMatch(/\/v8\/finance\/chart\/%5EGSPC\?period1=\d+&period2=\d+&interval=1d&events=div%7Csplit$/);
    expect(fake.requestsTo('/v8/finance/chart/%5EGSPC')).toHaveLength(1); // no retry, though HASHPULSE_HTTP_RETRIES=3
    expect(r.rows.filter((x) => x.verdict === 'ok').map((x) => x.source)).toEqual([
      'mempool hashrate',
      'mempool difficulty-adjustments',
      'blockchain market-price',
      'nasdaq historical MARA',
      'bitstamp ohlc btcusd',
      'sec submissions',
      'sec companyconcept',
    ]);
    expect(fs.existsSync(dbPath)).toBe(false);
  });

  it("Nasdaq's 200 with data null and rCode 400 is an error in Nasdaq's words; an HTML page is a format change; values [] is empty", async () => {
    fake.on('/api/quote/MARA/historical', {
      status: 200,
      body: fixture('nasdaq/not-found.json'),
      headers: { 'content-type': 'application/json' },
    });
    fake.on('/charts/market-price', {
      status: 200,
      body: '<!DOCTYPE html><html><head><title>Just a moment...</title></head></html>',
      headers: { 'content-type': 'text/html' },
    });
    // How blockchain.com's charts went quiet in March 2026: status "ok", no values (blockchain/coin-definitions#507).
    fake.on(
      '/api/v1/mining/hashrate/3d',
      json({ hashrates: [], difficulty: [], currentHashrate: 0, currentDifficulty: 0 }),
    );
    const r = await probeJson();
    expect(r.code).toBe(1);
    expect(bySource(r.rows, 'nasdaq historical MARA')).toMatchObject({
      status: 200,
      verdict:
        'error: no history for "MARA" (status.rCode 400 in the body): Symbol not exists. (code 1001); Nasdaq also says this for a symbol it has been throttling, so retry later before concluding it is gone',
    });
    expect(bySource(r.rows, 'blockchain market-price')).toMatchObject({
      status: 200,
      verdict:
        'format changed: HTML page instead of JSON (content-type text/html): <!DOCTYPE html><html><head><title>Just a moment...</title></head></html>',
    });
    expect(bySource(r.rows, 'mempool hashrate')).toMatchObject({ status: 200, verdict: 'empty' });
    expect(bySource(r.rows, 'mempool hashrate').detail).toMatch(/^mempool: invalid payload: no daily hashrate rows/);
  });

  it('a JSON field that changed type is "format changed: <the zod issue>"', async () => {
    fake.on('/api/v1/mining/difficulty-adjustments/3m', json([[1769064300, 933408, '141670000000000', 0.966]]));
    const r = await probeJson();
    expect(r.code).toBe(1);
    expect(bySource(r.rows, 'mempool difficulty-adjustments').verdict).toBe(
      'format changed: 0.2: Invalid input: expected number, received string',
    );
  });

  it('a closed port is "unreachable" with no status', async () => {
    const closed = http.createServer();
    await new Promise<void>((res) => closed.listen(0, '127.0.0.1', res));
    const { port } = closed.address() as AddressInfo;
    await new Promise<void>((res) => closed.close(() => res()));
    const r = await probeJson({ HASHPULSE_MEMPOOL_URL: `http://127.0.0.1:${port}` });
    expect(r.code).toBe(1);
    for (const source of ['mempool hashrate', 'mempool difficulty-adjustments']) {
      const row = bySource(r.rows, source);
      expect(row).toMatchObject({ status: null, verdict: 'unreachable' });
      expect(row.detail).toMatch(/^mempool: network error ECONNREFUSED/);
    }
    expect(bySource(r.rows, 'blockchain market-price').verdict).toBe('ok');
  });

  it('without an SEC User-Agent the SEC lines say so, nothing is sent to the SEC, and the rest being ok exits 0', async () => {
    const r = await runCli(['probe'], { ...env, HASHPULSE_SEC_USER_AGENT: '' });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(
      /^sec submissions\s+\S+\s+—\s+—\s+skipped: no SEC User-Agent: set HASHPULSE_SEC_USER_AGENT="hashpulse you@example\.com" \(the SEC blocks requests without one\)$/m,
    );
    expect(r.stdout).toMatch(/^sec companyconcept\s+\S+\s+—\s+—\s+skipped: no SEC User-Agent/m);
    expect(r.stdout).toMatch(/^probe: 6 of 6 sources ok, 6 skipped$/m);
    expect(fake.requests.filter((q) => q.path.startsWith('/submissions') || q.path.startsWith('/api/xbrl'))).toEqual(
      [],
    );
    const noMail = await probeJson({ HASHPULSE_SEC_USER_AGENT: 'hashpulse' });
    expect(bySource(noMail.rows, 'sec submissions').verdict).toBe(
      'skipped: HASHPULSE_SEC_USER_AGENT "hashpulse" has no contact e-mail (the SEC blocks requests without one)',
    );
    expect(fs.existsSync(dbPath)).toBe(false);
  });

  it('the SEC block page is "blocked (403)" and names the ten-minute block', async () => {
    fake.on('/submissions/CIK0001507605.json', {
      status: 403,
      body: fixture('sec/403-request-rate-threshold.txt'),
      headers: { 'content-type': 'text/html' },
    });
    const r = await probeJson();
    expect(r.code).toBe(1);
    const row = bySource(r.rows, 'sec submissions');
    expect(row).toMatchObject({ status: 403, verdict: 'blocked (403)' });
    expect(row.detail).toMatch(/the SEC's block page \("Request Rate Threshold Exceeded"\).*about 10 minutes/);
  });

  it('refuses an unknown option with exit code 2, and --help describes it', async () => {
    const bad = await runCli(['probe', '--bogus'], env);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^error: unknown option '--bogus'$/m);
    expect(bad.stdout).toBe('');
    const help = await runCli(['probe', '--help'], env);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/ask each upstream for a small recent window and parse it/);
    expect(fake.requests).toEqual([]);
  });
});

describe('the probe registry', () => {
  it('has a probe for every source module that talks to an upstream', () => {
    // overrides and operations_csv read local files; sec_ixbrl parses documents the sec module fetches; sec_press reads the EDGAR
    // archives host, which the "sec archives" probe covers (and skips: see src/sources/probes.ts).
    const upstreams = Object.keys(SOURCES).filter(
      (s) => s !== 'overrides' && s !== 'operations_csv' && s !== 'sec_ixbrl' && s !== 'sec_press',
    );
    for (const s of upstreams)
      expect(
        PROBES.some((p) => p.source.split(' ')[0] === s),
        `no probe for source "${s}"`,
      ).toBe(true);
  });
});
