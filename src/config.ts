// Configuration: every HASHPULSE_* variable is declared, read and validated here, and nowhere else. The module has
// no dependencies (no zod, no axios) so read-only commands (report, status, check) can read the few values they
// need with readConfig(env, keys) without paying for — or failing on — the ones they never use. The CLI passes
// process.env (src/cli/common.ts); tests pass their own variables.
import { ConfigError } from './errors.js';

export type Env = Readonly<Record<string, string | undefined>>;

/** Thrown by a parser with what was expected; loadConfig/readConfig turn it into a ConfigError naming the variable. */
class Invalid extends Error {}

type Parser<T> = (raw: string) => T;

const text: Parser<string> = (s) => s;
const trimmed: Parser<string> = (s) => s.trim();

const httpUrl: Parser<string> = (s) => {
  let ok = /^https?:\/\//i.test(s);
  try {
    new URL(s);
  } catch {
    ok = false;
  }
  if (!ok) throw new Invalid('must be an http(s) URL');
  return s.replace(/\/+$/, '');
};

const optional =
  <T>(p: Parser<T>): Parser<T | ''> =>
  (s) =>
    s === '' ? '' : p(s);

function integer(min: number, max = Number.MAX_SAFE_INTEGER): Parser<number> {
  return (s) => {
    const x = s.trim() === '' ? Number.NaN : Number(s);
    if (!Number.isInteger(x) || x < min || x > max)
      throw new Invalid(
        `must be an integer ≥ ${min}${max === Number.MAX_SAFE_INTEGER ? '' : ` and ≤ ${max}`}, got ${s}`,
      );
    return x;
  };
}

/** A number within bounds (the economics assumptions; data/economics.csv is checked with the same bounds). */
export interface Bounds {
  readonly min: number;
  readonly minInclusive: boolean;
  readonly max: number;
}

export function inBounds(x: number, b: Bounds): boolean {
  return Number.isFinite(x) && (b.minInclusive ? x >= b.min : x > b.min) && x <= b.max;
}

export function describeBounds(b: Bounds): string {
  return `a number ${b.minInclusive ? '≥' : '>'} ${b.min} and ≤ ${b.max}`;
}

function bounded(b: Bounds): Parser<number> {
  return (s) => {
    const x = s.trim() === '' ? Number.NaN : Number(s);
    if (!inBounds(x, b)) throw new Invalid(`must be ${describeBounds(b)}`);
    return x;
  };
}

function oneOf<const T extends readonly string[]>(values: T): Parser<T[number]> {
  return (s) => {
    const v = s.trim();
    if (!values.includes(v)) throw new Invalid(`must be one of ${values.join(', ')}`);
    return v as T[number];
  };
}

/** HASHPULSE_NOW: an ISO instant (or a date, read as 00:00 UTC) → epoch milliseconds; unset → null (system clock). */
const instant: Parser<number | null> = (s) => {
  const raw = s.trim();
  if (raw === '') return null;
  const iso = /^\d{4}-\d{2}-\d{2}$/.test(raw) ? `${raw}T00:00:00Z` : raw;
  const t = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(iso)
    ? Date.parse(iso)
    : Number.NaN;
  if (!Number.isFinite(t))
    throw new Invalid('must be an ISO 8601 instant such as 2026-02-01T06:00:00Z, or a date YYYY-MM-DD');
  return t;
};

// The economics assumptions' built-in defaults: here once. Migration 0007 seeded economics_defaults with the same
// values (a test compares a freshly migrated file with these); the README's tables quote them.
/** Round fleet efficiency (J/TH) of the large listed miners in 2025; see the README for the reasoning. */
export const DEFAULT_FLEET_EFFICIENCY_JTH = 17.5;
/** $/MWh: the price that, at 17.5 J/TH, gives the ≈ $21,150 of power per EH/s per day the January-2026 note implies. */
export const DEFAULT_POWER_PRICE_USD_MWH = 50.36;
export const FLEET_EFFICIENCY_BOUNDS: Bounds = { min: 0, minInclusive: false, max: 1000 };
export const POWER_PRICE_BOUNDS: Bounds = { min: 0, minInclusive: true, max: 2000 };

/** Which hashprice the note's sentence and gross profit use (README "Hashprice three ways"). */
export const HASHPRICE_BASES = ['expected', 'realized', 'difficulty'] as const;
export type HashpriceBasis = (typeof HASHPRICE_BASES)[number];

export const DEFAULT_DB_PATH = 'data/hashpulse.db';

/** Each entry: the environment variable, its parser and its default (a raw string, parsed like a set value). An
 *  unset or blank variable takes the default. Documented in the README's configuration table. */
