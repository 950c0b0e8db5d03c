// data/operations.csv (HASHPULSE_OPERATIONS): miner operations entered by hand — a correction of a parsed figure,
// or a month a company reported only on its website or in a quarterly report. Hand entries win over parsed ones.
import fs from 'node:fs';
import { PayloadError } from '../errors.js';
import { isValidMonth, type Month } from '../time.js';
import { splitCsvLine } from './overrides.js';
import type { HashrateBasis } from './sec-press.js';

export const SOURCE = 'override';

export const OPERATIONS_HEADER = 'ticker,month,btc_produced,hashrate_ehs,hashrate_basis,btc_held,note';

export interface OperationsOverride {
  readonly ticker: string;
  readonly month: Month;
  readonly btc_produced: number | null;
  readonly hashrate_ehs: number | null;
  readonly hashrate_basis: HashrateBasis | null;
  readonly btc_held: number | null;
  readonly note: string | null;
  /** "file:line", kept as the row's provenance. */
  readonly line: string;
}

const BASES: readonly HashrateBasis[] = ['operating', 'average', 'installed'];

/** Parses the file's text; the first bad line is an error naming the file and line, so nothing is half-applied. */
export function parseOperationsCsv(text: string, file: string, knownMiners: ReadonlySet<string>): OperationsOverride[] {
  const lines = text.split(/\r?\n/);
  const header = splitCsvLine(lines[0] ?? '').map((h) => h.toLowerCase());
  if (header.join(',') !== OPERATIONS_HEADER)
    throw new PayloadError(SOURCE, file, `line 1: expected the header "${OPERATIONS_HEADER}", got "${lines[0] ?? ''}"`);
  const rows: OperationsOverride[] = [];
  const seen = new Set<string>();
  lines.slice(1).forEach((line, i) => {
    if (line.trim() === '' || line.trimStart().startsWith('#')) return;
    const at = `line ${i + 2}`;
    const cells = splitCsvLine(line);
    if (cells.length > 7)
      throw new PayloadError(
        SOURCE,
        file,
        `${at}: ${cells.length} fields, expected 7 (quote a note that contains commas)`,
      );
    const [ticker = '', month = '', produced = '', hashrate = '', basis = '', held = '', note = ''] = cells;
    const t = ticker.toUpperCase();
    if (!knownMiners.has(t))
      throw new PayloadError(SOURCE, file, `${at}: unknown miner "${ticker}" (not a miner of the universe file)`);
    if (!isValidMonth(month)) throw new PayloadError(SOURCE, file, `${at}: month must be YYYY-MM, got "${month}"`);
    const num = (raw: string, what: string, min: number, max: number): number | null => {
      if (raw === '') return null;
      const n = Number(raw.replace(/[,_\s]/g, ''));
      if (!Number.isFinite(n) || n < min || n > max)
        throw new PayloadError(SOURCE, file, `${at}: ${what} must be a number between ${min} and ${max}, got "${raw}"`);
      return n;
    };
    const btc_produced = num(produced, 'btc_produced (BTC mined in the month)', 0, 20_000);
    const hashrate_ehs = num(hashrate, 'hashrate_ehs (EH/s, not PH/s)', 0.001, 2_000);
    const btc_held = num(held, 'btc_held (BTC at month end)', 0, 1_000_000);
    const b = basis.toLowerCase();
    if (b !== '' && !BASES.includes(b as HashrateBasis))
      throw new PayloadError(SOURCE, file, `${at}: hashrate_basis must be one of ${BASES.join(', ')}, got "${basis}"`);
    if ((hashrate_ehs === null) !== (b === ''))
      throw new PayloadError(SOURCE, file, `${at}: hashrate_ehs and hashrate_basis go together (both or neither)`);
    if (btc_produced === null && hashrate_ehs === null && btc_held === null)
      throw new PayloadError(SOURCE, file, `${at}: no figure (btc_produced, hashrate_ehs or btc_held)`);
    const key = `${t} ${month}`;
    if (seen.has(key)) throw new PayloadError(SOURCE, file, `${at}: a second row for ${t} ${month}`);
    seen.add(key);
    rows.push({
      ticker: t,
      month,
      btc_produced,
      hashrate_ehs,
      hashrate_basis: b === '' ? null : (b as HashrateBasis),
      btc_held,
      note: note || null,
      line: `${file}:${i + 2}`,
    });
  });
  return rows;
}

export function readOperationsCsv(file: string, knownMiners: ReadonlySet<string>): OperationsOverride[] {
  if (!fs.existsSync(file)) return [];
  return parseOperationsCsv(fs.readFileSync(file, 'utf8'), file, knownMiners);
}
