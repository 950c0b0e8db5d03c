// Twenty kinds of malformed payload, each refused with an error naming the source and URL, writing nothing;
// plus duplicated and out-of-order rows (accepted once, in order), a body over the size cap, a cross-host redirect.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { equities } from '../jobs/equities.js';
import { network } from '../jobs/network.js';
import { shares } from '../jobs/shares.js';
import { createHttp } from '../src/context.js';
import { type JobDefinition, runJob } from '../src/pipeline/job.js';
import { countRows, dumpTables, NOT_DATA } from './support/dump.js';
import { createTestEnv, serveEquities, serveNetwork, type TestEnv } from './support/env.js';
import { fixture, type Reply } from './support/fake-upstream.js';

let t: TestEnv;
beforeEach(async () => {
  t = await createTestEnv({ now: '2026-02-01T06:00:00Z' });
  serveNetwork(t.fake);
  serveEquities(t.fake);
});
afterEach(async () => t.close());

const json = (body: unknown): Reply => ({
  status: 200,
  body: JSON.stringify(body),
  headers: { 'content-type': 'application/json' },
});
const hashrate = JSON.parse(fixture('mempool/hashrate-window.json')) as {
  hashrates: Array<{ timestamp: number; avgHashrate: number | string }>;
};
const chart = (slug: string) =>
  JSON.parse(fixture(`blockchain/${slug}.json`)) as {
    status: string;
    period: string;
    values: Array<{ x: number; y: number | null }>;
  };
const yahoo = () =>
  JSON.parse(fixture('equities/yahoo-chart-MARA.json')) as {
    chart: { result: Array<Record<string, any>>; error: unknown };
  };
const HR = '/api/v1/mining/hashrate/6m';
const DA = '/api/v1/mining/difficulty-adjustments';
const CONCEPT = '/api/xbrl/companyconcept/CIK0001507605/dei/EntityCommonStockSharesOutstanding.json';

interface Case {
  name: string;
  path: string;
  reply: Reply;
  job: JobDefinition;
  item: string;
  error: RegExp;
  table: string;
  where: string;
}

