// The keyed fallback price sources, Stooq (daily CSV) and Tiingo (end-of-day JSON): their parsers fed every kind
// of body the services send, and their fetch functions against the fake upstream (request shape, key handling).
import { afterEach, describe, expect, it } from 'vitest';
import { PayloadError, SourceError } from '../src/errors.js';
import { type FetchedPayload, Http } from '../src/http.js';
import { silentLogger } from '../src/log.js';
import { fetchStooqDaily, parseStooqCsv, stooqSymbol } from '../src/sources/stooq.js';
import { fetchTiingoDaily, parseTiingoDaily, rangeHasTradingDay, tiingoSymbol } from '../src/sources/tiingo.js';
import { FakeUpstream, fixture } from './support/fake-upstream.js';

const sctx = { source: 'stooq', url: 'http://127.0.0.1:9/q/d/l/?s=mara.us&d1=20251101&d2=20260131&i=d&apikey=***' };
const tctx = {
  source: 'tiingo',
  url: 'http://127.0.0.1:9/tiingo/daily/MARA/prices?startDate=2025-11-01&endDate=2026-01-31',
};
const stooq = (text: string, dropFrom?: string) =>
  parseStooqCsv(text, sctx, { symbol: 'mara.us', ...(dropFrom ? { dropFrom } : {}) });
const tiingo = (body: unknown, opts: { requireRows?: boolean; status?: number } = {}) =>
  parseTiingoDaily(body, tctx, {
    symbol: 'MARA',
    requireRows: opts.requireRows ?? true,
    ...(opts.status ? { status: opts.status } : {}),
  });
const load = (rel: string): any => JSON.parse(fixture(rel));

let fake: FakeUpstream | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});
const testHttp = (archived: FetchedPayload[] = []) =>
  new Http({
    userAgent: 'hashpulse-test',
    timeoutMs: 2000,
    retries: 2,
    retryMinMs: 5,
    maxRetryTimeMs: 2000,
    minIntervalMs: 0,
    maxBytes: 5_000_000,
    log: silentLogger(),
    onResponse: (p) => archived.push(p),
  });

/** The error a call throws (the test fails if it does not throw). */
function thrown(f: () => unknown): Error {
  try {
    f();
  } catch (err) {
    return err as Error;
  }
  throw new Error('expected an error');
}

