// Market cap per trading day: close × the latest share count as of that day ÷ the shares one listed unit stands
// for (an ADS of two shares quotes twice a share's price), the count carried across any split between its as-of
// date and the day (a 1:10 reverse split divides it by 10).
import type { Figure } from './figure.js';

export const equityMarketCapDaily: Figure = {
  name: 'equity_market_cap_daily',
  select: `
with c as (
  select c.ticker, c.date, c.close_usd, c.source as price_source, c.shares_per_unit,
    (select max(as_of) from shares_effective s where s.ticker = c.ticker and s.as_of <= c.date) as shares_as_of
  from equity_close_daily c
),
k as (
  select c.*, s.shares, s.source as shares_source,
    coalesce((select exp(sum(ln(sp.numerator / sp.denominator))) from equity_splits_effective sp
      where sp.ticker = c.ticker and sp.date > c.shares_as_of and sp.date <= c.date), 1.0) as split_factor
  from c left join shares_effective s on s.ticker = c.ticker and s.as_of = c.shares_as_of
)
select ticker, date, close_usd, price_source, shares_per_unit,
  shares * split_factor as shares_outstanding,
  shares_as_of, shares_source,
  close_usd / shares_per_unit * shares * split_factor as market_cap_usd
from k
`,
};
