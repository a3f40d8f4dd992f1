// Imports for tests, all through the import `sro import` runs (src/roster/import.ts importFeed:
// staged by COPY, checked and merged in SQL, one transaction): a roster on disk through its
// streaming feed, or a roster the test holds as an object (built in code, or read by the
// oracle, test/oracle/roster-in-memory.ts) fed row by row into the same staging tables.
import { EXPAND_JSON_CONTACTS, STAGE_TABLES } from '../../src/db/import-staging.ts';
import {
  type ImportOptions,
  type ImportResult,
  type RosterFeed,
  importFeed,
  stagedPath,
} from '../../src/roster/import.ts';
import { openRosterFeed } from '../../src/roster/load.ts';
import { ROSTER_SECTIONS, type Roster } from '../../src/roster/schema.ts';
import { type NestedContact, districtValues, keyOf, stagedValues } from '../../src/roster/stage-rows.ts';
import { absentFilesOf, locatorOf } from '../oracle/roster-validate.ts';

/** A roster held in memory (rosterSchema.parse, or the oracle's reader) as a feed: its rows staged as they are. */
function rosterObjectFeed(roster: Roster): RosterFeed {
  const locator = locatorOf(roster);
  return {
    async stage({ session }) {
      for (const section of ROSTER_SECTIONS) {
        const w = session.stage(STAGE_TABLES[section]);
        const rows = roster[section] as readonly unknown[];
        for (let i = 0; i < rows.length; i++) {
          const row = rows[i];
          const key = keyOf(section, row);
          let wait: Promise<void> | undefined;
          if (section === 'districts') {
            const d = roster.districts[i]!;
            const contacts = d.contacts.map((c, j): NestedContact => [j, c.email, c.role, c.name]);
            wait = w.add(districtValues(i, key, d, contacts));
          } else wait = w.add(stagedValues(section, i, key, row));
          if (wait) await wait;
        }
        await w.end();
        if (section === 'districts') await session.run(EXPAND_JSON_CONTACTS);
      }
    },
    locate: (section, r, sub, field) =>
      locator.locate(field === null ? stagedPath(section, r, sub) : [...stagedPath(section, r, sub), field]),
    describe: (section, r, sub) => locator.describe(stagedPath(section, r, sub)),
    absent: () => absentFilesOf(roster),
  };
}

/** Imports a roster object into the database at `databaseUrl` (errors as `sro import` lists them). */
export function importRosterObject(databaseUrl: string, roster: Roster, options: ImportOptions): Promise<ImportResult> {
  return importFeed(databaseUrl, rosterObjectFeed(roster), options);
}

/** What `sro import PATH` does: the .json file or CSV folder at `path`, streamed into the database at `databaseUrl`. */
export async function importRosterPath(
  databaseUrl: string,
  path: string,
  options: ImportOptions,
): Promise<ImportResult & { warnings?: string[] }> {
  const opened = await openRosterFeed(path);
  if (!opened.ok) return opened;
  return { ...(await importFeed(databaseUrl, opened.feed, options)), warnings: opened.warnings };
}
