// SEC press releases: the miners' monthly production updates (Exhibit 99.1 of an 8-K or a 6-K). Parsed tables
// first, then sentences; each figure keeps the table cell or sentence it came from, and a figure that cannot be
// read with confidence is null and the filing `unparsed` — never guessed. Layouts: /tmp research, README.
import * as cheerio from 'cheerio';
import { PayloadError } from '../errors.js';
import type { Http } from '../http.js';
import type { Month } from '../time.js';
import { cikPadded, secGet } from './sec.js';
import type { PayloadContext } from './validate.js';

export const SOURCE = 'sec';

export type HashrateBasis = 'operating' | 'average' | 'installed';
export type OperationsFigure = 'month' | 'btc_produced' | 'hashrate_ehs' | 'btc_held';

export interface ProductionUpdate {
  /** 'other': the exhibit is not a monthly production update (earnings, financing, a quarterly letter…). */
  readonly kind: 'production-update' | 'other';
  readonly month: Month | null;
  readonly btc_produced: number | null;
  readonly hashrate_ehs: number | null;
  readonly hashrate_basis: HashrateBasis | null;
  readonly btc_held: number | null;
  /** Where each figure came from: `table 1, row "Bitcoin Produced", column "November 2023": 552`, or the sentence. */
  readonly provenance: Readonly<Record<OperationsFigure, string | null>>;
  /** 'unparsed' when the month, BTC produced or the hashrate is missing, or any figure was ambiguous. */
  readonly status: 'parsed' | 'unparsed';
  /** Why a figure is null (empty when parsed cleanly; BTC held may be absent without a problem: not every
   *  company reports it). */
  readonly problems: readonly string[];
}

/** Plausible ranges per company and month: a value outside means a unit or a row was misread. */
const RANGES = {
  btc_produced: { min: 0.01, max: 20_000 },
  btc_held: { min: 0.01, max: 1_000_000 },
  hashrate_ehs: { min: 0.001, max: 2_000 },
} as const;

/** Preference among the bases a release gives: the month's average, then month-end operating, then capacity. */
const BASIS_ORDER: readonly HashrateBasis[] = ['average', 'operating', 'installed'];

const MONTHS = [
  'january',
  'february',
  'march',
  'april',
  'may',
  'june',
  'july',
  'august',
  'september',
  'october',
  'november',
  'december',
];
const MONTH_RE =
  'jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?';
const NUM = String.raw`(\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)`;
const BTC = String.raw`(?:bitcoins?|btc)\b`;

function monthIndex(name: string): number {
  const n = name.toLowerCase().replace(/\.$/, '').slice(0, 3);
  return MONTHS.findIndex((m) => m.startsWith(n));
}

function toMonth(name: string, year: string): Month | null {
  const i = monthIndex(name);
  let y = Number(year);
  if (year.length === 2) y += 2000;
  if (i < 0 || !Number.isInteger(y) || y < 2009 || y > 2100) return null;
  return `${y}-${String(i + 1).padStart(2, '0')}`;
}

/** "November 2023", "Nov 2023", "Nov-23", "Aug-23", "January 2024*" → 'YYYY-MM'; null otherwise. */
export function headerMonth(text: string): Month | null {
  const t = text.trim().replace(/[*†]+$/, '');
  const m = new RegExp(`^(${MONTH_RE})\\.?[\\s-]+(?:'|’)?(\\d{4}|\\d{2})$`, 'i').exec(t);
  return m ? toMonth(m[1]!, m[2]!) : null;
}

const parseNum = (s: string): number => Number(s.replace(/,/g, ''));

