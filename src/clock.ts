// The one place "now" comes from: the system clock, or HASHPULSE_NOW for tests and reproducible runs.
import { ConfigError } from './errors.js';

export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

export const NOW_VARIABLE = 'HASHPULSE_NOW';

/**
 * HASHPULSE_NOW=2026-02-01T06:00:00Z (or a date, read as 00:00 UTC) makes every command and the daemon act as if
 * started at that instant; time then runs on from it, so schedules and timeouts still work. Unset: the system clock.
 * Read without zod so read-only commands stay fast; a value that is not an ISO instant is a ConfigError (exit 2).
 */
export function clockFromEnv(env: Record<string, string | undefined>): Clock {
  const raw = env[NOW_VARIABLE]?.trim();
  if (!raw) return systemClock;
  const iso = /^\d{4}-\d{2}-\d{2}$/.test(raw) ? `${raw}T00:00:00Z` : raw;
  const start = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(iso)
    ? Date.parse(iso)
    : Number.NaN;
  if (!Number.isFinite(start))
    throw new ConfigError(
      NOW_VARIABLE,
      raw,
      'must be an ISO 8601 instant such as 2026-02-01T06:00:00Z, or a date YYYY-MM-DD',
    );
  const t0 = Date.now();
  return { now: () => new Date(start + (Date.now() - t0)) };
}
