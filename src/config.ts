// Configuration from the environment, validated once with zod; nothing else reads process.env.
import * as z from 'zod';
import { DEFAULT_DB_PATH } from './db-path.js';
import { type EconomicsDefaults, economicsDefaultsFrom } from './economics-config.js';
import { ConfigError } from './errors.js';

const url = z
  .string()
  .url()
  .refine((s) => /^https?:\/\//.test(s), 'must be an http(s) URL')
  .transform((s) => s.replace(/\/+$/, ''));
const positiveInt = z.coerce.number().int().positive();
const nonNegativeInt = z.coerce.number().int().nonnegative();

/** Each entry: the environment variable, its schema and its default. Documented in the README. */
const VARIABLES = {
  dbPath: { env: 'HASHPULSE_DB', schema: z.string().min(1), default: DEFAULT_DB_PATH },
  mempoolUrl: { env: 'HASHPULSE_MEMPOOL_URL', schema: url, default: 'https://mempool.space' },
  blockchainUrl: { env: 'HASHPULSE_BLOCKCHAIN_URL', schema: url, default: 'https://api.blockchain.info' },
  bitstampUrl: { env: 'HASHPULSE_BITSTAMP_URL', schema: url, default: 'https://www.bitstamp.net' },
  yahooUrl: { env: 'HASHPULSE_YAHOO_URL', schema: url, default: 'https://query1.finance.yahoo.com' },
  nasdaqUrl: { env: 'HASHPULSE_NASDAQ_URL', schema: url, default: 'https://api.nasdaq.com' },
  stooqUrl: { env: 'HASHPULSE_STOOQ_URL', schema: url, default: 'https://stooq.com' },
  /** Stooq's free API key (its daily CSV needs one since March 2026); without it Stooq is never asked. */
  stooqApikey: { env: 'HASHPULSE_STOOQ_APIKEY', schema: z.string().trim(), default: '' },
  tiingoUrl: { env: 'HASHPULSE_TIINGO_URL', schema: url, default: 'https://api.tiingo.com' },
  /** Tiingo's API token (free account); without it Tiingo is never asked. */
  tiingoToken: { env: 'HASHPULSE_TIINGO_TOKEN', schema: z.string().trim(), default: '' },
  secUrl: { env: 'HASHPULSE_SEC_URL', schema: url, default: 'https://data.sec.gov' },
  secArchivesUrl: { env: 'HASHPULSE_SEC_ARCHIVES_URL', schema: url, default: 'https://www.sec.gov' },
  /** The SEC requires "app name + contact e-mail"; without it no SEC request is made. */
  secUserAgent: { env: 'HASHPULSE_SEC_USER_AGENT', schema: z.string(), default: '' },
  universePath: { env: 'HASHPULSE_UNIVERSE', schema: z.string().min(1), default: 'data/universe.json' },
  sharesOverridesPath: {
    env: 'HASHPULSE_SHARES_OVERRIDES',
    schema: z.string().min(1),
    default: 'data/shares-overrides.csv',
  },
  /** Miner operations entered by hand (ticker,month,btc_produced,hashrate_ehs,hashrate_basis,btc_held,note). */
  operationsPath: { env: 'HASHPULSE_OPERATIONS', schema: z.string().min(1), default: 'data/operations.csv' },
  /** Cost assumptions of the report's economics. `hashpulse report` reads these three without zod, through
   *  src/economics-config.ts (same defaults and bounds; a test keeps the two in step). */
  economicsPath: { env: 'HASHPULSE_ECONOMICS', schema: z.string().min(1), default: 'data/economics.csv' },
  fleetEfficiencyJth: {
    env: 'HASHPULSE_FLEET_EFFICIENCY_JTH',
    schema: z.coerce.number().positive().max(1000),
    default: '17.5',
  },
  powerPriceUsdMwh: {
    env: 'HASHPULSE_POWER_PRICE_USD_MWH',
    schema: z.coerce.number().nonnegative().max(2000),
    default: '50.36',
  },
  /** The hashprice the note's sentence and gross profit use: expected (144 blocks a day), realized or difficulty. */
  hashpriceBasis: {
    env: 'HASHPULSE_HASHPRICE_BASIS',
    schema: z.enum(['expected', 'realized', 'difficulty']),
    default: 'expected',
  },
  userAgent: {
    env: 'HASHPULSE_USER_AGENT',
    schema: z.string().min(1),
    default: 'hashpulse/0.1 (+https://github.com/hashpulse/hashpulse)',
  },
  httpTimeoutMs: { env: 'HASHPULSE_HTTP_TIMEOUT_MS', schema: positiveInt, default: '30000' },
  httpRetries: { env: 'HASHPULSE_HTTP_RETRIES', schema: nonNegativeInt.max(20), default: '4' },
  httpRetryMinMs: { env: 'HASHPULSE_HTTP_RETRY_MIN_MS', schema: nonNegativeInt, default: '1000' },
  httpMaxRetryTimeMs: { env: 'HASHPULSE_HTTP_MAX_RETRY_TIME_MS', schema: positiveInt, default: '120000' },
  httpMinIntervalMs: { env: 'HASHPULSE_HTTP_MIN_INTERVAL_MS', schema: nonNegativeInt, default: '1000' },
  httpMaxBytes: { env: 'HASHPULSE_HTTP_MAX_BYTES', schema: positiveInt, default: String(64 * 1024 * 1024) },
  /** Days the raw archive keeps fetched payloads (for `hashpulse reprocess`); 0 keeps none. */
  rawRetentionDays: { env: 'HASHPULSE_RAW_RETENTION_DAYS', schema: nonNegativeInt.max(36_500), default: '90' },
  /** Where the publish job writes the monthly notes (YYYY-MM.html/.md/.json); the daemon's HTTP server serves them. */
  publishDir: { env: 'HASHPULSE_PUBLISH_DIR', schema: z.string().min(1), default: 'data/notes' },
  /** Days after a month ends when the publish job publishes it anyway, with the gaps named in the note. */
  publishAfterDays: { env: 'HASHPULSE_PUBLISH_AFTER_DAYS', schema: nonNegativeInt.max(366), default: '10' },
  /** Optional chat webhook (Slack-style: JSON with a `text` field) told of every publication; empty: none. */
  publishWebhookUrl: { env: 'HASHPULSE_PUBLISH_WEBHOOK_URL', schema: z.union([z.literal(''), url]), default: '' },
  /** Port of the daemon's /healthz and /metrics endpoint; 0 or unset: no endpoint. */
  httpPort: { env: 'HASHPULSE_HTTP_PORT', schema: z.coerce.number().int().min(0).max(65535), default: '0' },
  httpHost: { env: 'HASHPULSE_HTTP_HOST', schema: z.string().min(1), default: '127.0.0.1' },
  logLevel: {
    env: 'HASHPULSE_LOG_LEVEL',
    schema: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']),
    default: 'info',
  },
} as const;

type Vars = typeof VARIABLES;
export type Config = { readonly [K in keyof Vars]: z.output<Vars[K]['schema']> } & {
  /** Cron overrides per job from HASHPULSE_SCHEDULE_<JOB> (job name upper-cased), validated by the daemon. */
  readonly schedules: Readonly<Record<string, string>>;
  /** The economics defaults with where each came from ('env' or 'built-in'), as the writers store them. */
  readonly economicsDefaults: EconomicsDefaults;
};

export const CONFIG_VARIABLES: ReadonlyArray<{ env: string; default: string }> = Object.values(VARIABLES).map((v) => ({
  env: v.env,
  default: v.default,
}));

export function loadConfig(env: Record<string, string | undefined>, overrides: Partial<Config> = {}): Config {
  const out: Record<string, unknown> = {};
  for (const [key, spec] of Object.entries(VARIABLES)) {
    const raw = env[spec.env];
    const value = raw === undefined || raw === '' ? spec.default : raw;
    const parsed = (spec.schema as z.ZodType).safeParse(value);
    if (!parsed.success) {
      throw new ConfigError(spec.env, raw, parsed.error.issues.map((i) => i.message).join('; '));
    }
    out[key] = parsed.data;
  }
  const schedules: Record<string, string> = {};
  for (const [k, v] of Object.entries(env)) {
    const m = /^HASHPULSE_SCHEDULE_([A-Z0-9_]+)$/.exec(k);
    if (m?.[1] && v) schedules[m[1].toLowerCase()] = v;
  }
  const economicsDefaults = economicsDefaultsFrom(env);
  return Object.freeze({
    ...(out as Omit<Config, 'schedules' | 'economicsDefaults'>),
    schedules,
    economicsDefaults,
    ...overrides,
  });
}
