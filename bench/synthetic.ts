// Synthetic upstream data for the benchmarks, in the exact published formats (not fixtures: generated each run).
import { type FakeUpstream, json } from '../test/support/fake-upstream.js';

const DAY = 86_400;
const FIRST = Date.parse('2009-01-03T00:00:00Z') / 1000;
const LAST = Date.parse('2026-01-31T00:00:00Z') / 1000;

/** 17 years of daily network data in the exact mempool.space / blockchain.com formats. */
export function syntheticNetwork() {
  const days: number[] = [];
  for (let t = FIRST; t <= LAST; t += DAY) days.push(t);
  // Hashrate (EH/s) interpolated log-linearly between rough real yearly levels, with a small daily wobble.
  const anchors: Array<[string, number]> = [
    ['2009-01-03', 5e-12],
    ['2010-07-01', 1e-9],
    ['2011-06-01', 1e-5],
    ['2013-01-01', 2.5e-5],
    ['2014-01-01', 0.01],
    ['2015-01-01', 0.3],
    ['2016-01-01', 0.8],
    ['2017-01-01', 2.5],
    ['2018-01-01', 15],
    ['2019-01-01', 40],
    ['2020-01-01', 110],
    ['2021-01-01', 150],
    ['2022-01-01', 190],
    ['2023-01-01', 260],
    ['2024-01-01', 500],
    ['2025-01-01', 800],
    ['2026-02-01', 1000],
  ];
  const at = anchors.map(([d, v]) => [Date.parse(`${d}T00:00:00Z`) / 1000, Math.log(v)] as const);
  const ehs = (i: number) => {
    const t = FIRST + i * DAY;
    let k = 0;
    while (k < at.length - 2 && at[k + 1]![0] <= t) k++;
    const [t0, v0] = at[k]!;
    const [t1, v1] = at[k + 1]!;
    return Math.exp(v0 + ((v1 - v0) * (t - t0)) / (t1 - t0)) * (1 + 0.03 * Math.sin(i));
  };
  const chart = (f: (i: number) => number) => ({
    status: 'ok',
    name: 'x',
    unit: 'x',
    period: 'day',
    description: 'synthetic',
    values: days.map((x, i) => ({ x, y: f(i) })),
  });
  const retargets: Array<[number, number, number, number]> = [];
  for (let h = 0, i = 0; i < days.length; i += 14, h += 2016)
    retargets.push([days[i]! + 3600, h, Math.max(1, (ehs(i) * 1e18 * 600) / 2 ** 32), 1.01]);
  return {
    days: days.length,
    hashrate: {
      hashrates: days.map((t, i) => ({ timestamp: t + DAY, avgHashrate: ehs(i) * 1e18 })),
      difficulty: [],
      currentHashrate: 0,
      currentDifficulty: 0,
    },
    adjustments: retargets.reverse(),
    charts: {
      'market-price': chart((i) => 100 + i * 15),
      'miners-revenue': chart((i) => 1e5 + i * 7000),
      'transaction-fees': chart(() => 5),
      'hash-rate': chart((i) => ehs(i) * 1e6),
      // Difficulty is consensus data: blockchain.com's daily chart is the retarget's value in force that day
      // (steps every 2,016 blocks), as mempool's adjustments say. (A daily-varying synthetic chart made every day a
      // "disagreement" finding: 4,817 of the 4,818 findings `check` printed on the bench's database.)
      difficulty: chart((i) => Math.max(1, (ehs(Math.floor(i / 14) * 14) * 1e18 * 600) / 2 ** 32)),
    },
  };
}

export interface SyntheticTicker {
  readonly ticker: string;
  readonly cik?: number;
  readonly filer?: string;
  readonly role: string;
  readonly listed_since?: string;
}

