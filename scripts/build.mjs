// npm run build (and prepare): bundles the TypeScript into dist/ with esbuild (built in a folder beside it, then
// renamed into place).
//   dist/src/cli.cjs     the `hashpulse` command (bin, npm start): src/cli.ts and the read-only commands (report,
//                        status, check, universe, help) as one CommonJS file, which Node 20 loads without setting up
//                        its ES-module loader; every other command line is handed to dist/src/program.js
//   dist/src/program.js  every command as ES modules: the code each command loads later (the jobs, the HTTP
//                        clients, Kysely, …) is split into dist/src/chunks/, loaded by dynamic import
//   dist/src/job-process.js  a job process of the daemon (one per scheduled run, src/daemon/job-runner.ts): a second
//                        entry of the same ES-module build, sharing its chunks
//   dist/bench/*.js      the benchmarks, one file each
// better-sqlite3 stays external in the ES-module build (a native addon, loaded from node_modules); the read-only
// program bundles its JavaScript and loads the addon by path (src/db/sqlite.ts). Source maps (dist/**/*.map) point
// at the .ts files; src/cli.ts turns them on before it loads dist/src/program.js, so stack traces name the
// TypeScript. The type check is not part of the build: `npm test` and `npm run typecheck` run tsc.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';

const root = path.resolve(import.meta.dirname, '..');
// An output folder other than dist/ may be given (to compare two builds side by side).
const out = path.resolve(root, process.argv[2] ?? 'dist');
// Built beside it and renamed into place at the end, so a program running from dist/ (a test suite, the daemon)
// never reads a half-written build.
const dist = `${out}.building-${process.pid}`;

const common = {
  absWorkingDir: root,
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  external: ['better-sqlite3'],
  sourcemap: 'linked',
  // The maps name the .ts files in the tree; their text stays out of dist/.
  sourcesContent: false,
  logLevel: 'warning',
  // CommonJS dependencies bundled into ESM call require() for node: builtins; give them one.
  banner: { js: "import { createRequire as __hpCreateRequire } from 'node:module'; const require = __hpCreateRequire(import.meta.url);" },
  legalComments: 'none',
};

/** commander and node-cron load node:child_process at start, only to spawn executable subcommands (commander) or
 *  fork background tasks (node-cron); hashpulse uses neither. Loading it pulls in net, dgram and their streams: a
 *  third of bare node's start-up, and memory an idle daemon keeps. Both get a stand-in that loads it on first use. */
const lazyChildProcess = {
  name: 'lazy-child-process',
  setup(b) {
    b.onResolve({ filter: /^(node:)?child_process$/ }, (args) => {
      if (/[\\/]node_modules[\\/]commander[\\/]/.test(args.importer)) return { path: 'cjs', namespace: 'lazy' };
      if (/[\\/]node_modules[\\/]node-cron[\\/]/.test(args.importer)) return { path: 'esm', namespace: 'lazy' };
      return undefined;
    });
    b.onLoad({ filter: /^cjs$/, namespace: 'lazy' }, () => ({
      contents: "module.exports = new Proxy({}, { get: (_, key) => require('node:child_process')[key] });",
      loader: 'js',
    }));
    b.onLoad({ filter: /^esm$/, namespace: 'lazy' }, () => ({
      contents: "export function fork(...args) { return require('node:child_process').fork(...args); }",
      loader: 'js',
    }));
    // node-cron also loads node:crypto at start, for the random id of a task it creates: `status` parses schedules
    // and creates none, and loading node:crypto costs it ~10 ms.
    b.onResolve({ filter: /^(node:)?crypto$/ }, (args) =>
      /[\\/]node_modules[\\/]node-cron[\\/]/.test(args.importer) ? { path: 'crypto', namespace: 'lazy' } : undefined,
    );
    b.onLoad({ filter: /^crypto$/, namespace: 'lazy' }, () => ({
      contents: "export function randomUUID(...args) { return require('node:crypto').randomUUID(...args); }",
      loader: 'js',
    }));
  },
};

