// The read-only program of `hashpulse status` (dist/src/read-only/status.cjs, see src/cli.ts): the program with this one
// command, so it sets up no other command and holds no other command's code (scripts/build.mjs).

import { runProgram } from '../run-program.js';
import * as status from '../status.js';

export function main(argv: string[]): Promise<number> {
  return runProgram([status], argv);
}
