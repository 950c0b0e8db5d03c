// One row per month that has network or equity figures. Percents are percents; a change over a missing, zero
// or negative base is NULL. YTD compares with the previous December's figure, YoY with the same month a year
// earlier, each only when that month is stored; the YTD average hashrate needs every month of the year so far.
//
// Month-end height: the newest retarget on or before the day of the BTC close, plus the days from that retarget
// to the end of that day times the pace of the last retarget period (2,016 blocks over the time between the two
// newest retargets; 144 blocks/day when only one is stored). Subsidy over the next 210,000 blocks from height h
// (h … h + 209,999): at most two halving eras, exact in satoshis (50 BTC >> era, as the consensus rule does).
// Copied into the table report_monthly whenever its inputs change (src/store/materialise.ts refreshReportTables).
import type { Figure } from './figure.js';

export const reportMonthlyLive: Figure = {
  name: 'report_monthly_live',
  materialisedAs: 'report_monthly',
  select: `
with months as (
  select month from network_monthly union select month from sector_monthly
),
base as materialized (
  select mo.month,
    n.days_in_month, n.days_with_data,
    n.hashrate_avg_ehs, n.hashrate_min_ehs, n.hashrate_min_date, n.hashrate_max_ehs, n.hashrate_mom_pct,
    case when ny.hashrate_avg_ehs > 0 then (n.hashrate_avg_ehs / ny.hashrate_avg_ehs - 1) * 100 end as hashrate_ytd_pct,
    case when n12.hashrate_avg_ehs > 0 then (n.hashrate_avg_ehs / n12.hashrate_avg_ehs - 1) * 100 end as hashrate_yoy_pct,
    (select case when count(*) = cast(substr(mo.month, 6, 2) as integer) and sum(y.days_with_data) > 0
        then sum(y.hashrate_avg_ehs * y.days_with_data) / sum(y.days_with_data) end
      from network_monthly y where y.month between substr(mo.month, 1, 4) || '-01' and mo.month) as hashrate_ytd_avg_ehs,
    n.difficulty_end, n.difficulty_avg, n.difficulty_mom_pct, n.difficulty_ath, n.difficulty_ath_date, n.difficulty_below_ath_pct,
    (select count(*) from difficulty_retargets r where r.date between mo.month || '-01' and mo.month || '-31') as retarget_count,
    n.btc_close_usd, n.btc_close_date, n.btc_return_pct,
    n.revenue_usd_per_day_avg, n.revenue_days, n.btc_price_sources, n.revenue_sources,
    n.hashprice_usd_per_ehs_day, n.hashprice_mom_pct,
    n.hashprice_btc_per_ehs_day, n.hashprice_expected_usd_per_ehs_day, n.hashprice_expected_mom_pct, n.hashprice_expected_btc_per_ehs_day,
    n.hashprice_difficulty_usd_per_ehs_day, n.hashprice_difficulty_mom_pct, n.hashprice_difficulty_btc_per_ehs_day,
    n.blocks_per_day_avg, n.fees_per_block_btc_avg,
    coalesce(d.hashprice_basis, 'expected') as hashprice_basis,
    case coalesce(d.hashprice_basis, 'expected') when 'realized' then n.hashprice_usd_per_ehs_day
      when 'difficulty' then n.hashprice_difficulty_usd_per_ehs_day else n.hashprice_expected_usd_per_ehs_day end as hashprice_note_usd_per_ehs_day,
    case coalesce(d.hashprice_basis, 'expected') when 'realized' then n.hashprice_mom_pct
      when 'difficulty' then n.hashprice_difficulty_mom_pct else n.hashprice_expected_mom_pct end as hashprice_note_mom_pct,
    case when ny.hashprice_usd_per_ehs_day > 0 then (n.hashprice_usd_per_ehs_day / ny.hashprice_usd_per_ehs_day - 1) * 100 end as hashprice_ytd_pct,
    case when n12.hashprice_usd_per_ehs_day > 0 then (n.hashprice_usd_per_ehs_day / n12.hashprice_usd_per_ehs_day - 1) * 100 end as hashprice_yoy_pct,
    coalesce(a.fleet_efficiency_jth, d.fleet_efficiency_jth) as fleet_efficiency_jth,
    case when a.fleet_efficiency_jth is not null then 'file' else d.fleet_efficiency_source end as fleet_efficiency_source,
    coalesce(a.power_price_usd_mwh, d.power_price_usd_mwh) as power_price_usd_mwh,
    case when a.power_price_usd_mwh is not null then 'file' else d.power_price_source end as power_price_source,
    a.note as assumptions_note,
    s.last_trading_date, s.combined_market_cap_usd, s.combined_market_cap_mom_pct,
    case when sy.combined_market_cap_usd > 0 then (s.combined_market_cap_usd / sy.combined_market_cap_usd - 1) * 100 end as combined_market_cap_ytd_pct,
    case when s12.combined_market_cap_usd > 0 then (s.combined_market_cap_usd / s12.combined_market_cap_usd - 1) * 100 end as combined_market_cap_yoy_pct,
    s.combined_peak_usd, s.combined_peak_month, s.below_peak_pct as combined_below_peak_pct,
    s.btc_return_pct as btc_return_trading_pct, s.outperformed_btc_count, s.priced_count, s.capped_count, s.universe_count,
    s.best_ticker, s.best_return_pct, s.worst_ticker, s.worst_return_pct, s.benchmark_return_pct, s.missing_tickers,
    coalesce(n.btc_close_date, date(mo.month || '-01', '+1 month', '-1 day')) as height_est_date
  from months mo
  left join network_monthly n on n.month = mo.month
  left join network_monthly ny on ny.month = (cast(substr(mo.month, 1, 4) as integer) - 1) || '-12'
  left join network_monthly n12 on n12.month = strftime('%Y-%m', mo.month || '-01', '-12 months')
  left join sector_monthly s on s.month = mo.month
  left join sector_monthly sy on sy.month = (cast(substr(mo.month, 1, 4) as integer) - 1) || '-12'
  left join sector_monthly s12 on s12.month = strftime('%Y-%m', mo.month || '-01', '-12 months')
  left join economics_assumptions a on a.month = mo.month
  left join economics_defaults d on d.id = 1
),
-- MATERIALIZED: later steps use these columns several times; inlined, each use would re-run the subqueries.
r2 as materialized (
  select base.*,
    (select r.height from difficulty_retargets r where r.date <= base.height_est_date order by r.date desc, r.height desc limit 1) as r2_height
  from base
),
pace as materialized (
  select r2.*, t2.time_utc as r2_time_utc,
    coalesce(
      case when julianday(t2.time_utc) > julianday(t1.time_utc) then (t2.height - t1.height) / (julianday(t2.time_utc) - julianday(t1.time_utc)) end,
      144.0) as blocks_per_day_est
  from r2
  left join difficulty_retargets t2 on t2.height = r2.r2_height
  left join difficulty_retargets t1 on t1.height = (select max(x.height) from difficulty_retargets x where x.height < r2.r2_height)
),
h as materialized (
  select pace.*,
    case when r2_height is not null then
      r2_height + cast(round((julianday(height_est_date, '+1 day') - julianday(r2_time_utc)) * blocks_per_day_est) as integer)
    end as height_month_end_est
  from pace
),
sub as (
  select h.*,
    height_month_end_est / 210000 as era,
    min(210000, (height_month_end_est / 210000 + 1) * 210000 - height_month_end_est) as era_blocks
  from h
),
econ as (
  select sub.*,
    fleet_efficiency_jth * 24 * power_price_usd_mwh as power_cost_usd_per_ehs_day,
    hashprice_note_usd_per_ehs_day - fleet_efficiency_jth * 24 * power_price_usd_mwh as gross_profit_usd_per_ehs_day,
    (5000000000 >> era) / 1e8 as subsidy_btc_per_block,
    (era_blocks * (5000000000 >> era) + (210000 - era_blocks) * (5000000000 >> (era + 1))) / 1e8 as subsidy_next_210000_blocks_btc
  from sub
),
prev as (
  select econ.*,
    lag(month) over (order by month) as prev_month,
    lag(gross_profit_usd_per_ehs_day) over (order by month) as prev_gross_profit,
    case when subsidy_next_210000_blocks_btc * btc_close_usd > 0
      then combined_market_cap_usd / (subsidy_next_210000_blocks_btc * btc_close_usd) * 100 end as valuation_pct
  from econ
),
-- The note's "about 3 times the post-2022 average": the mean of the monthly valuations from 2022-01 through the
-- month, only once the stored history reaches back to 2022-01 (else NULL: a shorter mean is another figure).
val as (
  select prev.*,
    case when min(case when valuation_pct is not null then month end) over w <= '2022-01' and month >= '2022-01'
      then avg(case when month >= '2022-01' then valuation_pct end) over w end as valuation_avg_since_2022_pct
  from prev window w as (order by month rows between unbounded preceding and current row)
),
-- The listed miners' operations of the month (operations_monthly), for the CSV and SQL users beside the note.
ops as (
  select val.*, o.reporting_count as operations_reporting_count, o.combined_hashrate_ehs as operations_combined_hashrate_ehs,
    o.share_of_network_pct as operations_share_of_network_pct, o.btc_produced as operations_btc_produced,
    o.share_of_btc_issued_pct as operations_share_of_btc_issued_pct
  from val left join operations_monthly o on o.month = val.month
)
select
  month,
  days_in_month, days_with_data,
  hashrate_avg_ehs, hashrate_min_ehs, hashrate_min_date, hashrate_max_ehs,
  hashrate_mom_pct, hashrate_ytd_pct, hashrate_yoy_pct, hashrate_ytd_avg_ehs,
  difficulty_end, difficulty_avg, difficulty_mom_pct, difficulty_ath, difficulty_ath_date, difficulty_below_ath_pct, retarget_count,
  btc_close_usd, btc_close_date, btc_return_pct,
  revenue_usd_per_day_avg, revenue_days, btc_price_sources, revenue_sources,
  hashprice_usd_per_ehs_day, hashprice_mom_pct, hashprice_ytd_pct, hashprice_yoy_pct,
  hashprice_btc_per_ehs_day, hashprice_expected_usd_per_ehs_day, hashprice_expected_mom_pct, hashprice_expected_btc_per_ehs_day,
  hashprice_difficulty_usd_per_ehs_day, hashprice_difficulty_mom_pct, hashprice_difficulty_btc_per_ehs_day,
  blocks_per_day_avg, fees_per_block_btc_avg, hashprice_basis, hashprice_note_usd_per_ehs_day, hashprice_note_mom_pct,
  fleet_efficiency_jth, fleet_efficiency_source, power_price_usd_mwh, power_price_source, assumptions_note,
  power_cost_usd_per_ehs_day,
  gross_profit_usd_per_ehs_day,
  case when prev_month = strftime('%Y-%m', month || '-01', '-1 month') and prev_gross_profit > 0
    then (gross_profit_usd_per_ehs_day / prev_gross_profit - 1) * 100 end as gross_profit_mom_pct,
  case when hashprice_note_usd_per_ehs_day > 0 then gross_profit_usd_per_ehs_day / hashprice_note_usd_per_ehs_day * 100 end as gross_margin_pct,
  height_est_date, r2_height as height_est_retarget, blocks_per_day_est, height_month_end_est,
  subsidy_btc_per_block, subsidy_next_210000_blocks_btc,
  subsidy_next_210000_blocks_btc * btc_close_usd as block_reward_opportunity_usd,
  last_trading_date, combined_market_cap_usd, combined_market_cap_mom_pct, combined_market_cap_ytd_pct, combined_market_cap_yoy_pct,
  combined_peak_usd, combined_peak_month, combined_below_peak_pct,
  valuation_pct as valuation_to_opportunity_pct,
  btc_return_trading_pct, outperformed_btc_count, priced_count, capped_count, universe_count,
  best_ticker, best_return_pct, worst_ticker, worst_return_pct, benchmark_return_pct, missing_tickers,
  valuation_avg_since_2022_pct as valuation_to_opportunity_avg_since_2022_pct,
  case when valuation_avg_since_2022_pct > 0 then valuation_pct / valuation_avg_since_2022_pct end as valuation_to_avg_since_2022_ratio,
  operations_reporting_count, operations_combined_hashrate_ehs, operations_share_of_network_pct, operations_btc_produced,
  operations_share_of_btc_issued_pct
from ops
`,
};
