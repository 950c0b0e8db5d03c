// The raw archive and `hashpulse reprocess`: history re-read from stored payloads with no network at all.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { aggregate } from '../jobs/aggregate.js';
import { equities } from '../jobs/equities.js';
import { network } from '../jobs/network.js';
import { shares } from '../jobs/shares.js';
import { createHttp } from '../src/context.js';
import { runJob } from '../src/pipeline/job.js';
import { reprocess } from '../src/pipeline/reprocess.js';
import { runCli } from './support/cli.js';
import { countRows, dumpTables } from './support/dump.js';
import {
  createTestEnv,
  STOOQ_KEY,
  serveEquities,
  serveNetwork,
  serveStooq,
  serveTiingo,
  type TestEnv,
  TIINGO_TOKEN,
} from './support/env.js';

let t: TestEnv;
beforeEach(async () => {
  t = await createTestEnv({ now: '2026-02-01T06:00:00Z' });
  serveNetwork(t.fake);
  serveEquities(t.fake);
  for (const [job, params] of [
    [network, { from: '2025-11-01' }],
    [shares, {}],
    [equities, { from: '2025-11-24' }],
  ] as const)
    await runJob(t.ctx, job, 'backfill', params);
});
afterEach(async () => t.close());

const DATA = [
  'hashrate_daily',
  'btc_price_daily',
  'miners_revenue_daily',
  'tx_fees_daily',
  'difficulty_daily',
  'difficulty_retargets',
  'equity_prices_daily',
  'equity_splits',
  'shares_outstanding',
];

describe('raw archive', () => {
  it('keeps every payload once, gzipped, with its URL, status and hash', () => {
    const s = t.opened.sqlite;
    // 7 network + 3 concepts + 3 submissions + 1 cover page + 4 charts = 18 distinct payloads.
    expect(countRows(s, 'raw_payloads')).toBe(18);
    const row = s
      .prepare(
        "select url, status, length(sha256) as h, bytes > length(body_gz) as compressed from raw_payloads where source = 'blockchain' and url like '%market-price%'",
      )
      .get();
    expect(row).toMatchObject({ status: 200, h: 64, compressed: 1 });
  });

  it('re-running a job archives nothing new (same URL, same body)', async () => {
    await runJob(t.ctx, network, 'backfill', { from: '2025-11-01' });
    expect(countRows(t.opened.sqlite, 'raw_payloads')).toBe(18);
  });
});

describe('raw-archive retention (HASHPULSE_RAW_RETENTION_DAYS)', () => {
  const stamp = (like: string, at: string) =>
    t.opened.sqlite.prepare('update raw_payloads set fetched_at = ? where url like ?').run(at, like);

  it('after each run, drops the payloads fetched more than 90 days (the default) before the run’s clock', async () => {
    expect(t.ctx.config.rawRetentionDays).toBe(90);
    // The run's clock is 2026-02-01T06:00Z: 90 days before it is 2025-11-03T06:00Z (Nov 3 + 29 + 31 + 31 = Feb 1).
    stamp('%/charts/market-price%', '2025-11-03T05:59:59.999Z'); // a millisecond too old
    stamp('%/charts/miners-revenue%', '2025-11-03T06:00:00.000Z'); // exactly 90 days: kept
    // aggregate fetches nothing, so no payload is archived again by this run.
    await runJob(t.ctx, aggregate, 'manual');
    const urls = t.opened.sqlite.prepare('select url from raw_payloads').pluck().all() as string[];
    expect(urls).toHaveLength(17);
    expect(urls.some((u) => u.includes('/charts/market-price'))).toBe(false);
    expect(urls.some((u) => u.includes('/charts/miners-revenue'))).toBe(true);
  });

  it('0 archives nothing and keeps nothing', async () => {
    const config = { ...t.ctx.config, rawRetentionDays: 0 };
    const ctx = { ...t.ctx, config, http: createHttp(config, t.ctx.log, t.opened.sqlite) };
    stamp('%', '2026-02-01T05:00:00.000Z'); // an hour before the run's clock
    await runJob(ctx, aggregate, 'manual');
    expect(countRows(t.opened.sqlite, 'raw_payloads')).toBe(0);
    const r = await runJob(ctx, network, 'backfill', { from: '2026-01-01' });
    expect(r.status).toBe('ok');
    expect(t.fake.requests.length).toBeGreaterThan(0);
    expect(countRows(t.opened.sqlite, 'raw_payloads')).toBe(0);
  });
});

