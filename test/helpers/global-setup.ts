// Migrates one template database per migrations checksum; each test file clones it
// (CREATE DATABASE … TEMPLATE), which takes milliseconds instead of a migrate run.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { applyMigrations, projectRoot } from '../../src/db/migrate.ts';
import { adminUrl, databaseUrlFor } from './db.ts';

function migrationsChecksum(): string {
  const dir = join(projectRoot, 'prisma', 'migrations');
  const hash = createHash('sha256');
  for (const name of readdirSync(dir).sort()) {
    if (name.endsWith('.toml')) continue;
    hash.update(name);
    hash.update(readFileSync(join(dir, name, 'migration.sql')));
  }
  return hash.digest('hex').slice(0, 12);
}

export default async function setup({ provide }: { provide: (key: string, value: unknown) => void }) {
  const template = `sro_test_template_${migrationsChecksum()}`;
  const client = new pg.Client({ connectionString: adminUrl() });
  await client.connect();
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [template]);
    if (!found.rowCount) {
      // Lock so parallel test runs do not both build it.
      await client.query('SELECT pg_advisory_lock(4626848)');
      try {
        const again = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [template]);
        if (!again.rowCount) {
          const building = `${template}_building`;
          await client.query(`DROP DATABASE IF EXISTS "${building}" WITH (FORCE)`);
          await applyMigrations(databaseUrlFor(building));
          await client.query(`ALTER DATABASE "${building}" RENAME TO "${template}"`);
        }
      } finally {
        await client.query('SELECT pg_advisory_unlock(4626848)');
      }
    }
  } finally {
    await client.end();
  }
  provide('templateDatabase', template);
}
