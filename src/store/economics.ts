// Keeps economics_defaults and economics_assumptions equal to the assumptions a report uses, so report_monthly in
// SQL gives the numbers the report prints. Writes only when something changed (a report usually writes nothing).
import type { Sqlite } from '../db/sqlite.js';
import type { EconomicsDefaults, EconomicsOverride } from '../economics-config.js';

/** Returns true when the tables were rewritten. */
export function syncEconomicsAssumptions(sqlite: Sqlite, defaults: EconomicsDefaults, overrides: readonly EconomicsOverride[]): boolean {
  const storedDefaults = sqlite
    .prepare('select fleet_efficiency_jth, fleet_efficiency_source, power_price_usd_mwh, power_price_source, hashprice_basis from economics_defaults where id = 1')
    .get();
  const storedRows = sqlite.prepare('select month, fleet_efficiency_jth, power_price_usd_mwh, note from economics_assumptions order by month').all();
  const wantDefaults = {
    fleet_efficiency_jth: defaults.fleet_efficiency_jth,
    fleet_efficiency_source: defaults.fleet_efficiency_source,
    power_price_usd_mwh: defaults.power_price_usd_mwh,
    power_price_source: defaults.power_price_source,
    hashprice_basis: defaults.hashprice_basis,
  };
  const wantRows = overrides.map((o) => ({ month: o.month, fleet_efficiency_jth: o.fleet_efficiency_jth, power_price_usd_mwh: o.power_price_usd_mwh, note: o.note }));
  if (JSON.stringify(storedDefaults) === JSON.stringify(wantDefaults) && JSON.stringify(storedRows) === JSON.stringify(wantRows)) return false;
  sqlite
    .transaction(() => {
      sqlite
        .prepare(
          `insert into economics_defaults (id, fleet_efficiency_jth, fleet_efficiency_source, power_price_usd_mwh, power_price_source, hashprice_basis)
           values (1, ?, ?, ?, ?, ?)
           on conflict (id) do update set fleet_efficiency_jth = excluded.fleet_efficiency_jth, fleet_efficiency_source = excluded.fleet_efficiency_source,
             power_price_usd_mwh = excluded.power_price_usd_mwh, power_price_source = excluded.power_price_source, hashprice_basis = excluded.hashprice_basis`,
        )
        .run(wantDefaults.fleet_efficiency_jth, wantDefaults.fleet_efficiency_source, wantDefaults.power_price_usd_mwh, wantDefaults.power_price_source, wantDefaults.hashprice_basis);
      sqlite.prepare('delete from economics_assumptions').run();
      const ins = sqlite.prepare('insert into economics_assumptions (month, fleet_efficiency_jth, power_price_usd_mwh, note) values (?, ?, ?, ?)');
      for (const r of wantRows) ins.run(r.month, r.fleet_efficiency_jth, r.power_price_usd_mwh, r.note);
    })
    .immediate();
  return true;
}
