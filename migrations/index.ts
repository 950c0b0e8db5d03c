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
  '0014_report_tables',
  '0015_check_inputs',
] as const;

/** One literal import per migration, so a bundler sees every module (TypeScript checks that none is missing). */
const MODULES: Readonly<Record<(typeof MIGRATION_NAMES)[number], () => Promise<Migration>>> = {
  '0001_network': () => import('./0001_network.js'),
  '0002_equities': () => import('./0002_equities.js'),
  '0004_backfill': () => import('./0004_backfill.js'),
  '0005_checks': () => import('./0005_checks.js'),
  '0006_raw': () => import('./0006_raw.js'),
  '0007_report': () => import('./0007_report.js'),
  '0008_figures_as_code': () => import('./0008_figures_as_code.js'),
  '0009_universe_periods': () => import('./0009_universe_periods.js'),
  '0010_network_sources': () => import('./0010_network_sources.js'),
  '0011_hashprice_bases': () => import('./0011_hashprice_bases.js'),
  '0012_operations': () => import('./0012_operations.js'),
  '0013_publications': () => import('./0013_publications.js'),
  '0014_report_tables': () => import('./0014_report_tables.js'),
  '0015_check_inputs': () => import('./0015_check_inputs.js'),
};

export async function loadMigrations(): Promise<Record<string, Migration>> {
  const out: Record<string, Migration> = {};
  for (const name of MIGRATION_NAMES) out[name] = await MODULES[name]();
  return out;
}
