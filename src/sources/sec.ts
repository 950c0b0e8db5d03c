// SEC EDGAR: shares outstanding from the XBRL companyconcept API, the filing index, the cover page of the newest
// periodic filing, EDGAR's daily master index, and the SEC's access rules (declared User-Agent, at most 10 requests/s).
import * as z from 'zod';
import { ConfigError, PayloadError, SourceError } from '../errors.js';
import { type FetchedPayload, type Http, parseJsonBody } from '../http.js';
import { type IsoDate, isValidDate } from '../time.js';
import type { CoverShares } from './sec-ixbrl.js';
import { assertPlausible, BOUNDS, type PayloadContext, parseWith } from './validate.js';

export const SOURCE = 'sec';

/** 8 requests/s, under the SEC's published limit of 10 per second. */
export const SEC_MIN_INTERVAL_MS = 125;

export interface SharesRow {
  readonly as_of: IsoDate;
  readonly shares: number;
  readonly accession: string;
  readonly form: string;
  readonly filed: IsoDate;
}

export interface FilingRef {
  readonly form: string;
  readonly accessionNumber: string;
  readonly primaryDocument: string;
  readonly filingDate: IsoDate;
  /** Period of the report; null for forms without one (an empty string in the feed). */
  readonly reportDate: IsoDate | null;
  /** 8-K items, e.g. "7.01,9.01" ('' for other forms; absent when the feed has no `items`). */
  readonly items?: string;
}

const DateString = z.string().refine(isValidDate, 'expected a date YYYY-MM-DD');
const Accession = z.string().regex(/^\d{10}-\d{2}-\d{6}$/, 'expected an accession number like 0001628280-24-012345');

export const SharesConceptResponse = z.object({
  cik: z.union([z.number().int(), z.string()]),
  taxonomy: z.literal('dei'),
  tag: z.literal('EntityCommonStockSharesOutstanding'),
  label: z.string().nullable().optional(),
  description: z.string().nullable().optional(),
  entityName: z.string(),
  units: z.record(
    z.string(),
    z.array(
      z.object({
        end: DateString,
        val: z.number(),
        accn: Accession,
        fy: z.number().int().nullable().optional(),
        fp: z.string().nullable().optional(),
        form: z.string().min(1),
        filed: DateString,
        frame: z.string().optional(),
      }),
    ),
  ),
});

export const SubmissionsResponse = z.object({
  cik: z.union([z.string(), z.number().int()]),
  name: z.string(),
  filings: z.object({
    recent: z.object({
      accessionNumber: z.array(Accession),
      filingDate: z.array(DateString),
      reportDate: z.array(z.string()),
      form: z.array(z.string()),
      primaryDocument: z.array(z.string()),
      /** 8-K items ("7.01,9.01"); empty for other forms. Optional: older copies of the feed lack it. */
      items: z.array(z.string()).optional(),
    }),
    files: z.array(z.unknown()).optional(),
  }),
});

export function cikPadded(cik: number | string): string {
  const s = String(cik).trim();
  if (!/^\d{1,10}$/.test(s) || Number(s) === 0)
    throw new ConfigError('HASHPULSE_UNIVERSE', s, 'a CIK is a positive number of at most 10 digits');
  return s.padStart(10, '0');
}

/** The User-Agent the SEC asks for ("app contact@email"); without one every request would be blocked. */
export function requireSecUserAgent(userAgent: string | undefined): string {
  if (userAgent === undefined || !/[^\s@]+@[^\s@]+\.[^\s@]+/.test(userAgent)) {
    throw new ConfigError(
      'HASHPULSE_SEC_USER_AGENT',
      userAgent,
      'the SEC requires a User-Agent naming the app and a contact e-mail, e.g. "hashpulse you@example.com"; requests without one are blocked',
    );
  }
  return userAgent.trim();
}

/** Words of the SEC's block page ("SEC.gov | Request Rate Threshold Exceeded … undeclared automated tools …"). */
const SEC_BLOCK_PAGE =
  /request rate threshold exceeded|undeclared automated tool|exceeded the maximum number of requests/i;

