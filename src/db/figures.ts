// Views are code, not history: after the versioned migrations, every view of src/figures/ whose text changed is
// dropped and recreated in dependency order ("repeatable migrations"). figure_versions records each view's sha256.
import type { Hash } from 'node:crypto';
import { createRequire } from 'node:module';
import type { Database as Sqlite } from 'better-sqlite3';
import { FIGURES, type Figure } from '../figures/index.js';
import { rewriteFromView } from '../store/materialise.js';

// The handle's type straight from better-sqlite3 (what ./sqlite.ts calls Sqlite): sqlite.ts compares the file's
// fingerprint with figuresFingerprint to tell whether a file is up to date, so importing it back would close a cycle.

export function figureSql(f: Figure): string {
  return `create view ${f.name} as\n${f.select.trim()}`;
}

/** node:crypto on first use: loading it costs a read-only command ~10 ms of start-up it does not need. */
function sha256(text: string): string {
  const { createHash } = createRequire(import.meta.url)('node:crypto') as { createHash(a: string): Hash };
  return createHash('sha256').update(text).digest('hex');
}

/** FIGURES' fingerprint as the build computed it (scripts/build.mjs defines it in the read-only program, which
 *  then hashes nothing); undefined where the code runs unbundled (tests) or in the other builds. */
declare const __HP_FIGURES_FINGERPRINT__: string | undefined;
const BUILT_FINGERPRINT = typeof __HP_FIGURES_FINGERPRINT__ === 'string' ? __HP_FIGURES_FINGERPRINT__ : undefined;

/** One fingerprint for the whole list: names, order and text. */
export function figuresFingerprint(figures: readonly Figure[] = FIGURES): string {
  if (figures === FIGURES && BUILT_FINGERPRINT !== undefined) return BUILT_FINGERPRINT;
  return sha256(figures.map((f) => `${f.name}\n${figureSql(f)}`).join('\n\0\n'));
}

/** True when the file's views are the ones this release defines (a cheap read: one small table). */
export function figuresCurrent(sqlite: Sqlite, figures: readonly Figure[] = FIGURES): boolean {
  const has = sqlite.prepare("select 1 from sqlite_master where type = 'table' and name = 'figure_versions'").get();
  if (!has) return false;
  const stored = sqlite.prepare("select sha256 from figure_versions where name = '*'").pluck().get() as
    | string
    | undefined;
  return stored === figuresFingerprint(figures);
}

/**
 * Recreates every view when any view's text, the list or its order changed, in one transaction. Dropping all and
 * creating all in order keeps dependent views right without tracking which depends on which. Then every
 * materialised table is rewritten from its view, in the registry's order (a changed figure changes its table at
 * once, and a table a migration just created is filled). Returns the number of views created (0 when they were
 * current).
 */
export function applyFigures(sqlite: Sqlite, figures: readonly Figure[] = FIGURES): number {
  if (figuresCurrent(sqlite, figures)) return 0;
  return sqlite.transaction(() => {
    const known = sqlite.prepare("select name from figure_versions where name <> '*'").pluck().all() as string[];
    // Only names that are views now: a name that was a view once may be a table since (report_monthly, 0014).
    const views = new Set(
      sqlite.prepare("select name from sqlite_master where type = 'view'").pluck().all() as string[],
    );
    const drop = [...new Set([...known, ...figures.map((f) => f.name)])].filter((name) => views.has(name));
    for (const name of drop.reverse()) sqlite.prepare(`drop view ${name}`).run();
    sqlite.prepare('delete from figure_versions').run();
    const now = new Date().toISOString();
    const ins = sqlite.prepare('insert into figure_versions (name, sha256, applied_at) values (?, ?, ?)');
    for (const f of figures) {
      sqlite.prepare(figureSql(f)).run();
      ins.run(f.name, sha256(figureSql(f)), now);
    }
    ins.run('*', figuresFingerprint(figures), now);
    for (const f of figures) if (f.materialisedAs) rewriteFromView(sqlite, f.materialisedAs, f.name);
    return figures.length;
  })();
}
