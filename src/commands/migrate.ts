import { applyMigrations } from '../db/migrate.ts';
import { redactUrl } from '../config.ts';
import type { Command } from './command.ts';

export const migrateCommand: Command = {
  help: `Creates the database named in DATABASE_URL if it does not exist, then applies the
Prisma migrations shipped in prisma/migrations that have not been applied yet.
Safe to run on every deploy: a database that is up to date is left as it is.
Works offline (no engine download).

Example:
  DATABASE_URL=postgresql://postgres@127.0.0.1:5432/sro sro migrate`,
  options: {},
  async run(ctx) {
    const config = ctx.config();
    ctx.log.info(`migrating ${redactUrl(config.databaseUrl)}`);
    await applyMigrations(config.databaseUrl, (line) => ctx.log.debug(line));
    ctx.log.info('database is up to date');
    return 0;
  },
};