/** A Yahoo v8 chart body: one bar per weekday from `from` to 2026-01-30, stamped at 14:30 UTC. */
export function syntheticYahooChart(symbol: string, from: string): unknown {
  const ts: number[] = [];
  for (let t = Date.parse(`${from}T14:30:00Z`) / 1000; t <= Date.parse('2026-01-30T14:30:00Z') / 1000; t += DAY) {
    const wd = new Date(t * 1000).getUTCDay();
    if (wd !== 0 && wd !== 6) ts.push(t);
  }
  const close = ts.map((_, i) => Math.round((10 + 5 * Math.sin(i / 30) + i * 0.001) * 100) / 100);
  return {
    chart: {
      result: [
        {
          meta: {
            currency: 'USD',
            symbol,
            exchangeName: 'NMS',
            instrumentType: 'EQUITY',
            gmtoffset: -18000,
            timezone: 'EST',
            exchangeTimezoneName: 'America/New_York',
            regularMarketPrice: close.at(-1),
            dataGranularity: '1d',
            range: '',
            currentTradingPeriod: {
              regular: { timezone: 'EST', start: 1770042600, end: 1770066000, gmtoffset: -18000 },
            },
          },
          timestamp: ts,
          indicators: {
            quote: [{ close, open: close, high: close, low: close, volume: close.map(() => 1_000_000) }],
            adjclose: [{ adjclose: close }],
          },
        },
      ],
      error: null,
    },
  };
}

/** SEC companyconcept (quarterly cover counts for a 10-K filer; none for a 20-F/40-F filer) and submissions. */
export function syntheticSec(t: SyntheticTicker): {
  concept: unknown;
  submissions: unknown;
  coverPath: string | null;
  cover: string;
} {
  const cik = String(t.cik).padStart(10, '0');
  const foreign = t.filer === '20-F' || t.filer === '40-F';
  const rows = [];
  for (let y = Math.max(2019, Number((t.listed_since ?? '2019').slice(0, 4))); y <= 2025; y++) {
    for (const [q, end] of [
      [1, '05-01'],
      [2, '08-01'],
      [3, '11-01'],
    ] as const) {
      rows.push({
        end: `${y}-${end}`,
        val: 100_000_000 + y * 1000 + q,
        accn: `${cik}-${String(y).slice(2)}-00000${q}`,
        fy: y,
        fp: `Q${q}`,
        form: '10-Q',
        filed: `${y}-${end}`,
      });
    }
  }
  const newest = foreign
    ? { acc: `${cik}-25-000009`, form: t.filer!, doc: 'annual.htm' }
    : { acc: `${cik}-25-000003`, form: '10-Q', doc: 'q3.htm' };
  const keys = ['accessionNumber', 'filingDate', 'reportDate', 'form', 'primaryDocument'] as const;
  const recent = Object.fromEntries(keys.map((k) => [k, [] as string[]])) as Record<(typeof keys)[number], string[]>;
  for (const [acc, filed, form, doc] of [
    [`${cik}-25-000010`, '2025-12-01', '8-K', 'pr.htm'],
    [newest.acc, '2025-11-05', newest.form, newest.doc],
  ] as const) {
    recent.accessionNumber.push(acc);
    recent.filingDate.push(filed);
    recent.reportDate.push('2025-09-30');
    recent.form.push(form);
    recent.primaryDocument.push(doc);
  }
  const cover = `<html xmlns:ix="http://www.xbrl.org/2013/inlineXBRL" xmlns:xbrli="http://www.xbrl.org/2003/instance"><body><div style="display:none"><ix:header><ix:resources><xbrli:context id="c1"><xbrli:entity><xbrli:identifier scheme="http://www.sec.gov/CIK">${cik}</xbrli:identifier></xbrli:entity><xbrli:period><xbrli:instant>2025-10-31</xbrli:instant></xbrli:period></xbrli:context></ix:resources></ix:header></div><p><ix:nonFraction name="dei:EntityCommonStockSharesOutstanding" contextRef="c1" unitRef="shares" decimals="INF" format="ixt:num-dot-decimal" scale="0">250,000,000</ix:nonFraction> shares</p></body></html>`;
  return {
    concept: {
      cik: t.cik,
      taxonomy: 'dei',
      tag: 'EntityCommonStockSharesOutstanding',
      label: 'Entity Common Stock, Shares Outstanding',
      description: 'x',
      entityName: t.ticker,
      units: foreign ? {} : { shares: rows },
    },
    submissions: { cik: String(t.cik), name: t.ticker, tickers: [t.ticker], filings: { recent, files: [] } },
    coverPath: `/Archives/edgar/data/${t.cik}/${newest.acc.replace(/-/g, '')}/${newest.doc}`,
    cover,
  };
}

/**
 * Yahoo's v8 spark answer for the symbols asked (`symbols=A,B`, `range=5d|1mo|3mo`), cut from the same synthetic
 * charts: the flat shape keyed by symbol (`{"MARA":{"symbol","timestamp","close","chartPreviousClose",…}}`) that
 * /v8/finance/spark returns; a symbol without a chart is left out, as Yahoo leaves out a symbol it does not know.
 */