/** hashpulse uses cheerio's `load` only (src/sources/sec-*.ts). cheerio's index also exports fromURL, loadBuffer and
 *  the stream helpers, which import undici, encoding-sniffer and iconv-lite at load: ~1.7 MB of code a daemon would
 *  hold once the shares or operations job ran. The bundle takes `load` from cheerio's own module of it. */
const cheerioLoadOnly = {
  name: 'cheerio-load-only',
  setup(b) {
    b.onResolve({ filter: /^cheerio$/ }, () => ({
      path: path.join(root, 'node_modules/cheerio/dist/esm/load-parse.js'),
    }));
  },
};

/** The read-only programs: node-cron only on demand. `status` reads its six schedules without it (plainCronFields in
 *  src/daemon/cron-utc.ts) and needs it only for a schedule written another way (names, L, W, #); bundled, its
 *  32 kB were 40% of status's program, read, deserialised and set up at every start. In the read-only build
 *  `node-cron` is a stand-in that requires the package from node_modules on first use (its CommonJS build, without
 *  this build's patches, which only save time and memory). */
const nodeCronOnDemand = {
  name: 'node-cron-on-demand',
  setup(b) {
    b.onResolve({ filter: /^node-cron$/ }, (args) =>
      args.namespace === 'on-demand' ? { path: 'node-cron', external: true } : { path: 'node-cron', namespace: 'on-demand' },
    );
    b.onLoad({ filter: /^node-cron$/, namespace: 'on-demand' }, () => ({
      contents: [
        'let cron;',
        "const load = () => (cron ??= require('node-cron'));",
        'export default {',
        '  parse: (...a) => load().parse(...a),',
        '  schedule: (...a) => load().schedule(...a),',
        '  validate: (...a) => load().validate(...a),',
        '};',
      ].join('\n'),
      loader: 'js',
    }));
  },
};

/** node-cron's date parts for timezone 'UTC' from Date's UTC getters (src/daemon/cron-utc.ts) instead of
 *  Intl.DateTimeFormat, which costs an idle daemon ~8 MB (ICU data). Other timezones keep Intl. The build fails if
 *  node-cron's code no longer has the two functions patched (an upgrade must be looked at, not silently missed). */
const nodeCronUtc = {
  name: 'node-cron-utc',
  setup(b) {
    b.onLoad({ filter: /[\\/]node_modules[\\/]node-cron[\\/]dist[\\/]_shared\.js$/ }, async (args) => {
      let code = await fs.promises.readFile(args.path, 'utf8');
      const patches = [
        ['function buildDateParts(date, timezone) {', "if (timezone === 'UTC') return __hpUtcDateParts(date);"],
        ['function getTimezoneGMT(date, timezone) {', "if (timezone === 'UTC') return 'Z';"],
      ];
      for (const [head, line] of patches) {
        if (code.split(head).length !== 2) throw new Error(`node-cron-utc: "${head}" not found once in ${args.path}`);
        code = code.replace(head, `${head}\n    ${line}`);
      }
      const helper = JSON.stringify(path.join(root, 'src/daemon/cron-utc.ts'));
      return { contents: `import { utcDateParts as __hpUtcDateParts } from ${helper};\n${code}`, loader: 'js' };
    });
  },
};

/** node-cron works out two file paths when it loads, each a file URL round trip of import.meta.url (~1 ms of
 *  `status` together): its background-task daemon's, and its own, to find a task file's caller in a stack trace.
 *  Both serve background tasks only: hashpulse starts none (their fork is the lazy stand-in above), and no bundle
 *  has node-cron's daemon.js beside it. So neither is worked out. The build fails if either line is not found once
 *  (an upgrade must be looked at). */