/** One request to the SEC with its access rules (declared User-Agent, 8/s, the block page named); every SEC
 *  document fetch goes through here (sec-press.ts reads filing indexes and exhibits with it). */
export async function secGet(
  http: Http,
  url: string,
  userAgent: string | undefined,
  acceptStatuses?: readonly number[],
): Promise<FetchedPayload> {
  const ua = requireSecUserAgent(userAgent);
  let raw: FetchedPayload;
  try {
    raw = await http.get({
      source: SOURCE,
      url,
      userAgent: ua,
      minIntervalMs: SEC_MIN_INTERVAL_MS,
      ...(acceptStatuses ? { acceptStatuses } : {}),
    });
  } catch (err) {
    // The http client does not retry a 403; the SEC's block lasts about ten minutes, so retrying would only extend it.
    if (err instanceof SourceError && err.status === 403) {
      const why = SEC_BLOCK_PAGE.test(err.detail)
        ? 'HTTP 403, the SEC\'s block page ("Request Rate Threshold Exceeded"): the SEC blocks undeclared automated tools and clients over 10 requests/s for about 10 minutes; check that HASHPULSE_SEC_USER_AGENT names the app and a contact e-mail, then wait before retrying'
        : `${err.detail} — not the SEC's block page: www.sec.gov also answers 403 for a path that does not exist; if every request gets it, check HASHPULSE_SEC_USER_AGENT`;
      throw new SourceError(SOURCE, err.url, why, 403, { cause: err });
    }
    throw err;
  }
  // Served with 200 the block page would otherwise read as "layout changed" or "HTML instead of JSON".
  if (raw.body.length < 20_000 && SEC_BLOCK_PAGE.test(raw.body)) {
    throw new SourceError(
      SOURCE,
      raw.url,
      `HTTP ${raw.status} carrying the SEC's block page ("Request Rate Threshold Exceeded") instead of the document; wait about 10 minutes`,
      raw.status,
    );
  }
  return raw;
}

const isAmendment = (form: string) => form.endsWith('/A');

/** `a` was reported first: earlier `filed`, on a tie the original form, then the lower accession number. */
function reportedBefore(a: SharesRow, b: SharesRow): boolean {
  if (a.filed !== b.filed) return a.filed < b.filed;
  if (isAmendment(a.form) !== isAmendment(b.form)) return !isAmendment(a.form);
  return a.accession < b.accession;
}

/** One summed count per as-of date, from the filing that first reported it. */
export function parseSharesConcept(body: unknown, ctx: PayloadContext): SharesRow[] {
  const data = parseWith(SharesConceptResponse, body, ctx);
  const units = Object.keys(data.units);
  if (units.length === 0) return []; // no dei count at all: normal for many 20-F/40-F filers
  const facts = data.units.shares;
  if (!facts) throw new PayloadError(ctx.source, ctx.url, `units are ${units.join(', ')}; expected "shares"`);

  // Several rows with the same accn+end are the classes of stock on that cover page: their sum is the count.
  const byFiling = new Map<string, SharesRow>();
  for (const f of facts) {
    const key = `${f.accn} ${f.end}`;
    const prev = byFiling.get(key);
    byFiling.set(
      key,
      prev
        ? { ...prev, shares: prev.shares + f.val }
        : { as_of: f.end, shares: f.val, accession: f.accn, form: f.form, filed: f.filed },
    );
  }
  // Amendments and later filings repeat an as-of date already reported: keep the first report.
  const byEnd = new Map<IsoDate, SharesRow>();
  for (const row of byFiling.values()) {
    const kept = byEnd.get(row.as_of);
    if (!kept || reportedBefore(row, kept)) byEnd.set(row.as_of, row);
  }
  const rows = [...byEnd.values()].sort((a, b) => (a.as_of < b.as_of ? -1 : a.as_of > b.as_of ? 1 : 0));
  assertPlausible(
    rows.map((r) => ({ date: r.as_of, value: r.shares })),
    BOUNDS.shares,
    ctx,
  );
  return rows;
}

