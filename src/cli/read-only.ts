// The read-only program's entry (dist/src/read-only.cjs, see src/cli.ts): the whole command line program, built
// without the code only the writing commands run (scripts/build.mjs, plugin `read-only-program`).
export { main } from './program.js';
