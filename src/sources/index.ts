// The explicit registry of source modules; a test fails if a file in src/sources/ is not listed here.
import * as blockchain from './blockchain.js';
import * as mempool from './mempool.js';

export const SOURCES = {
  mempool,
  blockchain,
} as const;

export type SourceName = keyof typeof SOURCES;
