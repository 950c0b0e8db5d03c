// Number formatting for printed reports; stored values are never rounded, only what is printed.
const MINUS = '−';

export function fmtPct(x: number | null | undefined, digits = 1): string {
  if (x === null || x === undefined) return 'n/a';
  const s = Math.abs(x).toFixed(digits);
  if (Number(s) === 0) return `0.${'0'.repeat(digits)}%`;
  return `${x < 0 ? MINUS : '+'}${s}%`;
}

/** "rose 6.1%", "fell 6.1%", "was flat" (under half the printed precision). */
export function moved(x: number | null | undefined, digits = 1): string {
  if (x === null || x === undefined) return 'changed by an unknown amount (no previous month)';
  if (Math.abs(x) < 0.5 * 10 ** -digits) return 'was flat';
  return `${x > 0 ? 'rose' : 'fell'} ${Math.abs(x).toFixed(digits)}%`;
}

/** 1234567.8 → "1,234,568" (digits 0). Hand-rolled: toLocaleString loads ICU, ~20 ms of a 150 ms command. */
export function fmtNum(x: number | null | undefined, digits = 0): string {
  if (x === null || x === undefined) return 'n/a';
  const [int, frac] = Math.abs(x).toFixed(digits).split('.') as [string, string | undefined];
  const grouped = int.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${x < 0 && Number(int + (frac ?? '')) !== 0 ? '-' : ''}${grouped}${frac ? `.${frac}` : ''}`;
}

export function fmtUsd(x: number | null | undefined, digits = 0): string {
  if (x === null || x === undefined) return 'n/a';
  return `${x < 0 ? MINUS : ''}$${fmtNum(Math.abs(x), digits)}`;
}

/** $59.8B, $41.5M, $950K. A value that rounds up to the next unit takes it: $999.96B is $1.0T, not $1000.0B. */
export function fmtUsdShort(x: number | null | undefined): string {
  if (x === null || x === undefined) return 'n/a';
  const a = Math.abs(x);
  const [div, suffix] =
    a >= 999.95e9
      ? [1e12, 'T']
      : a >= 999.95e6
        ? [1e9, 'B']
        : a >= 999.95e3
          ? [1e6, 'M']
          : a >= 999.5
            ? [1e3, 'K']
            : [1, ''];
  return `${x < 0 ? MINUS : ''}$${(a / div).toFixed(div === 1 ? 0 : 1)}${suffix}`;
}

/** Difficulty in trillions: 141.67 T. */
export function fmtDifficulty(x: number | null | undefined): string {
  if (x === null || x === undefined) return 'n/a';
  return `${(x / 1e12).toFixed(2)} T`;
}

export function fmtEhs(x: number | null | undefined): string {
  if (x === null || x === undefined) return 'n/a';
  return `${fmtNum(x, x < 10 ? 2 : 0)} EH/s`;
}

/** 17.5 → "17.5", 50.36 → "50.36", 3.125 → "3.125": as many decimals as the value has (up to 8). */
export function fmtPlain(x: number | null | undefined): string {
  if (x === null || x === undefined) return 'n/a';
  const s = fmtNum(Math.abs(x), 8).replace(/\.?0+$/, '');
  return `${x < 0 ? MINUS : ''}${s}`;
}

/** A difference of two percents, in percentage points: "+46.3 pp". */
export function fmtPp(x: number | null | undefined, digits = 1): string {
  if (x === null || x === undefined) return 'n/a';
  const s = Math.abs(x).toFixed(digits);
  return `${Number(s) === 0 ? '' : x < 0 ? MINUS : '+'}${s} pp`;
}