/** 1 EH/s = 1,000 PH/s = 10^6 TH/s; "exahash" and "EH per second" are EH/s. Null for anything else. */
function unitFactor(unit: string): number | null {
  const u = unit.toLowerCase();
  if (/^(?:eh\/s|eh\b|exahash)/.test(u)) return 1;
  if (/^(?:ph\/s|petahash)/.test(u)) return 1e-3;
  if (/^(?:th\/s|terahash)/.test(u)) return 1e-6;
  if (/^(?:zh\/s|zettahash)/.test(u)) return 1e3;
  return null;
}
const UNIT = String.raw`(eh\/s|ph\/s|th\/s|zh\/s|eh\s+per\s+second|exahash(?:es)?(?:\s+per\s+second)?|petahash(?:es)?(?:\s+per\s+second)?)`;

/** Basis of a hashrate from the words around it; null when they name none (then the figure is not used). */
function basisOf(words: string): HashrateBasis | null {
  const w = words.toLowerCase();
  if (/\baverage\b|\bavg\b/.test(w)) return 'average';
  if (/energi[sz]ed|deployed|installed|nameplate|capacity/.test(w)) return 'installed';
  if (/operating|operational|\bactive\b|online|realized/.test(w)) return 'operating';
  return null;
}

interface Candidate {
  readonly value: number;
  readonly provenance: string;
  readonly basis?: HashrateBasis;
  /** Label says "Total" (a site-split table's sum row). */
  readonly total?: boolean;
}

const norm = (s: string) =>
  s
    .replace(/[\u00a0\u2007\u202f]/g, ' ')
    .replace(/[\u2018\u2019]/g, "'")
    .replace(/[\u201c\u201d]/g, '"')
    .replace(/\s+/g, ' ')
    .trim();
const clip = (s: string, n = 300) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

// ---------------------------------------------------------------------------------------------------------------
// Tables

/** Labels that name a figure we do not want (rates per day, money, other people's bitcoin, sums over periods). */
const LABEL_EXCLUDE =
  /per day|\/day|daily|per (?:bitcoin|btc|exahash|eh)|revenue|cost|value|price|proceeds|\bsold\b|sales|purchased|equivalent|year[- ]to[- ]date|\bytd\b|quarter|\bqtr\b|hosting|customer|client|under management|managed|network|efficiency|j\/th|\bmw\b|miners\b|utili[sz]ation|share of|%/i;

type TableFigure = 'btc_produced' | 'btc_held' | 'hashrate_ehs';

function labelFigure(label: string): TableFigure | null {
  const l = label.toLowerCase();
  if (LABEL_EXCLUDE.test(l)) return null;
  if (/hash\s*-?\s*rate/.test(l)) return 'hashrate_ehs';
  if (
    /\b(?:bitcoin|btc)\b.*\b(?:held|holdings?|on balance sheet|treasury|hodl)\b|\b(?:holdings?|hodl|treasury)\b.*\b(?:bitcoin|btc)\b/.test(
      l,
    )
  )
    return 'btc_held';
  if (
    /\b(?:bitcoin|btc)\b.*\b(?:produced|mined|earned|self-mined)\b|\b(?:produced|mined|earned|self-mined)\b.*\b(?:bitcoin|btc)\b|^(?:bitcoin|btc) production$/.test(
      l,
    )
  )
    return 'btc_produced';
  return null;
}

/** A table row as the reader sees it: the label, then the value cells (a "$" or "%" cell joined to its number). */
function rowCells($: cheerio.CheerioAPI, tr: Parameters<cheerio.CheerioAPI>[0]): string[] {
  const raw = $(tr)
    .children('td, th')
    .toArray()
    .map((c) => norm($(c).text()));
  const out: string[] = [];
  for (const c of raw) {
    if (c === '') continue;
    const last = out.length - 1;
    if (last >= 0 && /^[$]$|^\($/.test(out[last]!)) out[last] = `${out[last]}${c}`;
    else if (last >= 0 && /^(?:%|\)|%\))$/.test(c)) out[last] = `${out[last]}${c}`;
    else out.push(c);
  }
  return out;
}

