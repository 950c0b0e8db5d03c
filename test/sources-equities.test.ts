// Parsers of the equity sources (Yahoo, Nasdaq, SEC), fed payloads in the exact published formats, and their
// fetch functions against the fake upstream (request shape, User-Agent rules, statuses).
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError, PayloadError, SourceError } from '../src/errors.js';
import { Http } from '../src/http.js';
import { silentLogger } from '../src/log.js';
import { fetchNasdaqHistorical, parseNasdaqHistorical, parseNasdaqNumber } from '../src/sources/nasdaq.js';
import {
  cikPadded,
  type FilingRef,
  fetchCoverShares,
  fetchSharesConcept,
  fetchSubmissions,
  newestPeriodicFiling,
  parseSharesConcept,
  parseSubmissions,
} from '../src/sources/sec.js';
import { ixNumber, parseCoverShares } from '../src/sources/sec-ixbrl.js';
import { BROWSER_USER_AGENT, fetchYahooChart, localTime, parseYahooChart, toAsTraded } from '../src/sources/yahoo.js';
import { FakeUpstream, fixture, type Reply } from './support/fake-upstream.js';

// Fixtures are edited per test; `any` keeps those edits short.
const load = (rel: string): any => JSON.parse(fixture(rel));

const yctx = { source: 'yahoo', url: 'http://127.0.0.1:9/v8/finance/chart/MARA' };
const nctx = { source: 'nasdaq', url: 'http://127.0.0.1:9/api/quote/MARA/historical' };
const sctx = {
  source: 'sec',
  url: 'http://127.0.0.1:9/api/xbrl/companyconcept/CIK0009999999/dei/EntityCommonStockSharesOutstanding.json',
};
const AFTER_CLOSE = new Date('2026-03-14T12:00:00Z'); // Saturday: every bar in the MARA fixture is final
const mara = (now = AFTER_CLOSE) =>
  parseYahooChart(load('yahoo/chart-MARA-2026-03.json'), yctx, { symbol: 'MARA', now });

/** An Http that fails the test if any request is made. */
const noRequests = {
  get: () => {
    throw new Error('no request may be made');
  },
  getJson: () => {
    throw new Error('no request may be made');
  },
} as unknown as Http;

const testHttp = () =>
  new Http({
    userAgent: 'hashpulse-test',
    timeoutMs: 2000,
    retries: 2,
    retryMinMs: 5,
    maxRetryTimeMs: 2000,
    minIntervalMs: 0,
    maxBytes: 5_000_000,
    log: silentLogger(),
  });
const jsonReply = (rel: string, status = 200): Reply => ({
  status,
  body: fixture(rel),
  headers: { 'content-type': 'application/json' },
});

let fake: FakeUpstream | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

