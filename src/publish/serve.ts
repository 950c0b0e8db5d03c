// The published notes over HTTP, read-only, on the daemon's server (src/daemon/health.ts): GET / the newest note, GET
// /notes/ the months and their revisions, GET /notes/2026-01.html|.md|.json (and 2026-01.r1.html …). Each HTML
// page gets a bar linking the previous and next published month, added here when served — the files on disk stay
// byte for byte what was published (their sha256 in `publications`). ETag (of the bytes served) and Last-Modified
// let browsers and proxies revalidate: If-None-Match gets a 304.
import fs from 'node:fs';
import type http from 'node:http';
import path from 'node:path';
import type { Sqlite } from '../db/sqlite.js';
import { escapeHtml } from '../report/html.js';
import { allPublications, type Publication } from '../store/publications.js';
import { type Month, monthName } from '../time.js';
import { sha256 } from './files.js';

export interface NotesSite {
  readonly sqlite: Sqlite;
  /** HASHPULSE_PUBLISH_DIR. */
  readonly dir: string;
}

const NOTE_PATH = /^\/notes\/(\d{4}-\d{2})(?:\.r([1-9]\d*))?\.(html|md|json)$/;
const TYPES = {
  html: 'text/html; charset=utf-8',
  md: 'text/markdown; charset=utf-8',
  json: 'application/json; charset=utf-8',
} as const;

