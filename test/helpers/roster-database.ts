// A test database that already holds a roster file, imported as `sro import` imports it.
import { join } from 'node:path';
import { projectRoot } from '../../src/db/migrate.ts';
import { type TestDatabase, createTestDatabase } from './db.ts';
import { importRosterPath } from './roster-import.ts';

export const DEMO_ROSTER_JSON = join(projectRoot, 'examples', 'demo-roster.json');

/** A fresh test database holding the roster at `path` (a JSON file or a CSV folder); throws, leaving nothing behind, when it does not import. */
export async function createRosterDatabase(label: string, path: string = DEMO_ROSTER_JSON): Promise<TestDatabase> {
  const t = await createTestDatabase(label);
  try {
    const imported = await importRosterPath(t.url, path, { replace: false });
    if (!imported.ok) throw new Error(JSON.stringify(imported.errors));
    return t;
  } catch (e) {
    await t.drop();
    throw e;
  }
}
