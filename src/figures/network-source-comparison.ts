// Days where a secondary source disagrees with the primary one; `hashpulse check` filters by a threshold.
// Difficulty is network_daily's (the retarget in force at the end of the day, on the days network_daily spans: the
// same bounds), read straight from difficulty_retargets: going through network_daily computed every other figure
// of every day too (~3× the time of `check`'s comparison).
import type { Figure } from './figure.js';

export const networkSourceComparison: Figure = {
  name: 'network_source_comparison',
  select: `
with bounds as (
  select min(lo) as lo, max(hi) as hi from (
    select min(date) as lo, max(date) as hi from hashrate_daily where source = 'mempool'
    union all select min(date), max(date) from btc_price_effective
    union all select min(date), max(date) from miners_revenue_effective
  )
)
select h.date as date, 'hashrate_ehs' as metric,
  'mempool' as primary_source, h.hashrate_ehs as primary_value,
  'blockchain' as other_source, b.hashrate_ehs as other_value,
  (b.hashrate_ehs / h.hashrate_ehs - 1) * 100 as diff_pct
from hashrate_daily h join hashrate_daily b on b.date = h.date and b.source = 'blockchain'
where h.source = 'mempool' and h.hashrate_ehs > 0
union all
select date, 'difficulty', 'mempool', difficulty, 'blockchain', other_difficulty,
  (other_difficulty / difficulty - 1) * 100
from (
  select b.date, b.difficulty as other_difficulty,
    (select x.difficulty from difficulty_retargets x where x.date <= b.date order by x.date desc, x.height desc limit 1) as difficulty
  from difficulty_daily b, bounds
  where b.source = 'blockchain' and b.date >= bounds.lo and b.date <= bounds.hi
)
where difficulty > 0
`,
};
