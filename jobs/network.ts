// Job "network": daily hashrate, retargets, BTC price, miners revenue and fees, from the newest stored day on.
import type { JobDefinition } from '../src/pipeline/job.js';

export const network: JobDefinition = {
  name: 'network',
  description: 'bitcoin network data: hashrate, difficulty retargets, BTC price, miners revenue, fees',
  // 01:30 UTC: the upstreams publish the previous UTC day shortly after midnight.
  schedule: '30 1 * * *',
  maxAgeHours: 26,
  run: async (ctx, params) => (await import('../src/pipeline/network.js')).ingestNetwork(ctx, params),
};
