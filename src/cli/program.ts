// hashpulse command line: every command (src/cli/run-program.ts parses the arguments, runs one command and maps
// errors to one line and an exit code). Each command module registers its options here and loads what its action
// needs when it runs (dynamic imports), so `--help` or `report` never load the HTTP clients, zod or Kysely.
import type { Command } from 'commander';
import * as backfill from './backfill.js';
import * as check from './check.js';
import * as daemon from './daemon.js';
import * as migrate from './migrate.js';
import * as probe from './probe.js';
import * as publish from './publish.js';
import * as report from './report.js';
import * as reprocess from './reprocess.js';
import * as run from './run.js';
import { buildProgram as build, type CommandModule, runProgram } from './run-program.js';
import * as status from './status.js';
import * as universe from './universe.js';

const COMMANDS: readonly CommandModule[] = [
  daemon,
  backfill,
  run,
  status,
  probe,
  report,
  publish,
  check,
  reprocess,
  universe,
  migrate,
];

export function buildProgram(): Command {
  return build(COMMANDS);
}

export function main(argv: string[]): Promise<number> {
  return runProgram(COMMANDS, argv);
}