const nodeCronNoFilePaths = {
  name: 'node-cron-no-file-paths',
  setup(b) {
    b.onLoad({ filter: /[\\/]node_modules[\\/]node-cron[\\/]dist[\\/]node-cron\.js$/ }, async (args) => {
      let code = await fs.promises.readFile(args.path, 'utf8');
      const patches = [
        [
          "const daemonPath = resolve(dirname(fileURLToPath(import.meta.url)), 'daemon.js');",
          "const daemonPath = 'node-cron-daemon.js'; // hashpulse: no background tasks",
        ],
        [
          'const moduleFilename = fileURLToPath(import.meta.url);',
          "const moduleFilename = 'node-cron.js'; // hashpulse: no background tasks",
        ],
      ];
      for (const [line, instead] of patches) {
        if (code.split(line).length !== 2) throw new Error(`node-cron-no-file-paths: "${line}" not found once in ${args.path}`);
        code = code.replace(line, instead);
      }
      return { contents: code, loader: 'js' };
    });
  },
};

fs.rmSync(dist, { recursive: true, force: true });
process.on('exit', () => fs.rmSync(dist, { recursive: true, force: true }));

/** The read-only program (dist/src/cli.cjs) leaves out what only the other commands run: a dynamic import made by
 *  a writing command's module (src/cli/<command>.ts), a job (jobs/), the pipeline, the sources, the HTTP client,
 *  the migrator or the migrations is not followed, nor one of the writing context or the logger. In its place is a module that throws, so a read-only command that ever reached
 *  one would fail loudly (test/fast-path.test.ts runs each read-only command through this file). The list of
 *  read-only commands is src/cli/fast-path.ts's, read from the source so the two cannot disagree. */
const FAST_COMMANDS = (() => {
  const src = fs.readFileSync(path.join(root, 'src/cli/fast-path.ts'), 'utf8');
  const m = /export const FAST_COMMANDS: readonly string\[\] = (\[[^\]]*\]);/.exec(src);
  if (!m) throw new Error('read-only-program: FAST_COMMANDS not found in src/cli/fast-path.ts');
  return JSON.parse(m[1].replaceAll("'", '"'));
})();
const readOnlyProgram = {
  name: 'read-only-program',
  setup(b) {
    const rel = (p) => path.relative(root, p).split(path.sep).join('/');
    const leftOut = (importer) => {
      const r = rel(importer);
      const command = /^src\/cli\/([a-z-]+)\.ts$/.exec(r)?.[1];
      if (command) return !FAST_COMMANDS.includes(command) && command !== 'common';
      return /^(jobs\/|migrations\/index\.ts$|src\/pipeline\/|src\/sources\/|src\/http\.ts$|src\/db\/connection\.ts$)/.test(r);
    };
    // The writing context and its logger (src/cli/common.ts withContext): no read-only command opens one.
    const leftOutTarget = (p) => /^\.\.\/(context|log)\.js$/.test(p);
    b.onResolve({ filter: /.*/ }, (args) =>
      args.kind === 'dynamic-import' && (leftOut(args.importer) || leftOutTarget(args.path))
        ? { path: `${rel(args.importer)} -> ${args.path}`, namespace: 'left-out' }
        : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: 'left-out' }, (args) => ({
      contents: `throw new Error(${JSON.stringify(`hashpulse: internal error: ${args.path} is not in the read-only program (scripts/build.mjs)`)});`,
      loader: 'js',
    }));
  },
};

await build({
  ...common,
  entryPoints: { 'src/program': 'src/cli/program.ts', 'src/job-process': 'src/daemon/job-process.ts' },
  outdir: dist,
  splitting: true,
  chunkNames: 'src/chunks/[name]-[hash]',
  metafile: true,
  plugins: [lazyChildProcess, cheerioLoadOnly, nodeCronUtc, nodeCronNoFilePaths],
}).then((r) => fs.writeFileSync(path.join(dist, 'meta-program.json'), JSON.stringify(r.metafile)));

/** The read-only programs check a file's views by the fingerprint baked in below (src/db/figures.ts), so the views'
 *  text (src/figures/, ~37 kB, a quarter of a read-only program) is not needed to open a file: src/db/figures.ts gets
 *  a FIGURES whose identity is all the fingerprint compares, and which throws if anything reads it. The one view a
 *  read command uses as text (report_monthly_live, for `report`'s assumptions in force) is imported by name and
 *  stays. */
