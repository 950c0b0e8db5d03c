// The month's last US trading day: the newest close of any tracked ticker in the month.
import type { Figure } from './figure.js';

export const tradingMonthEnds: Figure = {
  name: 'trading_month_ends',
  select: `
select substr(date, 1, 7) as month, max(date) as last_trading_date from equity_close_daily group by 1
`,
};
