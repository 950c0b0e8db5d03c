// Per ticker and month: equity_monthly with the company name, the return against bitcoin over the same dates,
// the year-to-date return (compounded monthly returns, only when every month of the year is there) and the
// ticker's share of the miners' combined market cap.
// Copied into the table report_tickers_monthly whenever its inputs change (src/store/materialise.ts refreshReportTables).
import type { Figure } from './figure.js';

export const reportTickersMonthlyLive: Figure = {
  name: 'report_tickers_monthly_live',
  materialisedAs: 'report_tickers_monthly',
  select: `
with e as (
  select e.*,
    count(case when e.return_pct > -100 then 1 end) over y as ytd_months,
    exp(sum(ln(1 + e.return_pct / 100)) over y) as ytd_factor
  from equity_monthly e
  window y as (partition by e.ticker, substr(e.month, 1, 4) order by e.month rows between unbounded preceding and current row)
)
select e.month, e.ticker, u.name, e.role,
  e.close_date, e.close_usd, e.price_source, e.prev_close_date,
  e.return_pct,
  case when e.ytd_months = cast(substr(e.month, 6, 2) as integer) then (e.ytd_factor - 1) * 100 end as return_ytd_pct,
  e.btc_return_pct,
  e.return_pct - e.btc_return_pct as return_minus_btc_pct,
  e.outperformed_btc,
  e.shares_outstanding, e.shares_as_of, e.shares_source, e.market_cap_usd,
  case when e.role = 'miner' and s.combined_market_cap_usd > 0 then e.market_cap_usd / s.combined_market_cap_usd * 100 end as share_of_combined_cap_pct
from e
left join universe u on u.ticker = e.ticker
left join sector_monthly s on s.month = e.month
`,
};
