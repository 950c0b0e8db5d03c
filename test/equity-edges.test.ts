// The edges of the equity upstreams (Yahoo v8 chart, Nasdaq historical, SEC data.sec.gov and the EDGAR archives),
// each a fixture in the upstream's real format fed through the real HTTP client and parser: empty windows, holidays
// and half days, the live bar, error bodies with 200, block pages, consent pages. A 200 with an error body is an
// error naming source and URL, and nothing is stored.
import { afterEach, describe, expect, it } from 'vitest';
import { PayloadError, SourceError } from '../src/errors.js';
import { Http } from '../src/http.js';
import { silentLogger } from '../src/log.js';
import { ingestEquities } from '../src/pipeline/equities.js';
import { fetchNasdaqHistorical } from '../src/sources/nasdaq.js';
import { fetchCoverShares, fetchSharesConcept, fetchSubmissions } from '../src/sources/sec.js';
import { fetchYahooChart, fetchYahooSpark } from '../src/sources/yahoo.js';
import { countRows } from './support/dump.js';
import { createTestEnv, serveEquities, type TestEnv } from './support/env.js';
import { FakeUpstream, fixture, type Reply } from './support/fake-upstream.js';

const load = (rel: string): any => JSON.parse(fixture(rel));
const jsonReply = (rel: string, status = 200): Reply => ({
  status,
  body: fixture(rel),
  headers: { 'content-type': 'application/json' },
});
const httpWith = (retries: number) =>
  new Http({
    userAgent: 'hashpulse-test',
    timeoutMs: 2000,
    retries,
    retryMinMs: 1,
    maxRetryTimeMs: 2000,
    minIntervalMs: 0,
    maxBytes: 5_000_000,
    log: silentLogger(),
  });
const UA = 'hashpulse test@example.com';

let fake: FakeUpstream | undefined;
let t: TestEnv | undefined;
afterEach(async () => {
  await fake?.close();
  await t?.close();
  fake = undefined;
  t = undefined;
});
const start = async () => (fake = await FakeUpstream.start());

