// The shape every part of `npm run bench` has: bench/run.ts imports each part and prints one summary table.
// A part is also runnable alone (`node dist/bench/<part>.js`), through runStandalone.
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** One target of issue 12, for the summary table: `before` is the figure measured before the work on it. */
export interface BenchCheck {
  readonly metric: string;
  readonly before: string;
  readonly now: string;
  readonly target: string;
  readonly ok: boolean;
}

export interface BenchResult {
  /** What the part measured, printed as it is. */
  readonly lines: string[];
  /** False when any of its checks failed. */
  readonly ok: boolean;
  /** Rows of the summary table; a part without them gets one row named after it. */
  readonly checks?: readonly BenchCheck[];
}

export interface BenchModule {
  run(): Promise<BenchResult>;
}

/** `node dist/bench/<part>.js`: prints the part's lines and exits 1 when a check failed. */
export async function runStandalone(part: BenchModule): Promise<void> {
  const r = await part.run();
  console.log(r.lines.join('\n'));
  if (!r.ok) process.exitCode = 1;
}

/** True when this module is the script node was started with (ESM has no `require.main`). */
export function isMain(metaUrl: string): boolean {
  return process.argv[1] !== undefined && fileURLToPath(metaUrl) === path.resolve(process.argv[1]);
}

export const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};
