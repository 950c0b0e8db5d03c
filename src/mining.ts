// Miner economics as pure functions: the subsidy schedule across halvings and the power cost per EH/s per day.
// report_monthly computes the same figures in SQL; tests check the two agree.

export const HALVING_INTERVAL_BLOCKS = 210_000;
const INITIAL_SUBSIDY_SATS = 5_000_000_000; // 50 BTC
const SATS_PER_BTC = 100_000_000;

/** Subsidy of the block at `height` in satoshis: 50 BTC halved (rounding down, as consensus does) every 210,000 blocks. */
export function subsidySatsAt(height: number): number {
  if (!Number.isInteger(height) || height < 0)
    throw new RangeError(`height must be a non-negative integer, got ${height}`);
  const era = Math.floor(height / HALVING_INTERVAL_BLOCKS);
  return era >= 64 ? 0 : Math.floor(INITIAL_SUBSIDY_SATS / 2 ** era);
}

export interface SubsidySegment {
  readonly from_height: number;
  readonly to_height: number; // inclusive
  readonly blocks: number;
  readonly subsidy_btc_per_block: number;
  readonly subsidy_btc: number;
}

/** The blocks from `fromHeight` to `fromHeight + blocks − 1`, split at halvings. */
export function subsidySchedule(fromHeight: number, blocks = HALVING_INTERVAL_BLOCKS): SubsidySegment[] {
  const out: SubsidySegment[] = [];
  let h = fromHeight;
  const end = fromHeight + blocks; // exclusive
  while (h < end) {
    const eraEnd = Math.min(end, (Math.floor(h / HALVING_INTERVAL_BLOCKS) + 1) * HALVING_INTERVAL_BLOCKS);
    const sats = subsidySatsAt(h);
    out.push({
      from_height: h,
      to_height: eraEnd - 1,
      blocks: eraEnd - h,
      subsidy_btc_per_block: sats / SATS_PER_BTC,
      subsidy_btc: ((eraEnd - h) * sats) / SATS_PER_BTC,
    });
    h = eraEnd;
  }
  return out;
}

/** BTC of subsidy the next `blocks` blocks from `fromHeight` will pay (exact: summed in satoshis). */
export function subsidyOverBlocksBtc(fromHeight: number, blocks = HALVING_INTERVAL_BLOCKS): number {
  return (
    subsidySchedule(fromHeight, blocks).reduce((sats, s) => sats + s.blocks * subsidySatsAt(s.from_height), 0) /
    SATS_PER_BTC
  );
}

/** 1 EH/s at E J/TH draws E MW (10^6 TH/s × E J/TH = E × 10^6 W), so a day costs E × 24 MWh × the price. */
export function powerCostUsdPerEhsDay(fleetEfficiencyJth: number, powerPriceUsdMwh: number): number {
  return fleetEfficiencyJth * 24 * powerPriceUsdMwh;
}