describe('yahoo chart edges', () => {
  const SAT = new Date('2026-03-07T15:00:00Z'); // Saturday 10:00 EST

  it('an empty range (a weekend: quote [{}], no timestamp key) is no bars, not an error', async () => {
    const f = await start();
    f.on('/v8/finance/chart/MARA', jsonReply('yahoo/chart-empty-range.json'));
    const chart = await fetchYahooChart(httpWith(0), f.url, 'MARA', '2026-03-07', '2026-03-08', SAT);
    expect(chart.bars).toEqual([]);
    expect(chart.splits).toEqual([]);
  });

  it('a bar of nulls is skipped, and the bar of the session still trading is dropped until the close', async () => {
    const f = await start();
    f.on('/v8/finance/chart/MARA', jsonReply('yahoo/chart-MARA-2026-03.json'));
    // Friday 2026-03-13 at 13:00 EDT: that day's bar is the last trade, not a close.
    const during = await fetchYahooChart(
      httpWith(0),
      f.url,
      'MARA',
      '2026-02-26',
      '2026-03-13',
      new Date('2026-03-13T17:00:00Z'),
    );
    // The fixture's 12 sessions, 2026-02-26..03-13: 03-04 is all nulls and 03-13 still trading, so 10 bars.
    expect(during.bars.map((b) => b.date)).toEqual([
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
    ]);
    const after = await fetchYahooChart(
      httpWith(0),
      f.url,
      'MARA',
      '2026-02-26',
      '2026-03-13',
      new Date('2026-03-13T20:05:00Z'),
    );
    expect(after.bars.at(-1)).toEqual({
      date: '2026-03-13',
      close_usd: 13.699999809265137,
      adj_close_usd: 13.699999809265137,
      volume: 51034200,
    });
  });

  it('holidays have no bar, and the Thanksgiving half day is final after its 13:00 close', async () => {
    const f = await start();
    const body = load('equities/yahoo-chart-MARA.json');
    // Yahoo's currentTradingPeriod while Friday 2025-11-28 trades: 09:30–13:00 EST (14:30Z–18:00Z).
    body.chart.result[0].meta.currentTradingPeriod.regular = {
      timezone: 'EST',
      start: 1764340200,
      end: 1764352800,
      gmtoffset: -18000,
    };
    f.on('/v8/finance/chart/MARA', {
      status: 200,
      body: JSON.stringify(body),
      headers: { 'content-type': 'application/json' },
    });
    const at = (iso: string) => fetchYahooChart(httpWith(0), f.url, 'MARA', '2025-11-24', '2025-11-28', new Date(iso));
    const closed = await at('2025-11-28T18:30:00Z'); // 13:30 EST, after the early close
    // Thanksgiving (Thursday 11-27) is a holiday: Mon, Tue, Wed and the half day Friday.
    expect(closed.bars.map((b) => b.date)).toEqual(['2025-11-24', '2025-11-25', '2025-11-26', '2025-11-28']);
    expect(closed.bars.at(-1)?.close_usd).toBe(12); // the fixture's Nov 28 close
    const open = await at('2025-11-28T17:00:00Z'); // 12:00 EST, still trading
    expect(open.bars.at(-1)?.date).toBe('2025-11-26');
  });

  it('429 "Edge: Too Many Requests" (plain text) fails with the body and what the block means, after the retries', async () => {
    const f = await start();
    f.on('/v8/finance/chart/MARA', {
      status: 429,
      body: fixture('yahoo/429-edge-too-many-requests.txt'),
      headers: { 'content-type': 'text/plain' },
    });
    const call = fetchYahooChart(httpWith(2), f.url, 'MARA', '2026-03-02', '2026-03-06', SAT);
    await expect(call).rejects.toBeInstanceOf(SourceError);
    await expect(call).rejects.toMatchObject({ status: 429, source: 'yahoo' });
    await expect(call).rejects.toThrow(
      /^yahoo: HTTP 429: Edge: Too Many Requests — Yahoo limits clients per IP .* 15 minutes or more \(http:\/\/127\.0\.0\.1:\d+\/v8\/finance\/chart\/MARA\?/,
    );
    expect(f.requestsTo('/v8/finance/chart/MARA')).toHaveLength(3); // first try + 2 retries
    // Constructed: the same line with a 200 is a payload error quoting it, not "malformed JSON".
    f.on('/v8/finance/chart/IREN', {
      status: 200,
      body: fixture('yahoo/429-edge-too-many-requests.txt'),
      headers: { 'content-type': 'text/plain' },
    });
    await expect(fetchYahooChart(httpWith(0), f.url, 'IREN', '2026-03-02', '2026-03-06', SAT)).rejects.toThrow(
      /^yahoo: invalid payload: text instead of JSON \(content-type text\/plain\): "Edge: Too Many Requests" \(http:/,
    );
  });

  it("the EU cookie-consent page where JSON belongs is named as such, with 200 or via a redirect to Yahoo's consent host", async () => {
    const f = await start();
    f.on('/v8/finance/chart/MARA', {
      status: 200,
      body: fixture('yahoo/consent-page.html'),
      headers: { 'content-type': 'text/html; charset=utf-8' },
    });
    f.on('/v8/finance/chart/IREN', {
      status: 302,
      body: '',
      headers: {
        location:
          'https://consent.yahoo.com/v2/collectConsent?sessionId=3_cc-session_00000000-0000-0000-0000-000000000000',
      },
    });
    const page = fetchYahooChart(httpWith(0), f.url, 'MARA', '2026-03-02', '2026-03-06', SAT);
    await expect(page).rejects.toBeInstanceOf(PayloadError);
    await expect(page).rejects.toThrow(
      /^yahoo: invalid payload: Yahoo's cookie-consent page \(HTTP 200\) instead of JSON/,
    );
    // Refused, not mistaken for a network error: no retry although 3 are allowed.
    const redirected = fetchYahooChart(httpWith(3), f.url, 'IREN', '2026-03-02', '2026-03-06', SAT);
    await expect(redirected).rejects.toThrow(
      /^yahoo: redirected to another host \(consent\.yahoo\.com\); not followed \(http:\/\/127\.0\.0\.1:\d+\/v8\/finance\/chart\/IREN\?[^)]*\)$/,
    );
    await expect(redirected).rejects.toMatchObject({ network: false });
    expect(f.requestsTo('/v8/finance/chart/IREN')).toHaveLength(1);
  });

  it('the consent page where the spark batch belongs is named the same way', async () => {
    const f = await start();
    f.on('/v8/finance/spark', {
      status: 200,
      body: fixture('yahoo/consent-page.html'),
      headers: { 'content-type': 'text/html; charset=utf-8' },
    });
    const page = fetchYahooSpark(httpWith(0), f.url, ['MARA', 'IREN'], '1mo', SAT);
    await expect(page).rejects.toBeInstanceOf(PayloadError);
    await expect(page).rejects.toThrow(
      /^yahoo: invalid payload: Yahoo's cookie-consent page \(HTTP 200\) instead of JSON/,
    );
  });
});

describe('nasdaq historical edges', () => {
  it('"Symbol not exists." under HTTP 200 is an error naming source, symbol and URL', async () => {
    const f = await start();
    f.on('/api/quote/MARA/historical', jsonReply('nasdaq/not-found.json', 200));
    const call = fetchNasdaqHistorical(httpWith(0), f.url, 'MARA', 'stocks', '2026-03-02', '2026-03-06');
    await expect(call).rejects.toBeInstanceOf(SourceError);
    await expect(call).rejects.toThrow(
      /^nasdaq: no history for "MARA" \(status\.rCode 400 in the body\): Symbol not exists\. \(code 1001\); .*retry later.* \(http:\/\/127\.0\.0\.1:\d+\/api\/quote\/MARA\/historical\?assetclass=stocks/,
    );
  });

  it('an empty window (totalRecords 0, rows null) is no bars', async () => {
    const f = await start();
    f.on('/api/quote/MARA/historical', jsonReply('nasdaq/empty-window.json'));
    expect(await fetchNasdaqHistorical(httpWith(0), f.url, 'MARA', 'stocks', '2026-03-07', '2026-03-08')).toEqual([]);
  });

  it('a one-day window is asked from the day before (Nasdaq refuses fromdate == todate) and only that day is returned', async () => {
    const f = await start();
    f.on('/api/quote/MARA/historical', (req) =>
      req.query.fromdate === req.query.todate
        ? jsonReply('nasdaq/date-before-from.json')
        : jsonReply('nasdaq/historical-MARA.json'),
    );
    const bars = await fetchNasdaqHistorical(httpWith(0), f.url, 'MARA', 'stocks', '2024-02-29', '2024-02-29');
    expect(f.requests[0]?.query).toMatchObject({ fromdate: '2024-02-28', todate: '2024-02-29' });
    // The recorded row of 02/29/2024: "$25.90", "133,154,400".
    expect(bars).toEqual([{ date: '2024-02-29', close_usd: 25.9, adj_close_usd: null, volume: 133_154_400 }]);
  });

  it('says what code 1011 means if it comes back anyway', async () => {
    const f = await start();
    f.on('/api/quote/MARA/historical', jsonReply('nasdaq/date-before-from.json'));
    await expect(
      fetchNasdaqHistorical(httpWith(0), f.url, 'MARA', 'stocks', '2024-02-28', '2024-02-29'),
    ).rejects.toThrow(
      /nasdaq: no history for "MARA" \(status\.rCode 400 in the body\): Provided date is less than from date \(code 1011\)/,
    );
  });

  it("Akamai's Access Denied page (403) is not retried and says Nasdaq refuses this client", async () => {
    const f = await start();
    f.on('/api/quote/MARA/historical', {
      status: 403,
      body: fixture('nasdaq/akamai-access-denied.html'),
      headers: { 'content-type': 'text/html', server: 'AkamaiGHost' },
    });
    const call = fetchNasdaqHistorical(httpWith(3), f.url, 'MARA', 'stocks', '2026-03-02', '2026-03-06');
    await expect(call).rejects.toMatchObject({ status: 403 });
    await expect(call).rejects.toThrow(/^nasdaq: HTTP 403: Access Denied — Nasdaq's edge refuses this client/);
    expect(f.requests).toHaveLength(1); // a 403 is never retried, even with 3 retries allowed
  });
});

describe('sec edges', () => {
  it('a 403 without the block page says it may be a missing path, not a block', async () => {
    const f = await start();
    f.on('/submissions/CIK0009999999.json', { status: 403, body: '', headers: { 'content-type': 'text/html' } });
    await expect(fetchSubmissions(httpWith(3), f.url, 9999999, UA)).rejects.toThrow(
      /^sec: HTTP 403 — not the SEC's block page: www\.sec\.gov also answers 403 for a path that does not exist/,
    );
    expect(f.requests).toHaveLength(1);
  });

  it('the block page served with 200 instead of a cover page is an error, not "layout changed"', async () => {
    const f = await start();
    const path = '/Archives/edgar/data/9999999/000162828025049876/exmp-20250930.htm';
    f.on(path, {
      status: 200,
      body: fixture('sec/403-request-rate-threshold.txt'),
      headers: { 'content-type': 'text/html' },
    });
    const call = fetchCoverShares(httpWith(0), f.url, 9999999, '0001628280-25-049876', 'exmp-20250930.htm', UA);
    await expect(call).rejects.toBeInstanceOf(SourceError);
    await expect(call).rejects.toThrow(
      /^sec: HTTP 200 carrying the SEC's block page \("Request Rate Threshold Exceeded"\) instead of the document/,
    );
  });

  it('an HTML page where the submissions JSON belongs names source and URL', async () => {
    const f = await start();
    f.on('/submissions/CIK0009999999.json', {
      status: 200,
      body: '<!DOCTYPE html><html><head><title>Maintenance</title></head></html>',
      headers: { 'content-type': 'text/html' },
    });
    await expect(fetchSubmissions(httpWith(0), f.url, 9999999, UA)).rejects.toThrow(
      /^sec: invalid payload: HTML page instead of JSON \(content-type text\/html\).*\(http:\/\/127\.0\.0\.1:\d+\/submissions\/CIK0009999999\.json\)$/,
    );
  });

  it("data.sec.gov's NoSuchKey 404 for a concept never tagged is no counts", async () => {
    const f = await start();
    f.on('/api/xbrl/companyconcept/CIK0009999998/dei/EntityCommonStockSharesOutstanding.json', {
      status: 404,
      body: fixture('sec/companyconcept-404-nosuchkey.xml'),
      headers: { 'content-type': 'application/xml' },
    });
    expect(await fetchSharesConcept(httpWith(0), f.url, 9999998, UA)).toEqual([]);
  });
});

describe('a 200 with an error body is never stored', () => {
  it('Yahoo 429 then Nasdaq "Symbol not exists." with 200: MARA fails with both reasons, no close is written', async () => {
    t = await createTestEnv({ now: '2026-02-01T06:00:00Z' });
    serveEquities(t.fake);
    t.fake.on('/v8/finance/chart/MARA', {
      status: 429,
      body: fixture('yahoo/429-edge-too-many-requests.txt'),
      headers: { 'content-type': 'text/plain' },
    });
    t.fake.on('/api/quote/MARA/historical', jsonReply('nasdaq/not-found.json', 200));
    const [mara] = await ingestEquities(t.ctx, { only: ['MARA'], from: '2026-01-26', to: '2026-01-30' });
    expect(mara?.status).toBe('failed');
    expect(mara?.error).toMatch(
      /^no price source served MARA: yahoo: HTTP 429: Edge: Too Many Requests .*; nasdaq: no history for "MARA" \(status\.rCode 400 in the body\): Symbol not exists\./,
    );
    expect(countRows(t.opened.sqlite, 'equity_prices_daily', "ticker = 'MARA'")).toBe(0);
  });
});
