// Every calendar day from the first to the last stored day, with the primary source of each figure.
// Difficulty is the retarget in force at the END of the day (a retarget mined at 18:00 counts for its day).
import type { Figure } from './figure.js';

export const networkDaily: Figure = {
  name: 'network_daily',
  select: `
with recursive bounds as (
  select min(lo) as lo, max(hi) as hi from (
    select min(date) as lo, max(date) as hi from hashrate_daily where source = 'mempool'
    union all select min(date), max(date) from btc_price_daily where source = 'blockchain'
    union all select min(date), max(date) from miners_revenue_daily where source = 'blockchain'
  )
),
days(date) as (
  select lo from bounds where lo is not null
  union all
  select date(days.date, '+1 day') from days, bounds where days.date < bounds.hi
)
select
  days.date as date,
  h.hashrate_ehs as hashrate_ehs,
  (select r.difficulty from difficulty_retargets r where r.date <= days.date
    order by r.date desc, r.height desc limit 1) as difficulty,
  p.price_usd as btc_price_usd,
  rv.revenue_usd as miners_revenue_usd,
  f.fees_btc as tx_fees_btc,
  case when h.hashrate_ehs > 0 then rv.revenue_usd / h.hashrate_ehs end as hashprice_usd_per_ehs_day
from days
left join hashrate_daily h on h.date = days.date and h.source = 'mempool'
left join btc_price_daily p on p.date = days.date and p.source = 'blockchain'
left join miners_revenue_daily rv on rv.date = days.date and rv.source = 'blockchain'
left join tx_fees_daily f on f.date = days.date and f.source = 'blockchain'
`,
};