const cases: Case[] = [
  {
    name: 'truncated JSON',
    path: HR,
    reply: { status: 200, body: fixture('mempool/hashrate-window.json'), fault: 'truncate' },
    job: network,
    item: 'mempool.hashrate',
    error: /mempool: invalid payload: malformed or truncated JSON/,
    table: 'hashrate_daily',
    where: "source = 'mempool'",
  },
  {
    name: 'an HTML bot page with status 200',
    path: HR,
    reply: {
      status: 200,
      body: '<!DOCTYPE html><html><head><title>Just a moment...</title></head></html>',
      headers: { 'content-type': 'text/html' },
    },
    job: network,
    item: 'mempool.hashrate',
    error: /mempool: invalid payload: HTML page instead of JSON/,
    table: 'hashrate_daily',
    where: "source = 'mempool'",
  },
  {
    name: 'an empty body',
    path: HR,
    reply: { status: 200, body: '' },
    job: network,
    item: 'mempool.hashrate',
    error: /mempool: invalid payload: empty body/,
    table: 'hashrate_daily',
    where: "source = 'mempool'",
  },
  {
    name: 'a missing array',
    path: HR,
    reply: json({ currentHashrate: 1 }),
    job: network,
    item: 'mempool.hashrate',
    error: /mempool: invalid payload: hashrates: /,
    table: 'hashrate_daily',
    where: "source = 'mempool'",
  },
  {
    name: 'a number sent as a string',
    path: HR,
    reply: json({
      hashrates: hashrate.hashrates.map((h, i) => (i === 5 ? { ...h, avgHashrate: String(h.avgHashrate) } : h)),
    }),
    job: network,
    item: 'mempool.hashrate',
    error: /hashrates\.5\.avgHashrate/,
    table: 'hashrate_daily',
    where: "source = 'mempool'",
  },
  {
    name: 'a unit off by 10^6',
    path: HR,
    reply: json({ hashrates: hashrate.hashrates.map((h) => ({ ...h, avgHashrate: Number(h.avgHashrate) * 1e6 })) }),
    job: network,
    item: 'mempool.hashrate',
    error: /outside the plausible range/,
    table: 'hashrate_daily',
    where: "source = 'mempool'",
  },
  {
    name: 'an empty data array',
    path: HR,
    reply: json({ hashrates: [], difficulty: [] }),
    job: network,
    item: 'mempool.hashrate',
    error: /mempool: invalid payload: no daily hashrate rows/,
    table: 'hashrate_daily',
    where: "source = 'mempool'",
  },
  {
    name: 'an object where an array belongs',
    path: DA,
    reply: json({ adjustments: [] }),
    job: network,
    item: 'mempool.difficulty-adjustments',
    error: /mempool: invalid payload: \(root\): /,
    table: 'difficulty_retargets',
    where: '1 = 1',
  },
  {
    name: 'a retarget tuple cut to three fields',
    path: DA,
    reply: json([[1769064300, 933408, 141670000000000]]),
    job: network,
    item: 'mempool.difficulty-adjustments',
    error: /mempool: invalid payload: 0: /,
    table: 'difficulty_retargets',
    where: '1 = 1',
  },
  {
    name: 'a retarget beyond the protocol bound',
    path: DA,
    reply: json([[1769064300, 933408, 141670000000000, 4.2]]),
    job: network,
    item: 'mempool.difficulty-adjustments',
    error: /beyond the protocol's x4/,
    table: 'difficulty_retargets',
    where: '1 = 1',
  },
  {
    name: 'a chart with status not "ok"',
    path: '/charts/market-price',
    reply: json({ status: 'not-found', error: 'chart not found' }),
    job: network,
    item: 'blockchain.market-price',
    error: /blockchain: invalid payload: status: /,
    table: 'btc_price_daily',
    where: '1 = 1',
  },
  {
    name: 'down-sampled points off midnight',
    path: '/charts/market-price',
    reply: json({
      ...chart('market-price'),
      values: chart('market-price').values.map((v) => ({ ...v, x: v.x + 43_200 })),
    }),
    job: network,
    item: 'blockchain.market-price',
    error: /is not at 00:00 UTC/,
    table: 'btc_price_daily',
    where: '1 = 1',
  },
  {
    name: 'a null value',
    path: '/charts/market-price',
    reply: json({
      ...chart('market-price'),
      values: chart('market-price').values.map((v, i) => (i === 3 ? { ...v, y: null } : v)),
    }),
    job: network,
    item: 'blockchain.market-price',
    error: /values\.3\.y/,
    table: 'btc_price_daily',
    where: '1 = 1',
  },
  {
    name: 'weekly instead of daily points',
    path: '/charts/miners-revenue',
    reply: json({ ...chart('miners-revenue'), period: 'week' }),
    job: network,
    item: 'blockchain.miners-revenue',
    error: /has period "week", expected daily points/,
    table: 'miners_revenue_daily',
    where: '1 = 1',
  },
  {
    name: 'a negative price',
    path: '/charts/market-price',
    reply: json({
      ...chart('market-price'),
      values: chart('market-price').values.map((v, i) => (i === 7 ? { ...v, y: -85000 } : v)),
    }),
    job: network,
    item: 'blockchain.market-price',
    error: /BTC price \(USD\) -85000 on 2025-11-08 is outside the plausible range/,
    table: 'btc_price_daily',
    where: '1 = 1',
  },
  {
    name: 'chart.error with status 200',
    path: '/v8/finance/chart/MARA',
    reply: json({
      chart: {
        result: null,
        error: { code: 'Bad Request', description: 'Invalid input - start date cannot be after end date' },
      },
    }),
    job: equities,
    item: 'prices.MARA',
    error: /no price source served MARA: yahoo: invalid payload: chart\.error for "MARA"/,
    table: 'equity_prices_daily',
    where: "ticker = 'MARA'",
  },
  {
    name: 'a quote in another currency',
    path: '/v8/finance/chart/MARA',
    reply: json(
      (() => {
        const y = yahoo();
        y.chart.result[0]!.meta.currency = 'EUR';
        return y;
      })(),
    ),
    job: equities,
    item: 'prices.MARA',
    error: /is quoted in EUR, expected USD/,
    table: 'equity_prices_daily',
    where: "ticker = 'MARA'",
  },
  {
    name: 'fewer closes than timestamps',
    path: '/v8/finance/chart/MARA',
    reply: json(
      (() => {
        const y = yahoo();
        y.chart.result[0]!.indicators.quote[0].close.pop();
        return y;
      })(),
    ),
    job: equities,
    item: 'prices.MARA',
    error: /46 timestamps but 45 close values/,
    table: 'equity_prices_daily',
    where: "ticker = 'MARA'",
  },
  {
    name: 'a share count sent as a string',
    path: CONCEPT,
    reply: json(
      (() => {
        const c = JSON.parse(fixture('equities/sec-concept-MARA.json'));
        c.units.shares[1].val = '370,000,000';
        return c;
      })(),
    ),
    job: shares,
    item: 'shares.MARA',
    error: /sec: invalid payload: units\.shares\.1\.val/,
    table: 'shares_outstanding',
    where: "ticker = 'MARA' and source = 'sec'",
  },
  {
    name: 'a cover page whose layout changed',
    path: '/Archives/edgar/data/1725123/000110465925030301/cang-20241231x20f.htm',
    reply: {
      status: 200,
      body: '<html><body><p>Shares outstanding: 400,000,000</p></body></html>',
      headers: { 'content-type': 'text/html' },
    },
    job: shares,
    item: 'shares.CANG',
    error: /no dei:EntityCommonStockSharesOutstanding on the cover page/,
    table: 'shares_outstanding',
    where: "ticker = 'CANG'",
  },
];

