// `hashpulse status`: per job the last run, outcome and next run; per series the newest day and whether it is
// fresh; the daemon's heartbeat. Exit 1 when anything is stale or failing, so cron and monitoring can use it.
import type { Command } from 'commander';
import type { StatusSummary } from '../daemon/status.js';
import { type CommandSpec, registerCommand } from './command-spec.js';
import { EXIT, type GlobalOptions, withReader } from './common.js';
import { writeStdout } from './output.js';

/** "notes: 2026-01 revision 1 published …", then one line per month waiting and per failed webhook. */
function notesLines(n: StatusSummary['notes']): string[] {
  const t = (iso: string) => iso.replace('T', ' ').slice(0, 16);
  return [
    n.latest
      ? `notes: ${n.latest.month} revision ${n.latest.revision} published ${t(n.latest.published_at)} (${n.latest.reason}): ${n.latest.files.join(', ')}`
      : 'notes: none published yet',
    ...n.pending.map(
      (p) => `${p.month} not published: ${p.gaps.join('; ')} (publishes anyway from ${p.publish_after})`,
    ),
    ...n.webhook_failed.map(
      (w) =>
        `webhook for ${w.month} revision ${w.revision} failed: ${w.error ?? 'unknown error'} (tried again on the next publish run)`,
    ),
    '',
  ];
}

async function run(opts: GlobalOptions & { json?: boolean }): Promise<void> {
  const { evaluateStatus } = await import('../daemon/status.js');
  const { JOBS } = await import('../../jobs/index.js');
  const { settings, cliClock } = await import('./common.js');
  const { schedules } = settings(['schedules']);
  const now = cliClock().now();
  await withReader(opts, (sqlite) => {
    const r = evaluateStatus(sqlite, JOBS, schedules, now);
    if (opts.json) {
      writeStdout(`${JSON.stringify(r, null, 2)}\n`);
    } else {
      const table = (head: string[], rows: string[][]) => {
        const w = head.map((h, i) => Math.max(h.length, ...rows.map((x) => x[i]!.length)));
        return [head, ...rows]
          .map((x) =>
            x
              .map((c, i) => c.padEnd(w[i]!))
              .join('  ')
              .trimEnd(),
          )
          .join('\n');
      };
      const t = (iso: string | null) => (iso ? iso.replace('T', ' ').slice(0, 16) : '—');
      const lines = [
        table(
          ['job', 'state', 'last run', 'outcome', 'rows', 'last success', 'next run (UTC)'],
          r.jobs.map((j) => [
            j.job,
            j.running ? `${j.state}, running` : j.state,
            t(j.last_started_at),
            j.last_status ?? '—',
            String(j.last_rows_written ?? '—'),
            t(j.last_ok_at),
            t(j.next_run),
          ]),
        ),
        '',
        table(
          ['series', 'newest', 'fresh'],
          r.series.map((s) => [s.series, s.newest ?? '—', s.fresh ? 'yes' : `NO (want ${s.fresh_after} or later)`]),
        ),
        '',
        ...notesLines(r.notes),
        r.daemon.pid
          ? `daemon: pid ${r.daemon.pid} on ${r.daemon.hostname}, heartbeat ${r.daemon.heartbeat_age_s} s ago${r.daemon.running ? '' : ' (stale: not running?)'}`
          : 'daemon: not running on this database',
        r.ok
          ? 'status: ok'
          : `status: ${r.problems.length} problem(s)\n${r.problems.map((p) => `  - ${p}`).join('\n')}`,
      ];
      if (r.jobs.every((j) => j.last_started_at === null) && r.series.every((s) => s.newest === null))
        lines.push('nothing is loaded yet: run `hashpulse backfill` or start the daemon');
      writeStdout(`${lines.join('\n')}\n`);
    }
    if (!r.ok) process.exitCode = EXIT.failed;
  });
}

export const spec: CommandSpec<GlobalOptions & { json?: boolean }> = {
  name: 'status',
  description:
    "show each job's last and next run and each series' freshness; exit 1 when something is stale or failing",
  options: [{ flags: '--json', description: 'print the report as JSON' }],
  run,
};

export function register(program: Command): void {
  registerCommand(program, spec);
}
