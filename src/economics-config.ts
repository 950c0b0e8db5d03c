// The cost assumptions of the report's economics: defaults from the environment (else built in) and per-month
// overrides from data/economics.csv. Read without zod, like db-path.ts, so `hashpulse report` starts fast; the
// same variables, defaults and bounds are declared in config.ts for the daemon (a test keeps them in step).
import fs from 'node:fs';
import { ConfigError, UsageError } from './errors.js';
import { splitCsvLine } from './sources/overrides.js';
import { isValidMonth, type Month } from './time.js';

/** Round fleet efficiency (J/TH) of the large listed miners in 2025; see the README for the reasoning. */
export const DEFAULT_FLEET_EFFICIENCY_JTH = 17.5;
/** $/MWh: the price that, at 17.5 J/TH, gives the ≈ $21,150 of power per EH/s per day the January-2026 note implies. */
export const DEFAULT_POWER_PRICE_USD_MWH = 50.36;
export const DEFAULT_ECONOMICS_PATH = 'data/economics.csv';

export const ECONOMICS_VARIABLES = {
  path: { env: 'HASHPULSE_ECONOMICS', default: DEFAULT_ECONOMICS_PATH },
  fleetEfficiencyJth: {
    env: 'HASHPULSE_FLEET_EFFICIENCY_JTH',
    default: String(DEFAULT_FLEET_EFFICIENCY_JTH),
    min: 0,
    minInclusive: false,
    max: 1000,
  },
  powerPriceUsdMwh: {
    env: 'HASHPULSE_POWER_PRICE_USD_MWH',
    default: String(DEFAULT_POWER_PRICE_USD_MWH),
    min: 0,
    minInclusive: true,
    max: 2000,
  },
} as const;

export type AssumptionSource = 'built-in' | 'env' | 'file';

/** Which hashprice the note's sentence and gross profit use (README "Hashprice three ways"). */
export const HASHPRICE_BASES = ['expected', 'realized', 'difficulty'] as const;
export type HashpriceBasis = (typeof HASHPRICE_BASES)[number];
export const HASHPRICE_BASIS_VARIABLE = { env: 'HASHPULSE_HASHPRICE_BASIS', default: 'expected' } as const;

export interface EconomicsDefaults {
  readonly fleet_efficiency_jth: number;
  readonly fleet_efficiency_source: AssumptionSource;
  readonly power_price_usd_mwh: number;
  readonly power_price_source: AssumptionSource;
  readonly hashprice_basis: HashpriceBasis;
}

export interface EconomicsOverride {
  readonly month: Month;
  readonly fleet_efficiency_jth: number | null;
  readonly power_price_usd_mwh: number | null;
  readonly note: string | null;
}

type Bounded = { readonly min: number; readonly minInclusive: boolean; readonly max: number };

function inBounds(x: number, b: Bounded): boolean {
  return Number.isFinite(x) && (b.minInclusive ? x >= b.min : x > b.min) && x <= b.max;
}

function describeBounds(b: Bounded): string {
  return `a number ${b.minInclusive ? '≥' : '>'} ${b.min} and ≤ ${b.max}`;
}

function numberFromEnv(
  env: Record<string, string | undefined>,
  spec: Bounded & { env: string; default: string },
): [number, AssumptionSource] {
  const raw = env[spec.env];
  if (raw === undefined || raw.trim() === '') return [Number(spec.default), 'built-in'];
  const x = Number(raw.trim());
  if (!inBounds(x, spec)) throw new ConfigError(spec.env, raw, `must be ${describeBounds(spec)}`);
  return [x, 'env'];
}

export function economicsDefaultsFrom(env: Record<string, string | undefined>): EconomicsDefaults {
  const [e, es] = numberFromEnv(env, ECONOMICS_VARIABLES.fleetEfficiencyJth);
  const [p, ps] = numberFromEnv(env, ECONOMICS_VARIABLES.powerPriceUsdMwh);
  return {
    fleet_efficiency_jth: e,
    fleet_efficiency_source: es,
    power_price_usd_mwh: p,
    power_price_source: ps,
    hashprice_basis: hashpriceBasisFrom(env),
  };
}

/**
 * The same defaults from the daemon's validated configuration (the publish job). The configuration keeps values, not
 * where they came from: a value other than the built-in default came from the environment.
 */
export function economicsDefaultsFromConfig(c: {
  readonly fleetEfficiencyJth: number;
  readonly powerPriceUsdMwh: number;
  readonly hashpriceBasis: HashpriceBasis;
}): EconomicsDefaults {
  return {
    fleet_efficiency_jth: c.fleetEfficiencyJth,
    fleet_efficiency_source: c.fleetEfficiencyJth === DEFAULT_FLEET_EFFICIENCY_JTH ? 'built-in' : 'env',
    power_price_usd_mwh: c.powerPriceUsdMwh,
    power_price_source: c.powerPriceUsdMwh === DEFAULT_POWER_PRICE_USD_MWH ? 'built-in' : 'env',
    hashprice_basis: c.hashpriceBasis,
  };
}

export function hashpriceBasisFrom(env: Record<string, string | undefined>): HashpriceBasis {
  const raw = env[HASHPRICE_BASIS_VARIABLE.env];
  if (raw === undefined || raw.trim() === '') return HASHPRICE_BASIS_VARIABLE.default;
  const v = raw.trim();
  if (!(HASHPRICE_BASES as readonly string[]).includes(v))
    throw new ConfigError(HASHPRICE_BASIS_VARIABLE.env, raw, `must be one of ${HASHPRICE_BASES.join(', ')}`);
  return v as HashpriceBasis;
}

export function economicsPathFrom(env: Record<string, string | undefined>): string {
  return env[ECONOMICS_VARIABLES.path.env] || DEFAULT_ECONOMICS_PATH;
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
    const num = (s: string, name: string, b: Bounded): number | null => {
      if (s === '') return null;
      const x = Number(s);
      if (!inBounds(x, b)) throw new UsageError(`${at}: ${name} must be ${describeBounds(b)} or empty, got "${s}"`);
      return x;
    };
    const fleet = num(eff, 'fleet_efficiency_jth', ECONOMICS_VARIABLES.fleetEfficiencyJth);
    const power = num(price, 'power_price_usd_mwh', ECONOMICS_VARIABLES.powerPriceUsdMwh);
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
