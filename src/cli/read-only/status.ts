// The read-only program of `hashpulse status` (dist/src/read-only/status.cjs, see src/cli.ts): this one command, its
// command line parsed without commander (src/cli/command-spec.ts). A line it does not read (`--help`, a mistake)
// resolves to null, and src/cli.ts runs it through the help program, which has every command and commander.
import { runCommandLine } from '../command-spec.js';
import { spec } from '../status.js';

export function main(argv: string[]): Promise<number | null> {
  return runCommandLine(spec, argv);
}
