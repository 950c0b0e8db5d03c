// The economics assumptions in the file: economics_defaults and economics_assumptions hold the assumptions in force
// (environment + data/economics.csv), so report_monthly in SQL gives the numbers the report prints. Written by the
// commands that write — the daemon at start and after every job, `hashpulse run`, `hashpulse backfill` (after each
// job) and `hashpulse migrate` — only when something changed. `hashpulse report` opens the file read-only: when the
// stored assumptions are not the ones in force, it lays the ones in force over them in its own connection (TEMP
// tables and a TEMP view report_monthly over them, which hides the stored table), so it prints them without writing.
import type { Config, EconomicsDefaults } from '../config.js';
import type { Sqlite } from '../db/sqlite.js';
import { type EconomicsOverride, readEconomicsFile } from '../economics-file.js';
import { reportMonthlyLive } from '../figures/report-monthly-live.js';
import { refreshReportTables } from './materialise.js';

function wanted(defaults: EconomicsDefaults, overrides: readonly EconomicsOverride[]) {
  return {
    defaults: {
      fleet_efficiency_jth: defaults.fleet_efficiency_jth,
      fleet_efficiency_source: defaults.fleet_efficiency_source,
      power_price_usd_mwh: defaults.power_price_usd_mwh,
      power_price_source: defaults.power_price_source,
      hashprice_basis: defaults.hashprice_basis,
    },
    rows: overrides.map((o) => ({
      month: o.month,
      fleet_efficiency_jth: o.fleet_efficiency_jth,
      power_price_usd_mwh: o.power_price_usd_mwh,
      note: o.note,
    })),
  };
}

/** True when the file already holds exactly these assumptions. */
export function assumptionsStored(
  sqlite: Sqlite,
  defaults: EconomicsDefaults,
  overrides: readonly EconomicsOverride[],
): boolean {
  const storedDefaults = sqlite
    .prepare(
      'select fleet_efficiency_jth, fleet_efficiency_source, power_price_usd_mwh, power_price_source, hashprice_basis from main.economics_defaults where id = 1',
    )
    .get();
  const storedRows = sqlite
    .prepare(
      'select month, fleet_efficiency_jth, power_price_usd_mwh, note from main.economics_assumptions order by month',
    )
    .all();
  const want = wanted(defaults, overrides);
  return (
    JSON.stringify(storedDefaults) === JSON.stringify(want.defaults) &&
    JSON.stringify(storedRows) === JSON.stringify(want.rows)
  );
}

function fill(
  sqlite: Sqlite,
  schema: 'main' | 'temp',
  defaults: EconomicsDefaults,
  overrides: readonly EconomicsOverride[],
): void {
  const want = wanted(defaults, overrides);
  sqlite.prepare(`delete from ${schema}.economics_defaults`).run();
  sqlite
    .prepare(
      `insert into ${schema}.economics_defaults (id, fleet_efficiency_jth, fleet_efficiency_source, power_price_usd_mwh, power_price_source, hashprice_basis) values (1, ?, ?, ?, ?, ?)`,
    )
    .run(
      want.defaults.fleet_efficiency_jth,
      want.defaults.fleet_efficiency_source,
      want.defaults.power_price_usd_mwh,
      want.defaults.power_price_source,
      want.defaults.hashprice_basis,
    );
  sqlite.prepare(`delete from ${schema}.economics_assumptions`).run();
  const ins = sqlite.prepare(
    `insert into ${schema}.economics_assumptions (month, fleet_efficiency_jth, power_price_usd_mwh, note) values (?, ?, ?, ?)`,
  );
  for (const r of want.rows) ins.run(r.month, r.fleet_efficiency_jth, r.power_price_usd_mwh, r.note);
}

/** Writers: stores the assumptions; returns true when the tables were rewritten. */
export function syncEconomicsAssumptions(
  sqlite: Sqlite,
  defaults: EconomicsDefaults,
  overrides: readonly EconomicsOverride[],
): boolean {
  if (assumptionsStored(sqlite, defaults, overrides)) return false;
  sqlite
    .transaction(() => {
      fill(sqlite, 'main', defaults, overrides);
      refreshReportTables(sqlite); // report_monthly reads the assumptions
    })
    .immediate();
  return true;
}

/** Writers: stores the assumptions in force for this configuration (the file is re-read every time, so an edit
 *  reaches SQL at the daemon's next job). A bad line in the file is a UsageError naming it. */
export function storeAssumptionsInForce(
  sqlite: Sqlite,
  config: Pick<Config, 'economicsDefaults' | 'economicsPath'>,
): boolean {
  return syncEconomicsAssumptions(sqlite, config.economicsDefaults, readEconomicsFile(config.economicsPath));
}

/**
 * Readers (a read-only connection): makes report_monthly, in this connection only, use these assumptions. When the
 * file holds them already, nothing is done; otherwise TEMP tables of the same names take the assumptions and a TEMP
 * view report_monthly with report_monthly_live's SQL reads them (a view of the main schema binds its tables to main,
 * a TEMP view finds temp tables first, and an unqualified report_monthly finds the TEMP view before the table). Nothing reaches the file. Returns true when the overlay was needed.
 */
export function useAssumptionsInForce(
  sqlite: Sqlite,
  defaults: EconomicsDefaults,
  overrides: readonly EconomicsOverride[],
): boolean {
  if (assumptionsStored(sqlite, defaults, overrides)) return false;
  sqlite.exec(`
    create temp table if not exists economics_defaults as select * from main.economics_defaults where 0;
    create temp table if not exists economics_assumptions as select * from main.economics_assumptions where 0;
    drop view if exists temp.${reportMonthlyLive.materialisedAs};
    create temp view ${reportMonthlyLive.materialisedAs} as
    ${reportMonthlyLive.select.trim()}
  `);
  fill(sqlite, 'temp', defaults, overrides);
  return true;
}
