// Health of a hashpulse database: per job the last run, outcome and next run; per series the newest day and
// whether it is fresh; the daemon's heartbeat. Shared by `hashpulse status` and the daemon's /healthz, /metrics.
import cron from 'node-cron';
import type { Sqlite } from '../db/sqlite.js';
import type { JobDefinition } from '../pipeline/job.js';
import { DAILY_SERIES, FRESH_DAYS } from '../quality/checks.js';
import { STALE_MS } from '../store/lock.js';
import { unresolvedUnparsed } from '../store/operations.js';
import {
  newestPublishedMonth,
  type PendingPublication,
  pendingPublications,
  unsentWebhooks,
} from '../store/publications.js';
import { readTransaction } from '../store/transaction.js';
import { addDays, daysBetween, type IsoDate, toIsoDate, toIsoTimestamp } from '../time.js';
import { plainCronFields } from './cron-utc.js';

export interface JobStatusRow {
  readonly job: string;
  readonly schedule: string;
  readonly next_run: string | null;
  readonly last_started_at: string | null;
  readonly last_status: string | null;
  readonly last_error: string | null;
  readonly last_rows_written: number | null;
  readonly last_ok_at: string | null;
  readonly runs_ok: number;
  readonly runs_failed: number;
  readonly runs_skipped: number;
  readonly rows_written_total: number;
  readonly running: boolean;
  /** ok | failing (its last finished run failed) | stale (no success within its max age) */
  readonly state: 'ok' | 'failing' | 'stale';
}

export interface SeriesStatusRow {
  readonly series: string;
  readonly newest: IsoDate | null;
  readonly fresh_after: IsoDate;
  readonly fresh: boolean;
}

export interface StatusSummary {
  readonly now: string;
  readonly ok: boolean;
  readonly problems: string[];
  readonly jobs: JobStatusRow[];
  readonly series: SeriesStatusRow[];
  readonly daemon: { running: boolean; pid: number | null; hostname: string | null; heartbeat_age_s: number | null };
  /** The publish job's state: informational (a month waits for its data within HASHPULSE_PUBLISH_AFTER_DAYS; a
   *  failed publication or webhook already shows as the publish job failing). */
  readonly notes: {
    readonly latest: { month: string; revision: number; published_at: string; reason: string; files: string[] } | null;
    /** Months not published yet, and why (the gaps), with the date from which they are published anyway. */
    readonly pending: readonly PendingPublication[];
    readonly webhook_failed: ReadonlyArray<{ month: string; revision: number; error: string | null }>;
  };
}

function notesStatus(sqlite: Sqlite): StatusSummary['notes'] {
  const month = newestPublishedMonth(sqlite);
  const latest = month
    ? (sqlite
        .prepare(
          'select month, revision, published_at, reason, html_file, md_file, json_file from publications where month = ? order by revision desc limit 1',
        )
        .get(month) as {
        month: string;
        revision: number;
        published_at: string;
        reason: string;
        html_file: string;
        md_file: string;
        json_file: string;
      })
    : undefined;
  return {
    latest: latest
      ? {
          month: latest.month,
          revision: latest.revision,
          published_at: latest.published_at,
          reason: latest.reason,
          files: [latest.html_file, latest.md_file, latest.json_file],
        }
      : null,
    pending: pendingPublications(sqlite),
    webhook_failed: unsentWebhooks(sqlite)
      .filter((p) => p.webhook_state === 'failed')
      .map((p) => ({ month: p.month, revision: p.revision, error: p.webhook_error })),
  };
}

/** The next time (from the wall clock) a UTC cron expression fires; null for an invalid one. */
export function nextRun(expr: string, from: Date = new Date()): string | null {
  // A plain expression is read by hand (node-cron's answer, cheaper: src/daemon/cron-utc.ts); cron.parse validates
  // (and throws) itself: a cron.validate first would check each expression twice.
  let fields: ReturnType<typeof cron.parse>;
  try {
    fields = plainCronFields(expr) ?? cron.parse(expr);
  } catch {
    return null;
  }
  const fast = nextUtcMatch(fields, from);
  if (fast !== undefined) return toIsoTimestamp(new Date(fast));
  // node-cron only computes the next run of a started task: start one that does nothing, read it, destroy it.
  const task = cron.schedule(expr, () => undefined, { timezone: 'UTC' });
  try {
    return task.getNextRun()?.toISOString() ?? null;
  } finally {
    void task.destroy();
  }
}

/** node-cron's next match (TimeMatcher.getNextMatch: the first second strictly after `from`, floored to the
 *  second, where every field matches — day of month AND day of week) walked in UTC with Date.UTC instead of
 *  node-cron's Intl formatter, whose first use costs ~20 ms of `status`'s start-up. The fields are node-cron's own
 *  parse (ranges, steps, names and nicknames expanded by it); undefined when a field holds a token this walk does
 *  not read (L, W, #: node-cron answers then). */
