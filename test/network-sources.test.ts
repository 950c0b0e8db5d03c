// Parsers of the network sources, fed recorded and hand-made payloads in the exact published formats.
import { describe, expect, it } from 'vitest';
import { PayloadError } from '../src/errors.js';
import { parseJsonBody } from '../src/http.js';
import { parseChart } from '../src/sources/blockchain.js';
import { hashratePeriodFor, parseDifficultyAdjustments, parseHashrate } from '../src/sources/mempool.js';
import { fixture } from './support/fake-upstream.js';

const ctx = { source: 'mempool', url: 'http://127.0.0.1/test' };

describe('mempool hashrate', () => {
  it('converts H/s to EH/s and moves each row to the day it measures (the stamp is the midnight ending it)', () => {
    const rows = parseHashrate(
      {
        hashrates: [
          { timestamp: 1704153600, avgHashrate: 5.2e20 },
          { timestamp: 1704240000, avgHashrate: 4.8e20 },
        ],
        difficulty: [],
        currentHashrate: 0,
        currentDifficulty: 0,
      },
      ctx,
    );
    // 1704153600 = 2024-01-02T00:00Z → the hashrate of 2024-01-01.
    expect(rows).toEqual([
      { date: '2024-01-01', hashrate_ehs: 520 },
      { date: '2024-01-02', hashrate_ehs: 480 },
    ]);
  });

  it('reads the real docs sample (236.5 EH/s on 2022-05-13)', () => {
    const rows = parseHashrate(JSON.parse(fixture('mempool/docs-hashrate-3d.json')), ctx);
    expect(rows[0]).toEqual({ date: '2022-05-13', hashrate_ehs: 236.4997621087718 });
    expect(rows).toHaveLength(3);
  });

  it('stores nothing for a day with no indexed blocks (avgHashrate 0)', () => {
    const rows = parseHashrate(JSON.parse(fixture('mempool/hashrate-window.json')), ctx);
    expect(rows.find((r) => r.date === '2025-12-25')).toBeUndefined();
    expect(rows).toHaveLength(92 - 1); // 2025-11-01..2026-01-31 is 92 days, one of them empty
  });

  it('keeps the genesis point of the whole-history list on 2009-01-03 and drops the zero days after it', () => {
    const rows = parseHashrate(JSON.parse(fixture('mempool/hashrate-all.json')), ctx);
    // 1231006505 is 2009-01-03T18:15:05Z, not a midnight: it is not shifted a day back like the daily points.
    // getnetworkhashps(1, 1) = 4,295,032,833 hashes / 463,160 s = 9,273.32 H/s = 9.27e-15 EH/s.
    expect(rows[0]).toEqual({ date: '2009-01-03', hashrate_ehs: 4295032833 / 463160 / 1e18 });
    // The points stamped 2009-01-04..09 00:00 (days 01-03..01-08) are 0: nothing stored; the midnight stamped
    // 2009-01-04 would have been 2009-01-03 too, but a zero never replaces the genesis value.
    expect(rows[1]?.date).toBe('2025-11-01');
    expect(rows).toHaveLength(1 + 92 - 1);
  });

  it('rejects a payload whose unit is off by 10^6 (TH/s served as H/s)', () => {
    expect(() => parseHashrate({ hashrates: [{ timestamp: 1767312000, avgHashrate: 1e27 }] }, ctx)).toThrow(
      /outside the plausible range/,
    );
    expect(() => parseHashrate({ hashrates: [{ timestamp: 1767312000, avgHashrate: 1e15 }] }, ctx)).toThrow(
      PayloadError,
    );
  });

  it('names the field that breaks the format', () => {
    expect(() => parseHashrate({ hashrates: [{ timestamp: 'yesterday', avgHashrate: 1 }] }, ctx)).toThrow(
      /hashrates\.0\.timestamp/,
    );
  });

  it('picks the smallest mempool window that reaches back to the first day asked for', () => {
    expect(hashratePeriodFor('2026-01-28', '2026-02-01')).toBe('1w');
    expect(hashratePeriodFor('2026-01-01', '2026-02-01')).toBe('3m');
    expect(hashratePeriodFor('2025-11-01', '2026-02-01')).toBe('6m');
    expect(hashratePeriodFor('2024-01-01', '2026-02-01')).toBe('3y');
    expect(hashratePeriodFor('2009-01-03', '2026-02-01')).toBe('all');
  });
});