describe('yahoo chart', () => {
  it('dates each bar by its New York calendar day on both sides of the 2026-03-08 DST change', () => {
    const body = load('yahoo/chart-MARA-2026-03.json');
    const stamps: number[] = body.chart.result[0].timestamp;
    // 09:30 New York is 14:30Z under EST and 13:30Z under EDT.
    expect(stamps[6]).toBe(Date.parse('2026-03-06T14:30:00Z') / 1000);
    expect(stamps[7]).toBe(Date.parse('2026-03-09T13:30:00Z') / 1000);
    const { bars, currency, timezone } = mara();
    expect(bars.find((b) => b.date === '2026-03-06')?.close_usd).toBe(12.300000190734863);
    expect(bars.find((b) => b.date === '2026-03-09')?.close_usd).toBe(12.880000114440918);
    expect(bars.map((b) => b.date)).toEqual([
      '2026-02-26',
      '2026-02-27',
      '2026-03-02',
      '2026-03-03',
      '2026-03-05',
      '2026-03-06',
      '2026-03-09',
      '2026-03-10',
      '2026-03-11',
      '2026-03-12',
      '2026-03-13',
    ]);
    expect([currency, timezone]).toEqual(['USD', 'America/New_York']);
  });

  it('converts with the offset in force at that instant, not a fixed one', () => {
    // 04:30Z is 00:30 EDT on 2026-03-09 but 23:30 EST of the previous day on 2026-03-07.
    expect(localTime(Date.parse('2026-03-09T04:30:00Z') / 1000, 'America/New_York')).toEqual({
      date: '2026-03-09',
      minutes: 30,
    });
    expect(localTime(Date.parse('2026-03-07T04:30:00Z') / 1000, 'America/New_York')).toEqual({
      date: '2026-03-06',
      minutes: 23 * 60 + 30,
    });
  });

  it('skips the bar whose fields are all null (12 timestamps, 11 bars) and keeps volume and adjclose', () => {
    const { bars } = mara();
    expect(bars).toHaveLength(11);
    expect(bars.some((b) => b.date === '2026-03-04')).toBe(false);
    expect(bars[0]).toEqual({
      date: '2026-02-26',
      close_usd: 11.84000015258789,
      adj_close_usd: 11.84000015258789,
      volume: 41230500,
    });
  });

  it('drops the bar of the session still trading, using regular.end when it is today', () => {
    // 13:00 EDT on Friday 2026-03-13, the session ends at 16:00 EDT (20:00Z): that bar is not a close yet.
    const during = mara(new Date('2026-03-13T17:00:00Z')).bars;
    expect(during.at(-1)?.date).toBe('2026-03-12');
    expect(during).toHaveLength(10);
    expect(mara(new Date('2026-03-13T20:00:00Z')).bars.at(-1)?.date).toBe('2026-03-13');
  });

  it('falls back to 16:00 exchange time without regular.end, and ignores a regular period of another day', () => {
    const parse = (body: unknown, iso: string) =>
      parseYahooChart(body, yctx, { symbol: 'MARA', now: new Date(iso) }).bars.at(-1)?.date;
    const noPeriod = load('yahoo/chart-MARA-2026-03.json');
    delete noPeriod.chart.result[0].meta.currentTradingPeriod;
    expect(parse(noPeriod, '2026-03-13T19:59:00Z')).toBe('2026-03-12'); // 15:59 EDT
    expect(parse(noPeriod, '2026-03-13T20:30:00Z')).toBe('2026-03-13'); // 16:30 EDT (15:30 if EST were assumed)
    const nextSession = load('yahoo/chart-MARA-2026-03.json');
    // The period already describes Monday 2026-03-16 (ends 20:00Z); on Friday at 17:00 EDT Friday's close is final.
    nextSession.chart.result[0].meta.currentTradingPeriod.regular = {
      timezone: 'EDT',
      start: 1773667800,
      end: 1773691200,
      gmtoffset: -14400,
    };
    expect(parse(nextSession, '2026-03-13T21:00:00Z')).toBe('2026-03-13');
  });

  it('keeps the last of two bars for one day and returns dates ascending', () => {
    const body = load('yahoo/chart-MARA-2026-03.json');
    const r = body.chart.result[0];
    // A second 2026-03-12 bar stamped at 16:00 EDT, appended out of order, as the live bar sometimes is.
    r.timestamp.push(Date.parse('2026-03-12T20:00:00Z') / 1000);
    for (const k of ['close', 'low', 'volume', 'open', 'high'])
      r.indicators.quote[0][k].push(k === 'volume' ? 47800000 : 13.45);
    r.indicators.adjclose[0].adjclose.push(13.45);
    const { bars } = parseYahooChart(body, yctx, { symbol: 'MARA', now: AFTER_CLOSE });
    expect(bars).toHaveLength(11);
    expect(bars.find((b) => b.date === '2026-03-12')).toEqual({
      date: '2026-03-12',
      close_usd: 13.45,
      adj_close_usd: 13.45,
      volume: 47800000,
    });
    expect(bars.at(-1)?.date).toBe('2026-03-13');
  });

  it('reads a split event and un-adjusts the closes before it (1-for-10: ÷10, volume ×10)', () => {
    const chart = parseYahooChart(load('yahoo/chart-split.json'), yctx, { symbol: 'HPXM', now: AFTER_CLOSE });
    expect(chart.splits).toEqual([{ date: '2025-06-02', numerator: 1, denominator: 10 }]);
    const traded = toAsTraded(chart.bars, chart.splits);
    // 2025-05-29: Yahoo shows 8.50 adjusted; it traded at 8.50 × 1/10 = 0.85 on 40,000,000 shares (4,000,000 × 10).
    expect(traded[0]).toEqual({ date: '2025-05-29', close_usd: 0.85, adj_close_usd: 8.5, volume: 40_000_000 });
    expect(traded[1]?.close_usd).toBe(0.8);
    // From the split day on, nothing changes.
    expect(traded[2]).toEqual(chart.bars[2]);
    // A 4:1 forward split multiplies earlier closes by 4.
    expect(
      toAsTraded(
        [{ date: '2020-08-28', close_usd: 124.8075, adj_close_usd: null, volume: 100 }],
        [{ date: '2020-08-31', numerator: 4, denominator: 1 }],
      )[0],
    ).toEqual({ date: '2020-08-28', close_usd: 499.23, adj_close_usd: null, volume: 25 });
  });

  it('turns the 404 for an unknown ticker into a SourceError naming it', () => {
    const call = () =>
      parseYahooChart(load('yahoo/error-404.json'), yctx, { symbol: 'MARA2', now: AFTER_CLOSE, status: 404 });
    expect(call).toThrow(SourceError);
    expect(call).toThrow('yahoo: unknown symbol "MARA2": No data found, symbol may be delisted');
    expect(() => parseYahooChart('Not Found', yctx, { symbol: 'MARA2', now: AFTER_CLOSE, status: 404 })).toThrow(
      /HTTP 404 for "MARA2"/,
    );
  });

  it('treats chart.error on a 200 as a broken payload', () => {
    expect(() => parseYahooChart(load('yahoo/error-404.json'), yctx, { symbol: 'MARA', now: AFTER_CLOSE })).toThrow(
      PayloadError,
    );
  });

  it('returns no bars for a range without trading days, but rejects quotes without timestamps', () => {
    const empty = load('yahoo/chart-MARA-2026-03.json');
    delete empty.chart.result[0].timestamp;
    empty.chart.result[0].indicators = { quote: [{}], adjclose: [{}] };
    expect(parseYahooChart(empty, yctx, { symbol: 'MARA', now: AFTER_CLOSE }).bars).toEqual([]);
    const broken = load('yahoo/chart-MARA-2026-03.json');
    delete broken.chart.result[0].timestamp;
    expect(() => parseYahooChart(broken, yctx, { symbol: 'MARA', now: AFTER_CLOSE })).toThrow(
      /12 values but there is no timestamp array/,
    );
  });

  it('rejects a non-USD quote and implausible closes', () => {
    const cad = load('yahoo/chart-MARA-2026-03.json');
    cad.chart.result[0].meta.currency = 'CAD';
    expect(() => parseYahooChart(cad, yctx, { symbol: 'HUT.TO', now: AFTER_CLOSE })).toThrow(
      /quoted in CAD, expected USD/,
    );
    for (const bad of [0, 2_000_000]) {
      const body = load('yahoo/chart-MARA-2026-03.json');
      body.chart.result[0].indicators.quote[0].close[0] = bad;
      expect(() => parseYahooChart(body, yctx, { symbol: 'MARA', now: AFTER_CLOSE })).toThrow(
        /yahoo: invalid payload: close \(USD\) .* on 2026-02-26/,
      );
    }
  });

  it('names the source and the broken field for garbage and truncated payloads', () => {
    expect(() => parseYahooChart('<html>Too Many Requests</html>', yctx, { symbol: 'MARA', now: AFTER_CLOSE })).toThrow(
      /^yahoo: invalid payload/,
    );
    const cut = load('yahoo/chart-MARA-2026-03.json');
    delete cut.chart.result[0].indicators;
    expect(() => parseYahooChart(cut, yctx, { symbol: 'MARA', now: AFTER_CLOSE })).toThrow(
      /yahoo: invalid payload: chart\.result\.0\.indicators/,
    );
    const short = load('yahoo/chart-MARA-2026-03.json');
    short.chart.result[0].indicators.quote[0].close.pop();
    expect(() => parseYahooChart(short, yctx, { symbol: 'MARA', now: AFTER_CLOSE })).toThrow(
      /12 timestamps but 11 close values/,
    );
  });

  it('asks for the range through now with a browser User-Agent, and reports an unknown ticker', async () => {
    fake = await FakeUpstream.start();
    fake.on('/v8/finance/chart/MARA', jsonReply('yahoo/chart-MARA-2026-03.json'));
    fake.on('/v8/finance/chart/MARA2', jsonReply('yahoo/error-404.json', 404));
    fake.on('/v8/finance/chart/GONE', {
      status: 404,
      body: '<html>Not Found</html>',
      headers: { 'content-type': 'text/html' },
    });
    const http = testHttp();
    const chart = await fetchYahooChart(http, fake.url, 'MARA', '2026-02-26', '2026-03-12', AFTER_CLOSE);
    const seen = fake.requestsTo('/v8/finance/chart/MARA')[0];
    expect(seen?.headers['user-agent']).toBe(BROWSER_USER_AGENT);
    expect(seen?.query).toEqual({
      period1: String(Date.parse('2026-02-26T00:00:00Z') / 1000),
      period2: String(AFTER_CLOSE.getTime() / 1000),
      interval: '1d',
      events: 'div|split',
    });
    expect(chart.bars.at(-1)?.date).toBe('2026-03-12'); // bars after `to` are dropped
    await expect(fetchYahooChart(http, fake.url, 'MARA2', '2026-03-02', '2026-03-06', AFTER_CLOSE)).rejects.toThrow(
      /unknown symbol "MARA2"/,
    );
    const gone = fetchYahooChart(http, fake.url, 'GONE', '2026-03-02', '2026-03-06', AFTER_CLOSE);
    await expect(gone).rejects.toBeInstanceOf(SourceError);
    await expect(gone).rejects.toThrow(/HTTP 404 for "GONE"/);
  });
});