const VARIABLES = {
  dbPath: { env: 'HASHPULSE_DB', parse: text, default: DEFAULT_DB_PATH },
  /** The instant commands and the daemon start at (tests, reproducible runs); null: the system clock. */
  now: { env: 'HASHPULSE_NOW', parse: instant, default: '' },
  mempoolUrl: { env: 'HASHPULSE_MEMPOOL_URL', parse: httpUrl, default: 'https://mempool.space' },
  blockchainUrl: { env: 'HASHPULSE_BLOCKCHAIN_URL', parse: httpUrl, default: 'https://api.blockchain.info' },
  bitstampUrl: { env: 'HASHPULSE_BITSTAMP_URL', parse: httpUrl, default: 'https://www.bitstamp.net' },
  yahooUrl: { env: 'HASHPULSE_YAHOO_URL', parse: httpUrl, default: 'https://query1.finance.yahoo.com' },
  nasdaqUrl: { env: 'HASHPULSE_NASDAQ_URL', parse: httpUrl, default: 'https://api.nasdaq.com' },
  stooqUrl: { env: 'HASHPULSE_STOOQ_URL', parse: httpUrl, default: 'https://stooq.com' },
  /** Stooq's free API key (its daily CSV needs one since March 2026); without it Stooq is never asked. */
  stooqApikey: { env: 'HASHPULSE_STOOQ_APIKEY', parse: trimmed, default: '' },
  tiingoUrl: { env: 'HASHPULSE_TIINGO_URL', parse: httpUrl, default: 'https://api.tiingo.com' },
  /** Tiingo's API token (free account); without it Tiingo is never asked. */
  tiingoToken: { env: 'HASHPULSE_TIINGO_TOKEN', parse: trimmed, default: '' },
  secUrl: { env: 'HASHPULSE_SEC_URL', parse: httpUrl, default: 'https://data.sec.gov' },
  secArchivesUrl: { env: 'HASHPULSE_SEC_ARCHIVES_URL', parse: httpUrl, default: 'https://www.sec.gov' },
  /** The SEC requires "app name + contact e-mail"; without it no SEC request is made. */
  secUserAgent: { env: 'HASHPULSE_SEC_USER_AGENT', parse: text, default: '' },
  universePath: { env: 'HASHPULSE_UNIVERSE', parse: text, default: 'data/universe.json' },
  sharesOverridesPath: { env: 'HASHPULSE_SHARES_OVERRIDES', parse: text, default: 'data/shares-overrides.csv' },
  /** Miner operations entered by hand (ticker,month,btc_produced,hashrate_ehs,hashrate_basis,btc_held,note). */
  operationsPath: { env: 'HASHPULSE_OPERATIONS', parse: text, default: 'data/operations.csv' },
  /** Per-month overrides of the cost assumptions (src/economics-file.ts reads the file). */
  economicsPath: { env: 'HASHPULSE_ECONOMICS', parse: text, default: 'data/economics.csv' },
  fleetEfficiencyJth: {
    env: 'HASHPULSE_FLEET_EFFICIENCY_JTH',
    parse: bounded(FLEET_EFFICIENCY_BOUNDS),
    default: String(DEFAULT_FLEET_EFFICIENCY_JTH),
  },
  powerPriceUsdMwh: {
    env: 'HASHPULSE_POWER_PRICE_USD_MWH',
    parse: bounded(POWER_PRICE_BOUNDS),
    default: String(DEFAULT_POWER_PRICE_USD_MWH),
  },
  /** The hashprice the note's sentence and gross profit use: expected (144 blocks a day), realized or difficulty. */
  hashpriceBasis: {
    env: 'HASHPULSE_HASHPRICE_BASIS',
    parse: oneOf(HASHPRICE_BASES),
    default: 'expected' satisfies HashpriceBasis,
  },
  userAgent: {
    env: 'HASHPULSE_USER_AGENT',
    parse: text,
    default: 'hashpulse/0.1 (+https://github.com/hashpulse/hashpulse)',
  },
  httpTimeoutMs: { env: 'HASHPULSE_HTTP_TIMEOUT_MS', parse: integer(1), default: '30000' },
  httpRetries: { env: 'HASHPULSE_HTTP_RETRIES', parse: integer(0, 20), default: '4' },
  httpRetryMinMs: { env: 'HASHPULSE_HTTP_RETRY_MIN_MS', parse: integer(0), default: '1000' },
  httpMaxRetryTimeMs: { env: 'HASHPULSE_HTTP_MAX_RETRY_TIME_MS', parse: integer(1), default: '120000' },
  httpMinIntervalMs: { env: 'HASHPULSE_HTTP_MIN_INTERVAL_MS', parse: integer(0), default: '1000' },
  httpMaxBytes: { env: 'HASHPULSE_HTTP_MAX_BYTES', parse: integer(1), default: String(64 * 1024 * 1024) },
  /** Days the raw archive keeps fetched payloads (for `hashpulse reprocess`); 0 keeps none. */
  rawRetentionDays: { env: 'HASHPULSE_RAW_RETENTION_DAYS', parse: integer(0, 36_500), default: '90' },
  /** Where the publish job writes the monthly notes (YYYY-MM.html/.md/.json); the daemon's HTTP server serves them. */
  publishDir: { env: 'HASHPULSE_PUBLISH_DIR', parse: text, default: 'data/notes' },
  /** Days after a month ends when the publish job publishes it anyway, with the gaps named in the note. */
  publishAfterDays: { env: 'HASHPULSE_PUBLISH_AFTER_DAYS', parse: integer(0, 366), default: '10' },
  /** Optional chat webhook (Slack-style: JSON with a `text` field) told of every publication; empty: none. */
  publishWebhookUrl: { env: 'HASHPULSE_PUBLISH_WEBHOOK_URL', parse: optional(httpUrl), default: '' },
  /** Port of the daemon's /healthz and /metrics endpoint; 0 or unset: no endpoint. */
  httpPort: { env: 'HASHPULSE_HTTP_PORT', parse: integer(0, 65535), default: '0' },
  httpHost: { env: 'HASHPULSE_HTTP_HOST', parse: text, default: '127.0.0.1' },
  logLevel: {
    env: 'HASHPULSE_LOG_LEVEL',
    parse: oneOf(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']),
    default: 'info',
  },
} as const;

type Vars = typeof VARIABLES;

export type AssumptionSource = 'built-in' | 'env' | 'file';

/** The default cost assumptions with where each came from, as the writers store them in economics_defaults. */
export interface EconomicsDefaults {
  readonly fleet_efficiency_jth: number;
  readonly fleet_efficiency_source: AssumptionSource;
  readonly power_price_usd_mwh: number;
  readonly power_price_source: AssumptionSource;
  readonly hashprice_basis: HashpriceBasis;
}

export type Config = { readonly [K in keyof Vars]: ReturnType<Vars[K]['parse']> } & {
  /** Cron overrides per job from HASHPULSE_SCHEDULE_<JOB> (job name lower-cased), validated by the daemon. */
  readonly schedules: Readonly<Record<string, string>>;
  /** fleetEfficiencyJth, powerPriceUsdMwh and hashpriceBasis with where each came from ('env' or 'built-in'). */
  readonly economicsDefaults: EconomicsDefaults;
};

export const CONFIG_VARIABLES: ReadonlyArray<{ env: string; default: string }> = Object.values(VARIABLES).map((v) => ({
  env: v.env,
  default: v.default,
}));

function isSet(env: Env, name: string): boolean {
  const raw = env[name];
  return raw !== undefined && raw.trim() !== '';
}

function readVariable<K extends keyof Vars>(env: Env, key: K): Config[K] {
  const spec = VARIABLES[key];
  const raw = env[spec.env];
  try {
    return spec.parse(isSet(env, spec.env) ? (raw as string) : spec.default) as Config[K];
  } catch (err) {
    if (err instanceof Invalid) throw new ConfigError(spec.env, raw, err.message);
    throw err;
  }
}

const DERIVED = {
  schedules(env: Env): Config['schedules'] {
    const schedules: Record<string, string> = {};
    // The names first, and a value only for a schedule's: each read of process.env is a call into Node (the
    // environment's ~40 values cost `status` ~0.1 ms of its start).
    for (const k of Object.keys(env)) {
      if (!k.startsWith('HASHPULSE_SCHEDULE_')) continue;
      const m = /^HASHPULSE_SCHEDULE_([A-Z0-9_]+)$/.exec(k);
      const v = env[k];
      if (m?.[1] && v) schedules[m[1].toLowerCase()] = v;
    }
    return schedules;
  },
  economicsDefaults(env: Env): EconomicsDefaults {
    const source = (key: 'fleetEfficiencyJth' | 'powerPriceUsdMwh'): AssumptionSource =>
      isSet(env, VARIABLES[key].env) ? 'env' : 'built-in';
    return {
      fleet_efficiency_jth: readVariable(env, 'fleetEfficiencyJth'),
      fleet_efficiency_source: source('fleetEfficiencyJth'),
      power_price_usd_mwh: readVariable(env, 'powerPriceUsdMwh'),
      power_price_source: source('powerPriceUsdMwh'),
      hashprice_basis: readVariable(env, 'hashpriceBasis'),
    };
  },
} satisfies { [K in Exclude<keyof Config, keyof Vars>]: (env: Env) => Config[K] };

const ALL_KEYS = [...Object.keys(VARIABLES), ...Object.keys(DERIVED)] as Array<keyof Config>;

/**
 * The named values only, validated: what a read-only command uses (`report` reads the database path, the clock and
 * the economics assumptions; a bad HASHPULSE_MEMPOOL_URL does not stop it). A bad value is a ConfigError (exit 2).
 */
export function readConfig<K extends keyof Config>(env: Env, keys: readonly K[]): Pick<Config, K> {
  const out: Partial<Config> = {};
  for (const key of keys) {
    (out as Record<string, unknown>)[key] =
      key in DERIVED ? DERIVED[key as keyof typeof DERIVED](env) : readVariable(env, key as unknown as keyof Vars);
  }
  return out as Pick<Config, K>;
}

/** Every value, validated: the writing commands and the daemon. */
export function loadConfig(env: Env, overrides: Partial<Config> = {}): Config {
  return Object.freeze({ ...readConfig(env, ALL_KEYS), ...overrides });
}

/** The economics defaults in force for these variables (what the writers store). */
export function economicsDefaultsFrom(env: Env): EconomicsDefaults {
  return DERIVED.economicsDefaults(env);
}