describe('malformed payloads', () => {
  it.each(cases)('$name: refused, named with source and URL, nothing written', async (c) => {
    t.fake.on(c.path, c.reply);
    // What the failed item may not touch: every table for a network series (the job writes nothing else); the failed
    // ticker's rows for an equities or shares item (its job goes on to the other ticker and the universe tables).
    const ticker = c.job === network ? null : c.item.split('.')[1]!;
    // Logs and configuration (every run stores the economics assumptions in force) are not the item's data, nor
    // the checks' bookkeeping (the parts every run's check stores, the tables' write counters).
    const logs = [...NOT_DATA, 'economics_defaults', 'economics_assumptions'];
    const untouched = () =>
      dumpTables(t.opened.sqlite, ticker === null ? logs : [...logs, 'universe', 'universe_periods'])
        .split('\n')
        .filter((line) => ticker === null || line.includes(`"${ticker}"`))
        .join('\n');
    const before = untouched();
    const report = await runJob(t.ctx, c.job, 'backfill', {
      from: '2025-11-01',
      to: '2026-01-31',
      only: c.job === network ? [c.item] : ['MARA', 'CANG'],
    });
    const r = report.results.find((x) => x.item === c.item);
    expect(r?.status).toBe('failed');
    expect(r?.error).toMatch(c.error);
    expect(r?.error).toMatch(/http:\/\/127\.0\.0\.1:\d+\//); // the URL that answered
    expect(countRows(t.opened.sqlite, c.table, c.where)).toBe(0);
    expect(report.status).toBe('failed');
    expect(untouched()).toBe(before);
  });
});

describe('rows that are odd but valid', () => {
  it('duplicated and out-of-order rows are stored once, in date order', async () => {
    const body = JSON.parse(fixture('blockchain/market-price.json')) as { values: unknown[] };
    body.values = [...body.values].reverse().concat(body.values.slice(0, 10));
    t.fake.on('/charts/market-price', json(body));
    await runJob(t.ctx, network, 'backfill', { from: '2025-11-01', only: ['blockchain.market-price'] });
    expect(countRows(t.opened.sqlite, 'btc_price_daily')).toBe(92);
    expect(
      t.opened.sqlite.prepare("select price_usd from btc_price_daily where date = '2026-01-31'").pluck().get(),
    ).toBe(78150);
  });
});

describe('transport limits', () => {
  it('refuses a body larger than the cap, without retrying', async () => {
    const http = createHttp({ ...t.ctx.config, httpMaxBytes: 1_000 }, t.ctx.log);
    await expect(
      http.get({
        source: 'blockchain',
        url: `${t.fake.url}/charts/market-price`,
        params: { timespan: '92days', start: '2025-11-01', sampled: 'false' },
      }),
    ).rejects.toThrow(/blockchain: response body larger than 1000 bytes .*refused/);
    expect(t.fake.requestsTo('/charts/market-price')).toHaveLength(1);
  });

  it('does not follow a redirect to another host', async () => {
    t.fake.on('/charts/market-price', {
      status: 302,
      headers: { location: 'http://localhost.invalid:9/charts/market-price' },
      body: '',
    });
    await expect(t.ctx.http.get({ source: 'blockchain', url: `${t.fake.url}/charts/market-price` })).rejects.toThrow(
      /redirected to another host/,
    );
  });
});