describe('nasdaq historical', () => {
  it('reads "$27.00", "78,532,510" and "--" and returns the newest-first rows ascending', () => {
    const bars = parseNasdaqHistorical(load('nasdaq/historical-MARA.json'), nctx);
    expect(bars.map((b) => b.date)).toEqual(['2024-02-26', '2024-02-27', '2024-02-28', '2024-02-29', '2024-03-01']);
    expect(bars.at(-1)).toEqual({ date: '2024-03-01', close_usd: 27, adj_close_usd: null, volume: 78532510 });
    expect(bars[1]).toEqual({ date: '2024-02-27', close_usd: 30.31, adj_close_usd: null, volume: null });
  });

  it('reads index rows without a dollar sign and with volume "--"', () => {
    const ndx = {
      data: {
        symbol: 'NDX',
        totalRecords: 1,
        tradesTable: {
          asOf: null,
          headers: {},
          rows: [
            {
              date: '08/25/2026',
              close: '29,209.23',
              volume: '--',
              open: '29,231.18',
              high: '29,338.77',
              low: '29,077.72',
            },
          ],
        },
      },
      message: null,
      status: { rCode: 200, bCodeMessage: null, developerMessage: null },
    };
    expect(parseNasdaqHistorical(ndx, nctx, 'NDX')).toEqual([
      { date: '2026-08-25', close_usd: 29209.23, adj_close_usd: null, volume: null },
    ]);
  });

  it('turns "Symbol not exists" into a SourceError naming the symbol', () => {
    const url = { source: 'nasdaq', url: 'http://127.0.0.1:9/api/quote/MARA2/historical?assetclass=stocks' };
    const call = () => parseNasdaqHistorical(load('nasdaq/not-found.json'), url);
    expect(call).toThrow(SourceError);
    expect(call).toThrow(
      'nasdaq: no history for "MARA2" (status.rCode 400 in the body): Symbol not exists. (code 1001); Nasdaq also says this for a symbol it has been throttling',
    );
  });

  it('returns nothing for a range without trading days', () => {
    const none = {
      data: { symbol: 'MARA', totalRecords: 0, tradesTable: { asOf: null, headers: null, rows: null } },
      message: null,
      status: { rCode: 200, bCodeMessage: null, developerMessage: null },
    };
    expect(parseNasdaqHistorical(none, nctx)).toEqual([]);
  });

  it('rejects cells, dates and payloads that are not the published format', () => {
    expect(parseNasdaqNumber('$1,234.50', 'close', nctx)).toBe(1234.5);
    expect(() => parseNasdaqNumber('27.00 USD', 'close', nctx)).toThrow(
      /nasdaq: invalid payload: close "27.00 USD" is not a number/,
    );
    const iso = load('nasdaq/historical-MARA.json');
    iso.data.tradesTable.rows[0].date = '2024-03-01';
    expect(() => parseNasdaqHistorical(iso, nctx)).toThrow(/row date "2024-03-01" is not MM\/DD\/YYYY/);
    expect(() => parseNasdaqHistorical({ data: { symbol: 'MARA' } }, nctx)).toThrow(/^nasdaq: invalid payload: /);
    const other = load('nasdaq/historical-MARA.json');
    other.data.symbol = 'RIOT';
    expect(() => parseNasdaqHistorical(other, nctx)).toThrow(/asked for "MARA", got "RIOT"/);
  });

  it('sends the browser headers and the range, and names the source on a truncated body', async () => {
    fake = await FakeUpstream.start();
    fake.on('/api/quote/MARA/historical', jsonReply('nasdaq/historical-MARA.json'));
    fake.on('/api/quote/CUT/historical', { ...jsonReply('nasdaq/historical-MARA.json'), fault: 'truncate' });
    const http = testHttp();
    expect(await fetchNasdaqHistorical(http, fake.url, 'MARA', 'stocks', '2024-02-26', '2024-03-01')).toHaveLength(5);
    const seen = fake.requestsTo('/api/quote/MARA/historical')[0];
    expect(seen?.query).toEqual({ assetclass: 'stocks', fromdate: '2024-02-26', todate: '2024-03-01', limit: '9999' });
    expect(seen?.headers).toMatchObject({
      'user-agent': BROWSER_USER_AGENT,
      referer: 'https://www.nasdaq.com/',
      origin: 'https://www.nasdaq.com',
    });
    await expect(fetchNasdaqHistorical(http, fake.url, 'CUT', 'stocks', '2024-02-26', '2024-03-01')).rejects.toThrow(
      /^nasdaq: invalid payload: malformed or truncated JSON/,
    );
  });
});