describe('stooq daily CSV', () => {
  it('reads the CRLF download oldest first: MARA 12 on Nov 28, 10 on Dec 31, 12.5 on Jan 30, 46 sessions', () => {
    const text = fixture('stooq/mara_us_d.csv');
    expect(text.startsWith('Date,Open,High,Low,Close,Volume\r\n2025-11-24,')).toBe(true); // the fixture kept its CRLFs
    expect(text.endsWith('\r\n')).toBe(true);
    const bars = stooq(text);
    expect(bars).toHaveLength(46); // 2025-11-24..2026-01-30 without Thanksgiving, Christmas, New Year's Day, MLK day
    expect(bars[0]).toEqual({ date: '2025-11-24', close_usd: 11, adj_close_usd: null, volume: 20_000_000 });
    expect(bars.find((b) => b.date === '2025-11-28')?.close_usd).toBe(12);
    expect(bars.find((b) => b.date === '2025-12-31')?.close_usd).toBe(10);
    expect(bars.at(-1)).toEqual({ date: '2026-01-30', close_usd: 12.5, adj_close_usd: null, volume: 20_045_000 });
    // Yahoo had a bar of nulls on 2026-01-09; Stooq has an ordinary row.
    expect(bars.find((b) => b.date === '2026-01-09')?.close_usd).toBe(11);
  });

  it('reads the same rows with LF line ends, with ";" as separator, after a BOM, and without a Volume column', () => {
    const crlf = fixture('stooq/mara_us_d.csv');
    const reference = stooq(crlf);
    expect(stooq(crlf.replace(/\r\n/g, '\n'))).toEqual(reference);
    expect(stooq(`\uFEFF${crlf.replace(/,/g, ';')}`)).toEqual(reference);
    expect(stooq('Date,Open,High,Low,Close\r\n2025-01-07,5993.26,6000.68,5890.68,5909.03\r\n')).toEqual([
      { date: '2025-01-07', close_usd: 5909.03, adj_close_usd: null, volume: null },
    ]);
  });

  it('finds the header after junk lines (the PHP warnings Stooq once printed first) and rounds fractional volumes', () => {
    const text =
      'Warning: Division by zero in /home/stooq/www/makro/lib/download.inc on line 102\r\n\r\n' +
      'Date,Open,High,Low,Close,Volume\r\n1984-09-07,0.0998239,0.101049,0.0986188,0.0998239,98594718.564571\r\n';
    expect(stooq(text)).toEqual([
      { date: '1984-09-07', close_usd: 0.0998239, adj_close_usd: null, volume: 98_594_719 },
    ]);
  });

  it('drops the row dated on or after the day the caller names (the session in progress), and only then', () => {
    const text = fixture('stooq/mara_us_d.csv');
    expect(stooq(text).at(-1)?.date).toBe('2026-01-30');
    expect(stooq(text, '2026-01-30').at(-1)?.date).toBe('2026-01-29');
    expect(stooq(text, '2026-01-29').at(-1)?.date).toBe('2026-01-28');
  });

  it('says the API key is missing or refused on the "Get your apikey" page', () => {
    const e = thrown(() => stooq(fixture('stooq/apikey-page.txt')));
    expect(e).toBeInstanceOf(PayloadError);
    expect(e.message).toMatch(
      /^stooq: invalid payload: Stooq sent its "Get your apikey" page instead of CSV: the API key is missing or refused \(HASHPULSE_STOOQ_APIKEY/,
    );
    expect(e.message).toContain('(http://127.0.0.1:9/q/d/l/?s=mara.us'); // names the URL, key redacted
  });

  it('recognises the proof-of-work interstitial and says it is not solved', () => {
    expect(() => stooq(fixture('stooq/pow-interstitial.html'))).toThrow(
      /JavaScript proof-of-work page \(POST \/__verify\) instead of CSV: .*hashpulse does not solve it/,
    );
  });

  it('calls "Exceeded the daily hits limit" a quota block, bare or with "!" and a newline', () => {
    expect(() => stooq(fixture('stooq/quota.txt'))).toThrow(
      /quota exceeded: "Exceeded the daily hits limit" — Stooq blocks this key until its daily limit resets \(tomorrow\); not retried/,
    );
    expect(() => stooq('Exceeded the daily hits limit!\n')).toThrow(/quota exceeded/);
  });

  it('treats "No data", "N/D" and an empty body as no data for the symbol, never as zero rows', () => {
    expect(() => stooq(fixture('stooq/no-data.txt'))).toThrow(
      /"No data" for "mara.us": unknown symbol, or no trading day in the range/,
    );
    expect(() => stooq('N/D\r\n')).toThrow(/"N\/D" for "mara.us"/);
    expect(() => stooq('')).toThrow(/empty body for "mara.us"/);
    expect(() => stooq(' \r\n')).toThrow(/empty body/);
    expect(() => stooq('Date,Open,High,Low,Close,Volume\r\n')).toThrow(/a CSV header and no rows for "mara.us"/);
  });

  it('refuses any other HTML or text body, naming what came back', () => {
    expect(() =>
      stooq(
        '<!DOCTYPE html><html><head><title>Stooq</title></head><body>Service temporarily unavailable</body></html>',
      ),
    ).toThrow(
      /stooq: invalid payload: an HTML page instead of a Date,Open,High,Low,Close CSV for "mara.us": <!DOCTYPE html>/,
    );
    expect(() =>
      stooq('Symbol,Date,Time,Open,High,Low,Close,Volume\r\nMARA.US,2026-01-30,22:00:09,12,13,11,12.5,1\r\n'),
    ).toThrow(/text instead of a Date,Open,High,Low,Close CSV/);
  });

  it('validates every row: date, number, cell count, order, plausibility', () => {
    const head = 'Date,Open,High,Low,Close,Volume\r\n';
    expect(() => stooq(`${head}2026-01-32,1,1,1,12,100\r\n`)).toThrow(/line 2: date "2026-01-32" is not YYYY-MM-DD/);
    expect(() => stooq(`${head}2026-01-30,1,1,1,12.5x,100\r\n`)).toThrow(/close on 2026-01-30 "12.5x" is not a number/);
    expect(() => stooq(`${head}2026-01-30,1,1,1,12.5\r\n`)).toThrow(/line 2 has 5 cells, the header 6/);
    expect(() => stooq(`${head}2026-01-30,1,1,1,12.5,100\r\n2026-01-29,1,1,1,12,100\r\n`)).toThrow(
      /line 3: 2026-01-29 after 2026-01-30: rows are not oldest first/,
    );
    expect(() => stooq(`${head}2026-01-30,1,1,1,0,100\r\n`)).toThrow(
      /close \(USD\) 0 on 2026-01-30 is outside the plausible range/,
    );
  });

  it('reads what the daily CSV may also carry: an OpenInt column, an empty volume, exponents', () => {
    // Stooq's futures and some indices add OpenInt after Volume; an index's volume cell may be empty.
    expect(
      stooq('Date,Open,High,Low,Close,Volume,OpenInt\r\n2026-01-29,1,1,1,12,,0\r\n2026-01-30,1,1,1,12.5,1.5e+07,0\r\n'),
    ).toEqual([
      { date: '2026-01-29', close_usd: 12, adj_close_usd: null, volume: null },
      { date: '2026-01-30', close_usd: 12.5, adj_close_usd: null, volume: 15_000_000 }, // 1.5 × 10^7
    ]);
    expect(stooq('Date,Open,High,Low,Close,Volume\r\n2026-01-30,1,1,1,1.25E1,2e6\r\n')[0]).toMatchObject({
      close_usd: 12.5, // 1.25 × 10^1
      volume: 2_000_000,
    });
  });

  it('refuses a number with anything around it, a bare exponent, and a day listed twice', () => {
    const head = 'Date,Open,High,Low,Close,Volume\r\n';
    expect(() => stooq(`${head}2026-01-30,1,1,1,US12.5,100\r\n`)).toThrow(
      /close on 2026-01-30 "US12.5" is not a number/,
    );
    expect(() => stooq(`${head}2026-01-30,1,1,1,12.5e,100\r\n`)).toThrow(/"12.5e" is not a number/);
    expect(() => stooq(`${head}2026-01-30,1,1,1,12.5e+x,100\r\n`)).toThrow(/"12.5e\+x" is not a number/);
    expect(() => stooq(`${head}2026-01-30,1,1,1,12.5,100\r\n2026-01-30,1,1,1,12.6,100\r\n`)).toThrow(
      /line 3: 2026-01-30 after 2026-01-30: rows are not oldest first/,
    );
  });

  it('quotes the start of an unexpected body on one line, its whitespace collapsed', () => {
    expect(() => stooq('Symbol,Date,Time\r\n\r\n   MARA.US,2026-01-30,22:00:09\r\n')).toThrow(
      /instead of a Date,Open,High,Low,Close CSV for "mara.us": Symbol,Date,Time MARA\.US,2026-01-30,22:00:09 \(/,
    );
    // "No data" only counts at the start: a page that merely mentions it is named as the HTML it is.
    expect(() => stooq('<html><body><p>No data for this symbol</p></body></html>')).toThrow(/an HTML page instead of/);
  });

  it('maps tickers to Stooq symbols: mara.us, ^spx for the S&P 500, brk-b.us, or the universe override', () => {
    expect(stooqSymbol({ ticker: 'MARA' })).toBe('mara.us');
    expect(stooqSymbol({ ticker: '^GSPC' })).toBe('^spx');
    expect(stooqSymbol({ ticker: '^DJI' })).toBe('^dji'); // another index: lower case, caret kept, no .us
    expect(stooqSymbol({ ticker: 'BRK.B' })).toBe('brk-b.us');
    expect(stooqSymbol({ ticker: 'HIVE', stooq_symbol: 'hive.v' })).toBe('hive.v');
  });

  it('asks /q/d/l/ with s, d1, d2, i=d and the key, and never shows the key in errors or the raw archive', async () => {
    fake = await FakeUpstream.start();
    fake.script('/q/d/l/', [
      { status: 200, body: fixture('stooq/mara_us_d.csv'), headers: { 'content-type': 'text/csv' } },
      { status: 200, body: fixture('stooq/quota.txt'), headers: { 'content-type': 'text/plain' } },
    ]);
    const archived: FetchedPayload[] = [];
    const http = testHttp(archived);
    const bars = await fetchStooqDaily(http, fake.url, 'mara.us', '2025-11-01', '2026-01-31', 'SECRETKEY123');
    expect(bars).toHaveLength(46);
    expect(fake.requests[0]?.query).toEqual({
      s: 'mara.us',
      d1: '20251101',
      d2: '20260131',
      i: 'd',
      apikey: 'SECRETKEY123',
    });
    const e = await fetchStooqDaily(http, fake.url, 'mara.us', '2025-11-01', '2026-01-31', 'SECRETKEY123').catch(
      (err: Error) => err,
    );
    expect(e).toBeInstanceOf(PayloadError);
    expect((e as Error).message).toContain(`(${fake.url}/q/d/l/?s=mara.us&d1=20251101&d2=20260131&i=d&apikey=***)`);
    expect(archived.map((p) => p.url)).toEqual([
      `${fake.url}/q/d/l/?s=mara.us&d1=20251101&d2=20260131&i=d&apikey=***`,
      `${fake.url}/q/d/l/?s=mara.us&d1=20251101&d2=20260131&i=d&apikey=***`,
    ]);
    expect(JSON.stringify(archived)).not.toContain('SECRETKEY123');
  });
});

describe('tiingo end-of-day prices', () => {
  it('reads MARA oldest first: raw close 12 on Nov 28, 12.5 on Jan 30, no split', () => {
    const { bars, splits } = tiingo(load('tiingo/daily-MARA.json'));
    expect(bars).toHaveLength(46);
    // The 4th session (Nov 24, 25, 26, 28): volume 20,000,000 + 3 × 1,000.
    expect(bars.find((b) => b.date === '2025-11-28')).toEqual({
      date: '2025-11-28',
      close_usd: 12,
      adj_close_usd: 12,
      volume: 20_003_000,
    });
    expect(bars.at(-1)?.close_usd).toBe(12.5);
    expect(splits).toEqual([]);
  });

  it('keeps CANG as traded (1.60 on Nov 28, 1.50 on Dec 31, 12.30 on Jan 30) and reads splitFactor 0.1 as a 1:10 reverse split', () => {
    const { bars, splits } = tiingo(load('tiingo/daily-CANG.json'));
    expect(bars.find((b) => b.date === '2025-11-28')?.close_usd).toBe(1.6);
    expect(bars.find((b) => b.date === '2025-11-28')?.adj_close_usd).toBe(16);
    expect(bars.find((b) => b.date === '2025-11-28')?.volume).toBe(200_030_000); // 10 × 20,003,000 old shares
    expect(bars.find((b) => b.date === '2025-12-31')?.close_usd).toBe(1.5);
    expect(bars.find((b) => b.date === '2026-01-30')?.close_usd).toBe(12.3);
    expect(splits).toEqual([{ date: '2026-01-15', numerator: 1, denominator: 10 }]);
    // A 4:1 split is 4/1.
    const four = load('tiingo/daily-MARA.json').slice(0, 1);
    four[0].splitFactor = 4;
    expect(tiingo(four).splits).toEqual([{ date: '2025-11-24', numerator: 4, denominator: 1 }]);
  });

  it('turns the 404 for an unknown ticker into a SourceError naming it', () => {
    const e = thrown(() => tiingo(load('tiingo/not-found.json'), { status: 404 }));
    expect(e).toBeInstanceOf(SourceError);
    expect(e.message).toMatch(/^tiingo: unknown ticker "MARA": Error: Ticker 'ZZZZ' not found/);
  });

  it('treats [] as an error for a range with trading days, and as nothing for a range without', () => {
    expect(() => tiingo([])).toThrow(/tiingo: invalid payload: no rows for "MARA" in a range that has trading days/);
    expect(tiingo([], { requireRows: false })).toEqual({ bars: [], splits: [] });
    expect(rangeHasTradingDay('2026-01-31', '2026-02-02')).toBe(false); // Saturday..Monday: one weekday
    expect(rangeHasTradingDay('2026-01-26', '2026-01-28')).toBe(true); // Monday..Wednesday
  });

  it('calls the hourly allocation message a quota error, and any other detail an error', () => {
    const hourly = {
      detail:
        'Error: You have run over your hourly request allocation. Please upgrade at https://api.tiingo.com/pricing to have your limits increased.',
    };
    expect(() => tiingo(hourly)).toThrow(
      /^tiingo: quota exceeded: Error: You have run over your hourly request allocation/,
    );
    expect(() => tiingo({ detail: 'Something else' })).toThrow(/an error instead of prices for "MARA": Something else/);
  });

  it('rejects rows that are not the published format', () => {
    const rows = () => load('tiingo/daily-MARA.json').slice(0, 2);
    const noClose = rows();
    delete noClose[1].close;
    expect(() => tiingo(noClose)).toThrow(/tiingo: invalid payload: 1\.close: /);
    const text = rows();
    text[0].close = '12.0';
    expect(() => tiingo(text)).toThrow(/0\.close: /);
    const stamp = rows();
    stamp[0].date = '2025-11-24T14:30:00.000Z';
    expect(() => tiingo(stamp)).toThrow(/0\.date: midnight UTC of the trading day/);
    const order = rows().reverse();
    expect(() => tiingo(order)).toThrow(/2025-11-24 after 2025-11-25: rows are not oldest first/);
  });

  it('has no symbol for an index and writes share classes with a dash', () => {
    expect(tiingoSymbol({ ticker: '^GSPC', role: 'benchmark' })).toBeNull();
    expect(tiingoSymbol({ ticker: 'BRK.B', role: 'miner' })).toBe('BRK-B');
  });

  it('sends the token in the Authorization header only, the range as startDate/endDate, and names quota and 404 answers', async () => {
    fake = await FakeUpstream.start();
    fake.on('/tiingo/daily/MARA/prices', {
      status: 200,
      body: fixture('tiingo/daily-MARA.json'),
      headers: { 'content-type': 'application/json' },
    });
    fake.on('/tiingo/daily/ZZZZ/prices', {
      status: 404,
      body: fixture('tiingo/not-found.json'),
      headers: { 'content-type': 'application/json' },
    });
    fake.on('/tiingo/daily/IREN/prices', {
      status: 200,
      body: 'You have run over your 500 symbol look up for this month. Please upgrade at https://api.tiingo.com/pricing to have your limits increased.',
      headers: { 'content-type': 'text/plain' },
    });
    const archived: FetchedPayload[] = [];
    const http = testHttp(archived);
    const r = await fetchTiingoDaily(http, fake.url, 'MARA', '2025-11-01', '2026-01-31', 'tok123');
    expect(r.bars).toHaveLength(46);
    const q = fake.requestsTo('/tiingo/daily/MARA/prices')[0]!;
    expect(q.query).toEqual({ startDate: '2025-11-01', endDate: '2026-01-31' });
    expect(q.headers.authorization).toBe('Token tok123');
    expect(JSON.stringify(archived)).not.toContain('tok123');
    await expect(fetchTiingoDaily(http, fake.url, 'ZZZZ', '2025-11-01', '2026-01-31', 'tok123')).rejects.toThrow(
      /tiingo: unknown ticker "ZZZZ": Error: Ticker 'ZZZZ' not found/,
    );
    await expect(fetchTiingoDaily(http, fake.url, 'IREN', '2025-11-01', '2026-01-31', 'tok123')).rejects.toThrow(
      /tiingo: quota exceeded: You have run over your 500 symbol look up for this month/,
    );
    expect(fake.requestsTo('/tiingo/daily/IREN/prices')).toHaveLength(1); // a 200 is never retried
  });
});
