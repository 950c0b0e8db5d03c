// The read-only program of `hashpulse universe` (dist/src/read-only/universe.cjs, see src/cli.ts): the program with this one
// command, so it sets up no other command and holds no other command's code (scripts/build.mjs).

import { runProgram } from '../run-program.js';
import * as universe from '../universe.js';

export function main(argv: string[]): Promise<number> {
  return runProgram([universe], argv);
}
