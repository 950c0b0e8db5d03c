// The split events the figures apply: every stored split except one dated on the day a ticker's shares per listed
// unit change (an ADS programme ending, say). That change is handled by the unit itself (close ÷ shares per unit);
// if an upstream also reports it as a split, applying both would count it twice.
import type { Figure } from './figure.js';

export const equitySplitsEffective: Figure = {
  name: 'equity_splits_effective',
  select: `
select sp.ticker, sp.date, sp.numerator, sp.denominator, sp.source
from equity_splits sp
where not exists (
  select 1 from universe_periods p join universe_periods q on q.ticker = p.ticker and q.valid_to = p.valid_from
  where p.ticker = sp.ticker and p.valid_from = sp.date and p.shares_per_unit <> q.shares_per_unit
)
`,
};
