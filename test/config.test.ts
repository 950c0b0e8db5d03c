// Configuration is read in one place (src/config.ts): its defaults are the ones the README's table and the
// migration's seed row state, read-only commands read only what they use, and the module stays dependency-free.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  CONFIG_VARIABLES,
  DEFAULT_FLEET_EFFICIENCY_JTH,
  DEFAULT_POWER_PRICE_USD_MWH,
  loadConfig,
  readConfig,
} from '../src/config.js';
import { openDb } from '../src/db/connection.js';
import { ConfigError } from '../src/errors.js';
import { tempDir } from './support/env.js';

describe('configuration', () => {
  it('the README table states every variable with the default config.ts declares', () => {
    const readme = fs.readFileSync(path.join(import.meta.dirname, '..', 'README.md'), 'utf8');
    const rows = new Map(
      [...readme.matchAll(/^\| `(HASHPULSE_[A-Z_]+)` \| ([^|]+) \|/gm)].map((m) => [m[1]!, m[2]!.trim()]),
    );
    for (const v of CONFIG_VARIABLES) {
      expect(rows.has(v.env), `${v.env} is in the README`).toBe(true);
      // A variable whose default is empty is shown in words ("(none)", "(off)", "(the system clock)").
      if (v.default !== '' && v.env !== 'HASHPULSE_HTTP_PORT') expect(rows.get(v.env)).toBe(`\`${v.default}\``);
    }
  });

  it('HASHPULSE_SCHEDULE_<JOB> names a job in upper case; an empty value or another name is not a schedule', () => {
    const env = {
      HASHPULSE_SCHEDULE_NETWORK: '0 3 * * *',
      HASHPULSE_SCHEDULE_SEC_SHARES: '15 6 * * 1-5',
      HASHPULSE_SCHEDULE_EQUITIES: '',
      HASHPULSE_SCHEDULE_: '* * * * *',
      'HASHPULSE_SCHEDULE_BAD-NAME': '* * * * *',
      HASHPULSE_SCHEDULE_lower: '* * * * *',
      XHASHPULSE_SCHEDULE_AGGREGATE: '* * * * *',
    };
    expect(readConfig(env, ['schedules']).schedules).toEqual({ network: '0 3 * * *', sec_shares: '15 6 * * 1-5' });
  });

  it('the migrations seed economics_defaults with the defaults in code (17.5 J/TH, $50.36/MWh, expected)', async () => {
    const opened = await openDb(path.join(tempDir(), 'seed.db'));
    try {
      const row = opened.sqlite.prepare('select * from economics_defaults').get();
      expect(row).toEqual({
        id: 1,
        fleet_efficiency_jth: DEFAULT_FLEET_EFFICIENCY_JTH,
        fleet_efficiency_source: 'built-in',
        power_price_usd_mwh: DEFAULT_POWER_PRICE_USD_MWH,
        power_price_source: 'built-in',
        hashprice_basis: loadConfig({}).hashpriceBasis,
      });
      expect([DEFAULT_FLEET_EFFICIENCY_JTH, DEFAULT_POWER_PRICE_USD_MWH]).toEqual([17.5, 50.36]);
    } finally {
      await opened.close();
    }
  });

  it('a read-only command reads only the values it names: a bad URL does not stop it, a bad HASHPULSE_NOW does', () => {
    const env = { HASHPULSE_MEMPOOL_URL: 'ftp://x', HASHPULSE_DB: '/tmp/x.db', HASHPULSE_NOW: '2026-02-01' };
    expect(readConfig(env, ['dbPath', 'now'])).toEqual({
      dbPath: '/tmp/x.db',
      now: Date.parse('2026-02-01T00:00:00Z'),
    });
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => readConfig({ HASHPULSE_NOW: 'yesterday' }, ['now'])).toThrow(/^HASHPULSE_NOW="yesterday" is invalid/);
  });

  it('economics defaults say where they came from: a variable set to the default value is still "env"', () => {
    expect(loadConfig({ HASHPULSE_FLEET_EFFICIENCY_JTH: '17.5' }).economicsDefaults).toEqual({
      fleet_efficiency_jth: 17.5,
      fleet_efficiency_source: 'env',
      power_price_usd_mwh: 50.36,
      power_price_source: 'built-in',
      hashprice_basis: 'expected',
    });
  });

  it('src/config.ts imports nothing but the error classes (read-only commands load it at start)', () => {
    const text = fs.readFileSync(path.join(import.meta.dirname, '..', 'src', 'config.ts'), 'utf8');
    expect([...text.matchAll(/^import .* from '([^']+)';$/gm)].map((m) => m[1])).toEqual(['./errors.js']);
  });
});
