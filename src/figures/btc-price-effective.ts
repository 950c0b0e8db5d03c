// The BTC price (USD) a figure uses for each day: the first source of the chain that has the day — blockchain.com's market-price, then mempool.space's historical price, then Bitstamp's daily close (then CoinMetrics, when turned on).
import type { Figure } from './figure.js';

export const btcPriceEffective: Figure = {
  name: 'btc_price_effective',
  select: `
select date, price_usd, source from (
  select date, price_usd, source,
    row_number() over (partition by date order by case source when 'blockchain' then 0 when 'mempool' then 1 when 'bitstamp' then 2 when 'coinmetrics' then 3 else 9 end) as rk
  from btc_price_daily
) where rk = 1
`,
};
