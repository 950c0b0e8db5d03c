#!/usr/bin/env node
// The `hashpulse` entry point (bin, npm start). The build makes two kinds of program of the same sources
// (scripts/build.mjs):
//   dist/src/read-only/<command>.cjs  one per read-only command (report, status, check, universe, help): the program
//                           with that command only, as one CommonJS file compiled from V8's code cache
//                           (src/cli/code-cache.ts). They start close to bare node, because Node 20 sets up its
//                           ES-module loader (~10–30 ms) only for a program that uses it, compiling the text costs as
//                           much again, and each holds only its own command's code. A command's own program reads
//                           the plain forms of its command line without commander (src/cli/command-spec.ts); any
//                           other form (--help, a mistake) it hands to the help program, which has every command;
//   dist/src/program.js     every command, as ES modules split per command (the daemon, run, backfill, publish, …).
// A command line goes to the first when it names a read-only command (or none) without -v, else to the second.
// Source maps go on before the second loads, so its stack traces name the .ts files (-v); the first prints a
// one-line error and no stack.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { requireCached } from './cli/code-cache.js';
import { fastCommand } from './cli/fast-path.js';

/** A program: resolves to the exit code, or to null for a command line a command's own program leaves to the
 *  help program (src/cli/read-only/). */
type Program = { main(argv: string[]): Promise<number | null> };
// import.meta.dirname is Node ≥ 20.11 (and __dirname in the CommonJS build: scripts/build.mjs).
const here = import.meta.dirname ?? path.dirname(fileURLToPath(import.meta.url));

/** The read-only program of `command`, with its code cache. */
function readOnlyProgram(command: string): Program {
  const file = path.join(here, 'read-only', `${command}.cjs`);
  const write = process.env.HASHPULSE_CODE_CACHE_WRITE === '1';
  return requireCached(file, `${file}.v8cache`, require, write).exports as unknown as Program;
}

const fast = fastCommand(process.argv.slice(2));
if (fast === null) process.setSourceMapsEnabled(true);
// The ES-module program's URL is made at run time, so the bundler leaves it to Node.
const program: Promise<Program> =
  fast !== null ? Promise.resolve(fast).then(readOnlyProgram) : import(new URL('./program.js', import.meta.url).href);
program
  .then(({ main }) => main(process.argv))
  // null: a command line the command's own program does not read; the help program has commander.
  .then((code) => code ?? readOnlyProgram('help').main(process.argv))
  .then((code) => {
    process.exitCode = code ?? 1; // the help program always answers a number
    // A read-only command has written everything (synchronously: src/cli/output.ts) and left nothing running. Node's
    // own exit then skips tearing down the heap and the environment it would otherwise run: ~1.7 ms of report's
    // ~106 ms, measured from the exit event to the parent seeing the end. The ES-module program (the daemon, the
    // writers) ends when its work does.
    if (fast !== null) process.exit();
  });
