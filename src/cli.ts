#!/usr/bin/env node
// The `hashpulse` entry point (bin, npm start). Source maps go on before the program loads: dist/ is a bundle
// (scripts/build.mjs) and Node maps only the files loaded after this call, so stack traces name the .ts files.
// Reading the maps costs ~10 ms of start-up, so the read-only commands (and --help), which print no stack
// without -v, go without them; every other command, and any command line Node cannot tell apart cheaply here
// (say a global option before the command), keeps them.
const args = process.argv.slice(2);
const verbose = args.includes('-v') || args.includes('--verbose');
const command = args.find((a) => !a.startsWith('-'));
const readOnly = command === undefined || ['report', 'status', 'check', 'universe', 'help'].includes(command);
if (verbose || !readOnly) process.setSourceMapsEnabled(true);
const { main } = await import('./cli/program.js');
process.exitCode = await main(process.argv);
