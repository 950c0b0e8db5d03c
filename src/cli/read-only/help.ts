// The read-only program of `hashpulse --help`, `hashpulse help …` and a command line with no command
// (dist/src/read-only/help.cjs, see src/cli.ts): every command's options, none of their actions' code beyond what
// the read-only commands run (scripts/build.mjs, plugin `read-only-program`).
export { main } from '../program.js';