export function nextUtcMatch(fields: ReturnType<typeof cron.parse>, from: Date): number | undefined {
  const all = [fields.second, fields.minute, fields.hour, fields.dayOfMonth, fields.month, fields.dayOfWeek];
  if (!all.every((f) => f.every((v) => typeof v === 'number'))) return undefined;
  const [seconds, minutes, hours, days, months, weekdays] = all.map((f) =>
    [...(f as number[])].sort((a, b) => a - b),
  ) as [number[], number[], number[], number[], number[], number[]];
  const baseMs = Math.floor(from.getTime() / 1000) * 1000;
  const base = new Date(baseMs);
  let day = Date.UTC(base.getUTCFullYear(), base.getUTCMonth(), base.getUTCDate());
  for (let i = 0; i < 366 * 100; i++, day += 86_400_000) {
    const d = new Date(day);
    if (!months.includes(d.getUTCMonth() + 1) || !days.includes(d.getUTCDate()) || !weekdays.includes(d.getUTCDay()))
      continue;
    for (const h of hours)
      for (const m of minutes)
        for (const s of seconds) {
          const ts = day + ((h * 60 + m) * 60 + s) * 1000;
          if (ts > baseMs) return ts;
        }
  }
  return undefined;
}

/** What `status`, /healthz and /metrics report, read in one transaction: a job the daemon's job process commits
 *  meanwhile is seen whole or not at all (its ledger row and its rows together). */
export function evaluateStatus(
  sqlite: Sqlite,
  jobs: readonly JobDefinition[],
  schedules: Readonly<Record<string, string>>,
  now: Date,
): StatusSummary {
  return readTransaction(sqlite, () => readStatus(sqlite, jobs, schedules, now));
}

function readStatus(
  sqlite: Sqlite,
  jobs: readonly JobDefinition[],
  schedules: Readonly<Record<string, string>>,
  now: Date,
): StatusSummary {
  const today = toIsoDate(now);
  const problems: string[] = [];
  // Every job's runs in two statements rather than four per job: in a command that has just started, each
  // execution of a small statement costs ~30 µs and each preparation more.
  const runs = new Map(
    (
      sqlite
        .prepare(
          `select job, sum(status = 'ok') as ok, sum(status = 'failed') as failed, sum(status = 'skipped') as skipped,
             coalesce(sum(rows_written), 0) as rows_written, max(case when status = 'ok' then started_at end) as last_ok,
             sum(status = 'running') as running
           from job_runs group by job`,
        )
        .all() as Array<{
        job: string;
        ok: number;
        failed: number;
        skipped: number;
        rows_written: number;
        last_ok: string | null;
        running: number;
      }>
    ).map((r) => [r.job, r]),
  );
  // The last run that did something (a skipped tick is not an outcome).
  const lastRuns = new Map(
    (
      sqlite
        .prepare(
          "select * from job_runs where id in (select max(id) from job_runs where status != 'skipped' group by job)",
        )
        .all() as Array<{ job: string; started_at: string; status: string; error: string | null; rows_written: number }>
    ).map((r) => [r.job, r]),
  );
  const jobRows: JobStatusRow[] = jobs.map((j) => {
    const expr = schedules[j.name] ?? j.schedule;
    const last = lastRuns.get(j.name);
    const counts = runs.get(j.name);
    const lastOk = counts?.last_ok ?? null;
    const failing = last !== undefined && last.status === 'failed';
    const stale = !lastOk || now.getTime() - Date.parse(lastOk) > j.maxAgeHours * 3_600_000;
    const state = failing ? 'failing' : stale ? 'stale' : 'ok';
    if (failing) problems.push(`job ${j.name} failed at ${last.started_at}: ${(last.error ?? '').split('\n')[0]}`);
    else if (stale)
      problems.push(
        `job ${j.name} has not succeeded ${lastOk ? `since ${lastOk}` : 'yet'} (max age ${j.maxAgeHours} h)`,
      );
    return {
      job: j.name,
      schedule: expr,
      next_run: nextRun(expr),
      last_started_at: last?.started_at ?? null,
      last_status: last?.status ?? null,
      last_error: last?.error ?? null,
      last_rows_written: last?.rows_written ?? null,
      last_ok_at: lastOk,
      runs_ok: counts?.ok ?? 0,
      runs_failed: counts?.failed ?? 0,
      runs_skipped: counts?.skipped ?? 0,
      rows_written_total: counts?.rows_written ?? 0,
      running: (counts?.running ?? 0) > 0,
      state,
    };
  });

  const series: SeriesStatusRow[] = [];
  const add = (name: string, newest: string | null, days: number) => {
    const freshAfter = addDays(today, -days);
    const fresh = newest !== null && newest >= freshAfter;
    series.push({ series: name, newest, fresh_after: freshAfter, fresh });
    if (!fresh)
      problems.push(
        `${name} is ${newest ? `stale: newest ${newest}, ${daysBetween(newest, today)} days old` : 'empty'}`,
      );
  };
  // A figure is as fresh as the newest day any source of its chain has (a fallback fills what the primary lacks).
  for (const { label, table, sources } of DAILY_SERIES) {
    add(
      label,
      sqlite
        .prepare(`select max(date) from ${table} where source in (${sources.map(() => '?').join(', ')})`)
        .pluck()
        .get(...sources) as string | null,
      FRESH_DAYS.network,
    );
  }
  add(
    'mempool.difficulty-adjustments',
    sqlite.prepare('select max(date) from difficulty_retargets').pluck().get() as string | null,
    FRESH_DAYS.retargets,
  );
  const universe = sqlite
    .prepare('select ticker, role, filer from universe order by role desc, ticker')
    .all() as Array<{ ticker: string; role: string; filer: string | null }>;
  const newestPrice = sqlite.prepare('select max(date) from equity_prices_daily where ticker = ?').pluck();
  // shares_effective keeps one row of each (ticker, as_of) stored, so its newest as_of is the table's, found by the
  // primary key (the view computes its window over every row at each call: ~50 µs a ticker).
  const newestShares = sqlite.prepare('select max(as_of) from shares_outstanding where ticker = ?').pluck();
  for (const u of universe) {
    add(`prices.${u.ticker}`, newestPrice.get(u.ticker) as string | null, FRESH_DAYS.prices);
    if (u.role === 'miner') {
      const annual = u.filer === '20-F' || u.filer === '40-F';
      add(
        `shares.${u.ticker}`,
        newestShares.get(u.ticker) as string | null,
        annual ? FRESH_DAYS.sharesAnnual : FRESH_DAYS.sharesQuarterly,
      );
    }
  }

  // A production update nobody could read is a gap in the operations figures until it is entered by hand.
  for (const u of unresolvedUnparsed(sqlite)) {
    problems.push(
      `operations.${u.ticker}: filing ${u.accession}${u.month ? ` (${u.month})` : ''} unparsed — enter the month in data/operations.csv`,
    );
  }

  const lock = sqlite.prepare('select pid, hostname, heartbeat_at from daemon_lock where id = 1').get() as
    | { pid: number; hostname: string; heartbeat_at: string }
    | undefined;
  const age = lock ? Math.round((now.getTime() - Date.parse(lock.heartbeat_at)) / 1000) : null;
  return {
    now: toIsoTimestamp(now),
    ok: problems.length === 0,
    problems,
    jobs: jobRows,
    series,
    daemon: {
      running: lock !== undefined && age !== null && age * 1000 < STALE_MS,
      pid: lock?.pid ?? null,
      hostname: lock?.hostname ?? null,
      heartbeat_age_s: age,
    },
    notes: notesStatus(sqlite),
  };
}

