// The bitcoin issued to miners per month: the block subsidy of the month's blocks (heights at the month's two ends,
// interpolated between the stored difficulty retargets, 2,016 blocks apart; extrapolated past the newest one at the
// pace of its period, 144 blocks/day when only one is stored), split exactly at a halving, plus the month's fees
// (tx_fees_effective). btc_issued is NULL unless every day of the month has fees (a month still running, a gap).
import type { Figure } from './figure.js';

export const networkIssuanceMonthly: Figure = {
  name: 'network_issuance_monthly',
  select: `
with months as (
  select month, days_in_month, month || '-01T00:00:00Z' as t0, date(month || '-01', '+1 month') || 'T00:00:00Z' as t1 from network_monthly
),
points as (
  select month, which, case which when 0 then t0 else t1 end as t from months, (select 0 as which union all select 1)
),
brackets as (
  select p.*,
    (select r.height from difficulty_retargets r where julianday(r.time_utc) <= julianday(p.t) order by r.height desc limit 1) as h_before
  from points p
),
est as (
  select b.*, rb.time_utc as time_before,
    ra.height as h_after, ra.time_utc as time_after,
    rp.height as h_prev, rp.time_utc as time_prev
  from brackets b
  left join difficulty_retargets rb on rb.height = b.h_before
  left join difficulty_retargets ra on ra.height = (select min(x.height) from difficulty_retargets x where x.height > b.h_before)
  left join difficulty_retargets rp on rp.height = (select max(x.height) from difficulty_retargets x where x.height < b.h_before)
),
heights as (
  select month, which,
    case
      when h_before is null then null
      when h_after is not null and julianday(time_after) > julianday(time_before) then
        h_before + (julianday(t) - julianday(time_before)) / (julianday(time_after) - julianday(time_before)) * (h_after - h_before)
      else h_before + (julianday(t) - julianday(time_before)) *
        coalesce(case when julianday(time_before) > julianday(time_prev) then (h_before - h_prev) / (julianday(time_before) - julianday(time_prev)) end, 144.0)
    end as h
  from est
),
span as (
  select m.month, m.days_in_month,
    cast(round(s.h) as integer) as height_start_est,
    cast(round(e.h) as integer) as height_end_est
  from months m
  left join heights s on s.month = m.month and s.which = 0
  left join heights e on e.month = m.month and e.which = 1
),
sub as (
  select span.*,
    height_end_est - height_start_est as blocks_est,
    height_start_est / 210000 as era,
    (height_start_est / 210000 + 1) * 210000 as next_halving
  from span
),
fees as (
  select substr(date, 1, 7) as month, sum(fees_btc) as fees_btc, count(*) as fee_days from tx_fees_effective group by 1
),
subsidy as (
  select sub.*,
    case when blocks_est is null then null
      when height_end_est <= next_halving then blocks_est * (5000000000 >> era) / 1e8
      else ((next_halving - height_start_est) * (5000000000 >> era) + (height_end_est - next_halving) * (5000000000 >> (era + 1))) / 1e8
    end as subsidy_btc
  from sub
)
select s.month, s.days_in_month, s.height_start_est, s.height_end_est, s.blocks_est, s.subsidy_btc,
  f.fees_btc, coalesce(f.fee_days, 0) as fee_days,
  case when f.fee_days = s.days_in_month then s.subsidy_btc + f.fees_btc end as btc_issued
from subsidy s left join fees f on f.month = s.month
`,
};
