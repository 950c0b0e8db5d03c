// Job "operations": the miners' monthly production updates (8-K/6-K Exhibit 99.1 on EDGAR) and data/operations.csv.
import type { JobDefinition } from '../src/pipeline/job.js';

export const operations: JobDefinition = {
  name: 'operations',
  description:
    'miner operations: BTC produced, hashrate and BTC held from new 8-K/6-K production updates (SEC), and the hand file',
  // 23:15 UTC, after `shares` (23:00): updates come out in the first days of a month, during US hours.
  schedule: '15 23 * * *',
  maxAgeHours: 26,
  run: async (ctx, params) => (await import('../src/pipeline/operations.js')).ingestOperations(ctx, params),
};
