#!/usr/bin/env node
// The `hashpulse` entry point (bin, npm start). Source maps go on before the program loads: dist/ is a bundle
// (scripts/build.mjs) and Node maps only the files loaded after this call, so stack traces name the .ts files.
process.setSourceMapsEnabled(true);
const { main } = await import('./cli/program.js');
process.exitCode = await main(process.argv);
