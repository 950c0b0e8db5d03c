// 0014: the report's views become tables (issue 12: `report` starts in a few ms). operations_tickers_monthly,
// operations_monthly, report_monthly and report_tickers_monthly were views that recomputed the whole history on
// every read (~17 ms of SQL per `report`); from here on they are tables of the same names and columns, rewritten
// from their live views (`*_live`, src/figures/) whenever an input changes (src/store/materialise.ts
// refreshReportTables), like network_monthly. The views are dropped here; the tables are filled right after the
// migrations, when the figures are applied (src/db/figures.ts refreshes every materialised table then), so a file
// written by an older release reads the same figures as before.
//
// The columns have no declared type (no affinity): each value is stored exactly as the view computes it (an
// integer stays an integer, a real a real), so a query sees the same values and typeof() as from the view.
import { type Kysely, sql } from 'kysely';

const TABLES: Record<string, string> = {
  operations_tickers_monthly: `
    month not null, ticker not null, name, btc_produced, hashrate_ehs, hashrate_basis, btc_held, source, accession,
    document_url, filing_status, days_in_month, network_hashrate_avg_ehs, share_of_network_pct, btc_per_ehs_day,
    btc_price_avg_usd, realized_hashprice_usd_per_ehs_day, network_hashprice_usd_per_ehs_day,
    realized_vs_network_pct, market_cap_usd, market_cap_per_ehs_usd, primary key (month, ticker)`,
  operations_monthly: `
    month not null, days_in_month, universe_count, reporting_count, producing_count, combined_hashrate_ehs,
    network_hashrate_avg_ehs, share_of_network_pct, btc_produced, subsidy_btc, fees_btc, btc_issued,
    share_of_btc_issued_pct, btc_per_ehs_day, realized_hashprice_usd_per_ehs_day, hashprice_usd_per_ehs_day,
    hashprice_usd_per_phs_day, hashprice_btc_per_phs_day, combined_market_cap_usd, market_cap_per_ehs_usd, primary key (month)`,
  report_monthly: `
    month not null, days_in_month, days_with_data, hashrate_avg_ehs, hashrate_min_ehs, hashrate_min_date,
    hashrate_max_ehs, hashrate_mom_pct, hashrate_ytd_pct, hashrate_yoy_pct, hashrate_ytd_avg_ehs, difficulty_end,
    difficulty_avg, difficulty_mom_pct, difficulty_ath, difficulty_ath_date, difficulty_below_ath_pct,
    retarget_count, btc_close_usd, btc_close_date, btc_return_pct, revenue_usd_per_day_avg, revenue_days,
    btc_price_sources, revenue_sources, hashprice_usd_per_ehs_day, hashprice_mom_pct, hashprice_ytd_pct,
    hashprice_yoy_pct, hashprice_btc_per_ehs_day, hashprice_expected_usd_per_ehs_day, hashprice_expected_mom_pct,
    hashprice_expected_btc_per_ehs_day, hashprice_difficulty_usd_per_ehs_day, hashprice_difficulty_mom_pct,
    hashprice_difficulty_btc_per_ehs_day, blocks_per_day_avg, fees_per_block_btc_avg, hashprice_basis,
    hashprice_note_usd_per_ehs_day, hashprice_note_mom_pct, fleet_efficiency_jth, fleet_efficiency_source,
    power_price_usd_mwh, power_price_source, assumptions_note, power_cost_usd_per_ehs_day,
    gross_profit_usd_per_ehs_day, gross_profit_mom_pct, gross_margin_pct, height_est_date, height_est_retarget,
    blocks_per_day_est, height_month_end_est, subsidy_btc_per_block, subsidy_next_210000_blocks_btc,
    block_reward_opportunity_usd, last_trading_date, combined_market_cap_usd, combined_market_cap_mom_pct,
    combined_market_cap_ytd_pct, combined_market_cap_yoy_pct, combined_peak_usd, combined_peak_month,
    combined_below_peak_pct, valuation_to_opportunity_pct, btc_return_trading_pct, outperformed_btc_count,
    priced_count, capped_count, universe_count, best_ticker, best_return_pct, worst_ticker, worst_return_pct,
    benchmark_return_pct, missing_tickers, valuation_to_opportunity_avg_since_2022_pct,
    valuation_to_avg_since_2022_ratio, operations_reporting_count, operations_combined_hashrate_ehs,
    operations_share_of_network_pct, operations_btc_produced, operations_share_of_btc_issued_pct, primary key (month)`,
  report_tickers_monthly: `
    month not null, ticker not null, name, role, close_date, close_usd, price_source, prev_close_date, return_pct,
    return_ytd_pct, btc_return_pct, return_minus_btc_pct, outperformed_btc, shares_outstanding, shares_as_of,
    shares_source, market_cap_usd, share_of_combined_cap_pct, primary key (month, ticker)`,
};

export async function up(db: Kysely<unknown>): Promise<void> {
  // Dependents first (report_monthly reads operations_monthly, which reads operations_tickers_monthly).
  for (const name of Object.keys(TABLES).reverse()) await sql`drop view if exists ${sql.raw(name)}`.execute(db);
  for (const [name, cols] of Object.entries(TABLES))
    await sql`create table ${sql.raw(name)} (${sql.raw(cols.trim())})`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  // The views come back when the figures of the release that runs this are applied.
  for (const name of Object.keys(TABLES).reverse()) await db.schema.dropTable(name).ifExists().execute();
}
