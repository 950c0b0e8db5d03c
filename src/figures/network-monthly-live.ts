// One row per calendar month (UTC), computed live from the daily tables. Percents are percents
// (-6.1 means -6.1 %), never fractions. Copied into the table network_monthly after every ingest.
import type { Figure } from './figure.js';

export const networkMonthlyLive: Figure = {
  name: 'network_monthly_live',
  materialisedAs: 'network_monthly',
  select: `
with d as (
  select *, substr(date, 1, 7) as month,
    row_number() over (partition by substr(date, 1, 7) order by hashrate_ehs is null, hashrate_ehs asc, date) as low_rank,
    row_number() over (partition by substr(date, 1, 7) order by btc_price_usd is null, date desc) as close_rank
  from network_daily
),
m as (
  select month,
    max(date) as last_date,
    cast(julianday(date(month || '-01', '+1 month')) - julianday(month || '-01') as integer) as days_in_month,
    count(hashrate_ehs) as days_with_data,
    avg(hashrate_ehs) as hashrate_avg_ehs,
    min(hashrate_ehs) as hashrate_min_ehs,
    max(case when low_rank = 1 and hashrate_ehs is not null then date end) as hashrate_min_date,
    max(hashrate_ehs) as hashrate_max_ehs,
    avg(difficulty) as difficulty_avg,
    max(case when close_rank = 1 and btc_price_usd is not null then btc_price_usd end) as btc_close_usd,
    max(case when close_rank = 1 and btc_price_usd is not null then date end) as btc_close_date,
    avg(miners_revenue_usd) as revenue_usd_per_day_avg,
    count(miners_revenue_usd) as revenue_days,
    group_concat(distinct btc_price_source) as btc_price_sources,
    group_concat(distinct miners_revenue_source) as revenue_sources
  from d group by month
),
m2 as (
  select m.*,
    (select r.difficulty from difficulty_retargets r where r.date <= m.last_date
      order by r.date desc, r.height desc limit 1) as difficulty_end,
    (select max(r.difficulty) from difficulty_retargets r where r.date <= m.last_date) as difficulty_ath,
    case when hashrate_avg_ehs > 0 then revenue_usd_per_day_avg / hashrate_avg_ehs end as hashprice_usd_per_ehs_day
  from m
),
m3 as (
  select m2.*,
    (select min(r.date) from difficulty_retargets r where r.date <= m2.last_date and r.difficulty = m2.difficulty_ath) as difficulty_ath_date,
    lag(hashrate_avg_ehs) over w as prev_hashrate_avg_ehs,
    lag(difficulty_end) over w as prev_difficulty_end,
    lag(btc_close_usd) over w as prev_btc_close_usd,
    lag(hashprice_usd_per_ehs_day) over w as prev_hashprice
  from m2 window w as (order by month)
)
select
  month,
  days_in_month,
  days_with_data,
  hashrate_avg_ehs,
  hashrate_min_ehs,
  hashrate_min_date,
  hashrate_max_ehs,
  case when prev_hashrate_avg_ehs > 0 then (hashrate_avg_ehs / prev_hashrate_avg_ehs - 1) * 100 end as hashrate_mom_pct,
  difficulty_end,
  difficulty_avg,
  case when prev_difficulty_end > 0 then (difficulty_end / prev_difficulty_end - 1) * 100 end as difficulty_mom_pct,
  difficulty_ath,
  difficulty_ath_date,
  case when difficulty_ath > 0 then (difficulty_end / difficulty_ath - 1) * 100 end as difficulty_below_ath_pct,
  btc_close_usd,
  btc_close_date,
  case when prev_btc_close_usd > 0 then (btc_close_usd / prev_btc_close_usd - 1) * 100 end as btc_return_pct,
  revenue_usd_per_day_avg,
  revenue_days,
  btc_price_sources,
  revenue_sources,
  hashprice_usd_per_ehs_day,
  case when prev_hashprice > 0 then (hashprice_usd_per_ehs_day / prev_hashprice - 1) * 100 end as hashprice_mom_pct
from m3
`,
};
