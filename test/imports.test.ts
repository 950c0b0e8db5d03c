// The import graph of src/, jobs/ and migrations/, read with the TypeScript compiler's parser (static imports,
// `import type`, re-exports and dynamic import()): no module reaches itself through its imports, and no import runs
// backwards through the layers. Type-only imports count: a type a lower layer borrows from a higher one ties them
// together as surely as a value does.
import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '..');

/**
 * The layers, lowest first. A module may import its own layer and the ones below, never one above.
 * Matched by path prefix, longest first; every file of src/, jobs/ and migrations/ must match one.
 */
const LAYERS: ReadonlyArray<readonly [string, readonly string[]]> = [
  [
    'base',
    [
      'src/errors.ts',
      'src/time.ts',
      'src/clock.ts',
      'src/config.ts',
      'src/log.ts',
      'src/http.ts',
      'src/universe.ts',
      'src/mining.ts',
      'src/trading-calendar.ts',
    ],
  ],
  ['sources', ['src/sources/']],
  ['store', ['src/db/', 'src/figures/', 'migrations/', 'src/store/', 'src/economics-file.ts']],
  ['pipeline', ['src/context.ts', 'src/pipeline/', 'src/quality/']],
  ['metrics', ['src/metrics/']],
  ['report', ['src/report/', 'src/publish/']],
  ['top', ['src/daemon/', 'src/probe.ts', 'src/cli/', 'src/cli.ts', 'jobs/']],
];

function layerOf(file: string): number {
  let best: { rank: number; len: number } | null = null;
  LAYERS.forEach(([, prefixes], rank) => {
    for (const p of prefixes)
      if ((file === p || (p.endsWith('/') && file.startsWith(p))) && (!best || p.length > best.len))
        best = { rank, len: p.length };
  });
  if (!best) throw new Error(`${file} is in no layer: add it to LAYERS in test/imports.test.ts`);
  return (best as { rank: number }).rank;
}

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(path.join(ROOT, dir), { withFileTypes: true }).flatMap((e) => {
    const rel = `${dir}/${e.name}`;
    return e.isDirectory() ? sourceFiles(rel) : e.name.endsWith('.ts') ? [rel] : [];
  });
}

/** file → the project files it imports (relative specifiers, `.js` resolved to the `.ts` beside it). */
function importGraph(): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const file of ['src', 'jobs', 'migrations'].flatMap(sourceFiles)) {
    const sf = ts.createSourceFile(file, fs.readFileSync(path.join(ROOT, file), 'utf8'), ts.ScriptTarget.Latest);
    const specs: string[] = [];
    const visit = (n: ts.Node): void => {
      if ((ts.isImportDeclaration(n) || ts.isExportDeclaration(n)) && n.moduleSpecifier)
        specs.push((n.moduleSpecifier as ts.StringLiteral).text);
      if (ts.isCallExpression(n) && n.expression.kind === ts.SyntaxKind.ImportKeyword) {
        const a = n.arguments[0];
        if (a && ts.isStringLiteralLike(a)) specs.push(a.text);
      }
      ts.forEachChild(n, visit);
    };
    visit(sf);
    const targets = specs
      .filter((s) => s.startsWith('.'))
      .map((s) => path.posix.normalize(path.posix.join(path.posix.dirname(file), s.replace(/\.js$/, '.ts'))));
    graph.set(file, [...new Set(targets)]);
  }
  return graph;
}

/** Tarjan's strongly connected components with more than one file (or a file importing itself). */
function cycles(graph: Map<string, string[]>): string[][] {
  let index = 0;
  const idx = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const on = new Set<string>();
  const out: string[][] = [];
  const strong = (v: string): void => {
    idx.set(v, index);
    low.set(v, index++);
    stack.push(v);
    on.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!graph.has(w)) continue;
      if (!idx.has(w)) {
        strong(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (on.has(w)) low.set(v, Math.min(low.get(v)!, idx.get(w)!));
    }
    if (low.get(v) === idx.get(v)) {
      const scc: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        on.delete(w);
        scc.push(w);
      } while (w !== v);
      if (scc.length > 1 || (graph.get(v) ?? []).includes(v)) out.push(scc.sort());
    }
  };
  for (const v of graph.keys()) if (!idx.has(v)) strong(v);
  return out;
}

describe('import graph', () => {
  const graph = importGraph();

  it('reads the whole tree (every import resolves to a file)', () => {
    expect(graph.size).toBeGreaterThan(100);
    const unresolved = [...graph].flatMap(([f, ts_]) => ts_.filter((t) => !graph.has(t)).map((t) => `${f} → ${t}`));
    expect(unresolved).toEqual([]);
  });

  it('has no import cycle', () => {
    expect(cycles(graph)).toEqual([]);
  });

  it(`runs one way: ${LAYERS.map(([name]) => name).join(' → ')}`, () => {
    const backwards = [...graph].flatMap(([f, ts_]) =>
      ts_
        .filter((t) => graph.has(t) && layerOf(t) > layerOf(f))
        .map((t) => `${f} (${LAYERS[layerOf(f)]![0]}) → ${t} (${LAYERS[layerOf(t)]![0]})`),
    );
    expect(backwards).toEqual([]);
  });

  it('finds a cycle and a backwards import when there is one (the check checks)', () => {
    const g = new Map([
      ['src/a.ts', ['src/b.ts']],
      ['src/b.ts', ['src/a.ts']],
    ]);
    expect(cycles(g)).toEqual([['src/a.ts', 'src/b.ts']]);
    expect(layerOf('src/store/raw.ts')).toBeGreaterThan(layerOf('src/sources/mempool.ts'));
  });
});
