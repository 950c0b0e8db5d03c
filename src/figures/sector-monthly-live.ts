// Sector figures per month over the miners (role = 'miner'); a miner without a close that month is left out
// of the sums and named in missing_tickers, never counted as zero.
import type { Figure } from './figure.js';

export const sectorMonthlyLive: Figure = {
  name: 'sector_monthly_live',
  materialisedAs: 'sector_monthly',
  select: `
with months as (select month, last_trading_date from trading_month_ends),
miners as (select ticker from universe where role = 'miner'),
e as (select * from equity_monthly where role = 'miner'),
s as (
  select mo.month, mo.last_trading_date,
    (select sum(market_cap_usd) from e where e.month = mo.month) as combined_market_cap_usd,
    (select count(*) from e where e.month = mo.month and e.market_cap_usd is not null) as capped_count,
    (select count(*) from e where e.month = mo.month) as priced_count,
    (select count(*) from miners) as universe_count,
    (select count(*) from e where e.month = mo.month and e.outperformed_btc = 1) as outperformed_btc_count,
    (select max(btc_return_pct) from e where e.month = mo.month) as btc_return_pct,
    (select ticker from e where e.month = mo.month and return_pct is not null order by return_pct desc, ticker limit 1) as best_ticker,
    (select max(return_pct) from e where e.month = mo.month) as best_return_pct,
    (select ticker from e where e.month = mo.month and return_pct is not null order by return_pct asc, ticker limit 1) as worst_ticker,
    (select min(return_pct) from e where e.month = mo.month) as worst_return_pct,
    (select group_concat(ticker, ',') from (select ticker from miners where ticker not in (select ticker from e where e.month = mo.month) order by ticker)) as missing_tickers,
    (select return_pct from equity_monthly b where b.month = mo.month and b.role = 'benchmark' order by ticker limit 1) as benchmark_return_pct
  from months mo
),
p as (
  select s.*,
    lag(combined_market_cap_usd) over (order by month) as prev_cap,
    lag(month) over (order by month) as prev_month,
    max(combined_market_cap_usd) over (order by month rows between unbounded preceding and current row) as combined_peak_usd
  from s
)
select month, last_trading_date, combined_market_cap_usd,
  case when prev_month = strftime('%Y-%m', date(month || '-01', '-1 month')) and prev_cap > 0
    then (combined_market_cap_usd / prev_cap - 1) * 100 end as combined_market_cap_mom_pct,
  combined_peak_usd,
  (select min(p2.month) from p p2 where p2.month <= p.month and p2.combined_market_cap_usd = p.combined_peak_usd) as combined_peak_month,
  case when combined_peak_usd > 0 then (combined_market_cap_usd / combined_peak_usd - 1) * 100 end as below_peak_pct,
  btc_return_pct, outperformed_btc_count, priced_count, capped_count, universe_count,
  best_ticker, best_return_pct, worst_ticker, worst_return_pct, benchmark_return_pct, missing_tickers
from p
`,
};
