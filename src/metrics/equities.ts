// The row types of the equity_monthly and sector_monthly tables (read by src/metrics/note-data.ts).

export interface SectorMonth {
  month: string;
  last_trading_date: string;
  combined_market_cap_usd: number | null;
  combined_market_cap_mom_pct: number | null;
  combined_peak_usd: number | null;
  combined_peak_month: string | null;
  below_peak_pct: number | null;
  btc_return_pct: number | null;
  outperformed_btc_count: number;
  priced_count: number;
  capped_count: number;
  universe_count: number;
  best_ticker: string | null;
  best_return_pct: number | null;
  worst_ticker: string | null;
  worst_return_pct: number | null;
  benchmark_return_pct: number | null;
  missing_tickers: string | null;
}

export interface TickerMonth {
  month: string;
  ticker: string;
  role: string | null;
  close_date: string;
  close_usd: number;
  price_source: string;
  /** Ordinary shares per listed unit on close_date (2 for an ADS of two shares). */
  shares_per_unit: number | null;
  prev_close_date: string | null;
  return_pct: number | null;
  shares_outstanding: number | null;
  shares_as_of: string | null;
  shares_source: string | null;
  market_cap_usd: number | null;
  btc_return_pct: number | null;
  outperformed_btc: number | null;
}
