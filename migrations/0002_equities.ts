// 0002: miner equities — the universe, daily closes, splits, shares outstanding, and the monthly views.
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  // A copy of data/universe.json, synced at every equities run, so SQL users can join on it.
  await db.schema
    .createTable('universe')
    .addColumn('ticker', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('role', 'text', (c) => c.notNull().check(sql`role in ('miner', 'benchmark')`))
    .addColumn('cik', 'integer')
    .addColumn('exchange', 'text')
    .addColumn('filer', 'text')
    .execute();

  // Closes AS TRADED that day (Yahoo's split-adjusted closes are un-adjusted with the split events of the
  // same response), so they multiply with share counts from filings of the same time.
  await db.schema
    .createTable('equity_prices_daily')
    .addColumn('ticker', 'text', (c) => c.notNull())
    .addColumn('date', 'text', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('close_usd', 'real', (c) => c.notNull())
    .addColumn('volume', 'integer')
    .addPrimaryKeyConstraint('equity_prices_daily_pk', ['ticker', 'date', 'source'])
    .modifyEnd(sql`without rowid`)
    .execute();

  await db.schema
    .createTable('equity_splits')
    .addColumn('ticker', 'text', (c) => c.notNull())
    .addColumn('date', 'text', (c) => c.notNull())
    .addColumn('numerator', 'real', (c) => c.notNull())
    .addColumn('denominator', 'real', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('equity_splits_pk', ['ticker', 'date'])
    .execute();

  await db.schema
    .createTable('shares_outstanding')
    .addColumn('ticker', 'text', (c) => c.notNull())
    .addColumn('as_of', 'text', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull().check(sql`source in ('sec', 'sec-cover', 'override')`))
    .addColumn('shares', 'real', (c) => c.notNull())
    .addColumn('accession', 'text')
    .addColumn('form', 'text')
    .addColumn('filed', 'text')
    .addColumn('note', 'text')
    .addPrimaryKeyConstraint('shares_outstanding_pk', ['ticker', 'as_of', 'source'])
    .execute();

  // The close a figure uses: Yahoo's, else Nasdaq's (the fallback).
  await sql`
    create view equity_close_daily as
    select ticker, date, close_usd, source from (
      select p.*, row_number() over (partition by ticker, date order by case source when 'yahoo' then 0 else 1 end) as rk
      from equity_prices_daily p
    ) where rk = 1
  `.execute(db);

  // One share count per (ticker, as_of): a user's override wins, then the XBRL API, then the cover page.
  await sql`
    create view shares_effective as
    select ticker, as_of, shares, source, accession, form, filed from (
      select s.*, row_number() over (partition by ticker, as_of order by case source when 'override' then 0 when 'sec' then 1 else 2 end) as rk
      from shares_outstanding s
    ) where rk = 1
  `.execute(db);

  // Market cap per trading day: close × the latest share count as of that day, the count carried across any
  // split between its as-of date and the day (a 1:10 reverse split divides it by 10).
  await sql`
    create view equity_market_cap_daily as
    with c as (
      select c.ticker, c.date, c.close_usd, c.source as price_source,
        (select max(as_of) from shares_effective s where s.ticker = c.ticker and s.as_of <= c.date) as shares_as_of
      from equity_close_daily c
    )
    select c.ticker, c.date, c.close_usd, c.price_source,
      s.shares * coalesce((select exp(sum(ln(sp.numerator / sp.denominator))) from equity_splits sp
        where sp.ticker = c.ticker and sp.date > c.shares_as_of and sp.date <= c.date), 1.0) as shares_outstanding,
      c.shares_as_of, s.source as shares_source,
      c.close_usd * s.shares * coalesce((select exp(sum(ln(sp.numerator / sp.denominator))) from equity_splits sp
        where sp.ticker = c.ticker and sp.date > c.shares_as_of and sp.date <= c.date), 1.0) as market_cap_usd
    from c left join shares_effective s on s.ticker = c.ticker and s.as_of = c.shares_as_of
  `.execute(db);

  // The month's last US trading day: the newest close of any tracked ticker in the month.
  await sql`
    create view trading_month_ends as
    select substr(date, 1, 7) as month, max(date) as last_trading_date from equity_close_daily group by 1
  `.execute(db);

  // Per ticker and month: the month's last close vs the previous month's last close (split-adjusted), and
  // bitcoin over the SAME two dates (the last US trading days, not calendar month ends).
  await sql`
    create view equity_monthly_live as
    with last_close as (
      select ticker, substr(date, 1, 7) as month, max(date) as close_date from equity_close_daily group by 1, 2
    ),
    m as (
      select l.ticker, l.month, l.close_date, c.close_usd, c.source as price_source,
        lag(l.month) over w as prev_month, lag(l.close_date) over w as prev_close_date, lag(c.close_usd) over w as prev_close_usd
      from last_close l join equity_close_daily c on c.ticker = l.ticker and c.date = l.close_date
      window w as (partition by l.ticker order by l.month)
    ),
    r as (
      select m.*,
        case when m.prev_month = strftime('%Y-%m', date(m.month || '-01', '-1 month')) and m.prev_close_usd > 0 then
          (m.close_usd * coalesce((select exp(sum(ln(sp.numerator / sp.denominator))) from equity_splits sp
             where sp.ticker = m.ticker and sp.date > m.prev_close_date and sp.date <= m.close_date), 1.0) / m.prev_close_usd - 1) * 100
        end as return_pct,
        t.last_trading_date, pt.last_trading_date as prev_trading_date
      from m
      join trading_month_ends t on t.month = m.month
      left join trading_month_ends pt on pt.month = strftime('%Y-%m', date(m.month || '-01', '-1 month'))
    ),
    b as (
      select r.*,
        (select price_usd from btc_price_daily where source = 'blockchain' and date = r.last_trading_date) as btc_end_usd,
        (select price_usd from btc_price_daily where source = 'blockchain' and date = r.prev_trading_date) as btc_start_usd
      from r
    )
    select b.month, b.ticker, u.role, b.close_date, b.close_usd, b.price_source, b.prev_close_date, b.return_pct,
      mc.shares_outstanding, mc.shares_as_of, mc.shares_source, mc.market_cap_usd,
      case when b.btc_start_usd > 0 then (b.btc_end_usd / b.btc_start_usd - 1) * 100 end as btc_return_pct,
      case when b.return_pct is null or b.btc_start_usd is null or b.btc_end_usd is null then null
        when b.return_pct > (b.btc_end_usd / b.btc_start_usd - 1) * 100 then 1 else 0 end as outperformed_btc
    from b
    left join universe u on u.ticker = b.ticker
    left join equity_market_cap_daily mc on mc.ticker = b.ticker and mc.date = b.close_date
  `.execute(db);

  await db.schema
    .createTable('equity_monthly')
    .addColumn('month', 'text', (c) => c.notNull())
    .addColumn('ticker', 'text', (c) => c.notNull())
    .addColumn('role', 'text')
    .addColumn('close_date', 'text', (c) => c.notNull())
    .addColumn('close_usd', 'real', (c) => c.notNull())
    .addColumn('price_source', 'text', (c) => c.notNull())
    .addColumn('prev_close_date', 'text')
    .addColumn('return_pct', 'real')
    .addColumn('shares_outstanding', 'real')
    .addColumn('shares_as_of', 'text')
    .addColumn('shares_source', 'text')
    .addColumn('market_cap_usd', 'real')
    .addColumn('btc_return_pct', 'real')
    .addColumn('outperformed_btc', 'integer')
    .addPrimaryKeyConstraint('equity_monthly_pk', ['month', 'ticker'])
    .execute();

  // Sector figures per month over the miners (role = 'miner'); a miner without a close that month is left out
  // of the sums and named in missing_tickers, never counted as zero.
  await sql`
    create view sector_monthly_live as
    with months as (select month, last_trading_date from trading_month_ends),
    miners as (select ticker from universe where role = 'miner'),
    e as (select * from equity_monthly where role = 'miner'),
    s as (
      select mo.month, mo.last_trading_date,
        (select sum(market_cap_usd) from e where e.month = mo.month) as combined_market_cap_usd,
        (select count(*) from e where e.month = mo.month and e.market_cap_usd is not null) as capped_count,
        (select count(*) from e where e.month = mo.month) as priced_count,
        (select count(*) from miners) as universe_count,
        (select count(*) from e where e.month = mo.month and e.outperformed_btc = 1) as outperformed_btc_count,
        (select max(btc_return_pct) from e where e.month = mo.month) as btc_return_pct,
        (select ticker from e where e.month = mo.month and return_pct is not null order by return_pct desc, ticker limit 1) as best_ticker,
        (select max(return_pct) from e where e.month = mo.month) as best_return_pct,
        (select ticker from e where e.month = mo.month and return_pct is not null order by return_pct asc, ticker limit 1) as worst_ticker,
        (select min(return_pct) from e where e.month = mo.month) as worst_return_pct,
        (select group_concat(ticker, ',') from (select ticker from miners where ticker not in (select ticker from e where e.month = mo.month) order by ticker)) as missing_tickers,
        (select return_pct from equity_monthly b where b.month = mo.month and b.role = 'benchmark' order by ticker limit 1) as benchmark_return_pct
      from months mo
    ),
    p as (
      select s.*,
        lag(combined_market_cap_usd) over (order by month) as prev_cap,
        lag(month) over (order by month) as prev_month,
        max(combined_market_cap_usd) over (order by month rows between unbounded preceding and current row) as combined_peak_usd
      from s
    )
    select month, last_trading_date, combined_market_cap_usd,
      case when prev_month = strftime('%Y-%m', date(month || '-01', '-1 month')) and prev_cap > 0
        then (combined_market_cap_usd / prev_cap - 1) * 100 end as combined_market_cap_mom_pct,
      combined_peak_usd,
      (select min(p2.month) from p p2 where p2.month <= p.month and p2.combined_market_cap_usd = p.combined_peak_usd) as combined_peak_month,
      case when combined_peak_usd > 0 then (combined_market_cap_usd / combined_peak_usd - 1) * 100 end as below_peak_pct,
      btc_return_pct, outperformed_btc_count, priced_count, capped_count, universe_count,
      best_ticker, best_return_pct, worst_ticker, worst_return_pct, benchmark_return_pct, missing_tickers
    from p
  `.execute(db);

  await db.schema
    .createTable('sector_monthly')
    .addColumn('month', 'text', (c) => c.primaryKey())
    .addColumn('last_trading_date', 'text', (c) => c.notNull())
    .addColumn('combined_market_cap_usd', 'real')
    .addColumn('combined_market_cap_mom_pct', 'real')
    .addColumn('combined_peak_usd', 'real')
    .addColumn('combined_peak_month', 'text')
    .addColumn('below_peak_pct', 'real')
    .addColumn('btc_return_pct', 'real')
    .addColumn('outperformed_btc_count', 'integer', (c) => c.notNull())
    .addColumn('priced_count', 'integer', (c) => c.notNull())
    .addColumn('capped_count', 'integer', (c) => c.notNull())
    .addColumn('universe_count', 'integer', (c) => c.notNull())
    .addColumn('best_ticker', 'text')
    .addColumn('best_return_pct', 'real')
    .addColumn('worst_ticker', 'text')
    .addColumn('worst_return_pct', 'real')
    .addColumn('benchmark_return_pct', 'real')
    .addColumn('missing_tickers', 'text')
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const v of [
    'sector_monthly_live',
    'equity_monthly_live',
    'trading_month_ends',
    'equity_market_cap_daily',
    'shares_effective',
    'equity_close_daily',
  ]) {
    await sql`drop view if exists ${sql.raw(v)}`.execute(db);
  }
  for (const t of [
    'sector_monthly',
    'equity_monthly',
    'shares_outstanding',
    'equity_splits',
    'equity_prices_daily',
    'universe',
  ]) {
    await db.schema.dropTable(t).ifExists().execute();
  }
}
