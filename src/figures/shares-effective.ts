// One share count per (ticker, as_of): a user's override wins, then the XBRL API, then the cover page.
import type { Figure } from './figure.js';

export const sharesEffective: Figure = {
  name: 'shares_effective',
  select: `
select ticker, as_of, shares, source, accession, form, filed from (
  select s.*, row_number() over (partition by ticker, as_of order by case source when 'override' then 0 when 'sec' then 1 else 2 end) as rk
  from shares_outstanding s
) where rk = 1
`,
};
