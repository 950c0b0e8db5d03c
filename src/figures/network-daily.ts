// Every calendar day from the first to the last stored day, each figure from the first source of its chain that
// has the day (btc_price_effective, miners_revenue_effective, tx_fees_effective), with that source named.
// Difficulty is the retarget in force at the END of the day (a retarget mined at 18:00 counts for its day).
import type { Figure } from './figure.js';

export const networkDaily: Figure = {
  name: 'network_daily',
  select: `
with recursive bounds as (
  select min(lo) as lo, max(hi) as hi from (
    select min(date) as lo, max(date) as hi from hashrate_daily where source = 'mempool'
    union all select min(date), max(date) from btc_price_effective
    union all select min(date), max(date) from miners_revenue_effective
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
  p.source as btc_price_source,
  rv.revenue_usd as miners_revenue_usd,
  rv.source as miners_revenue_source,
  f.fees_btc as tx_fees_btc,
  f.source as tx_fees_source,
  case when h.hashrate_ehs > 0 then rv.revenue_usd / h.hashrate_ehs end as hashprice_usd_per_ehs_day
from days
left join hashrate_daily h on h.date = days.date and h.source = 'mempool'
left join btc_price_effective p on p.date = days.date
left join miners_revenue_effective rv on rv.date = days.date
left join tx_fees_effective f on f.date = days.date
`,
};
