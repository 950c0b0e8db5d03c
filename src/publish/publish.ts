// The publish pipeline: when a finished month's data is complete (or HASHPULSE_PUBLISH_AFTER_DAYS have passed), its
// note is rendered by the report code as HTML, Markdown and JSON into HASHPULSE_PUBLISH_DIR and recorded in
// `publications`; a month whose figures change later gets a new revision; a month still waiting records why.
// Then any webhook still owed is sent. Returns one result per month and per webhook, never throws half-way.
import fs from 'node:fs';
import path from 'node:path';
import type { Context } from '../context.js';
import { asError, describeError, FileError } from '../errors.js';
import type { ItemResult } from '../pipeline/result.js';
import { type Finding, runChecksCached } from '../quality/checks.js';
import { reportJson } from '../report/json.js';
import { buildNote, type NoteBlock } from '../report/note.js';
import { type NoteAddition, readReport, renderReport } from '../report/render.js';
import { storeAssumptionsInForce } from '../store/economics.js';
import {
  clearPending,
  latestPublication,
  NOTE_FORMATS,
  type NoteFormat,
  newestPublishedMonth,
  noteFileName,
  type PublicationReason,
  pendingPublications,
  recordPending,
  recordPublication,
  recordWebhook,
  unsentWebhooks,
} from '../store/publications.js';
import {
  addDays,
  addMonths,
  firstDayOfMonth,
  lastCompleteMonth,
  lastDayOfMonth,
  type Month,
  toIsoDate,
} from '../time.js';
import { sha256, writeFilesAtomically } from './files.js';
import { monthReadiness } from './readiness.js';

export interface PublishOptions {
  /** Only this month (`hashpulse publish --month`); default: the months the job looks at. */
  readonly month?: Month;
  /** Publish even with gaps, and even when the figures are those of the latest revision. */
  readonly force?: boolean;
}

/**
 * The months a run looks at: every month already published (a change of its figures is a new revision), every month
 * waiting, and the finished months since the newest publication (catch-up after downtime) — just the previous month
 * on a database that never published (the history a backfill loads is published only by hand).
 */
export function monthsToConsider(
  published: readonly Month[],
  pending: readonly Month[],
  newest: Month | null,
  now: Date,
): Month[] {
  const previous = lastCompleteMonth(now);
  const months = new Set([...published, ...pending]);
  for (let m = newest && newest < previous ? addMonths(newest, 1) : previous; m <= previous; m = addMonths(m, 1))
    months.add(m);
  return [...months].sort();
}

/** The date from which a month with gaps is published anyway: its end plus HASHPULSE_PUBLISH_AFTER_DAYS. */
export function publishAfter(month: Month, afterDays: number): string {
  return addDays(firstDayOfMonth(addMonths(month, 1)), afterDays);
}

/** A chat webhook's path is its credential (hooks.slack.com/services/T…/B…/secret): logs and errors show the host
 *  and the first path segment only. */
export function redactWebhookUrl(url: string): string {
  const u = new URL(url);
  const segments = u.pathname.split('/').filter(Boolean);
  return `${u.origin}/${segments[0] ?? ''}${segments.length > 1 || u.search ? '/***' : ''}`;
}

const utc = (iso: string) => `${iso.slice(0, 16).replace('T', ' ')} UTC`;

function addition(p: {
  month: Month;
  revision: number;
  publishedAt: string;
  reason: PublicationReason;
  gaps: readonly string[];
  lastTradingDate: string;
  afterDays: number;
}): NoteAddition {
  const how =
    p.reason === 'forced'
      ? 'by hand (hashpulse publish --force)'
      : `${p.afterDays} days after the month ended (HASHPULSE_PUBLISH_AFTER_DAYS)`;
  const lines = [
    `Revision ${p.revision}, published ${utc(p.publishedAt)} by hashpulse.`,
    ...(p.revision > 1
      ? [
          `Earlier revisions are kept as ${noteFileName(p.month, 'html', 1)}${p.revision > 2 ? ` … ${noteFileName(p.month, 'html', p.revision - 1)}` : ''} (and .md, .json).`,
        ]
      : []),
    p.gaps.length === 0
      ? `Complete: every daily network figure stored through ${lastDayOfMonth(p.month)}, every tracked ticker's close of ${p.lastTradingDate} (the month's last US trading day) or named as missing, and no error-level data-quality finding in the month.`
      : `Published ${how} with ${p.gaps.length} gap(s), listed here; a later revision follows when the figures change.`,
    ...p.gaps.map((g) => `Gap: ${g}.`),
  ];
  const blocks: NoteBlock[] = [{ kind: 'lines', title: 'Publication', lines }];
  return {
    sentences: p.gaps.length === 0 ? [] : [`Published ${how} before its data was complete: ${p.gaps.join('; ')}.`],
    blocks,
    json: {
      publication: {
        month: p.month,
        revision: p.revision,
        published_at: p.publishedAt,
        reason: p.reason,
        complete: p.gaps.length === 0,
        gaps: p.gaps,
        last_trading_date: p.lastTradingDate,
      },
    },
  };
}