describe('sec companyconcept', () => {
  it('sums the share classes of one filing and keeps an amended as-of date once, from the original', () => {
    const rows = parseSharesConcept(load('sec/companyconcept-multiclass.json'), sctx);
    expect(rows.map((r) => r.as_of)).toEqual(['2024-10-31', '2025-02-28', '2025-04-30', '2025-07-31']);
    // 10-K: Class A 11,750,000 + Class B 1,234,567.
    expect(rows[1]).toEqual({
      as_of: '2025-02-28',
      shares: 11_750_000 + 1_234_567,
      accession: '0001628280-25-008315',
      form: '10-K',
      filed: '2025-03-06',
    });
    expect(rows[1]?.shares).toBe(12_984_567);
    // 10-Q of 2025-05-09 and its 10-Q/A of 2025-06-02 both say 12,000,000 + 1,234,567 = 13,234,567: one row, the 10-Q.
    expect(rows[2]).toEqual({
      as_of: '2025-04-30',
      shares: 13_234_567,
      accession: '0001628280-25-021907',
      form: '10-Q',
      filed: '2025-05-09',
    });
    expect(rows[0]?.shares).toBe(10_480_000);
  });

  it('prefers the original over an amendment filed the same day', () => {
    const body = load('sec/companyconcept-multiclass.json');
    const shares = body.units.shares.filter((r: { end: string }) => r.end === '2025-04-30');
    for (const r of shares) r.filed = '2025-05-09';
    for (const r of shares.filter((x: { form: string }) => x.form === '10-Q/A')) r.val += 1000;
    body.units.shares = shares;
    expect(parseSharesConcept(body, sctx)).toEqual([
      { as_of: '2025-04-30', shares: 13_234_567, accession: '0001628280-25-021907', form: '10-Q', filed: '2025-05-09' },
    ]);
  });

  it('returns no rows for a filer without a dei count (units: {})', () => {
    expect(parseSharesConcept(load('sec/companyconcept-empty-units.json'), sctx)).toEqual([]);
  });

  it('rejects another unit, implausible counts and garbage, naming the source', () => {
    const usd = load('sec/companyconcept-multiclass.json');
    usd.units = { USD: usd.units.shares };
    expect(() => parseSharesConcept(usd, sctx)).toThrow(/units are USD; expected "shares"/);
    const tiny = load('sec/companyconcept-multiclass.json');
    tiny.units.shares = [tiny.units.shares[0]];
    tiny.units.shares[0].val = 500;
    expect(() => parseSharesConcept(tiny, sctx)).toThrow(/sec: invalid payload: shares outstanding 500 on 2024-10-31/);
    expect(() =>
      parseSharesConcept({ cik: 9999999, taxonomy: 'dei', tag: 'EntityCommonStockSharesOutstanding' }, sctx),
    ).toThrow(/^sec: invalid payload: /);
    const badAccn = load('sec/companyconcept-multiclass.json');
    badAccn.units.shares[0].accn = '000162828024045120';
    expect(() => parseSharesConcept(badAccn, sctx)).toThrow(/units\.shares\.0\.accn/);
  });
});