const viewsByFingerprint = {
  name: 'views-by-fingerprint',
  setup(b) {
    b.onResolve({ filter: /^\.\.\/figures\/index\.js$/ }, (args) =>
      /[\\/]src[\\/]db[\\/]figures\.ts$/.test(args.importer) ? { path: 'FIGURES', namespace: 'views-by-fingerprint' } : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: 'views-by-fingerprint' }, () => ({
      contents: `export const FIGURES = new Proxy([], { get() { throw new Error(${JSON.stringify('hashpulse: internal error: the views are not in the read-only program (scripts/build.mjs)')}); } });`,
      loader: 'js',
    }));
  },
};

/** In a CommonJS build, esbuild turns `import fs from 'node:fs'` into `__toESM(require('node:fs'), 1)`, which copies
 *  every property of the module onto a new object, with a getter each: the fourteen such imports of the bin and the
 *  read-only program cost ~2.6 ms of every start (measured in a fresh process). Node's builtins are CommonJS objects
 *  whose default export is the object itself, so our own files bind them directly instead (same line count, so the
 *  source maps stay right). The ES-module build keeps its native imports. */
const builtinsDirect = {
  name: 'builtins-direct',
  setup(b) {
    b.onLoad({ filter: /[\\/](src|jobs|migrations)[\\/].*\.ts$/ }, async (args) => {
      if (/[\\/]node_modules[\\/]/.test(args.path)) return undefined;
      const code = await fs.promises.readFile(args.path, 'utf8');
      return {
        contents: code
          .replace(/^import ([A-Za-z_$][\w$]*) from '(node:[a-z_/]+)';$/gm, "const $1 = require('$2');")
          // createRequire serves rare paths (a fallback, a lazy import): node:module is loaded at its first call
          // rather than at start (~0.6 ms).
          .replace(
            /^import \{ createRequire \} from 'node:module';$/m,
            "const createRequire = (from: string) => require('node:module').createRequire(from);",
          ),
        loader: 'ts',
      };
    });
  },
};

// CommonJS has no import.meta: its uses (new URL(…, import.meta.url), createRequire) get the file's own URL, and
// import.meta.dirname the file's folder.
const commonJs = {
  format: 'cjs',
  outExtension: { '.js': '.cjs' },
  define: { 'import.meta.url': '__hpImportMeta.url', 'import.meta.dirname': '__dirname' },
  // An injected module, not a banner: a banner would come before "use strict" and leave the program sloppy.
  inject: [path.join(root, 'scripts/cjs-import-meta-url.js')],
  banner: {},
};

/** The fingerprint of the views (src/db/figures.ts figuresFingerprint), computed here by the same code, so the
 *  read-only program compares it with the file's without loading node:crypto. */
async function figuresFingerprint() {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'hashpulse-build-')), 'figures.mjs');
  try {
    await build({ ...common, entryPoints: ['src/db/figures.ts'], outfile: file, sourcemap: false, banner: {} });
    return (await import(pathToFileURL(file).href)).figuresFingerprint();
  } finally {
    fs.rmSync(path.dirname(file), { recursive: true, force: true });
  }
}

await build({
  ...common,
  ...commonJs,
  define: { ...commonJs.define, __HP_FIGURES_FINGERPRINT__: JSON.stringify(await figuresFingerprint()) },
  // Written as the function Node's CommonJS loader would wrap it in (src/cli/code-cache.ts CJS_WRAPPER), so the
  // loader compiles the text as read instead of a wrapped copy of it; the function's "use strict" makes it strict.
  banner: { js: '(function (exports, require, module, __filename, __dirname) {' },
  footer: { js: '})' },
  // One program per read-only command (src/cli/read-only/<command>.ts): each holds and sets up only its command.
  entryPoints: Object.fromEntries(FAST_COMMANDS.map((c) => [`src/read-only/${c}`, `src/cli/read-only/${c}.ts`])),
  outdir: dist,
  // better-sqlite3's JavaScript is bundled (Node's search of node_modules for it costs ~10 ms); the addon itself is
  // loaded by path (src/db/sqlite.ts).
  external: [],
  // Read and compiled at every start: minified, it is half the text (and ASCII only, which Node reads faster).
  // Its stack traces are never printed (-v runs dist/src/program.js); the source map maps them all the same.
  minify: true,
  metafile: true,
  plugins: [
    readOnlyProgram,
    viewsByFingerprint,
    nodeCronOnDemand,
    lazyChildProcess,
    cheerioLoadOnly,
    builtinsDirect,
  ],
}).then((r) => fs.writeFileSync(path.join(dist, 'meta-read-only.json'), JSON.stringify(r.metafile)));

