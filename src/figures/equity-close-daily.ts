// The close a figure uses, one per ticker and trading day: Yahoo's, else Nasdaq's, else Stooq's, else Tiingo's
// (the price chain); with the ordinary shares one listed unit stood for that day (2 for an ADS of two shares; 1 by
// default).
// The first source of the day is the one no other source of the same ticker and day precedes: a correlated
// NOT EXISTS on the primary key rather than row_number() over every row, which sorted the whole table for each
// full read (equity_monthly_live 483 -> 293 ms, trading_month_ends 61 -> 35 ms, check's jumps on the bench
// database). Two sources of the same rank go by name (row_number picked either).
import type { Figure } from './figure.js';

export const equityCloseDaily: Figure = {
  name: 'equity_close_daily',
  select: `
select c.ticker, c.date, c.close_usd, c.source,
  coalesce(
    (select p.shares_per_unit from universe_periods p where p.ticker = c.ticker and p.valid_from <= c.date and (p.valid_to is null or p.valid_to > c.date)),
    (select p.shares_per_unit from universe_periods p where p.ticker = c.ticker order by p.valid_from limit 1),
    1.0) as shares_per_unit
from equity_prices_daily c
where not exists (
  select 1 from equity_prices_daily o
  where o.ticker = c.ticker and o.date = c.date and o.source <> c.source
    and (case o.source when 'yahoo' then 0 when 'nasdaq' then 1 when 'stooq' then 2 when 'tiingo' then 3 else 4 end,
         o.source)
      < (case c.source when 'yahoo' then 0 when 'nasdaq' then 1 when 'stooq' then 2 when 'tiingo' then 3 else 4 end,
         c.source)
)
`,
};