function tableCandidates(
  $: cheerio.CheerioAPI,
  month: Month | null,
): { month: Month | null; monthFrom: string | null; byFigure: Map<TableFigure, Candidate[]>; problems: string[] } {
  const byFigure = new Map<TableFigure, Candidate[]>();
  const problems: string[] = [];
  let firstHeaderMonth: Month | null = null;
  let firstHeaderFrom: string | null = null;
  $('table').each((ti, table) => {
    let header: Array<Month | null> | null = null;
    let headerText: string[] = [];
    $(table)
      .find('tr')
      .each((_, tr) => {
        const cells = rowCells($, tr);
        if (cells.length === 0) return;
        // A header row: some cells after the first (or the first itself) are months.
        const months = cells.map(headerMonth);
        if (months.some((m) => m !== null)) {
          // The label cell of a header is "Metric", "Key metrics", or absent.
          const lead = months[0] === null ? 1 : 0;
          header = months.slice(lead);
          headerText = cells.slice(lead);
          const first = header.find((m) => m !== null) ?? null;
          if (firstHeaderMonth === null && first) {
            firstHeaderMonth = first;
            firstHeaderFrom = `table ${ti + 1}, header "${headerText.join(' | ')}"`;
          }
          return;
        }
        const [label, ...values] = cells;
        if (!label || values.length === 0) return;
        const figure = labelFigure(label);
        if (!figure) return;
        const want = month ?? firstHeaderMonth;
        const col = header && want ? (header as Array<Month | null>).indexOf(want) : -1;
        if (col < 0 || col >= values.length) return; // no column for the update's month: not this table's figure
        const cell = values[col]!;
        const where = `table ${ti + 1}, row "${label}", column "${headerText[col] ?? ''}": ${cell}`;
        const m = new RegExp(`^(?:approximately\\s+|~)?${NUM}\\s*(.*)$`, 'i').exec(cell);
        if (!m || /[$%]/.test(cell)) return; // "-", "N/A", money
        const value = parseNum(m[1]!);
        const rest = m[2]!.trim();
        if (figure === 'hashrate_ehs') {
          const unitText = rest || (/\(([^)]*h\/s)\)|\b([ept]h\/s)\b/i.exec(label)?.slice(1).find(Boolean) ?? '');
          const factor = unitText ? unitFactor(unitText) : null;
          const basis = basisOf(label);
          if (factor === null) {
            problems.push(`hashrate: ${where} has no unit (EH/s, PH/s) in its label or cell; not assumed`);
            return;
          }
          if (basis === null) {
            problems.push(`hashrate: ${where} does not say whether it is an average, operating or installed figure`);
            return;
          }
          push(byFigure, figure, { value: value * factor, provenance: where, basis, total: /\btotal\b/i.test(label) });
        } else {
          if (rest !== '' && !new RegExp(`^${BTC}`, 'i').test(rest)) return;
          push(byFigure, figure, { value, provenance: where, total: /\btotal\b/i.test(label) });
        }
      });
  });
  return { month: firstHeaderMonth, monthFrom: firstHeaderFrom, byFigure, problems };
}

function push<K>(map: Map<K, Candidate[]>, key: K, c: Candidate): void {
  const list = map.get(key) ?? [];
  list.push(c);
  map.set(key, list);
}

// ---------------------------------------------------------------------------------------------------------------
// Sentences

