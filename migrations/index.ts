// The explicit, append-only list of migrations; a test fails if a file in migrations/ is missing here.
import type { Migration } from 'kysely';
import * as m0001 from './0001_network.js';

export const MIGRATIONS: Readonly<Record<string, Migration>> = {
  '0001_network': m0001,
};