describe('mempool difficulty adjustments', () => {
  it('reads [time, height, difficulty, ratio] newest first and stores them by height with the change in percent', () => {
    const rows = parseDifficultyAdjustments(JSON.parse(fixture('mempool/docs-difficulty-adjustments-1m.json')), ctx);
    expect(rows.map((r) => r.height)).toEqual(rows.map((r) => r.height).sort((a, b) => a - b));
    const last = rows.at(-1)!;
    expect(last).toMatchObject({
      height: 822528,
      date: '2023-12-23',
      time_utc: '2023-12-23T06:04:24Z',
      difficulty: 72006146478567.1,
    });
    expect(last.change_pct).toBeCloseTo(6.983, 6); // ratio 1.06983
  });

  it('keeps the genesis row of the whole-history list with no change, and the first real retarget (32,256)', () => {
    const rows = parseDifficultyAdjustments(JSON.parse(fixture('mempool/difficulty-adjustments.json')), ctx);
    expect(rows).toHaveLength(8 + 2);
    // [1231006505, 0, 1, 0]: ratio 0 because nothing precedes it; the change is NULL, not −100 %.
    expect(rows[0]).toEqual({
      height: 0,
      time_utc: '2009-01-03T18:15:05Z',
      date: '2009-01-03',
      difficulty: 1,
      change_pct: null,
    });
    // [1262153464, 32256, 1.182899534312841, 1.1829]: +18.29 % on 2009-12-30.
    expect(rows[1]).toMatchObject({
      height: 32256,
      time_utc: '2009-12-30T06:11:04Z',
      date: '2009-12-30',
      difficulty: 1.182899534312841,
    });
    expect(rows[1]!.change_pct).toBeCloseTo(18.29, 9);
    expect(rows[2]).toMatchObject({ height: 919296, date: '2025-10-01' });
  });

  it('refuses a ratio of 0 on any row but the genesis one', () => {
    expect(() => parseDifficultyAdjustments([[1703311464, 822528, 72006146478567.1, 0]], ctx)).toThrow(
      /height 822528 has ratio 0/,
    );
  });

  it('rejects a retarget beyond the protocol bound of x4', () => {
    expect(() => parseDifficultyAdjustments([[1703311464, 822528, 72006146478567.1, 4.5]], ctx)).toThrow(/x4/);
  });
});

