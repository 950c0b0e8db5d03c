// Every calendar day from the first to the last stored day, each figure from the first source of its chain that
// has the day (btc_price_effective, miners_revenue_effective, tx_fees_effective), with that source named.
// Difficulty is the retarget in force at the END of the day (a retarget mined at 18:00 counts for its day).
//
// The day's height and subsidy: the height at the end of the day is estimated from the retarget in force (its
// height, plus the time since it × the pace of the period before it: 2,016 blocks over the time between the two
// retargets; 144 a day when there is no earlier one). A day whose estimated start and end fall in different
// halving eras (the halving day) has no subsidy: nothing derived from it is guessed.
// The day's blocks are derived from revenue: blocks = (revenue ÷ price − fees) ÷ subsidy (revenue in BTC is
// subsidy × blocks + fees), so that fees per block need no block count of their own.
// Hashprice three ways, per EH/s per day: realized = revenue ÷ hashrate; expected = 144 × (subsidy + fees per
// block) × price ÷ hashrate; from difficulty = (subsidy + fees per block) × 86,400 ÷ (difficulty × 2^32) per H/s
// × 10^18 × price.
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
),
r as (
  select days.date,
    (select x.height from difficulty_retargets x where x.date <= days.date order by x.date desc, x.height desc limit 1) as r_height
  from days
),
h as (
  select r.date, t2.difficulty,
    case when t2.height is not null then t2.height + cast(round((julianday(r.date, '+1 day') - julianday(t2.time_utc)) *
      coalesce(case when julianday(t2.time_utc) > julianday(t1.time_utc) then (t2.height - t1.height) / (julianday(t2.time_utc) - julianday(t1.time_utc)) end, 144.0)) as integer)
    end as height_end_est
  from r
  left join difficulty_retargets t2 on t2.height = r.r_height
  left join difficulty_retargets t1 on t1.height = (select max(x.height) from difficulty_retargets x where x.height < r.r_height)
),
s as (
  select h.*,
    case when height_end_est / 210000 = coalesce(lag(height_end_est) over (order by date), height_end_est) / 210000
      then (5000000000 >> (height_end_est / 210000)) / 1e8 end as subsidy_btc_per_block
  from h
),
v as (
  select s.date, s.difficulty, s.height_end_est, s.subsidy_btc_per_block,
    hr.hashrate_ehs,
    p.price_usd as btc_price_usd, p.source as btc_price_source,
    rv.revenue_usd as miners_revenue_usd, rv.source as miners_revenue_source,
    f.fees_btc as tx_fees_btc, f.source as tx_fees_source,
    case when s.subsidy_btc_per_block > 0 and p.price_usd > 0 and f.fees_btc is not null
      then (rv.revenue_usd / p.price_usd - f.fees_btc) / s.subsidy_btc_per_block end as blocks_derived
  from s
  left join hashrate_daily hr on hr.date = s.date and hr.source = 'mempool'
  left join btc_price_effective p on p.date = s.date
  left join miners_revenue_effective rv on rv.date = s.date
  left join tx_fees_effective f on f.date = s.date
)
select
  date,
  hashrate_ehs,
  difficulty,
  btc_price_usd,
  btc_price_source,
  miners_revenue_usd,
  miners_revenue_source,
  tx_fees_btc,
  tx_fees_source,
  height_end_est,
  subsidy_btc_per_block,
  blocks_derived,
  case when blocks_derived > 0 then tx_fees_btc / blocks_derived end as fees_per_block_btc,
  case when hashrate_ehs > 0 then miners_revenue_usd / hashrate_ehs end as hashprice_usd_per_ehs_day,
  case when hashrate_ehs > 0 and blocks_derived > 0
    then 144 * (subsidy_btc_per_block + tx_fees_btc / blocks_derived) * btc_price_usd / hashrate_ehs end as hashprice_expected_usd_per_ehs_day,
  case when difficulty > 0 and blocks_derived > 0
    then (subsidy_btc_per_block + tx_fees_btc / blocks_derived) * 86400 * 1e18 / (difficulty * 4294967296.0) * btc_price_usd end as hashprice_difficulty_usd_per_ehs_day
from v
`,
};
