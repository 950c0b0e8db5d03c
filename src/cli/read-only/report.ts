// The read-only program of `hashpulse report` (dist/src/read-only/report.cjs, see src/cli.ts): the program with this one
// command, so it sets up no other command and holds no other command's code (scripts/build.mjs).
import * as report from '../report.js';
import { runProgram } from '../run-program.js';

export function main(argv: string[]): Promise<number> {
  return runProgram([report], argv);
}
