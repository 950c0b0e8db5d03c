// The explicit registry of source modules; a test fails if a file in src/sources/ is not listed here.
import * as bitstamp from './bitstamp.js';
import * as blockchain from './blockchain.js';
import * as derived from './derived.js';
import * as mempool from './mempool.js';
import * as nasdaq from './nasdaq.js';
import * as operations_csv from './operations-csv.js';
import * as overrides from './overrides.js';
import * as sec from './sec.js';
import * as sec_ixbrl from './sec-ixbrl.js';
import * as sec_press from './sec-press.js';
import * as stooq from './stooq.js';
import * as tiingo from './tiingo.js';
import * as yahoo from './yahoo.js';

export const SOURCES = {
  mempool,
  blockchain,
  bitstamp,
  derived,
  yahoo,
  nasdaq,
  stooq,
  tiingo,
  sec,
  sec_ixbrl,
  sec_press,
  overrides,
  operations_csv,
} as const;

export type SourceName = keyof typeof SOURCES;
