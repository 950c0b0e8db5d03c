// The per-month overrides of the cost assumptions, from data/economics.csv (HASHPULSE_ECONOMICS). The defaults,
// their bounds and the variables that set them are in config.ts; the file is checked with the same bounds.
import fs from 'node:fs';
import { type Bounds, describeBounds, FLEET_EFFICIENCY_BOUNDS, inBounds, POWER_PRICE_BOUNDS } from './config.js';
import { UsageError } from './errors.js';
import { splitCsvLine } from './sources/overrides.js';
import { isValidMonth, type Month } from './time.js';

export interface EconomicsOverride {
  readonly month: Month;
  readonly fleet_efficiency_jth: number | null;
  readonly power_price_usd_mwh: number | null;
  readonly note: string | null;
}

const HEADER = 'month,fleet_efficiency_jth,power_price_usd_mwh,note';

/** Parses data/economics.csv; a bad line is a UsageError naming the file and line (nothing half-applied). */
export function parseEconomicsCsv(text: string, file: string): EconomicsOverride[] {
  const lines = text.split(/\r?\n/);
  const headerAt = lines.findIndex((l) => l.trim() !== '' && !l.trimStart().startsWith('#'));
  if (headerAt < 0) return [];
  if (
    splitCsvLine(lines[headerAt]!)
      .map((h) => h.toLowerCase())
      .join(',') !== HEADER
  ) {
    throw new UsageError(`${file} line ${headerAt + 1}: expected the header "${HEADER}", got "${lines[headerAt]}"`);
  }
  const rows: EconomicsOverride[] = [];
  const seen = new Set<string>();
  lines.forEach((line, i) => {
    if (i <= headerAt || line.trim() === '' || line.trimStart().startsWith('#')) return;
    const at = `${file} line ${i + 1}`;
    const [month = '', eff = '', price = '', note = ''] = splitCsvLine(line);
    if (!isValidMonth(month)) throw new UsageError(`${at}: month must be YYYY-MM, got "${month}"`);
    if (seen.has(month)) throw new UsageError(`${at}: ${month} is listed twice`);
    seen.add(month);
    const num = (s: string, name: string, b: Bounds): number | null => {
      if (s === '') return null;
      const x = Number(s);
      if (!inBounds(x, b)) throw new UsageError(`${at}: ${name} must be ${describeBounds(b)} or empty, got "${s}"`);
      return x;
    };
    const fleet = num(eff, 'fleet_efficiency_jth', FLEET_EFFICIENCY_BOUNDS);
    const power = num(price, 'power_price_usd_mwh', POWER_PRICE_BOUNDS);
    if (fleet === null && power === null)
      throw new UsageError(`${at}: give fleet_efficiency_jth, power_price_usd_mwh or both`);
    rows.push({ month, fleet_efficiency_jth: fleet, power_price_usd_mwh: power, note: note || null });
  });
  return rows.sort((a, b) => (a.month < b.month ? -1 : 1));
}

/** A missing file means no overrides (the defaults apply to every month). */
export function readEconomicsFile(file: string): EconomicsOverride[] {
  if (!fs.existsSync(file)) return [];
  return parseEconomicsCsv(fs.readFileSync(file, 'utf8'), file);
}
