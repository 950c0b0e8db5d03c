// The raw archive and `hashpulse reprocess`: history re-read from stored payloads with no network at all.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { equities } from '../jobs/equities.js';
import { network } from '../jobs/network.js';
import { shares } from '../jobs/shares.js';
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