export function syntheticYahooSpark(
  req: { query: Readonly<Record<string, string>> },
  charts: ReadonlyMap<string, unknown>,
): Record<string, unknown> {
  const days = { '5d': 7, '1mo': 31, '3mo': 92 }[req.query.range ?? ''] ?? 31;
  const out: Record<string, unknown> = {};
  for (const symbol of (req.query.symbols ?? '').split(',')) {
    const chart = charts.get(symbol) as
      | { chart: { result: Array<{ timestamp: number[]; indicators: { quote: Array<{ close: number[] }> } }> } }
      | undefined;
    const r = chart?.chart.result[0];
    if (!r) continue;
    const last = r.timestamp.at(-1) ?? 0;
    const first = r.timestamp.findIndex((t) => t > last - days * DAY);
    const close = r.indicators.quote[0]!.close;
    out[symbol] = {
      symbol,
      timestamp: r.timestamp.slice(first),
      close: close.slice(first),
      chartPreviousClose: first > 0 ? close[first - 1] : null,
      previousClose: null,
      start: null,
      end: null,
      dataGranularity: 300,
    };
  }
  return out;
}

/**
 * EDGAR's daily master index for a weekday — a few filers that are none of ours — and, for a weekend day, the 403
 * www.sec.gov answers for a path that does not exist.
 */
export function syntheticDailyIndex(path: string): { status: number; body: string; headers: Record<string, string> } {
  const m = /\/master\.(\d{4})(\d{2})(\d{2})\.idx$/.exec(path);
  const day = m ? new Date(`${m[1]}-${m[2]}-${m[3]}T00:00:00Z`).getUTCDay() : 0;
  if (!m || day === 0 || day === 6)
    return {
      status: 403,
      body: '<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>AccessDenied</Code><Message>Access Denied</Message></Error>',
      headers: { 'content-type': 'application/xml' },
    };
  const ymd = `${m[1]}${m[2]}${m[3]}`;
  const body = [
    'Description:           Daily Index of EDGAR Dissemination Feed by CIK',
    `Last Data Received:    ${m[1]}-${m[2]}-${m[3]}`,
    'Comments:              webmaster@sec.gov',
    'Anonymous FTP:         ftp://ftp.sec.gov/edgar/',
    ' ',
    ' ',
    ' ',
    'CIK|Company Name|Form Type|Date Filed|File Name',
    '--------------------------------------------------------------------------------',
    `1000045|NICHOLAS FINANCIAL INC|10-Q|${ymd}|edgar/data/1000045/0000950170-26-000101.txt`,
    `320193|Apple Inc.|8-K|${ymd}|edgar/data/320193/0000320193-26-000012.txt`,
    `789019|MICROSOFT CORP|10-Q|${ymd}|edgar/data/789019/0000950170-26-000102.txt`,
    '',
  ].join('\n');
  return { status: 200, body, headers: { 'content-type': 'text/plain' } };
}

/** Serves a filer's synthetic SEC answers (companyconcept, submissions, the newest cover page) on the fake upstream. */
export function serveSyntheticSec(fake: FakeUpstream, t: SyntheticTicker & { cik?: number | null }): void {
  if (!t.cik) return;
  const sec = syntheticSec(t);
  const cik = String(t.cik).padStart(10, '0');
  fake.on(`/api/xbrl/companyconcept/CIK${cik}/dei/EntityCommonStockSharesOutstanding.json`, json(sec.concept));
  fake.on(`/submissions/CIK${cik}.json`, json(sec.submissions));
  if (sec.coverPath) fake.on(sec.coverPath, { status: 200, body: sec.cover, headers: { 'content-type': 'text/html' } });
}

/** Every upstream of the configuration pointed at the fake one, SEC User-Agent declared, spacing off. */
export function benchUpstreamEnv(url: string): Record<string, string> {
  return {
    HASHPULSE_MEMPOOL_URL: url,
    HASHPULSE_BLOCKCHAIN_URL: url,
    HASHPULSE_BITSTAMP_URL: url,
    HASHPULSE_YAHOO_URL: url,
    HASHPULSE_NASDAQ_URL: url,
    HASHPULSE_SEC_URL: url,
    HASHPULSE_SEC_ARCHIVES_URL: url,
    HASHPULSE_SEC_USER_AGENT: 'hashpulse-bench bench@example.com',
    HASHPULSE_HTTP_MIN_INTERVAL_MS: '0',
  };
}
