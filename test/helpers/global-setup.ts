// Migrates one template database per migrations checksum; each test file clones it
// (CREATE DATABASE … TEMPLATE), which takes milliseconds instead of a migrate run.
import pg from 'pg';
import { applyMigrations, migrationsChecksum } from '../../src/db/migrate.ts';
import { adminUrl, databaseUrlFor } from './db.ts';

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
