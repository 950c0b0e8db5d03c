// `hashpulse migrate`: bring the database schema to the latest migration (also done at every start).
import type { Command } from 'commander';
import type { GlobalOptions } from './common.js';

export function register(program: Command): void {
  program
    .command('migrate')
    .description('create or upgrade the database schema')
    .action(async (_o: unknown, cmd: Command) => {
      const opts = cmd.optsWithGlobals<GlobalOptions>();
      const { openDb, migrateAll } = await import('../db/connection.js');
      const { configFrom } = await import('./common.js');
      const config = await configFrom(opts);
      const opened = await openDb(config.dbPath, { migrate: false });
      try {
        const { migrations, views } = await migrateAll(opened.db, opened.sqlite);
        const done = [...(migrations.length ? [`applied: ${migrations.join(', ')}`] : []), ...(views ? [`views recreated: ${views}`] : [])];
        process.stdout.write(done.length ? `${done.join('; ')}\n` : `${config.dbPath} is up to date\n`);
      } finally {
        await opened.close();
      }
    });
}