describe('sec submissions', () => {
  it('zips the parallel arrays and picks the newest periodic filing, not the newer 8-K', () => {
    const refs = parseSubmissions(load('sec/submissions.json'), sctx);
    expect(refs).toHaveLength(6);
    expect(refs[0]).toEqual({
      form: '8-K',
      accessionNumber: '0001628280-25-051377',
      primaryDocument: 'exmp-20251112.htm',
      filingDate: '2025-11-12',
      reportDate: '2025-11-12',
      items: '2.02,9.01',
    });
    expect(newestPeriodicFiling(refs)).toEqual({
      form: '10-Q',
      accessionNumber: '0001628280-25-049876',
      primaryDocument: 'exmp-20250930.htm',
      filingDate: '2025-11-07',
      reportDate: '2025-09-30',
      items: '',
    });
  });

  it('prefers an original to a newer amendment, and takes an amendment only when no original is listed', () => {
    const ref = (form: string, filingDate: string, n: number): FilingRef => ({
      form,
      accessionNumber: `0000000000-25-00000${n}`,
      primaryDocument: `d${n}.htm`,
      filingDate,
      reportDate: null,
    });
    expect(
      newestPeriodicFiling([ref('10-K/A', '2025-11-10', 1), ref('10-Q', '2025-11-07', 2), ref('20-F', '2025-04-01', 3)])
        ?.form,
    ).toBe('10-Q');
    expect(
      newestPeriodicFiling([
        ref('10-Q/A', '2025-06-02', 1),
        ref('10-K/A', '2025-03-30', 2),
        ref('8-K', '2025-07-01', 3),
      ])?.form,
    ).toBe('10-Q/A');
    expect(newestPeriodicFiling([ref('8-K', '2025-07-01', 3)])).toBeUndefined();
  });

  it('rejects arrays of different lengths', () => {
    const body = load('sec/submissions.json');
    body.filings.recent.primaryDocument.pop();
    expect(() => parseSubmissions(body, sctx)).toThrow(
      /sec: invalid payload: filings\.recent\.primaryDocument has 5 entries, accessionNumber 6/,
    );
  });

  it('pads a CIK to ten digits', () => {
    expect(cikPadded(1507605)).toBe('0001507605');
    expect(cikPadded('0001997711')).toBe('0001997711');
    expect(() => cikPadded('MARA')).toThrow(ConfigError);
  });
});

