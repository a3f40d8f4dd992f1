// The admin's view of a large roster comes from the status snapshot (src/db/status-snapshot.ts):
// it must show exactly what a live evaluation shows, in the same order, and never an officer
// evaluated on an older roster as if it were current.
import { readFileSync } from 'node:fs';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { refreshStatusSnapshot, snapshotIsCurrent } from '../../src/app/status-snapshot.ts';
import { rulesOf } from '../../src/config.ts';
import { civilDateIn } from '../../src/shell/clock.ts';
import { createPool } from '../../src/db/pool.ts';
import { type ConsoleRig, type WebClient, startConsoleRig } from '../helpers/console.ts';
import { DEMO_ROSTER_JSON } from '../helpers/roster-database.ts';

const ADMIN = 'admin@example.org';
let rig: ConsoleRig;
let pool: pg.Pool;
let admin: WebClient;
const roster = JSON.parse(readFileSync(DEMO_ROSTER_JSON, 'utf8'));

beforeAll(async () => {
  rig = await startConsoleRig('status-snapshot', { ADMIN_EMAILS: ADMIN });
  await rig.load(roster);
  pool = createPool(rig.config.databaseUrl, 4);
  admin = await rig.signIn(ADMIN);
});
afterAll(async () => {
  await pool?.end();
  await rig?.close();
});

const today = () => civilDateIn(rig.config.timeZone);

describe('status snapshot', () => {
  it('serves the admin the same officers, in the same order, as a live evaluation', async () => {
    // A roster change makes any snapshot stale: the small roster is then evaluated live.
    await pool.query(`UPDATE officer SET first_name = first_name WHERE license = (SELECT min(license) FROM officer)`);
    expect(await snapshotIsCurrent(pool, today())).toBe(false);
    const live = (await admin.get('/api/officers')).json<{ officers: unknown[] }>();
    const livePage = (await admin.get('/')).text;

    const done = await refreshStatusSnapshot(pool, today(), rulesOf(rig.config));
    expect(done?.officers).toBe(live.officers.length);
    expect(await snapshotIsCurrent(pool, today())).toBe(true);
    const fromSnapshot = (await admin.get('/api/officers')).json<{ officers: unknown[] }>();
    expect(fromSnapshot).toEqual(live);
    // The page's counts and rows are the same; only the live list's column headings sort (the
    // snapshot is read by urgency only, and its page says so by offering no sort links).
    const rows = (html: string) => html.match(/<tbody>[\s\S]*?<\/tbody>/)?.[0];
    const counts = (html: string) => html.match(/<p class="sub total" role="status">[\s\S]*?<\/p>/)?.[0];
    const snapshotPage = (await admin.get('/')).text;
    expect(rows(snapshotPage)).toBeDefined();
    expect(rows(snapshotPage)).toEqual(rows(livePage));
    expect(counts(snapshotPage)).toEqual(counts(livePage));
    expect(livePage).toContain('href="/?sort=name"');
    expect(snapshotPage).not.toContain('href="/?sort=name"');
  });

  it('is stale as soon as the roster changes, and a change shows at once', async () => {
    await refreshStatusSnapshot(pool, today(), rulesOf(rig.config));
    const before = (await admin.get('/api/officers')).json<{ officers: { license: string; name: string }[] }>();
    const first = before.officers[0]!;
    await pool.query(`UPDATE officer SET first_name = 'Renamed' WHERE license = $1`, [first.license]);
    expect(await snapshotIsCurrent(pool, today())).toBe(false);
    const after = (await admin.get('/api/officers')).json<{ officers: { license: string; name: string }[] }>();
    expect(after.officers.find((o) => o.license === first.license)?.name).toMatch(/^Renamed /);
  });
});