// The read-only program runs from a vm.Script (src/cli/code-cache.ts), where import() has no loader, and must not
// set up the ES-module loader anyway; its text is read as Latin-1, which is right only for ASCII.
for (const c of FAST_COMMANDS) {
  const text = fs.readFileSync(path.join(dist, `src/read-only/${c}.cjs`), 'latin1');
  const dynamic = /\bimport\((?!\))/.exec(text);
  if (dynamic) throw new Error(`read-only ${c}: an import() is left at ${text.slice(dynamic.index, dynamic.index + 60)}`);
  if (/[^\x00-\x7f]/.test(text)) throw new Error(`read-only ${c}: not ASCII`);
}

// The bin: which program runs a command line, and the code-cache loader (a few kB).
await build({ ...common, ...commonJs, entryPoints: { 'src/cli': 'src/cli.ts' }, outdir: dist, plugins: [builtinsDirect] });

/** The read-only program's code cache (src/cli/code-cache.ts): each read-only command runs once, on an empty
 *  database, and adds the functions it compiled. A command may fail here (no data): what it compiled counts. The
 *  cache is an optimisation: without it (an error here, another Node) the program is compiled as usual. */
function warmCodeCache() {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'hashpulse-build-'));
  const cli = path.join(dist, 'src/cli.cjs');
  const env = {
    PATH: process.env.PATH ?? '',
    HASHPULSE_DB: path.join(tmp, 'warm.db'),
    HASHPULSE_UNIVERSE: path.join(root, 'data/universe.json'),
    HASHPULSE_NOW: '2026-02-01T06:00:00Z',
    HASHPULSE_LOG_LEVEL: 'silent',
  };
  try {
    spawnSync(process.execPath, [cli, 'migrate'], { env, stdio: 'ignore' });
    const runs = [
      ['--help'],
      ['report', '--help'], // a command's own program hands it to the help program (src/cli.ts)
      ['universe'],
      ['status'],
      ['check'],
      ...['json', 'csv', 'md', 'table'].map((f) => ['report', '--month', '2026-01', '--format', f]),
    ];
    for (const args of runs)
      spawnSync(process.execPath, [cli, ...args], { env: { ...env, HASHPULSE_CODE_CACHE_WRITE: '1' }, stdio: 'ignore' });
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
  if (!fs.readdirSync(path.join(dist, 'src/read-only')).some((f) => f.endsWith('.v8cache')))
    console.warn('build: no code cache for the read-only program; it will start ~30 ms slower');
}
warmCodeCache();

await build({
  ...common,
  // Every part of the bench is an entry (bench/run.ts runs the parts it finds built); the two shared modules are
  // bundled into the parts that import them.
  entryPoints: fs
    .readdirSync(path.join(root, 'bench'))
    .filter((f) => f.endsWith('.ts') && !['bench-module.ts', 'synthetic.ts'].includes(f))
    .map((f) => `bench/${f}`),
  outdir: path.join(dist, 'bench'),
});

// Another build may put its own in place between the two calls: then the newer one wins.
for (let attempt = 0; ; attempt++) {
  fs.rmSync(out, { recursive: true, force: true });
  try {
    fs.renameSync(dist, out);
    break;
  } catch (err) {
    if (attempt >= 3 || !['ENOTEMPTY', 'EEXIST'].includes(err.code)) throw err;
  }
}
