// The entry of a job process (dist/src/job-process.js): `hashpulse daemon` forks one per run (src/daemon/job-runner.ts).
// Source maps go on before the code loads, as in src/cli.ts, so a failed item's stack names the .ts files.
process.setSourceMapsEnabled(true);
const { serveJobProcess } = await import('./job-runner.js');
serveJobProcess();
