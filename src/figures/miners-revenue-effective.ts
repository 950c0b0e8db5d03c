// Miners' revenue (USD per day) a figure uses: blockchain.com's measured value, then CoinMetrics (when turned on), then the value derived from mempool.space's per-block rewards (source 'derived', never presented as measured).
import type { Figure } from './figure.js';

export const minersRevenueEffective: Figure = {
  name: 'miners_revenue_effective',
  select: `
select date, revenue_usd, source from (
  select date, revenue_usd, source,
    row_number() over (partition by date order by case source when 'blockchain' then 0 when 'coinmetrics' then 1 when 'derived' then 2 else 9 end) as rk
  from miners_revenue_daily
) where rk = 1
`,
};
