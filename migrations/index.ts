// The explicit, append-only list of migrations; a test fails if a file in migrations/ is missing here.
// Names are listed apart from the modules so read-only commands can check the schema without loading Kysely.
import type { Migration } from 'kysely';

export const MIGRATION_NAMES = [
  '0001_network',
  '0002_equities',
  '0004_backfill',
  '0005_checks',
  '0006_raw',
  '0007_report',
  '0008_figures_as_code',
  '0009_universe_periods',
  '0010_network_sources',
  '0011_hashprice_bases',
  '0012_operations',
  '0013_publications',
] as const;

export async function loadMigrations(): Promise<Record<string, Migration>> {
  const out: Record<string, Migration> = {};
  for (const name of MIGRATION_NAMES) out[name] = (await import(`./${name}.js`)) as Migration;
  return out;
}