describe('sec inline XBRL cover page', () => {
  it('sums Class A "12.5" at scale 6 and Class B "1,234,567": 12,500,000 + 1,234,567 = 13,734,567 as of 2025-10-31', () => {
    const cover = parseCoverShares(fixture('sec/cover-10q.htm'), sctx);
    expect(cover).toEqual({ as_of: '2025-10-31', shares: 12_500_000 + 1_234_567, classes: 2 });
    expect(cover.shares).toBe(13_734_567);
  });

  it('says the layout changed when the cover page has no share count', () => {
    const html = fixture('sec/cover-10q.htm').replaceAll(
      'dei:EntityCommonStockSharesOutstanding',
      'us-gaap:CommonStockSharesOutstanding',
    );
    expect(() => parseCoverShares(html, sctx)).toThrow(PayloadError);
    expect(() => parseCoverShares(html, sctx)).toThrow(
      /no dei:EntityCommonStockSharesOutstanding on the cover page — layout changed\?/,
    );
    expect(() => parseCoverShares('<html><body>Access Denied</body></html>', sctx)).toThrow(
      /^sec: invalid payload: no dei:/,
    );
  });

  it('rejects a fact whose context is missing (document cut short)', () => {
    const html = fixture('sec/cover-10q.htm').replace(/<xbrli:context id="c-11">.*?<\/xbrli:context>/, '');
    expect(() => parseCoverShares(html, sctx)).toThrow(/context "c-11", which has no xbrli:instant/);
  });

  const doc = (facts: string) =>
    `<html xmlns="http://www.w3.org/1999/xhtml"><body><div style="display:none"><ix:header><ix:resources>` +
    `<xbrli:context id="a"><xbrli:period><xbrli:instant>2025-10-31</xbrli:instant></xbrli:period></xbrli:context>` +
    `<xbrli:context id="b"><xbrli:period><xbrli:instant>2025-10-31</xbrli:instant></xbrli:period></xbrli:context>` +
    `<xbrli:context id="old"><xbrli:period><xbrli:instant>2025-07-31</xbrli:instant></xbrli:period></xbrli:context>` +
    `</ix:resources></ix:header></div><p>${facts}</p></body></html>`;
  const fact = (ctx: string, text: string, extra = '') =>
    `<ix:nonFraction name="dei:EntityCommonStockSharesOutstanding" contextRef="${ctx}" unitRef="shares"${extra}>${text}</ix:nonFraction>`;

  it('counts a fact shown twice once, skips a self-closed nil fact, and sums only the newest as-of date', () => {
    const html = doc(
      fact('a', '2,000,000') +
        ' and again ' +
        fact('a', '2,000,000') +
        '<ix:nonFraction name="dei:EntityCommonStockSharesOutstanding" contextRef="b" unitRef="shares" xsi:nil="true"/>' +
        fact('b', '500,000') +
        fact('old', '9,999,999'),
    );
    // 2,000,000 (context a) + 500,000 (context b); the 2025-07-31 count is older and left out.
    expect(parseCoverShares(html, sctx)).toEqual({ as_of: '2025-10-31', shares: 2_500_000, classes: 2 });
  });

  it('reads lowercase tag and attribute names as an HTML serializer writes them', () => {
    const html = doc(
      '<ix:nonfraction name="dei:EntityCommonStockSharesOutstanding" contextref="a" scale="3">1,500</ix:nonfraction>',
    );
    expect(parseCoverShares(html, sctx).shares).toBe(1_500_000);
  });

  it('applies the ixt transforms', () => {
    expect(ixNumber('1.234.567', 'ixt:num-comma-decimal', sctx)).toBe('1234567');
    expect(ixNumber('1 234 567,5', 'ixt:numcommadecimal', sctx)).toBe('1234567.5');
    expect(ixNumber('—', 'ixt:fixed-zero', sctx)).toBe('0');
    expect(ixNumber('none', 'ixt-sec:numwordsen', sctx)).toBe('0');
    expect(ixNumber('1,234', undefined, sctx)).toBe('1234');
    expect(() => ixNumber('five', 'ixt-sec:numwordsen', sctx)).toThrow(PayloadError);
    expect(() => ixNumber('1/2', 'ixt:num-fraction', sctx)).toThrow(/transform "ixt:num-fraction"/);
    expect(() => parseCoverShares(doc(fact('a', '2,000,000', ' sign="-"')), sctx)).toThrow(
      /shares outstanding -2000000/,
    );
  });
});