describe('hashpulse reprocess', () => {
  it('rebuilds every data table from the archive with the upstream gone', async () => {
    const before = dumpTables(t.opened.sqlite);
    for (const table of DATA) t.opened.sqlite.prepare(`delete from ${table}`).run();
    await t.fake.close(); // no network from here on
    const results = await reprocess(t.ctx);
    expect(results.filter((r) => r.status === 'failed')).toEqual([]);
    expect(dumpTables(t.opened.sqlite)).toBe(before);
    expect(
      t.opened.sqlite
        .prepare("select return_pct from equity_monthly where month = '2026-01' and ticker = 'CANG'")
        .pluck()
        .get(),
    ).toBeCloseTo(-18, 9);
  });

  it('re-reads only one source and one date range when asked', async () => {
    t.opened.sqlite.prepare('delete from btc_price_daily').run();
    t.opened.sqlite.prepare('delete from hashrate_daily').run();
    await reprocess(t.ctx, { source: 'blockchain', from: '2026-01-01', to: '2026-01-31' });
    expect(countRows(t.opened.sqlite, 'btc_price_daily')).toBe(31);
    expect(countRows(t.opened.sqlite, 'hashrate_daily', "source = 'mempool'")).toBe(0);
    expect(countRows(t.opened.sqlite, 'hashrate_daily', "source = 'blockchain'")).toBe(31);
  });

  it('from the command line: re-reads blockchain.com’s January from the archive, exit 0, no request made', async () => {
    t.opened.sqlite.prepare('delete from btc_price_daily').run();
    const before = t.fake.requests.length;
    const r = await runCli(
      ['reprocess', '--source', 'blockchain', '--from', '2026-01-01', '--to', '2026-01-31'],
      t.env,
    );
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    // blockchain.com's five archived charts, each re-read for the 31 days of January.
    expect(r.stdout).toMatch(
      /^5 archived payload\(s\) re-read, \d+ rows written, 0 could not be parsed; no request was made$/m,
    );
    expect(t.fake.requests.length).toBe(before);
    expect(countRows(t.opened.sqlite, 'btc_price_daily')).toBe(31); // January only: --from/--to
    // …and the monthly figures are recomputed from them: 78,150 on Jan 31.
    expect(
      t.opened.sqlite.prepare("select btc_close_usd from network_monthly where month = '2026-01'").pluck().get(),
    ).toBe(78150);
  });

  it('refuses an unknown source from the command line', async () => {
    const r = await runCli(['reprocess', '--source', 'coingecko'], t.env);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /--source must be one of mempool, blockchain, yahoo, nasdaq, stooq, tiingo, sec, got "coingecko"/,
    );
  });

  it('re-reads Stooq CSVs (archived with the key redacted) and Tiingo JSON into the same closes and split', async () => {
    const ctx = { ...t.ctx, config: { ...t.ctx.config, stooqApikey: STOOQ_KEY, tiingoToken: TIINGO_TOKEN } };
    serveStooq(t.fake, { 'cang.us': 'No data' });
    serveTiingo(t.fake);
    t.fake.intercept = (req) =>
      req.path.startsWith('/v8/finance/chart/') ? { status: 429, body: 'Edge: Too Many Requests' } : undefined;
    await runJob(ctx, equities, 'backfill', { from: '2025-11-24', only: ['MARA', 'CANG'] });
    const s = t.opened.sqlite;
    const keyed = () =>
      dumpTables(s)
        .split('\n')
        .filter((l) => /"(stooq|tiingo)"/.test(l))
        .join('\n');
    expect(countRows(s, 'equity_prices_daily', "source = 'stooq' and ticker = 'MARA'")).toBe(46);
    expect(countRows(s, 'equity_prices_daily', "source = 'tiingo' and ticker = 'CANG'")).toBe(46);
    expect(s.prepare("select url from raw_payloads where source = 'stooq' order by url").pluck().all()).toEqual([
      `${t.fake.url}/q/d/l/?s=cang.us&d1=20251124&d2=20260201&i=d&apikey=***`,
      `${t.fake.url}/q/d/l/?s=mara.us&d1=20251124&d2=20260201&i=d&apikey=***`,
    ]);
    const before = keyed();
    s.prepare("delete from equity_prices_daily where source in ('stooq', 'tiingo')").run();
    s.prepare("delete from equity_splits where source = 'tiingo'").run();
    await t.fake.close();
    const results = [...(await reprocess(ctx, { source: 'stooq' })), ...(await reprocess(ctx, { source: 'tiingo' }))];
    // The archived "No data" answer for cang.us is still no data: said, and nothing else failed.
    expect(results.filter((r) => r.status === 'failed').map((r) => r.error)).toEqual([
      expect.stringMatching(/^stooq: invalid payload: "No data" for "cang\.us"/),
    ]);
    expect(keyed()).toBe(before);
  });
});
