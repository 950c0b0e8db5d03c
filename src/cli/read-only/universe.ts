// The read-only program of `hashpulse universe` (dist/src/read-only/universe.cjs, see src/cli.ts): this one command, its
// command line parsed without commander (src/cli/command-spec.ts). A line it does not read (`--help`, a mistake)
// resolves to null, and src/cli.ts runs it through the help program, which has every command and commander.
import { runCommandLine } from '../command-spec.js';
import { spec } from '../universe.js';

export function main(argv: string[]): Promise<number | null> {
  return runCommandLine(spec, argv);
}