describe('sec requests', () => {
  const UA = 'hashpulse test@example.com';

  it('refuses to make any request without a User-Agent carrying a contact e-mail', async () => {
    for (const ua of [undefined, '', 'hashpulse', 'hashpulse admin@']) {
      await expect(fetchSharesConcept(noRequests, 'http://127.0.0.1:9', 9999999, ua)).rejects.toBeInstanceOf(
        ConfigError,
      );
      await expect(fetchSubmissions(noRequests, 'http://127.0.0.1:9', 9999999, ua)).rejects.toThrow(
        /HASHPULSE_SEC_USER_AGENT=.* the SEC requires a User-Agent/,
      );
      await expect(
        fetchCoverShares(noRequests, 'http://127.0.0.1:9', 9999999, '0001628280-25-049876', 'exmp-20250930.htm', ua),
      ).rejects.toBeInstanceOf(ConfigError);
    }
  });

  it('sends the declared User-Agent to the documented paths', async () => {
    fake = await FakeUpstream.start();
    fake.on(
      '/api/xbrl/companyconcept/CIK0009999999/dei/EntityCommonStockSharesOutstanding.json',
      jsonReply('sec/companyconcept-multiclass.json'),
    );
    fake.on('/submissions/CIK0009999999.json', jsonReply('sec/submissions.json'));
    fake.on('/Archives/edgar/data/9999999/000162828025049876/exmp-20250930.htm', {
      status: 200,
      body: fixture('sec/cover-10q.htm'),
      headers: { 'content-type': 'text/html' },
    });
    const http = testHttp();
    expect(await fetchSharesConcept(http, fake.url, 9999999, UA)).toHaveLength(4);
    const newest = newestPeriodicFiling(await fetchSubmissions(http, fake.url, 9999999, UA));
    expect(newest).toBeDefined();
    const cover = await fetchCoverShares(http, fake.url, 9999999, newest!.accessionNumber, newest!.primaryDocument, UA);
    expect(cover.shares).toBe(13_734_567);
    expect(fake.requests.map((r) => r.headers['user-agent'])).toEqual([UA, UA, UA]);
  });

  it('treats a 404 for the concept as no counts', async () => {
    fake = await FakeUpstream.start();
    fake.on('/api/xbrl/companyconcept/CIK0009999998/dei/EntityCommonStockSharesOutstanding.json', {
      status: 404,
      body: fixture('sec/companyconcept-404-nosuchkey.xml'),
      headers: { 'content-type': 'application/xml' },
    });
    expect(await fetchSharesConcept(testHttp(), fake.url, 9999998, UA)).toEqual([]);
  });

  it('does not retry a 403 and says the SEC blocks undeclared tools for about ten minutes', async () => {
    fake = await FakeUpstream.start();
    // The text of the SEC's real block page, as archived (test/fixtures/README.md gives the archive's address).
    fake.on('/submissions/CIK0009999999.json', {
      status: 403,
      body: fixture('sec/403-request-rate-threshold.txt'),
      headers: { 'content-type': 'text/html' },
    });
    const call = fetchSubmissions(testHttp(), fake.url, 9999999, UA);
    await expect(call).rejects.toThrow(
      /sec: HTTP 403, the SEC's block page \("Request Rate Threshold Exceeded"\): the SEC blocks undeclared automated tools .* for about 10 minutes/,
    );
    await expect(call).rejects.toMatchObject({ status: 403 });
    expect(fake.requests).toHaveLength(1);
  });

  it('names the source when the submissions body is cut short', async () => {
    fake = await FakeUpstream.start();
    fake.on('/submissions/CIK0009999999.json', { ...jsonReply('sec/submissions.json'), fault: 'truncate' });
    await expect(fetchSubmissions(testHttp(), fake.url, 9999999, UA)).rejects.toThrow(
      /^sec: invalid payload: malformed or truncated JSON/,
    );
  });
});
