// `--format csv`: one row per month, the columns of report_monthly in order, values unrounded, for spreadsheets.
import type { ReportMonth } from '../metrics/note-data.js';

/** RFC 4180: a field with a comma, quote or line break is quoted, quotes doubled; NULL is an empty field. */
export function csvField(v: unknown): string {
  if (v === null || v === undefined) return '';
  const s = typeof v === 'number' ? (Number.isFinite(v) ? String(v) : '') : String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function renderCsv(columns: readonly string[], rows: readonly ReportMonth[]): string {
  const lines = [columns.map(csvField).join(',')];
  for (const r of rows)
    lines.push(columns.map((c) => csvField((r as unknown as Record<string, unknown>)[c])).join(','));
  return `${lines.join('\r\n')}\r\n`;
}
