// Days where a secondary source disagrees with the primary one; `hashpulse check` filters by a threshold.
import type { Figure } from './figure.js';

export const networkSourceComparison: Figure = {
  name: 'network_source_comparison',
  select: `
select h.date as date, 'hashrate_ehs' as metric,
  'mempool' as primary_source, h.hashrate_ehs as primary_value,
  'blockchain' as other_source, b.hashrate_ehs as other_value,
  (b.hashrate_ehs / h.hashrate_ehs - 1) * 100 as diff_pct
from hashrate_daily h join hashrate_daily b on b.date = h.date and b.source = 'blockchain'
where h.source = 'mempool' and h.hashrate_ehs > 0
union all
select n.date, 'difficulty', 'mempool', n.difficulty, 'blockchain', b.difficulty,
  (b.difficulty / n.difficulty - 1) * 100
from network_daily n join difficulty_daily b on b.date = n.date and b.source = 'blockchain'
where n.difficulty > 0
`,
};