export function parseSubmissions(body: unknown, ctx: PayloadContext): FilingRef[] {
  const recent = parseWith(SubmissionsResponse, body, ctx).filings.recent;
  const n = recent.accessionNumber.length;
  for (const [name, arr] of Object.entries(recent)) {
    if (arr.length !== n)
      throw new PayloadError(
        ctx.source,
        ctx.url,
        `filings.recent.${name} has ${arr.length} entries, accessionNumber ${n}`,
      );
  }
  return recent.accessionNumber.map((accessionNumber, i) => {
    const report = recent.reportDate[i] ?? '';
    if (report !== '' && !isValidDate(report))
      throw new PayloadError(ctx.source, ctx.url, `filings.recent.reportDate.${i}: "${report}" is not a date`);
    return {
      form: recent.form[i] ?? '',
      accessionNumber,
      primaryDocument: recent.primaryDocument[i] ?? '',
      filingDate: recent.filingDate[i] ?? '',
      reportDate: report === '' ? null : report,
      ...(recent.items ? { items: recent.items[i] ?? '' } : {}),
    };
  });
}

const PERIODIC = new Set(['10-K', '10-Q', '20-F', '40-F']);
const PERIODIC_AMENDMENTS = new Set(['10-K/A', '10-Q/A']);
/** Every form newestPeriodicFiling looks at: a filer with none of these since the last run has nothing new. */
export const PERIODIC_FORMS: ReadonlySet<string> = new Set([...PERIODIC, ...PERIODIC_AMENDMENTS]);

/** The newest original periodic report (its cover states the share count); an amendment only if no original is listed. */
export function newestPeriodicFiling(refs: readonly FilingRef[]): FilingRef | undefined {
  const newest = (forms: ReadonlySet<string>) =>
    refs
      .filter((r) => forms.has(r.form))
      .reduce<FilingRef | undefined>(
        (best, r) =>
          !best ||
          r.filingDate > best.filingDate ||
          (r.filingDate === best.filingDate && r.accessionNumber > best.accessionNumber)
            ? r
            : best,
        undefined,
      );
  return newest(PERIODIC) ?? newest(PERIODIC_AMENDMENTS);
}

export async function fetchSharesConcept(
  http: Http,
  baseUrl: string,
  cik: number | string,
  userAgent: string | undefined,
): Promise<SharesRow[]> {
  const url = `${baseUrl}/api/xbrl/companyconcept/CIK${cikPadded(cik)}/dei/EntityCommonStockSharesOutstanding.json`;
  // A company that never tagged the concept gets a 404 (an XML NoSuchKey page), like `units: {}`: no counts.
  const raw = await secGet(http, url, userAgent, [404]);
  if (raw.status === 404) return [];
  return parseSharesConcept(parseJsonBody(raw), { source: SOURCE, url: raw.url });
}

export async function fetchSubmissions(
  http: Http,
  baseUrl: string,
  cik: number | string,
  userAgent: string | undefined,
): Promise<FilingRef[]> {
  const raw = await secGet(http, `${baseUrl}/submissions/CIK${cikPadded(cik)}.json`, userAgent);
  return parseSubmissions(parseJsonBody(raw), { source: SOURCE, url: raw.url });
}

/** The share count on the cover page of one filing's inline-XBRL primary document. */
export async function fetchCoverShares(
  http: Http,
  archivesBaseUrl: string,
  cik: number | string,
  accessionNumber: string,
  primaryDocument: string,
  userAgent: string | undefined,
): Promise<CoverShares> {
  const url = `${archivesBaseUrl}/Archives/edgar/data/${Number(cikPadded(cik))}/${accessionNumber.replace(/-/g, '')}/${primaryDocument}`;
  const raw = await secGet(http, url, userAgent);
  // cheerio (~30 MB resident) loads only when a cover page is actually read, not in every daemon.
  const { parseCoverShares } = await import('./sec-ixbrl.js');
  return parseCoverShares(raw.body, { source: SOURCE, url: raw.url });
}

