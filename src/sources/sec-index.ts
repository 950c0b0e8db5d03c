// EDGAR's daily master index: every filing of one business day (CIK, company, form, date, file) in one text file —
// one request tells the shares job which of its filers filed a periodic report that day.
import { z } from 'zod';
import { PayloadError } from '../errors.js';
import type { Http } from '../http.js';
import type { IsoDate } from '../time.js';
import { SOURCE, secGet } from './sec.js';
import { parseWith } from './validate.js';

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

const Entry = z.object({
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
    const e = parseWith(Entry, { cik: f[0], company: f[1], form: f[2], filed: f[3], file: f[4] }, ctx);
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
