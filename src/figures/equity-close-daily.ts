// The close a figure uses: Yahoo's, else Nasdaq's (the fallback).
import type { Figure } from './figure.js';

export const equityCloseDaily: Figure = {
  name: 'equity_close_daily',
  select: `
select ticker, date, close_usd, source from (
  select p.*, row_number() over (partition by ticker, date order by case source when 'yahoo' then 0 else 1 end) as rk
  from equity_prices_daily p
) where rk = 1
`,
};
