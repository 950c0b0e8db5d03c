// Corporate events in the universe: a depositary share that stands for several ordinary shares, the end of an ADS
// programme, and a ticker change — each must leave market caps and returns comparing the same unit.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type OpenedDb, openDb } from '../src/db/connection.js';
import { runChecks } from '../src/quality/checks.js';
import { refreshEquityMonthly, replaceShares, syncUniverse, upsertCloses } from '../src/store/equities.js';
import { loadUniverse, symbolRanges, type Ticker, tickerPeriods } from '../src/universe.js';
import { tempDir } from './support/env.js';

let dir: string;
let opened: OpenedDb;
beforeEach(async () => {
  dir = tempDir();
  opened = await openDb(path.join(dir, 'u.db'));
});
afterEach(async () => {
  await opened.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

// Cango: NYSE ADSs of 2 Class A shares each until the ADR programme ended after the close of 2025-11-14; the Class
// A shares trade directly from 2025-11-17 under the same ticker (data/universe.md cites the filings).
const CANG: Ticker = {
  ticker: 'CANG',
  name: 'Cango',
  role: 'miner',
  cik: 1725123,
  filer: '20-F',
  listed_since: '2018-07-26',
  listed_units: [
    { from: '2018-07-26', shares_per_unit: 2, note: 'ADS = 2 Class A ordinary shares' },
    { from: '2025-11-17', shares_per_unit: 1, note: 'Class A shares trade directly' },
  ],
};
// A redomicile under a new symbol: one series under the current ticker, fetched under the symbol in force.
const KEEL: Ticker = {
  ticker: 'KEEL',
  name: 'Keel Infrastructure',
  role: 'miner',
  cik: 1812477,
  filer: '10-K',
  listed_since: '2021-06-21',
  symbols: [
    { from: '2021-06-21', symbol: 'BITF' },
    { from: '2026-04-06', symbol: 'KEEL' },
  ],
  names: [
    { from: '2021-06-21', name: 'Bitfarms' },
    { from: '2026-04-06', name: 'Keel Infrastructure' },
  ],
  filers: [
    { from: '2021-06-21', filer: '40-F' },
    { from: '2026-04-06', filer: '10-K' },
  ],
};

const closes = (rows: Array<[string, number]>) => rows.map(([date, close_usd]) => ({ date, close_usd, volume: null }));
const monthly = (ticker: string) =>
  opened.sqlite
    .prepare(
      'select month, close_usd, shares_per_unit, return_pct, market_cap_usd from equity_monthly where ticker = ? order by month',
    )
    .all(ticker);

describe('listed units (ADS ratios)', () => {
  it('CANG: the cap is close × shares ÷ 2 while an ADS was 2 shares, close × shares after; the return compares a share with a share', () => {
    syncUniverse(opened.sqlite, [CANG]);
    upsertCloses(
      opened.sqlite,
      'CANG',
      'yahoo',
      closes([
        ['2025-10-31', 4.0],
        ['2025-11-14', 3.9],
        ['2025-11-17', 1.95],
        ['2025-11-28', 1.8],
      ]),
    );
    replaceShares(opened.sqlite, 'CANG', 'sec', [{ as_of: '2025-06-30', shares: 356_000_000 }]);
    refreshEquityMonthly(opened.sqlite);
    expect(monthly('CANG')).toEqual([
      // October: 4.00 per ADS = 2.00 per share; 2.00 × 356 M = $712 M.
      {
        month: '2025-10',
        close_usd: 4.0,
        shares_per_unit: 2,
        return_pct: null,
        market_cap_usd: (4.0 / 2) * 356_000_000,
      },
      // November: 1.80 per share; 1.80 × 356 M = $640.8 M; return 1.80 / 2.00 − 1 = −10 %, not 1.80 / 4.00 − 1 = −55 %.
      {
        month: '2025-11',
        close_usd: 1.8,
        shares_per_unit: 1,
        return_pct: expect.closeTo(-10, 9),
        market_cap_usd: expect.closeTo(640_800_000, 3),
      },
    ]);
    // 3.90 per ADS on Friday, 1.95 per share on Monday: the same price per share, so no one-day jump to explain.
    const findings = runChecks(opened.sqlite, { today: '2025-12-01' });
    expect(findings.filter((f) => f.check === 'jump')).toEqual([]);
  });

  it('a split event an upstream reports on the day the unit changes is not applied on top of the unit', () => {
    syncUniverse(opened.sqlite, [CANG]);
    // As if Yahoo had recorded the programme's end as a 2-for-1 split (closes stored as traded either way).
    upsertCloses(
      opened.sqlite,
      'CANG',
      'yahoo',
      closes([
        ['2025-10-31', 4.0],
        ['2025-11-28', 1.8],
      ]),
      [{ date: '2025-11-17', numerator: 2, denominator: 1 }],
    );
    replaceShares(opened.sqlite, 'CANG', 'sec', [{ as_of: '2025-06-30', shares: 356_000_000 }]);
    refreshEquityMonthly(opened.sqlite);
    const nov = monthly('CANG')[1] as { return_pct: number; market_cap_usd: number };
    expect(nov.return_pct).toBeCloseTo(-10, 9); // not (1.80 × 2) / 2.00 − 1 = +80 %
    expect(nov.market_cap_usd).toBeCloseTo(640_800_000, 3); // not 712 M shares × 1.80
  });

  it('without the unit in the universe file the same closes show the −55 % jump and a check finding', () => {
    syncUniverse(opened.sqlite, [{ ...CANG, listed_units: undefined }]);
    upsertCloses(
      opened.sqlite,
      'CANG',
      'yahoo',
      closes([
        ['2025-10-31', 4.0],
        ['2025-11-14', 3.9],
        ['2025-11-17', 1.95],
        ['2025-11-28', 1.8],
      ]),
    );
    refreshEquityMonthly(opened.sqlite);
    expect((monthly('CANG')[1] as { return_pct: number }).return_pct).toBeCloseTo((1.8 / 4.0 - 1) * 100, 9); // −55 %
    const jumps = runChecks(opened.sqlite, { today: '2025-12-01' }).filter((f) => f.check === 'jump');
    expect(jumps.map((j) => [j.series, j.first_date, j.last_date])).toEqual([
      ['prices.CANG', '2025-11-14', '2025-11-17'],
    ]);
  });
});

describe('symbol history (renames, redomiciles)', () => {
  it('rows stored under the former symbol join the ticker, and the month of the change has an ordinary return', () => {
    // An older universe file tracked BITF; its rows are in the file.
    syncUniverse(opened.sqlite, [
      { ticker: 'BITF', name: 'Bitfarms', role: 'miner', cik: 1812477, filer: '40-F', listed_since: '2021-06-21' },
    ]);
    upsertCloses(opened.sqlite, 'BITF', 'yahoo', closes([['2026-03-31', 2.0]]));
    replaceShares(opened.sqlite, 'BITF', 'sec-cover', [{ as_of: '2025-12-31', shares: 560_000_000 }]);
    // The new file names the company KEEL, with BITF as its former symbol; KEEL closes arrive from April.
    syncUniverse(opened.sqlite, [KEEL]);
    upsertCloses(opened.sqlite, 'KEEL', 'yahoo', closes([['2026-04-30', 2.2]]));
    refreshEquityMonthly(opened.sqlite);
    expect(opened.sqlite.prepare("select count(*) from equity_prices_daily where ticker = 'BITF'").pluck().get()).toBe(
      0,
    );
    expect(monthly('KEEL')).toEqual([
      { month: '2026-03', close_usd: 2.0, shares_per_unit: 1, return_pct: null, market_cap_usd: 2.0 * 560_000_000 },
      // 2.20 / 2.00 − 1 = +10 %: one series across the rename, the share count carried over (the exchange was 1:1).
      {
        month: '2026-04',
        close_usd: 2.2,
        shares_per_unit: 1,
        return_pct: expect.closeTo(10, 9),
        market_cap_usd: expect.closeTo(2.2 * 560_000_000, 3),
      },
    ]);
  });

  it('asks each range under the symbol in force: BITF until 2026-04-05, KEEL from 2026-04-06', () => {
    expect(symbolRanges(KEEL, '2026-03-01', '2026-04-30')).toEqual([
      { symbol: 'BITF', from: '2026-03-01', to: '2026-04-05' },
      { symbol: 'KEEL', from: '2026-04-06', to: '2026-04-30' },
    ]);
    expect(symbolRanges(KEEL, '2026-05-01', '2026-05-31')).toEqual([
      { symbol: 'KEEL', from: '2026-05-01', to: '2026-05-31' },
    ]);
    expect(symbolRanges(KEEL, '2024-01-01', '2024-01-31')).toEqual([
      { symbol: 'BITF', from: '2024-01-01', to: '2024-01-31' },
    ]);
  });

  it('stores the periods for SQL users: symbol, name, filer form and shares per unit in force', () => {
    syncUniverse(opened.sqlite, [KEEL, CANG]);
    const rows = opened.sqlite.prepare('select * from universe_periods order by ticker, valid_from').all();
    expect(rows).toEqual([
      {
        ticker: 'CANG',
        valid_from: '2018-07-26',
        valid_to: '2025-11-17',
        symbol: 'CANG',
        name: 'Cango',
        filer: '20-F',
        shares_per_unit: 2,
      },
      {
        ticker: 'CANG',
        valid_from: '2025-11-17',
        valid_to: null,
        symbol: 'CANG',
        name: 'Cango',
        filer: '20-F',
        shares_per_unit: 1,
      },
      {
        ticker: 'KEEL',
        valid_from: '2021-06-21',
        valid_to: '2026-04-06',
        symbol: 'BITF',
        name: 'Bitfarms',
        filer: '40-F',
        shares_per_unit: 1,
      },
      {
        ticker: 'KEEL',
        valid_from: '2026-04-06',
        valid_to: null,
        symbol: 'KEEL',
        name: 'Keel Infrastructure',
        filer: '10-K',
        shares_per_unit: 1,
      },
    ]);
    expect(tickerPeriods(KEEL)).toHaveLength(2);
  });
});

describe('the universe file', () => {
  const write = (tickers: unknown[]) => {
    const f = path.join(dir, 'universe.json');
    fs.writeFileSync(f, JSON.stringify({ tickers }));
    return f;
  };
  it('refuses a history whose newest entry is not the current value, or whose dates go backwards', () => {
    expect(() => loadUniverse(write([{ ...KEEL, ticker: 'BITF' }]))).toThrow(
      /BITF: symbols: the newest entry \(KEEL\) must equal the current value \(BITF\)/,
    );
    const backwards = { ...CANG, listed_units: [CANG.listed_units![1], CANG.listed_units![0]] };
    expect(() => loadUniverse(write([backwards]))).toThrow(/CANG: listed_units: dates must be in ascending order/);
  });
  it('refuses a former symbol that is also a tracked ticker', () => {
    expect(() => loadUniverse(write([KEEL, { ticker: 'BITF', name: 'x', role: 'benchmark' }]))).toThrow(
      /BITF is a former symbol of KEEL and also a tracked ticker/,
    );
  });
  it.each([
    [
      'bad JSON',
      '{"tickers": [',
      /HASHPULSE_UNIVERSE=".*universe\.json" is invalid: cannot read the universe file: .*JSON/,
    ],
    [
      'a bad role',
      JSON.stringify({ tickers: [{ ticker: 'MARA', name: 'MARA Holdings', role: 'miners', cik: 1507605 }] }),
      /is invalid: tickers\.0\.role: /,
    ],
    [
      'a bad filer form',
      JSON.stringify({
        tickers: [{ ticker: 'MARA', name: 'MARA Holdings', role: 'miner', cik: 1507605, filer: '10-KSB' }],
      }),
      /is invalid: tickers\.0\.filer: /,
    ],
    [
      'a CIK that is not a whole number',
      JSON.stringify({ tickers: [{ ticker: 'MARA', name: 'MARA Holdings', role: 'miner', cik: 1507605.5 }] }),
      /is invalid: tickers\.0\.cik: expected a positive integer, got 1507605\.5$/,
    ],
    [
      'an unknown field in a dated entry',
      JSON.stringify({
        tickers: [
          {
            ticker: 'MARA',
            name: 'MARA Holdings',
            role: 'miner',
            cik: 1507605,
            symbols: [{ from: '2012-04-01', symbol: 'MARA', form: '10-K' }],
          },
        ],
      }),
      /is invalid: tickers\.0\.symbols\.0: unknown field "form"$/,
    ],
    [
      'a ticker without a name',
      JSON.stringify({ tickers: [{ ticker: 'MARA', role: 'miner', cik: 1507605 }] }),
      /is invalid: tickers\.0\.name: required$/,
    ],
    ['an empty list', JSON.stringify({ tickers: [] }), /is invalid: tickers: expected at least one entry$/],
    ['a list instead of the file object', '[]', /is invalid: the file: expected an object, got \[\]$/],
    [
      'a duplicate ticker',
      JSON.stringify({
        tickers: [
          { ticker: 'MARA', name: 'MARA Holdings', role: 'miner', cik: 1507605 },
          { ticker: 'MARA', name: 'Marathon', role: 'miner', cik: 1507605 },
        ],
      }),
      /is invalid: ticker MARA is listed twice/,
    ],
    [
      'a miner without a CIK',
      JSON.stringify({ tickers: [{ ticker: 'MARA', name: 'MARA Holdings', role: 'miner' }] }),
      /is invalid: miner MARA needs its SEC "cik" \(shares outstanding come from its filings\)/,
    ],
  ])('refuses %s, naming HASHPULSE_UNIVERSE, the file and the field', (_what, text, message) => {
    const f = path.join(dir, 'universe.json');
    fs.writeFileSync(f, text);
    expect(() => loadUniverse(f)).toThrow(message);
  });
  it('accepts a benchmark without a CIK (no shares are asked for it)', () => {
    const f = path.join(dir, 'universe.json');
    fs.writeFileSync(f, JSON.stringify({ tickers: [{ ticker: '^GSPC', name: 'S&P 500', role: 'benchmark' }] }));
    expect(loadUniverse(f).tickers.map((x) => x.ticker)).toEqual(['^GSPC']);
  });
  it('loads the shipped data/universe.json', () => {
    const u = loadUniverse(path.resolve(import.meta.dirname, '../data/universe.json'));
    expect(u.miners.length).toBe(14);
  });
});

describe('fetching under the symbol in force (real HTTP against the fake upstream)', () => {
  // A hypothetical rename on Friday 2026-01-02, in the fixture world where MARA's Yahoo chart holds the closes:
  // 12.00 (Nov 28), 10.00 (Dec 31), 12.50 (Jan 30). The same chart is served under both symbols.
  const renamed: Ticker = {
    ticker: 'NEWT',
    name: 'New Name Mining',
    role: 'miner',
    cik: 1507605,
    filer: '10-K',
    listed_since: '2021-01-04',
    symbols: [
      { from: '2021-01-04', symbol: 'OLDT' },
      { from: '2026-01-02', symbol: 'NEWT' },
    ],
  };
  async function withUniverse(
    tickers: Ticker[],
    serve: (fake: import('./support/fake-upstream.js').FakeUpstream) => void,
  ) {
    const { createTestEnv } = await import('./support/env.js');
    const { fixtureReply } = await import('./support/fake-upstream.js');
    const { runJob } = await import('../src/pipeline/job.js');
    const { equities } = await import('../jobs/equities.js');
    const uni = path.join(dir, 'universe-rename.json');
    fs.writeFileSync(uni, JSON.stringify({ tickers }));
    const t = await createTestEnv({ config: { universePath: uni } });
    try {
      serve(t.fake);
      t.fake.on('/v8/finance/chart/NEWT', fixtureReply('equities/yahoo-chart-MARA.json'));
      const run = await runJob(t.ctx, equities, 'backfill', { from: '2025-11-24', to: '2026-01-30' });
      const rows = t.opened.sqlite
        .prepare("select month, close_usd, return_pct from equity_monthly where ticker = 'NEWT' order by month")
        .all();
      return { run, rows, requests: t.fake.requests.map((r) => ({ path: r.path, query: r.query })) };
    } finally {
      await t.close();
    }
  }
  const day = (unix: string | undefined) => new Date(Number(unix) * 1000).toISOString().slice(0, 10);

  it('asks Yahoo for OLDT until 2026-01-01 and NEWT from 2026-01-02, and keeps one series under NEWT: January +25 %', async () => {
    const { fixtureReply } = await import('./support/fake-upstream.js');
    const { run, rows, requests } = await withUniverse([renamed], (fake) =>
      fake.on('/v8/finance/chart/OLDT', fixtureReply('equities/yahoo-chart-MARA.json')),
    );
    expect(run.status).toBe('ok');
    const charts = requests.filter((r) => r.path.startsWith('/v8/finance/chart/'));
    expect(charts.map((r) => [r.path, day(r.query.period1)])).toEqual([
      ['/v8/finance/chart/OLDT', '2025-11-24'],
      ['/v8/finance/chart/NEWT', '2026-01-02'],
    ]);
    expect(rows).toEqual([
      { month: '2025-11', close_usd: 12, return_pct: null },
      { month: '2025-12', close_usd: 10, return_pct: expect.closeTo((10 / 12 - 1) * 100, 9) },
      { month: '2026-01', close_usd: 12.5, return_pct: expect.closeTo(25, 9) }, // 12.50 / 10.00 − 1, across the rename
    ]);
  });

  it('asks the former stretch again under the current symbol when the upstream no longer knows the old one', async () => {
    const { fixtureReply } = await import('./support/fake-upstream.js');
    const { run, rows, requests } = await withUniverse([renamed], (fake) =>
      fake.on('/v8/finance/chart/OLDT', { ...fixtureReply('yahoo/error-404.json'), status: 404 }),
    );
    expect(run.status).toBe('ok');
    expect(
      requests.filter((r) => r.path.startsWith('/v8/finance/chart/')).map((r) => [r.path, day(r.query.period1)]),
    ).toEqual([
      ['/v8/finance/chart/OLDT', '2025-11-24'],
      ['/v8/finance/chart/NEWT', '2025-11-24'],
      ['/v8/finance/chart/NEWT', '2026-01-02'],
    ]);
    expect(rows.map((r) => (r as { close_usd: number }).close_usd)).toEqual([12, 10, 12.5]);
  });
});
