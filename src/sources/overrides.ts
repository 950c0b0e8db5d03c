// data/shares-overrides.csv: share counts a user takes from press releases (20-F/40-F filers state one a year).
import fs from 'node:fs';
import { PayloadError } from '../errors.js';
import { isValidDate } from '../time.js';

export const SOURCE = 'override';

export interface OverrideRow {
  readonly ticker: string;
  readonly as_of: string;
  readonly shares: number;
  readonly note: string | null;
}

/** Splits one CSV line, honouring double quotes ("a, b" and "" inside quotes). */
export function splitCsvLine(line: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        cur += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cur += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  out.push(cur);
  return out.map((s) => s.trim());
}

/** Parses the file's text; every bad line is an error naming the file and line (nothing half-applied). */
export function parseOverrides(text: string, file: string, knownTickers: ReadonlySet<string>): OverrideRow[] {
  const lines = text.split(/\r?\n/);
  const header = splitCsvLine(lines[0] ?? '').map((h) => h.toLowerCase());
  if (header.join(',') !== 'ticker,as_of,shares,note') {
    throw new PayloadError(
      SOURCE,
      file,
      `line 1: expected the header "ticker,as_of,shares,note", got "${lines[0] ?? ''}"`,
    );
  }
  const rows: OverrideRow[] = [];
  lines.slice(1).forEach((line, i) => {
    if (line.trim() === '' || line.trimStart().startsWith('#')) return;
    const at = `line ${i + 2}`;
    const [ticker = '', asOf = '', shares = '', note = ''] = splitCsvLine(line);
    const t = ticker.toUpperCase();
    if (!knownTickers.has(t))
      throw new PayloadError(SOURCE, file, `${at}: unknown ticker "${ticker}" (not in the universe file)`);
    if (!isValidDate(asOf)) throw new PayloadError(SOURCE, file, `${at}: as_of must be YYYY-MM-DD, got "${asOf}"`);
    const n = Number(shares.replace(/[,_\s]/g, ''));
    if (!Number.isFinite(n) || n < 1000 || n > 1e11)
      throw new PayloadError(
        SOURCE,
        file,
        `${at}: shares must be a whole count between 1,000 and 100 billion, got "${shares}"`,
      );
    rows.push({ ticker: t, as_of: asOf, shares: n, note: note || null });
  });
  return rows;
}

export function readOverrides(file: string, knownTickers: ReadonlySet<string>): OverrideRow[] {
  if (!fs.existsSync(file)) return [];
  return parseOverrides(fs.readFileSync(file, 'utf8'), file, knownTickers);
}