function notModified(req: http.IncomingMessage, etag: string, lastModified: Date): boolean {
  const inm = req.headers['if-none-match'];
  // If-None-Match wins over If-Modified-Since (RFC 9110 §13.2.2).
  if (inm !== undefined) return inm.split(',').some((t) => t.trim().replace(/^W\//, '') === etag || t.trim() === '*');
  const ims = Date.parse(req.headers['if-modified-since'] ?? '');
  return Number.isFinite(ims) && Math.floor(lastModified.getTime() / 1000) * 1000 <= ims;
}

function send(
  req: http.IncomingMessage,
  res: http.ServerResponse,
  body: string | Buffer,
  type: string,
  lastModified: Date,
): void {
  const etag = `"${sha256(body).slice(0, 32)}"`;
  const headers = {
    etag,
    'last-modified': lastModified.toUTCString(),
    'cache-control': 'no-cache',
    'x-content-type-options': 'nosniff',
  };
  if (notModified(req, etag, lastModified)) {
    res.writeHead(304, headers).end();
    return;
  }
  res.writeHead(200, { ...headers, 'content-type': type, 'content-length': Buffer.byteLength(body) });
  res.end(req.method === 'HEAD' ? undefined : body);
}

function notFound(res: http.ServerResponse, what: string): void {
  res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end(`${what}\n`);
}

/** A note file, or null when there is none (or something else is at that name). */
function readNote(dir: string, name: string): { body: Buffer; mtime: Date } | null {
  try {
    const file = path.join(path.resolve(dir), name);
    const stat = fs.statSync(file);
    return stat.isFile() ? { body: fs.readFileSync(file), mtime: stat.mtime } : null;
  } catch {
    return null;
  }
}

const newest = (dates: readonly Date[]): Date => new Date(Math.max(0, ...dates.map((d) => d.getTime())));

/** The bar at the top of a served note: previous and next published month, the index, and for an earlier
 *  revision a pointer to the latest. */
function navBar(
  month: Month,
  months: readonly Month[],
  keptRevision: number | null,
  latest: Publication | undefined,
): string {
  const prev = [...months].reverse().find((m) => m < month);
  const next = months.find((m) => m > month);
  const link = (m: Month | undefined, rel: 'prev' | 'next') =>
    m
      ? `<a rel="${rel}" href="/notes/${m}.html">${rel === 'prev' ? '← ' : ''}${escapeHtml(monthName(m))}${rel === 'next' ? ' →' : ''}</a>`
      : `<span>${rel === 'prev' ? 'no earlier note' : 'no later note'}</span>`;
  const older =
    keptRevision !== null
      ? `<p class="notes-revision" style="margin:0 0 12px;padding:6px 10px;background:#fff4e5;border:1px solid #f0c36d">Revision ${keptRevision} of this note, kept for the record; the latest${latest ? ` (revision ${latest.revision})` : ''} is <a href="/notes/${month}.html">${escapeHtml(monthName(month))}</a>.</p>`
      : '';
  return `<nav class="notes-nav" aria-label="notes" style="display:flex;gap:18px;margin:0 0 12px;font-size:14px">${link(prev, 'prev')}<a href="/notes/">all notes</a>${link(next, 'next')}</nav>${older}`;
}

function withNav(html: string, nav: string): string {
  const at = html.indexOf('<main>');
  if (at >= 0) return `${html.slice(0, at + 6)}\n${nav}${html.slice(at + 6)}`;
  const body = html.indexOf('<body>');
  return body >= 0 ? `${html.slice(0, body + 6)}\n${nav}${html.slice(body + 6)}` : `${nav}${html}`;
}

function indexPage(pubs: readonly Publication[]): string {
  const rows = pubs.map((p, i) => {
    const first = i === 0 || pubs[i - 1]!.month !== p.month;
    const gaps = JSON.parse(p.gaps) as string[];
    const data = gaps.length === 0 ? 'complete' : `${gaps.length} gap(s): ${gaps.join('; ')}`;
    const files = (['html', 'md', 'json'] as const)
      .map(
        (f) =>
          `<a href="/notes/${escapeHtml(p[`${f}_file`])}">${f === 'html' ? 'HTML' : f === 'md' ? 'Markdown' : 'JSON'}</a>`,
      )
      .join(' · ');
    return `<tr><td>${first ? `<a href="/notes/${p.month}.html">${escapeHtml(monthName(p.month))}</a>` : ''}</td><td class="num">${p.revision}${first ? ' (latest)' : ''}</td><td>${escapeHtml(p.published_at.slice(0, 16).replace('T', ' '))}</td><td>${escapeHtml(data)}</td><td>${files}</td></tr>`;
  });
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="hashpulse">
<title>Bitcoin mining — monthly notes</title>
<style>body{margin:0;font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif;color:#1d2329}main{max-width:1180px;margin:0 auto;padding:24px 20px 48px}table{border-collapse:collapse}th,td{padding:3px 10px;border-bottom:1px solid #dfe3e8;text-align:left;vertical-align:top}.num{text-align:right}.meta{color:#5c6670}</style>
</head>
<body>
<main>
<h1>Bitcoin mining — monthly notes</h1>
<p class="meta">Published by hashpulse from public data, newest month first. A month whose figures changed after publication has several revisions; the latest is the month's page.</p>
${pubs.length === 0 ? '<p>No note published yet.</p>' : `<table><thead><tr><th>month</th><th>revision</th><th>published (UTC)</th><th>data</th><th>files</th></tr></thead><tbody>${rows.join('')}</tbody></table>`}
</main>
</body>
</html>
`;
}

/**
 * Answers GET and HEAD for /, /notes/ and /notes/<note file>; returns false for any other path (the caller answers
 * it), so /healthz and /metrics stay where they are.
 */
export function serveNotes(
  req: http.IncomingMessage,
  res: http.ServerResponse,
  pathname: string,
  site: NotesSite,
): boolean {
  const match = NOTE_PATH.exec(pathname);
  if (pathname !== '/' && pathname !== '/notes/' && !match) return false;
  const pubs = allPublications(site.sqlite);
  const months = [...new Set(pubs.map((p) => p.month))].sort();
  const lastPublished = newest(pubs.map((p) => new Date(p.published_at)));
  if (pathname === '/notes/') {
    send(req, res, indexPage(pubs), TYPES.html, lastPublished);
    return true;
  }
  const [month, kept, format] = match
    ? [match[1]!, match[2] ? Number(match[2]) : null, match[3] as keyof typeof TYPES]
    : [months[months.length - 1], null, 'html' as const];
  if (month === undefined) {
    notFound(res, 'no note published yet: see `hashpulse status` (the publish job says why a month is waiting)');
    return true;
  }
  const name = kept === null ? `${month}.${format}` : `${month}.r${kept}.${format}`;
  const note = readNote(site.dir, name);
  if (!note) {
    notFound(res, `no such note: ${name} (the list: /notes/)`);
    return true;
  }
  if (format !== 'html') {
    send(req, res, note.body, TYPES[format], note.mtime);
    return true;
  }
  // The bar depends on which months are published: it changes the page (and its ETag) when a neighbour appears.
  const latest = pubs.find((p) => p.month === month);
  const page = withNav(note.body.toString('utf8'), navBar(month, months, kept, latest));
  send(req, res, page, TYPES.html, newest([note.mtime, lastPublished]));
  return true;
}