/** Prometheus text exposition of the same report. */
export function renderMetrics(r: StatusSummary): string {
  const esc = (s: string) => s.replace(/\\/g, '\\\\').replace(/"/g, '\\"');
  const out: string[] = [];
  const metric = (name: string, type: string, help: string, rows: Array<[string, number]>) => {
    out.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`, ...rows.map(([labels, v]) => `${name}${labels} ${v}`));
  };
  metric(
    'hashpulse_job_runs_total',
    'counter',
    'Runs of each job by outcome.',
    r.jobs.flatMap((j) => [
      [`{job="${esc(j.job)}",status="ok"}`, j.runs_ok] as [string, number],
      [`{job="${esc(j.job)}",status="failed"}`, j.runs_failed] as [string, number],
      [`{job="${esc(j.job)}",status="skipped"}`, j.runs_skipped] as [string, number],
    ]),
  );
  metric(
    'hashpulse_job_rows_written_total',
    'counter',
    'Rows written by each job, all runs.',
    r.jobs.map((j) => [`{job="${esc(j.job)}"}`, j.rows_written_total]),
  );
  metric(
    'hashpulse_job_last_success_timestamp_seconds',
    'gauge',
    'Unix time of the start of the last successful run (0: never).',
    r.jobs.map((j) => [`{job="${esc(j.job)}"}`, j.last_ok_at ? Date.parse(j.last_ok_at) / 1000 : 0]),
  );
  metric(
    'hashpulse_job_running',
    'gauge',
    '1 while a run of the job is in progress.',
    r.jobs.map((j) => [`{job="${esc(j.job)}"}`, j.running ? 1 : 0]),
  );
  metric(
    'hashpulse_series_newest_timestamp_seconds',
    'gauge',
    'Unix time (00:00 UTC) of the newest stored day of each series (0: empty).',
    r.series.map((s) => [`{series="${esc(s.series)}"}`, s.newest ? Date.parse(`${s.newest}T00:00:00Z`) / 1000 : 0]),
  );
  metric(
    'hashpulse_series_fresh',
    'gauge',
    '1 when the series is fresh.',
    r.series.map((s) => [`{series="${esc(s.series)}"}`, s.fresh ? 1 : 0]),
  );
  metric('hashpulse_up', 'gauge', '1 when every job and series is healthy (the /healthz verdict).', [
    ['', r.ok ? 1 : 0],
  ]);
  return `${out.join('\n')}\n`;
}
