// Per month: the listed miners together — combined hashrate (miners that gave one) and its share of the network's
// average hashrate, bitcoin mined and its share of the bitcoin issued (subsidy + fees, network_issuance_monthly),
// their realized hashprice, market cap per EH/s — and the network's hashprice in the units indexes quote.
// Copied into the table operations_monthly whenever its inputs change (src/store/materialise.ts refreshReportTables).
import type { Figure } from './figure.js';

export const operationsMonthlyLive: Figure = {
  name: 'operations_monthly_live',
  materialisedAs: 'operations_monthly',
  select: `
with t as (select * from operations_tickers_monthly),
m as (
  select month,
    max(days_in_month) as days_in_month,
    count(hashrate_ehs) as reporting_count,
    count(btc_produced) as producing_count,
    sum(hashrate_ehs) as combined_hashrate_ehs,
    sum(btc_produced) as btc_produced,
    sum(case when hashrate_ehs > 0 and btc_produced is not null then btc_produced end) as both_btc,
    sum(case when hashrate_ehs > 0 and btc_produced is not null then hashrate_ehs end) as both_ehs,
    sum(case when hashrate_ehs > 0 and market_cap_usd is not null then market_cap_usd end) as capped_market_cap_usd,
    sum(case when hashrate_ehs > 0 and market_cap_usd is not null then hashrate_ehs end) as capped_ehs
  from t group by month
)
select m.month, m.days_in_month,
  (select count(*) from universe where role = 'miner') as universe_count,
  m.reporting_count, m.producing_count,
  m.combined_hashrate_ehs,
  n.hashrate_avg_ehs as network_hashrate_avg_ehs,
  case when n.hashrate_avg_ehs > 0 then m.combined_hashrate_ehs / n.hashrate_avg_ehs * 100 end as share_of_network_pct,
  m.btc_produced,
  i.subsidy_btc, i.fees_btc, i.btc_issued,
  case when i.btc_issued > 0 then m.btc_produced / i.btc_issued * 100 end as share_of_btc_issued_pct,
  case when m.both_ehs > 0 then m.both_btc / (m.both_ehs * m.days_in_month) end as btc_per_ehs_day,
  case when m.both_ehs > 0 then m.both_btc / (m.both_ehs * m.days_in_month) * (select avg(btc_price_usd) from network_daily d where substr(d.date, 1, 7) = m.month) end as realized_hashprice_usd_per_ehs_day,
  n.hashprice_usd_per_ehs_day,
  n.hashprice_usd_per_ehs_day / 1000 as hashprice_usd_per_phs_day,
  case when n.hashrate_avg_ehs > 0 then i.btc_issued / m.days_in_month / n.hashrate_avg_ehs / 1000 end as hashprice_btc_per_phs_day,
  m.capped_market_cap_usd as combined_market_cap_usd,
  case when m.capped_ehs > 0 then m.capped_market_cap_usd / m.capped_ehs end as market_cap_per_ehs_usd
from m
left join network_monthly n on n.month = m.month
left join network_issuance_monthly i on i.month = m.month
`,
};