describe('blockchain.com charts', () => {
  const b = { source: 'blockchain', url: 'http://127.0.0.1/charts/x' };

  it('converts hash-rate TH/s to EH/s and keys points by their UTC day', () => {
    const rows = parseChart('hash-rate', JSON.parse(fixture('blockchain/recorded-hash-rate-2026-08.json')), b);
    expect(rows[0]).toEqual({ date: '2026-08-24', value: 888.0543248996867 }); // x=1787529600 is 2026-08-24T00:00Z; 888,054,324.9 TH/s
    expect(rows).toHaveLength(3);
  });

  it('reads the recorded 2021 market-price response whatever its `name` says', () => {
    const rows = parseChart('market-price', JSON.parse(fixture('blockchain/recorded-market-price-2021.json')), b);
    expect(rows[0]).toEqual({ date: '2021-02-12', value: 48013.38 });
  });

  it('refuses down-sampled points that are not at 00:00 UTC', () => {
    expect(() =>
      parseChart('market-price', { status: 'ok', name: 'x', values: [{ x: 1613088000 + 3600, y: 1 }] }, b),
    ).toThrow(/00:00 UTC/);
  });

  // blockchain.com's daily points (generate-network.mjs): x is 00:00 UTC, 1767225600 = 2026-01-01, 86,400 s a day.
  const JAN1 = 1_767_225_600;
  const chart = (values: Array<{ x: number; y: number }>, extra: Record<string, unknown> = {}) => ({
    status: 'ok',
    name: 'Market Price (USD)',
    unit: 'USD',
    ...extra,
    values,
  });

  it('refuses a chart served at another period than daily (a sampled answer); "day" or no period is read', () => {
    const one = [{ x: JAN1, y: 85_000 }];
    expect(() => parseChart('market-price', chart(one, { period: 'week' }), b)).toThrow(
      /chart market-price has period "week", expected daily points \(sampled=false\)/,
    );
    expect(parseChart('market-price', chart(one, { period: 'day' }), b)).toEqual([
      { date: '2026-01-01', value: 85_000 },
    ]);
    expect(parseChart('market-price', chart(one), b)).toEqual([{ date: '2026-01-01', value: 85_000 }]);
  });

  it('reads a 0 as no data where 0 is impossible (a price), and as 0 where it is real (fees)', () => {
    const values = [
      { x: JAN1, y: 0 },
      { x: JAN1 + 86_400, y: 85_000 },
    ];
    expect(parseChart('market-price', chart(values), b)).toEqual([{ date: '2026-01-02', value: 85_000 }]);
    expect(parseChart('transaction-fees', chart(values, { unit: 'BTC' }), b)).toEqual([
      { date: '2026-01-01', value: 0 },
      { date: '2026-01-02', value: 85_000 },
    ]);
  });

  it('returns the points oldest first whatever order they came in', () => {
    const values = [
      { x: JAN1 + 2 * 86_400, y: 3 },
      { x: JAN1, y: 1 },
      { x: JAN1 + 86_400, y: 2 },
    ];
    expect(parseChart('transaction-fees', chart(values), b).map((r) => r.date)).toEqual([
      '2026-01-01',
      '2026-01-02',
      '2026-01-03',
    ]);
  });

  it("calls `status: ok` with no values (March 2026's outage) an empty answer, and so does a chart of zeros", () => {
    for (const values of [[], [{ x: JAN1, y: 0 }]]) {
      let err: unknown;
      try {
        parseChart('market-price', chart(values), b);
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(PayloadError);
      expect((err as PayloadError).empty).toBe(true);
      expect((err as PayloadError).message).toBe(
        'blockchain: invalid payload: chart market-price has no data points for the range asked (http://127.0.0.1/charts/x)',
      );
    }
  });

  it('refuses a hash-rate chart in the wrong unit (values 10^6 too large)', () => {
    expect(() =>
      parseChart('hash-rate', { status: 'ok', name: 'Hash Rate', values: [{ x: 1767225600, y: 1e15 }] }, b),
    ).toThrow(/plausible/);
  });
});

describe('JSON bodies', () => {
  const raw = (body: string) => ({
    source: 'blockchain',
    url: 'http://127.0.0.1/charts/market-price',
    status: 200,
    contentType: 'text/html',
    body,
    fetchedAt: '',
  });
  it('says a truncated body is truncated and names the URL', () => {
    expect(() => parseJsonBody(raw('{"status":"ok","values":[{"x":16'))).toThrow(
      /blockchain: invalid payload: malformed or truncated JSON .*http:\/\/127\.0\.0\.1\/charts\/market-price/,
    );
  });
  it('says an HTML bot page served with status 200 is HTML', () => {
    expect(() => parseJsonBody(raw('<!DOCTYPE html><html><title>Just a moment...</title>'))).toThrow(
      /HTML page instead of JSON/,
    );
  });
  it('says an empty body is empty', () => {
    expect(() => parseJsonBody(raw(''))).toThrow(/empty body/);
  });
});

describe('unix time to UTC date', () => {
  it('agrees with Date#toISOString on every day from 2009 to 2040 and at the edges of a day', async () => {
    const { unixToIsoDate } = await import('../src/time.js');
    for (let t = 1230940800; t < 2208988800; t += 86_400) {
      expect(unixToIsoDate(t)).toBe(new Date(t * 1000).toISOString().slice(0, 10));
      expect(unixToIsoDate(t + 86_399)).toBe(new Date(t * 1000).toISOString().slice(0, 10));
    }
    expect(unixToIsoDate(951782400)).toBe('2000-02-29'); // a leap day of a century leap year
  });
});
