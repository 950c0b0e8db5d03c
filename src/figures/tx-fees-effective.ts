// Transaction fees (BTC per day) a figure uses: blockchain.com's, then CoinMetrics (when turned on), then the value derived from mempool.space's per-block fees (source 'derived').
import type { Figure } from './figure.js';

export const txFeesEffective: Figure = {
  name: 'tx_fees_effective',
  select: `
select date, fees_btc, source from (
  select date, fees_btc, source,
    row_number() over (partition by date order by case source when 'blockchain' then 0 when 'coinmetrics' then 1 when 'derived' then 2 else 9 end) as rk
  from tx_fees_daily
) where rk = 1
`,
};