/** The release's prose (tables removed), one sentence per entry. */
function sentences($: cheerio.CheerioAPI): string[] {
  const $$ = cheerio.load($.html());
  $$('script, style').remove();
  // Data tables go; layout tables stay: agents set bullet lists as one-row tables ("·" | the sentence).
  $$('table').each((_, table) => {
    const rows = $$(table).find('tr').toArray();
    const prose = rows.every(
      (tr) =>
        $$(tr)
          .children('td, th')
          .toArray()
          .filter((c) => !/^[\s•·\u00b7\u2022\-–]*$/.test(norm($$(c).text()))).length <= 1,
    );
    if (!prose) $$(table).remove();
  });
  $$('p, div, li, br, h1, h2, h3, h4, h5, h6, tr').each((_, el) => {
    $$(el).append('\n');
  });
  const text = $$.root()
    .text()
    .replace(/[\u00a0\u2007\u202f]/g, ' ');
  const out: string[] = [];
  for (const block of text.split(/\n+/)) {
    const b = norm(block);
    if (!b) continue;
    for (const s of b.split(/(?<=[.!?;])\s+(?=[A-Z"•·–-])|\s*[•·]\s+/)) {
      const t = s.trim();
      if (t) out.push(t);
    }
  }
  return out;
}

/** Words that make a figure about something else: other periods, targets, other people's hashrate. */
const CONTEXT_EXCLUDE =
  /year[- ]to[- ]date|\bytd\b|quarter|per day|a day\b|daily|per exahash|\bsince\b|to date|customers?|clients?|hosting|hosted|before the halving|after the halving|target|goal|expect|anticipat|by the end of|by mid|by year|guidance|\bplan|path to|on track|\bwill\b|\bwould\b|\bcould\b|network|global|under management|up to/i;

function otherMonthNamed(text: string, month: Month | null): boolean {
  const re = new RegExp(`\\b(?:in|for|from|of|during)\\s+(${MONTH_RE})\\b`, 'gi');
  for (const m of text.matchAll(re)) {
    const i = monthIndex(m[1]!);
    if (month && i >= 0 && i + 1 !== Number(month.slice(5))) return true;
  }
  return false;
}

const PRODUCED_RES = [
  new RegExp(
    String.raw`\b(?:produced|produces|mined|mines|self-mined|earned|earns)\s+(?:a\s+(?:total|record)\s+of\s+|approximately\s+|~)?${NUM}\s+(?:self-mined\s+)?${BTC}`,
    'gi',
  ),
  new RegExp(String.raw`${NUM}\s+${BTC}\s+(?:were\s+)?(?:produced|mined|self-mined|earned)\b`, 'gi'),
  new RegExp(String.raw`\bproduction\b[^.;]{0,80}?\b(?:to|of|was)\s+(?:approximately\s+)?${NUM}\s+${BTC}`, 'gi'),
  new RegExp(String.raw`\b(?:btc|bitcoin)\s+production\s+was\s+${NUM}\b`, 'gi'),
];
const HELD_RES = [
  new RegExp(String.raw`\b(?:held|holds)\s+(?:approximately\s+|a total of\s+)?${NUM}\s+${BTC}`, 'gi'),
  new RegExp(
    String.raw`\b(?:holdings?|hodl(?:\s+position)?|treasury|balance sheet|reserves?)\b[^.;]{0,80}?\b(?:to|of|was|were|at|totaled|reached)\s+(?:approximately\s+)?${NUM}\s+${BTC}`,
    'gi',
  ),
  new RegExp(
    String.raw`${NUM}\s+${BTC}\s+(?:held|in (?:its |our )?treasury|on (?:its |our |the )?balance sheet)`,
    'gi',
  ),
];

function sentenceCandidates(list: readonly string[], month: Month | null): Map<TableFigure, Candidate[]> {
  const out = new Map<TableFigure, Candidate[]>();
  for (const s of list) {
    for (const [figure, res] of [
      ['btc_produced', PRODUCED_RES],
      ['btc_held', HELD_RES],
    ] as const) {
      for (const re of res) {
        for (const m of s.matchAll(re)) {
          const at = m.index ?? 0;
          // What follows the figure qualifies it: "… per day", "… year-to-date", "… in October", "… in 2023".
          const after = s.slice(at + m[0].length, at + m[0].length + 25);
          if (
            CONTEXT_EXCLUDE.test(m[0]) ||
            CONTEXT_EXCLUDE.test(after) ||
            /\b(?:sold|purchased|bought|acquired|loaned|pledged)\b/i.test(m[0])
          )
            continue;
          if (otherMonthNamed(after, month) || /^\s*in\s+(?:19|20)\d\d\b/.test(after)) continue;
          push(out, figure, { value: parseNum(m[1]!), provenance: `sentence: "${clip(s)}"` });
        }
      }
    }
    // Hashrates: each "number + unit"; the words between the previous figure and the next one say what it is.
    const re = new RegExp(`${NUM}\\s*${UNIT}`, 'gi');
    const hits = [...s.matchAll(re)];
    hits.forEach((h, i) => {
      const start = h.index ?? 0;
      const prevEnd = i > 0 ? (hits[i - 1]!.index ?? 0) + hits[i - 1]![0].length : 0;
      const before = s.slice(Math.max(prevEnd, s.lastIndexOf(';', start) + 1, start - 120), start);
      const nextStart = i + 1 < hits.length ? (hits[i + 1]!.index ?? s.length) : s.length;
      const after = s.slice(start + h[0].length, Math.min(nextStart, start + h[0].length + 60));
      const words = `${before} ${after}`;
      if (!/hash\s*-?\s*rate|mining capacity|self-mining capacity|\bcapacity\b/i.test(words)) return;
      if (
        CONTEXT_EXCLUDE.test(before) ||
        CONTEXT_EXCLUDE.test(after.slice(0, 40)) ||
        /\bfrom\s*$/i.test(before) ||
        otherMonthNamed(after.slice(0, 25), month)
      )
        return;
      const factor = unitFactor(h[2]!);
      const basis = basisOf(words);
      if (factor === null || basis === null) return;
      push(out, 'hashrate_ehs', { value: parseNum(h[1]!) * factor, provenance: `sentence: "${clip(s)}"`, basis });
    });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------------

const MONTH_PHRASES = [
  new RegExp(
    `\\b(?:updates?|report|results)\\s+for\\s+(?:the\\s+month\\s+of\\s+)?(${MONTH_RE})\\.?,?\\s+(\\d{4})`,
    'i',
  ),
  new RegExp(`\\bfor\\s+the\\s+month\\s+of\\s+(${MONTH_RE})\\.?,?\\s+(\\d{4})`, 'i'),
  new RegExp(
    `\\b(${MONTH_RE})\\.?,?\\s+(\\d{4})\\s+(?:bitcoin\\s+)?(?:production|operations|operational|mining|monthly investor|investor)\\b`,
    'i',
  ),
];

const UPDATE_RE =
  /\b(?:production|operations|operational|mining|monthly investor|investor)\s+(?:and\s+operations?\s+|and\s+mining\s+operations?\s+)?updates?\b|\bproduction\s+(?:and|&)\s+(?:mining\s+)?operations?\b|\bproduction\s+update\b|\bproduction\s+figures\b/i;

/** One figure from its candidates: a lone value, or the same value said several times; anything else is
 *  ambiguous (the reason is returned, to be reported only if no other place gives the figure). */
function decide(list: readonly Candidate[] | undefined, label: string): { pick: Candidate | null; problem?: string } {
  if (!list || list.length === 0) return { pick: null };
  const totals = list.filter((c) => c.total);
  const pool = totals.length > 0 ? totals : list;
  const values = [...new Set(pool.map((c) => c.value))];
  if (values.length === 1) return { pick: pool[0]! };
  return {
    pick: null,
    problem: `${label}: ${values.length} different values (${values.join(', ')}) — ${pool.map((c) => c.provenance).join('; ')}`,
  };
}

function inRange(c: Candidate | null, figure: keyof typeof RANGES, problems: string[]): Candidate | null {
  if (!c) return null;
  const r = RANGES[figure];
  if (!(c.value >= r.min && c.value <= r.max)) {
    problems.push(
      `${figure}: ${c.value} is outside the plausible ${r.min}..${r.max} (wrong unit or row?) — ${c.provenance}`,
    );
    return null;
  }
  return c;
}

/**
 * Reads a production update (the EX-99.1 HTML). Pure: `ctx` only names the document in errors. Throws a
 * PayloadError for a body that is not an HTML document with text; returns `kind: 'other'` for a real document
 * that is not a monthly production update.
 */
export function parseProductionUpdate(html: string, ctx: PayloadContext): ProductionUpdate {
  if (html.trim() === '')
    throw new PayloadError(ctx.source, ctx.url, 'empty document where a press release was expected', { empty: true });
  if (!/<(?:html|body|p|div|table)\b/i.test(html))
    throw new PayloadError(ctx.source, ctx.url, `not an HTML document: "${norm(html).slice(0, 80)}"`);
  const $ = cheerio.load(html);
  $('sup').remove(); // footnote markers: "Bitcoin Held¹", "August 2024¹"
  // Block boundaries are word boundaries ("…Production Update</p><p>The Company…" is not "UpdateThe").
  $('p, div, li, br, h1, h2, h3, h4, h5, h6, tr, td, th').each((_, el) => {
    $(el).append(' ');
  });
  const text = norm($.root().text());
  if (text === '')
    throw new PayloadError(ctx.source, ctx.url, 'HTML without any text where a press release was expected', {
      empty: true,
    });

  const head = text.slice(0, 1500);
  const none = { month: null, btc_produced: null, hashrate_ehs: null, btc_held: null };
  if (
    !UPDATE_RE.test(head) ||
    !/\b(?:bitcoin|btc)\b/i.test(text) ||
    (/\bquarter\b|\bQ[1-4]\b/.test(head.slice(0, 300)) && !MONTH_PHRASES.some((r) => r.test(head)))
  ) {
    return {
      kind: 'other',
      ...none,
      hashrate_basis: null,
      provenance: none,
      status: 'unparsed',
      problems: ['not a monthly production update'],
    };
  }

  const problems: string[] = [];
  // The month: the earliest "… update for January 2026" / "for the month of …" / "January 2026 Production …".
  let month: Month | null = null;
  let monthFrom: string | null = null;
  let monthAt = Infinity;
  for (const re of MONTH_PHRASES) {
    const m = re.exec(head);
    const mo = m ? toMonth(m[1]!, m[2]!) : null;
    if (m && mo && (m.index ?? 0) < monthAt) {
      month = mo;
      monthFrom = m[0];
      monthAt = m.index ?? 0;
    }
  }
  const tables = tableCandidates($, month);
  if (month === null && tables.month) {
    month = tables.month;
    monthFrom = tables.monthFrom;
  } else if (monthFrom) {
    monthFrom = `text: "${monthFrom}"`;
  }
  if (month === null) problems.push('month: the release names no month ("… update for January 2026")');

  const prose = sentenceCandidates(sentences($), month);
  // Tables first: a figure the tables give with confidence is not looked for in the prose.
  const choose = (
    fromTable: readonly Candidate[] | undefined,
    fromProse: readonly Candidate[] | undefined,
    label: string,
    figure: keyof typeof RANGES,
  ): Candidate | null => {
    const t = decide(fromTable, `${label} (tables)`);
    if (t.pick) return inRange(t.pick, figure, problems);
    const p = decide(fromProse, `${label} (sentences)`);
    if (p.pick) return inRange(p.pick, figure, problems);
    for (const why of [t.problem, p.problem]) if (why) problems.push(why);
    return null;
  };
  const produced = choose(
    tables.byFigure.get('btc_produced'),
    prose.get('btc_produced'),
    'btc_produced',
    'btc_produced',
  );
  const held = choose(tables.byFigure.get('btc_held'), prose.get('btc_held'), 'btc_held', 'btc_held');
  if (!produced && !problems.some((p) => p.startsWith('btc_produced')))
    problems.push('btc_produced: no table row or sentence gives the bitcoin produced in the month');

  // The most preferred basis the release gives. If its figures conflict, the hashrate is not read at all: falling
  // back to another basis would hide that the release says two things about the one we want.
  let hash: Candidate | null = null;
  for (const basis of BASIS_ORDER) {
    const mark = problems.length;
    hash = choose(
      tables.byFigure.get('hashrate_ehs')?.filter((c) => c.basis === basis),
      prose.get('hashrate_ehs')?.filter((c) => c.basis === basis),
      `hashrate (${basis})`,
      'hashrate_ehs',
    );
    if (hash || problems.length > mark) break;
  }
  if (!hash)
    problems.push(
      ...tables.problems,
      'hashrate: no hashrate with a unit and a basis (average, operating, installed) was found with confidence',
    );

  const status = month && produced && hash && problems.length === 0 ? 'parsed' : 'unparsed';
  return {
    kind: 'production-update',
    month,
    btc_produced: produced?.value ?? null,
    hashrate_ehs: hash ? Math.round(hash.value * 1e9) / 1e9 : null,
    hashrate_basis: hash?.basis ?? null,
    btc_held: held?.value ?? null,
    provenance: {
      month: monthFrom,
      btc_produced: produced?.provenance ?? null,
      hashrate_ehs: hash?.provenance ?? null,
      btc_held: held?.provenance ?? null,
    },
    status,
    problems,
  };
}

// ---------------------------------------------------------------------------------------------------------------
// The filing index: which document of a filing is Exhibit 99.1

export interface IndexDocument {
  readonly seq: string;
  readonly description: string;
  readonly document: string;
  /** Path on the archives host ("/Archives/edgar/data/…/x.htm"), without the inline viewer's "/ix?doc=". */
  readonly path: string;
  readonly type: string;
}

/** The rows of `<table class="tableFile" summary="Document Format Files">` on a filing's `-index.htm` page. */
export function parseFilingIndex(html: string, ctx: PayloadContext): IndexDocument[] {
  const $ = cheerio.load(html);
  const table = $('table[summary="Document Format Files"]').first();
  if (table.length === 0)
    throw new PayloadError(
      ctx.source,
      ctx.url,
      'no "Document Format Files" table on the filing index page — layout changed, or not an index page?',
    );
  const docs: IndexDocument[] = [];
  table.find('tr').each((_, tr) => {
    const cells = $(tr).children('td');
    if (cells.length < 4) return;
    const link = cells.eq(2).find('a').first();
    const href = (link.attr('href') ?? '').replace(/^\/ix\?doc=/, '');
    docs.push({
      seq: norm(cells.eq(0).text()),
      description: norm(cells.eq(1).text()),
      document: norm(link.text()),
      path: href,
      type: norm(cells.eq(3).text()).toUpperCase(),
    });
  });
  if (docs.length === 0)
    throw new PayloadError(ctx.source, ctx.url, 'the filing index lists no documents', { empty: true });
  return docs;
}

/** Exhibit 99.1 (an "EX-99" or "EX-99.01" as written by some agents), HTML only; undefined when there is none. */
export function pressReleaseDocument(docs: readonly IndexDocument[]): IndexDocument | undefined {
  const html = docs.filter((d) => /\.html?$/i.test(d.path));
  return html.find((d) => /^EX-99\.0?1$/.test(d.type)) ?? html.find((d) => d.type === 'EX-99');
}

export function accessionPath(cik: number | string, accession: string): string {
  return `/Archives/edgar/data/${Number(cikPadded(cik))}/${accession.replace(/-/g, '')}`;
}

export async function fetchFilingIndex(
  http: Http,
  archivesBaseUrl: string,
  cik: number | string,
  accession: string,
  userAgent: string | undefined,
): Promise<{ url: string; docs: IndexDocument[] }> {
  const raw = await secGet(
    http,
    `${archivesBaseUrl}${accessionPath(cik, accession)}/${accession}-index.htm`,
    userAgent,
  );
  return { url: raw.url, docs: parseFilingIndex(raw.body, { source: SOURCE, url: raw.url }) };
}

export async function fetchProductionUpdate(
  http: Http,
  archivesBaseUrl: string,
  path: string,
  userAgent: string | undefined,
): Promise<{ url: string; update: ProductionUpdate }> {
  const raw = await secGet(http, `${archivesBaseUrl}${path}`, userAgent);
  return { url: raw.url, update: parseProductionUpdate(raw.body, { source: SOURCE, url: raw.url }) };
}
