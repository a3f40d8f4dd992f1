// Prisma CLI configuration. The JS schema engine (engine: 'js') drives migrations
// through a pg driver adapter, so nothing is downloaded at install or run time.
import { defineConfig } from 'prisma/config';
import { migrationAdapterFactory } from './src/db/migration-adapter.ts';

export default defineConfig({
  experimental: { adapter: true },
  engine: 'js',
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
  async adapter() {
    return migrationAdapterFactory(process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/sro');
  },
});
