// The close a figure uses, one per ticker and trading day: Yahoo's, else Nasdaq's, else Stooq's, else Tiingo's
// (the price chain); with the ordinary shares one listed unit stood for that day (2 for an ADS of two shares; 1 by
// default).
import type { Figure } from './figure.js';

export const equityCloseDaily: Figure = {
  name: 'equity_close_daily',
  select: `
select c.ticker, c.date, c.close_usd, c.source,
  coalesce(
    (select p.shares_per_unit from universe_periods p where p.ticker = c.ticker and p.valid_from <= c.date and (p.valid_to is null or p.valid_to > c.date)),
    (select p.shares_per_unit from universe_periods p where p.ticker = c.ticker order by p.valid_from limit 1),
    1.0) as shares_per_unit
from (
  select p.*, row_number() over (partition by ticker, date order by case source when 'yahoo' then 0 when 'nasdaq' then 1 when 'stooq' then 2 when 'tiingo' then 3 else 4 end) as rk
  from equity_prices_daily p
) c where c.rk = 1
`,
};