async function publishMonth(
  ctx: Context,
  month: Month,
  run: { now: Date; errors: readonly Finding[]; force: boolean; byHand: boolean },
): Promise<ItemResult> {
  const { sqlite, config, log } = ctx;
  const economicsFile = config.economicsPath;
  const today = toIsoDate(run.now);
  const after = publishAfter(month, config.publishAfterDays);
  // One read for the figures that decide and the files that are written: a job writing meanwhile cannot split them.
  const request = { from: month, to: month, range: false, format: 'html' as const, economicsFile };
  const read = readReport(sqlite, request);
  const data = read.data[0];
  if (!data) {
    const gaps = [`no figures stored for ${month}`];
    // A month asked for by hand that has no data (history not loaded) is not something the job should wait for.
    if (!run.byHand) recordPending(sqlite, { month, checked_at: run.now.toISOString(), gaps, publish_after: after });
    log.info({ month }, `${month} not published: ${gaps[0]}`);
    return { item: month, status: 'skipped', rows: 0, detail: `${month} not published: ${gaps[0]}` };
  }
  const { gaps, lastTradingDate } = monthReadiness(sqlite, month, run.errors);
  const figures = sha256(JSON.stringify({ figures: reportJson(data, { economicsFile }), gaps }));
  const latest = latestPublication(sqlite, month);
  if (latest && latest.figures_sha256 === figures && !run.force) {
    clearPending(sqlite, month);
    return {
      item: month,
      status: 'ok',
      rows: 0,
      detail: `${month} unchanged since revision ${latest.revision} (${utc(latest.published_at)})`,
    };
  }
  const reason: PublicationReason | null =
    gaps.length === 0 ? 'complete' : today >= after ? 'deadline' : run.force ? 'forced' : null;
  if (reason === null) {
    recordPending(sqlite, { month, checked_at: run.now.toISOString(), gaps, publish_after: after });
    const detail = `${month} not published: ${gaps.join('; ')} (publishes anyway from ${after})`;
    log.info({ month, gaps, publishAfter: after }, detail);
    return { item: month, status: 'skipped', rows: 0, detail };
  }

  const revision = (latest?.revision ?? 0) + 1;
  const publishedAt = run.now.toISOString();
  const add = addition({
    month,
    revision,
    publishedAt,
    reason,
    gaps,
    lastTradingDate,
    afterDays: config.publishAfterDays,
  });
  const texts = {} as Record<NoteFormat, string>;
  for (const format of NOTE_FORMATS) texts[format] = await renderReport(read, { ...request, format }, add);
  // The earlier revision's files are kept under their revision's name — if they are still what was published.
  const keep = [];
  for (const format of NOTE_FORMATS) {
    if (!latest) break;
    const from = noteFileName(month, format);
    const file = path.resolve(config.publishDir, from);
    if (fs.existsSync(file) && sha256(fs.readFileSync(file)) === latest[`${format}_sha256`])
      keep.push({ from, to: noteFileName(month, format, latest.revision) });
    else
      log.warn(
        { month, file },
        `${file} is not revision ${latest.revision} as published (missing or changed): not kept as ${noteFileName(month, format, latest.revision)}`,
      );
  }
  const written = writeFilesAtomically(
    config.publishDir,
    NOTE_FORMATS.map((format) => ({ name: noteFileName(month, format), text: texts[format] })),
    keep,
  );
  const sha = Object.fromEntries(written.map((w, i) => [NOTE_FORMATS[i]!, w.sha256])) as Record<NoteFormat, string>;
  const note = buildNote(data, { economicsFile });
  const headline = [
    `${note.title}${revision > 1 ? ` (revision ${revision})` : ''}`,
    ...note.sentences,
    ...add.sentences,
  ].join('\n');
  recordPublication(sqlite, {
    month,
    revision,
    published_at: publishedAt,
    reason,
    gaps: JSON.stringify(gaps),
    last_trading_date: lastTradingDate,
    figures_sha256: figures,
    headline,
    html_file: noteFileName(month, 'html'),
    html_sha256: sha.html,
    md_file: noteFileName(month, 'md'),
    md_sha256: sha.md,
    json_file: noteFileName(month, 'json'),
    json_sha256: sha.json,
    webhook_state: config.publishWebhookUrl ? 'pending' : 'off',
    webhook_at: null,
    webhook_error: null,
  });
  const what =
    reason === 'complete'
      ? 'complete'
      : `with ${gaps.length} gap(s), ${reason === 'forced' ? 'forced' : `${config.publishAfterDays} days after the month`}`;
  const detail = `${month} revision ${revision} published (${what}): ${written.map((w) => w.path).join(', ')}`;
  log.info({ month, revision, reason, gaps, files: written.map((w) => w.path) }, detail);
  return { item: month, status: 'ok', rows: 1, detail };
}

