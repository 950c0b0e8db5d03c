// The publications ledger: each published revision of a month's note (files, sha256, webhook outcome) and, per
// month still waiting, why. Reads for the publish job, `status` and the notes server; writes are one transaction.
import type { Sqlite } from '../db/sqlite.js';
import type { IsoDate, Month } from '../time.js';

export type PublicationReason = 'complete' | 'deadline' | 'forced';
export type WebhookState = 'off' | 'pending' | 'sent' | 'failed';
export const NOTE_FORMATS = ['html', 'md', 'json'] as const;
export type NoteFormat = (typeof NOTE_FORMATS)[number];

/** One row of `publications`. */
export interface Publication {
  readonly month: Month;
  readonly revision: number;
  readonly published_at: string;
  readonly reason: PublicationReason;
  /** JSON array of the gaps named in the note ([] when complete). */
  readonly gaps: string;
  readonly last_trading_date: IsoDate;
  readonly figures_sha256: string;
  readonly headline: string;
  readonly html_file: string;
  readonly html_sha256: string;
  readonly md_file: string;
  readonly md_sha256: string;
  readonly json_file: string;
  readonly json_sha256: string;
  readonly webhook_state: WebhookState;
  readonly webhook_at: string | null;
  readonly webhook_error: string | null;
}

export interface PendingPublication {
  readonly month: Month;
  readonly checked_at: string;
  readonly gaps: readonly string[];
  readonly publish_after: IsoDate;
}

/** The file name of a note: the latest revision under `2026-01.html`, an earlier one under `2026-01.r1.html`. */
export function noteFileName(month: Month, format: NoteFormat, keptRevision?: number): string {
  return keptRevision === undefined ? `${month}.${format}` : `${month}.r${keptRevision}.${format}`;
}

export function latestPublication(sqlite: Sqlite, month: Month): Publication | undefined {
  return sqlite.prepare('select * from publications where month = ? order by revision desc limit 1').get(month) as
    | Publication
    | undefined;
}

/** Every revision of every month, newest month first, newest revision first. */
export function allPublications(sqlite: Sqlite): Publication[] {
  return sqlite.prepare('select * from publications order by month desc, revision desc').all() as Publication[];
}

export function newestPublishedMonth(sqlite: Sqlite): Month | null {
  return sqlite.prepare('select max(month) from publications').pluck().get() as Month | null;
}

/**
 * Records a new revision: the row, the earlier revision's files under their kept names (2026-01.r1.*), and the
 * month no longer pending — in one transaction, after the files are in place.
 */
export function recordPublication(sqlite: Sqlite, p: Publication): void {
  sqlite.transaction(() => {
    if (p.revision > 1) {
      const prev = p.revision - 1;
      sqlite
        .prepare('update publications set html_file = ?, md_file = ?, json_file = ? where month = ? and revision = ?')
        .run(
          noteFileName(p.month, 'html', prev),
          noteFileName(p.month, 'md', prev),
          noteFileName(p.month, 'json', prev),
          p.month,
          prev,
        );
    }
    sqlite
      .prepare(
        `insert into publications (month, revision, published_at, reason, gaps, last_trading_date, figures_sha256, headline, html_file, html_sha256,
           md_file, md_sha256, json_file, json_sha256, webhook_state, webhook_at, webhook_error)
         values (@month, @revision, @published_at, @reason, @gaps, @last_trading_date, @figures_sha256, @headline, @html_file, @html_sha256,
           @md_file, @md_sha256, @json_file, @json_sha256, @webhook_state, @webhook_at, @webhook_error)`,
      )
      .run(p);
    sqlite.prepare('delete from publication_pending where month = ?').run(p.month);
  })();
}

export function recordPending(sqlite: Sqlite, p: PendingPublication): void {
  sqlite
    .prepare(
      `insert into publication_pending (month, checked_at, gaps, publish_after) values (?, ?, ?, ?)
       on conflict (month) do update set checked_at = excluded.checked_at, gaps = excluded.gaps, publish_after = excluded.publish_after`,
    )
    .run(p.month, p.checked_at, JSON.stringify(p.gaps), p.publish_after);
}

export function clearPending(sqlite: Sqlite, month: Month): void {
  sqlite.prepare('delete from publication_pending where month = ?').run(month);
}

export function pendingPublications(sqlite: Sqlite): PendingPublication[] {
  return (
    sqlite
      .prepare('select month, checked_at, gaps, publish_after from publication_pending order by month')
      .all() as Array<{ month: string; checked_at: string; gaps: string; publish_after: string }>
  ).map((r) => ({ ...r, gaps: JSON.parse(r.gaps) as string[] }));
}

/** The latest revision of each month whose webhook is still to be sent (never tried, or failed last time). */
export function unsentWebhooks(sqlite: Sqlite): Publication[] {
  return sqlite
    .prepare(
      `select p.* from publications p
       where p.webhook_state in ('pending', 'failed') and p.revision = (select max(revision) from publications q where q.month = p.month)
       order by p.month`,
    )
    .all() as Publication[];
}

export function recordWebhook(
  sqlite: Sqlite,
  month: Month,
  revision: number,
  outcome: { state: 'sent' | 'failed'; at: string; error: string | null },
): void {
  sqlite
    .prepare(
      'update publications set webhook_state = ?, webhook_at = ?, webhook_error = ? where month = ? and revision = ?',
    )
    .run(outcome.state, outcome.at, outcome.error, month, revision);
}
