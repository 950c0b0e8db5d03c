// Job "aggregate": recomputes the monthly tables from the daily ones (every ingest job also does this for
// what it wrote; this run catches anything written by hand or by an interrupted run).
import type { JobDefinition } from '../src/pipeline/job.js';

export const aggregate: JobDefinition = {
  name: 'aggregate',
  description: 'recompute network_monthly, equity_monthly and sector_monthly from the stored daily data',
  schedule: '45 23 * * *',
  maxAgeHours: 26,
  run: async (ctx) => {
    const { refreshAllMonthly } = await import('../src/store/aggregate.js');
    const months = refreshAllMonthly(ctx.sqlite);
    return [
      { item: 'network_monthly', status: 'ok', rows: months.network },
      { item: 'sector_monthly', status: 'ok', rows: months.sector },
    ];
  },
};