/** The webhook of every latest revision not yet announced; a failure is recorded and tried again next run. */
async function sendWebhooks(ctx: Context): Promise<ItemResult[]> {
  const url = ctx.config.publishWebhookUrl;
  if (!url) return [];
  const shown = redactWebhookUrl(url);
  const out: ItemResult[] = [];
  for (const p of unsentWebhooks(ctx.sqlite)) {
    const item = `webhook ${p.month} revision ${p.revision}`;
    const body = {
      text: p.headline,
      month: p.month,
      revision: p.revision,
      files: [p.html_file, p.md_file, p.json_file],
    };
    try {
      await ctx.http.postJson({ source: 'webhook', url, displayUrl: shown }, body);
      recordWebhook(ctx.sqlite, p.month, p.revision, { state: 'sent', at: ctx.clock.now().toISOString(), error: null });
      out.push({ item, status: 'ok', rows: 0, detail: `sent to ${shown}` });
    } catch (err) {
      const error = describeError(err);
      recordWebhook(ctx.sqlite, p.month, p.revision, { state: 'failed', at: ctx.clock.now().toISOString(), error });
      ctx.log.error(
        { month: p.month, revision: p.revision, url: shown, err },
        `webhook for ${p.month} revision ${p.revision} failed (the note is published; tried again next run): ${error}`,
      );
      out.push({
        item,
        status: 'failed',
        rows: 0,
        error: `${error}; the note is published, the webhook is tried again next run`,
        err: asError(err),
      });
    }
  }
  return out;
}

export async function publishNotes(ctx: Context, opts: PublishOptions = {}): Promise<ItemResult[]> {
  const { sqlite } = ctx;
  const now = ctx.clock.now();
  // The assumptions in force, as `hashpulse report` does before reading: report_monthly reads them.
  storeAssumptionsInForce(sqlite, ctx.config);
  // A full run's findings; the parts whose tables did not change since the last job's check are read back.
  const errors = runChecksCached(sqlite, { today: toIsoDate(now) }, true).filter((f) => f.severity === 'error');
  const published = sqlite.prepare('select distinct month from publications').pluck().all() as Month[];
  const pending = pendingPublications(sqlite).map((p) => p.month);
  const months = opts.month ? [opts.month] : monthsToConsider(published, pending, newestPublishedMonth(sqlite), now);
  const results: ItemResult[] = [];
  for (const month of months) {
    try {
      results.push(
        await publishMonth(ctx, month, { now, errors, force: opts.force ?? false, byHand: opts.month !== undefined }),
      );
    } catch (err) {
      const error = describeError(err);
      ctx.log.error(
        { month, ...(err instanceof FileError ? { path: err.path } : {}), err },
        `${month} not published: ${error}`,
      );
      results.push({ item: month, status: 'failed', rows: 0, error, err: asError(err) });
    }
  }
  results.push(...(await sendWebhooks(ctx)));
  return results;
}
