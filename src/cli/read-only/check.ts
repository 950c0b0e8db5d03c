// The read-only program of `hashpulse check` (dist/src/read-only/check.cjs, see src/cli.ts): the program with this one
// command, so it sets up no other command and holds no other command's code (scripts/build.mjs).
import * as check from '../check.js';
import { runProgram } from '../run-program.js';

export function main(argv: string[]): Promise<number> {
  return runProgram([check], argv);
}
