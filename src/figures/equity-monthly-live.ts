// Per ticker and month: the month's last close vs the previous month's last close (split-adjusted, and per
// ordinary share, so an ADS ratio change or the end of an ADS programme never makes a return jump), and
// bitcoin over the SAME two dates (the last US trading days, not calendar month ends).
import type { Figure } from './figure.js';

export const equityMonthlyLive: Figure = {
  name: 'equity_monthly_live',
  materialisedAs: 'equity_monthly',
  select: `
with last_close as (
  select ticker, substr(date, 1, 7) as month, max(date) as close_date from equity_close_daily group by 1, 2
),
m as (
  select l.ticker, l.month, l.close_date, c.close_usd, c.source as price_source, c.shares_per_unit,
    lag(l.month) over w as prev_month, lag(l.close_date) over w as prev_close_date, lag(c.close_usd) over w as prev_close_usd,
    lag(c.shares_per_unit) over w as prev_shares_per_unit
  from last_close l join equity_close_daily c on c.ticker = l.ticker and c.date = l.close_date
  window w as (partition by l.ticker order by l.month)
),
r as (
  select m.*,
    case when m.prev_month = strftime('%Y-%m', date(m.month || '-01', '-1 month')) and m.prev_close_usd > 0 then
      (m.close_usd / m.shares_per_unit * coalesce((select exp(sum(ln(sp.numerator / sp.denominator))) from equity_splits_effective sp
         where sp.ticker = m.ticker and sp.date > m.prev_close_date and sp.date <= m.close_date), 1.0)
       / (m.prev_close_usd / m.prev_shares_per_unit) - 1) * 100
    end as return_pct,
    t.last_trading_date, pt.last_trading_date as prev_trading_date
  from m
  join trading_month_ends t on t.month = m.month
  left join trading_month_ends pt on pt.month = strftime('%Y-%m', date(m.month || '-01', '-1 month'))
),
b as (
  select r.*,
    (select price_usd from btc_price_effective where date = r.last_trading_date) as btc_end_usd,
    (select price_usd from btc_price_effective where date = r.prev_trading_date) as btc_start_usd
  from r
)
select b.month, b.ticker, u.role, b.close_date, b.close_usd, b.price_source, b.shares_per_unit, b.prev_close_date, b.return_pct,
  mc.shares_outstanding, mc.shares_as_of, mc.shares_source, mc.market_cap_usd,
  case when b.btc_start_usd > 0 then (b.btc_end_usd / b.btc_start_usd - 1) * 100 end as btc_return_pct,
  case when b.return_pct is null or b.btc_start_usd is null or b.btc_end_usd is null then null
    when b.return_pct > (b.btc_end_usd / b.btc_start_usd - 1) * 100 then 1 else 0 end as outperformed_btc
from b
left join universe u on u.ticker = b.ticker
left join equity_market_cap_daily mc on mc.ticker = b.ticker and mc.date = b.close_date
`,
};
