// Per miner and month: its operations figures — a hand entry (source 'override') wins figure by figure over the
// newest filing's; a figure no one gave stays NULL — beside the network's month: the miner's share of the network
// hashrate, BTC mined per EH/s per day, that times the month's mean BTC price (its realized hashprice) against the
// network's hashprice, and its month-end market cap per EH/s.
// Copied into the table operations_tickers_monthly whenever its inputs change (src/store/materialise.ts refreshReportTables).
import type { Figure } from './figure.js';

export const operationsTickersMonthlyLive: Figure = {
  name: 'operations_tickers_monthly_live',
  materialisedAs: 'operations_tickers_monthly',
  select: `
with filed as (
  select *, row_number() over (partition by ticker, month order by filed desc, accession desc) as rk
  from miner_operations_monthly where source <> 'override'
),
p as (select * from filed where rk = 1),
o as (select * from miner_operations_monthly where source = 'override'),
keys as (select ticker, month from p union select ticker, month from o),
e as (
  select k.ticker, k.month,
    coalesce(o.btc_produced, p.btc_produced) as btc_produced,
    case when o.hashrate_ehs is not null then o.hashrate_ehs else p.hashrate_ehs end as hashrate_ehs,
    case when o.hashrate_ehs is not null then o.hashrate_basis else p.hashrate_basis end as hashrate_basis,
    coalesce(o.btc_held, p.btc_held) as btc_held,
    case when o.ticker is not null then 'override' else p.source end as source,
    p.accession, p.document_url, p.status as filing_status
  from keys k
  left join p on p.ticker = k.ticker and p.month = k.month
  left join o on o.ticker = k.ticker and o.month = k.month
),
price as (
  select substr(date, 1, 7) as month, avg(btc_price_usd) as btc_price_avg_usd from network_daily where btc_price_usd is not null group by 1
),
x as (
  select e.*, u.name,
    cast(julianday(date(e.month || '-01', '+1 month')) - julianday(e.month || '-01') as integer) as days_in_month,
    n.hashrate_avg_ehs as network_hashrate_avg_ehs, n.hashprice_usd_per_ehs_day as network_hashprice_usd_per_ehs_day,
    pr.btc_price_avg_usd, em.market_cap_usd
  from e
  left join universe u on u.ticker = e.ticker
  left join network_monthly n on n.month = e.month
  left join price pr on pr.month = e.month
  left join equity_monthly em on em.ticker = e.ticker and em.month = e.month
),
y as (
  select x.*,
    case when hashrate_ehs > 0 then btc_produced / (hashrate_ehs * days_in_month) end as btc_per_ehs_day
  from x
)
select month, ticker, name, btc_produced, hashrate_ehs, hashrate_basis, btc_held, source, accession, document_url, filing_status,
  days_in_month, network_hashrate_avg_ehs,
  case when network_hashrate_avg_ehs > 0 then hashrate_ehs / network_hashrate_avg_ehs * 100 end as share_of_network_pct,
  btc_per_ehs_day, btc_price_avg_usd,
  btc_per_ehs_day * btc_price_avg_usd as realized_hashprice_usd_per_ehs_day,
  network_hashprice_usd_per_ehs_day,
  case when network_hashprice_usd_per_ehs_day > 0 then btc_per_ehs_day * btc_price_avg_usd / network_hashprice_usd_per_ehs_day * 100 end as realized_vs_network_pct,
  market_cap_usd,
  case when hashrate_ehs > 0 then market_cap_usd / hashrate_ehs end as market_cap_per_ehs_usd
from y
`,
};
