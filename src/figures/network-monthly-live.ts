// One row per calendar month (UTC), computed live from the daily tables. Percents are percents
// (-6.1 means -6.1 %), never fractions. Copied into the table network_monthly after every ingest.
//
// Hashprice three ways (see network_daily and the README "Hashprice three ways"), per EH/s per day:
//   realized   = mean daily revenue ÷ mean hashrate (what was earned; fewer than 144 blocks a day earn less);
//   expected   = 144 × (mean subsidy + the month's fees per block) × mean daily BTC price ÷ mean hashrate (the note's);
//   difficulty = the mean over the month's days of (subsidy + the month's fees per block) × 86,400 × 10^18
//                ÷ (difficulty × 2^32) × that day's price (hashrate indexes; free of any hashrate estimate).
// Fees per block = the month's fees ÷ its derived blocks, over the days that have both.
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
    group_concat(distinct miners_revenue_source) as revenue_sources,
    avg(btc_price_usd) as btc_price_usd_avg,
    avg(miners_revenue_usd / btc_price_usd) as revenue_btc_per_day_avg,
    avg(blocks_derived) as blocks_per_day_avg,
    avg(subsidy_btc_per_block) as subsidy_btc_per_block_avg,
    sum(case when blocks_derived > 0 then tx_fees_btc end) / sum(case when blocks_derived > 0 then blocks_derived end) as fees_per_block_btc_avg
  from d group by month
),
dd as (
  select d.month,
    avg((d.subsidy_btc_per_block + m.fees_per_block_btc_avg) * 86400 * 1e18 / (d.difficulty * 4294967296.0)) as hp_difficulty_btc,
    avg((d.subsidy_btc_per_block + m.fees_per_block_btc_avg) * 86400 * 1e18 / (d.difficulty * 4294967296.0) * d.btc_price_usd) as hp_difficulty_usd
  from d join m on m.month = d.month
  where d.difficulty > 0
  group by d.month
),
m2 as (
  select m.*,
    (select r.difficulty from difficulty_retargets r where r.date <= m.last_date
      order by r.date desc, r.height desc limit 1) as difficulty_end,
    (select max(r.difficulty) from difficulty_retargets r where r.date <= m.last_date) as difficulty_ath,
    case when hashrate_avg_ehs > 0 then revenue_usd_per_day_avg / hashrate_avg_ehs end as hashprice_usd_per_ehs_day,
    case when hashrate_avg_ehs > 0 then revenue_btc_per_day_avg / hashrate_avg_ehs end as hashprice_btc_per_ehs_day,
    case when hashrate_avg_ehs > 0 then 144 * (subsidy_btc_per_block_avg + fees_per_block_btc_avg) * btc_price_usd_avg / hashrate_avg_ehs end as hashprice_expected_usd_per_ehs_day,
    case when hashrate_avg_ehs > 0 then 144 * (subsidy_btc_per_block_avg + fees_per_block_btc_avg) / hashrate_avg_ehs end as hashprice_expected_btc_per_ehs_day,
    dd.hp_difficulty_usd as hashprice_difficulty_usd_per_ehs_day,
    dd.hp_difficulty_btc as hashprice_difficulty_btc_per_ehs_day
  from m left join dd on dd.month = m.month
),
m3 as (
  select m2.*,
    (select min(r.date) from difficulty_retargets r where r.date <= m2.last_date and r.difficulty = m2.difficulty_ath) as difficulty_ath_date,
    lag(hashrate_avg_ehs) over w as prev_hashrate_avg_ehs,
    lag(difficulty_end) over w as prev_difficulty_end,
    lag(btc_close_usd) over w as prev_btc_close_usd,
    lag(hashprice_usd_per_ehs_day) over w as prev_hashprice,
    lag(hashprice_expected_usd_per_ehs_day) over w as prev_hashprice_expected,
    lag(hashprice_difficulty_usd_per_ehs_day) over w as prev_hashprice_difficulty
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
  case when prev_hashprice > 0 then (hashprice_usd_per_ehs_day / prev_hashprice - 1) * 100 end as hashprice_mom_pct,
  btc_price_usd_avg,
  blocks_per_day_avg,
  subsidy_btc_per_block_avg,
  fees_per_block_btc_avg,
  hashprice_btc_per_ehs_day,
  hashprice_expected_usd_per_ehs_day,
  case when prev_hashprice_expected > 0 then (hashprice_expected_usd_per_ehs_day / prev_hashprice_expected - 1) * 100 end as hashprice_expected_mom_pct,
  hashprice_expected_btc_per_ehs_day,
  hashprice_difficulty_usd_per_ehs_day,
  case when prev_hashprice_difficulty > 0 then (hashprice_difficulty_usd_per_ehs_day / prev_hashprice_difficulty - 1) * 100 end as hashprice_difficulty_mom_pct,
  hashprice_difficulty_btc_per_ehs_day
from m3
`,
};
