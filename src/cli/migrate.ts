// `hashpulse migrate`: bring the database schema to the latest migration (also done at every start of a writing
// command) and store the economics assumptions in force; read-only commands ask for it when the schema is behind.
import type { Command } from 'commander';
import type { GlobalOptions } from './common.js';
import { writeStdout } from './output.js';

export function register(program: Command): void {
  program
    .command('migrate')
    .description('create or upgrade the database schema, and store the economics assumptions in force')
    .action(async (_o: unknown, cmd: Command) => {
      const opts = cmd.optsWithGlobals<GlobalOptions>();
      const { openDb, migrateAll } = await import('../db/connection.js');
      const { configFrom } = await import('./common.js');
      const config = await configFrom(opts);
      const opened = await openDb(config.dbPath, { migrate: false });
      try {
        const { migrations, views } = await migrateAll(opened.db, opened.sqlite);
        // The economics assumptions in force, for report_monthly in SQL (a bad line of the file: exit 2, after
        // the schema is done).
        const { storeAssumptionsInForce } = await import('../store/economics.js');
        const assumptions = storeAssumptionsInForce(opened.sqlite, config);
        const done = [
          ...(migrations.length ? [`applied: ${migrations.join(', ')}`] : []),
          ...(views ? [`views recreated: ${views}`] : []),
          ...(assumptions ? [`economics assumptions stored (from the environment and ${config.economicsPath})`] : []),
        ];
        writeStdout(done.length ? `${done.join('; ')}\n` : `${config.dbPath} is up to date\n`);
      } finally {
        await opened.close();
      }
    });
}
