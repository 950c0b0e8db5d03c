// The explicit registry of views, in dependency order (a view only reads tables and views listed above it).
// A test fails if a file in src/figures/ is missing here; src/db/figures.ts applies the list after the migrations.

import { btcPriceEffective } from './btc-price-effective.js';
import { equityCloseDaily } from './equity-close-daily.js';
import { equityMarketCapDaily } from './equity-market-cap-daily.js';
import { equityMonthlyLive } from './equity-monthly-live.js';
import { equitySplitsEffective } from './equity-splits-effective.js';
import type { Figure } from './figure.js';
import { minersRevenueEffective } from './miners-revenue-effective.js';
import { networkDaily } from './network-daily.js';
import { networkIssuanceMonthly } from './network-issuance-monthly.js';
import { networkMonthlyLive } from './network-monthly-live.js';
import { networkSourceComparison } from './network-source-comparison.js';
import { operationsMonthlyLive } from './operations-monthly-live.js';
import { operationsTickersMonthlyLive } from './operations-tickers-monthly-live.js';
import { reportMonthlyLive } from './report-monthly-live.js';
import { reportTickersMonthlyLive } from './report-tickers-monthly-live.js';
import { sectorMonthlyLive } from './sector-monthly-live.js';
import { sharesEffective } from './shares-effective.js';
import { tradingMonthEnds } from './trading-month-ends.js';
import { txFeesEffective } from './tx-fees-effective.js';

export type { Figure } from './figure.js';

export const FIGURES: readonly Figure[] = [
  btcPriceEffective,
  minersRevenueEffective,
  txFeesEffective,
  networkDaily,
  networkMonthlyLive,
  networkSourceComparison,
  equityCloseDaily,
  sharesEffective,
  equitySplitsEffective,
  equityMarketCapDaily,
  tradingMonthEnds,
  equityMonthlyLive,
  sectorMonthlyLive,
  networkIssuanceMonthly,
  operationsTickersMonthlyLive,
  operationsMonthlyLive,
  reportMonthlyLive,
  reportTickersMonthlyLive,
];
