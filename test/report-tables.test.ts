// The report's tables (report_monthly, report_tickers_monthly, operations_monthly, operations_tickers_monthly):
// the rows of their live views, value for value and type for type, after the jobs and after every writer of their
// inputs; and filled on a file written by a release that had them as views.
import path from 'node:path';
import type BetterSqlite3 from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDb } from '../src/db/connection.js';
import { syncEconomicsAssumptions } from '../src/store/economics.js';
import { syncUniverse } from '../src/store/equities.js';
import { REPORT_TABLES } from '../src/store/materialise.js';
import { replaceOperationsOverrides } from '../src/store/operations.js';
import { loadUniverse } from '../src/universe.js';
import { createNoteEnv, type TestEnv, tempDir } from './support/env.js';
import { makeOldFile } from './support/old-file.js';

let t: TestEnv;
beforeAll(async () => {
  ({ t } = await createNoteEnv());
});
afterAll(async () => t.close());

/** Every row of a table or view, each value as SQL's quote() writes it (5 and 5.0 differ), in key order. */
function rows(sqlite: BetterSqlite3.Database, name: string): string[] {
  const cols = sqlite
    .prepare(`select * from ${name} limit 0`)
    .columns()
    .map((c) => c.name);
  return sqlite
    .prepare(`select ${cols.map((c) => `quote("${c}")`).join(" || '|' || ")} from ${name} order by 1`)
    .pluck()
    .all() as string[];
}

function expectTablesMatchViews(sqlite: BetterSqlite3.Database): void {
  for (const table of REPORT_TABLES) expect(rows(sqlite, table), table).toEqual(rows(sqlite, `${table}_live`));
}

describe('the report tables', () => {
  it('hold their live views: same columns in the same order, same rows, same types', () => {
    const s = t.opened.sqlite;
    for (const table of REPORT_TABLES) {
      const cols = (name: string) =>
        s
          .prepare(`select * from ${name} limit 0`)
          .columns()
          .map((c) => c.name);
      expect(cols(table), table).toEqual(cols(`${table}_live`));
    }
    expect(rows(s, 'report_monthly').length).toBe(3); // 2025-11 … 2026-01 (the backfill's months)
    expectTablesMatchViews(s);
  });

  it('follow the operations rows, the universe and the economics assumptions in the same write', () => {
    const s = t.opened.sqlite;
    // A hand entry for MARA in January: 650 BTC, 49.5 EH/s (average).
    replaceOperationsOverrides(s, [
      {
        ticker: 'MARA',
        month: '2026-01',
        btc_produced: 650,
        hashrate_ehs: 49.5,
        hashrate_basis: 'average',
        btc_held: null,
        note: null,
        line: 'test:1',
      },
    ]);
    const jan = () => s.prepare("select * from report_monthly where month = '2026-01'").get() as Record<string, number>;
    expect(jan().operations_reporting_count).toBe(1);
    expect(jan().operations_btc_produced).toBe(650);
    // 49.5 EH/s of the network's 990.32 EH/s January average: 4.99838… %
    expect(jan().operations_share_of_network_pct).toBeCloseTo(4.99838, 4);
    expectTablesMatchViews(s);

    // The universe file renames MARA: the name in report_tickers_monthly follows.
    const tickers = loadUniverse(t.ctx.config.universePath).tickers;
    syncUniverse(
      s,
      tickers.map((x) => (x.ticker === 'MARA' ? { ...x, name: 'MARA (renamed)' } : x)),
    );
    expect(s.prepare("select distinct name from report_tickers_monthly where ticker = 'MARA'").pluck().all()).toEqual([
      'MARA (renamed)',
    ]);
    expectTablesMatchViews(s);
    syncUniverse(s, tickers);

    // Power at $60/MWh: 17.5 J/TH × 24 h × 60 $/MWh = 25,200 USD per EH/s per day.
    syncEconomicsAssumptions(
      s,
      { ...t.ctx.config.economicsDefaults, power_price_usd_mwh: 60, power_price_source: 'env' },
      [],
    );
    expect(jan().power_price_usd_mwh).toBe(60);
    expect(jan().power_cost_usd_per_ehs_day).toBe(25_200);
    expectTablesMatchViews(s);
  });

  it('are created and filled on a file whose report views came from the previous release (migration 0014)', async () => {
    const dir = tempDir();
    const old = path.join(dir, 'old.db');
    // The previous release's report_monthly was a view; one day's BTC price is stored (network_monthly is
    // recomputed from the daily tables when the figures are applied, and report_monthly from it).
    await makeOldFile(old, '0013_publications', (raw) => {
      raw.exec('create view report_monthly as select month from network_monthly');
      raw
        .prepare("insert into btc_price_daily (date, source, price_usd) values ('2026-01-30', 'blockchain', 84000)")
        .run();
    });
    const upgraded = await openDb(old);
    try {
      const s = upgraded.sqlite;
      expect(
        s
          .prepare(`select type from sqlite_master where name in (${REPORT_TABLES.map(() => '?').join(', ')})`)
          .pluck()
          .all(...REPORT_TABLES),
      ).toEqual(['table', 'table', 'table', 'table']);
      expect(s.prepare('select month, btc_close_usd from report_monthly').all()).toEqual([
        { month: '2026-01', btc_close_usd: 84000 },
      ]);
      expectTablesMatchViews(s);
    } finally {
      await upgraded.close();
    }
  });
});