// ---------------------------------------------------------------------------------------------------------------
// EDGAR's daily master index: every filing of one business day (CIK, company, form, date, file) in one text file —
// one request tells the shares job which of its filers filed a periodic report that day.

export interface IndexEntry {
  readonly cik: number;
  readonly company: string;
  readonly form: string;
  readonly filed: IsoDate;
  /** Path of the full submission under /Archives, e.g. edgar/data/1507605/0001507605-26-000012.txt */
  readonly file: string;
}

/** `/Archives/edgar/daily-index/2026/QTR1/master.20260130.idx`: the master (pipe-separated) index of one day. */
export function dailyIndexPath(date: IsoDate): string {
  const [y, m, d] = date.split('-');
  return `/Archives/edgar/daily-index/${y}/QTR${Math.ceil(Number(m) / 3)}/master.${y}${m}${d}.idx`;
}

const IndexRow = z.object({
  cik: z.string().regex(/^\d{1,10}$/, 'expected a CIK of digits'),
  company: z.string(),
  form: z.string().min(1),
  // The daily files write 20260130; the quarterly full index 2026-01-30.
  filed: z.string().regex(/^\d{4}-?\d{2}-?\d{2}$/, 'expected a date YYYYMMDD'),
  file: z.string().min(1),
});

/**
 * The rows under the header's dashed line, each `CIK|Company Name|Form Type|Date Filed|File Name`. The column line
 * above the dashes must say so: anything else (an HTML page, a changed layout) is a payload error, never "no filings".
 */
export function parseDailyIndex(body: string, ctx: { source: string; url: string }): IndexEntry[] {
  const lines = body.split(/\r?\n/);
  const dashes = lines.findIndex((l) => /^-{20,}\s*$/.test(l));
  const columns = dashes > 0 ? (lines[dashes - 1] ?? '').trim() : '';
  if (!/^CIK\|Company Name\|Form Type\|Date Filed\|File ?Name$/i.test(columns))
    throw new PayloadError(
      ctx.source,
      ctx.url,
      `not an EDGAR master index: no "CIK|Company Name|Form Type|Date Filed|File Name" line above a dashed line (starts "${body.slice(0, 60).replace(/\s+/g, ' ')}")`,
    );
  const out: IndexEntry[] = [];
  for (const [i, line] of lines.slice(dashes + 1).entries()) {
    if (line.trim() === '') continue;
    const f = line.split('|');
    if (f.length !== 5)
      throw new PayloadError(ctx.source, ctx.url, `line ${dashes + 2 + i}: ${f.length} fields, expected 5: "${line}"`);
    const e = parseWith(IndexRow, { cik: f[0], company: f[1], form: f[2], filed: f[3], file: f[4] }, ctx);
    const ymd = e.filed.replace(/-/g, '');
    out.push({
      cik: Number(e.cik),
      company: e.company.trim(),
      form: e.form.trim(),
      filed: `${ymd.slice(0, 4)}-${ymd.slice(4, 6)}-${ymd.slice(6)}`,
      file: e.file.trim(),
    });
  }
  return out;
}

/**
 * One day's index, or null when EDGAR has none for that day: no filings are accepted on weekends and federal
 * holidays, and www.sec.gov answers a path that does not exist with 403 (or 404) — the SEC's block page, also a
 * 403, is told apart by secGet and throws.
 */
export async function fetchDailyIndex(
  http: Http,
  archivesBaseUrl: string,
  date: IsoDate,
  userAgent: string | undefined,
): Promise<IndexEntry[] | null> {
  const raw = await secGet(http, `${archivesBaseUrl}${dailyIndexPath(date)}`, userAgent, [403, 404]);
  if (raw.status === 403 || raw.status === 404) return null;
  return parseDailyIndex(raw.body, { source: SOURCE, url: raw.url });
}
