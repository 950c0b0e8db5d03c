// npm run build (and prepare): bundles the TypeScript into dist/ with esbuild.
//   dist/src/cli.js      the `hashpulse` command (bin, npm start); the code each command loads later (report,
//                        the jobs, the HTTP clients, …) is split into dist/src/chunks/, loaded by dynamic import
//   dist/src/job-process.js  a job process of the daemon (one per scheduled run, src/daemon/job-runner.ts), with
//                        its own chunks in dist/src/job-chunks/ (a separate build: the CLI's chunks stay as they are)
//   dist/bench/*.js      the benchmarks, one file each
// better-sqlite3 stays external (a native addon, loaded from node_modules). Source maps (dist/**/*.js.map) point
// at the .ts files; src/cli.ts turns them on before it loads the program, so stack traces name the TypeScript.
// The type check is not part of the build: `npm test` and `npm run typecheck` run tsc.
import fs from 'node:fs';
import path from 'node:path';
import { build } from 'esbuild';

const root = path.resolve(import.meta.dirname, '..');
// An output folder other than dist/ may be given (to compare two builds side by side).
const dist = path.resolve(root, process.argv[2] ?? 'dist');

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

fs.rmSync(dist, { recursive: true, force: true });

await build({
  ...common,
  entryPoints: { 'src/cli': 'src/cli.ts' },
  outdir: dist,
  splitting: true,
  chunkNames: 'src/chunks/[name]-[hash]',
  metafile: true,
  plugins: [lazyChildProcess, cheerioLoadOnly, nodeCronUtc],
}).then((r) => fs.writeFileSync(path.join(dist, 'meta-cli.json'), JSON.stringify(r.metafile)));

// The daemon's job process: a separate entry and build, so the CLI's bundle and chunks do not depend on it.
await build({
  ...common,
  entryPoints: { 'src/job-process': 'src/daemon/job-process.ts' },
  outdir: dist,
  splitting: true,
  chunkNames: 'src/job-chunks/[name]-[hash]',
  plugins: [cheerioLoadOnly],
});

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
