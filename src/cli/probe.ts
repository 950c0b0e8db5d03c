// `hashpulse probe`: one small request per upstream through its real parser, as a table or JSON; exit 1 when a
// source that is on is not ok. Opens no database: safe on a new server before anything is configured.
import type { Command } from 'commander';
import { configFrom, EXIT, type GlobalOptions } from './common.js';
import { writeStdout } from './output.js';

export function register(program: Command): void {
  program
    .command('probe')
    .description(
      'ask each upstream for a small recent window and parse it; exit 1 unless every source that is on answers ok (writes nothing)',
    )
    .option('--json', 'print the results as a JSON array of {source, url, status, latency_ms, verdict, detail}')
    .action(async (_o: unknown, cmd: Command) => {
      const opts = cmd.optsWithGlobals<GlobalOptions & { json?: boolean }>();
      const config = await configFrom(opts);
      const { createLogger } = await import('../log.js');
      const { PROBES } = await import('../sources/probes.js');
      const { allOk, isSkipped, runProbes } = await import('../probe.js');
      const log = createLogger(opts.verbose ? 'debug' : config.logLevel, 'stderr');
      const { cliClock } = await import('./common.js');
      const results = await runProbes(PROBES, config, log, cliClock().now());
      if (opts.json) {
        writeStdout(`${JSON.stringify(results, null, 2)}\n`);
      } else {
        // The verdict is the last column, whole; the error behind each failed verdict follows the table.
        const head = ['source', 'url', 'status', 'latency', 'verdict'];
        const rows = results.map((r) => [
          r.source,
          r.url.split('?')[0]!,
          r.status === null ? '—' : String(r.status),
          r.latency_ms === null ? '—' : `${r.latency_ms} ms`,
          r.verdict === 'ok' ? `ok (${r.detail})` : r.verdict,
        ]);
        const w = head.map((h, i) => Math.max(h.length, ...rows.map((x) => x[i]!.length)));
        const lines = [head, ...rows].map((x) =>
          x
            .map((c, i) => (i === x.length - 1 ? c : c.padEnd(w[i]!)))
            .join('  ')
            .trimEnd(),
        );
        const on = results.filter((r) => !isSkipped(r));
        const bad = on.filter((r) => r.verdict !== 'ok');
        const skipped = results.length - on.length;
        lines.push(
          '',
          `probe: ${on.length - bad.length} of ${on.length} sources ok${skipped ? `, ${skipped} skipped` : ''}`,
        );
        for (const r of bad) lines.push(`  - ${r.source}: ${r.detail}`);
        writeStdout(`${lines.join('\n')}\n`);
      }
      if (!allOk(results)) process.exitCode = EXIT.failed;
    });
}
