import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ConsoleRig, startConsoleRig } from '../helpers/console.ts';
import { DEMO_ROSTER_JSON } from '../helpers/roster-database.ts';
import { runSro } from '../helpers/sro-cli.ts';

let rig: ConsoleRig;
beforeAll(async () => {
  rig = await startConsoleRig('console-smoke', { ADMIN_EMAILS: 'admin@example.org' });
  await rig.load(JSON.parse(readFileSync(DEMO_ROSTER_JSON, 'utf8')));
});
afterAll(() => rig?.close());

describe('console smoke', () => {
  it('signs a chief in by link and by code and lists only their agency', async () => {
    for (const via of ['link', 'code'] as const) {
      const chief = await rig.signIn('chief.ellis@albertlea-pd.example', via);
      const s = await chief.get('/api/session');
      expect(s.json()).toMatchObject({ roles: [{ role: 'CHIEF', agencyId: 'MN0240100' }] });
      const list = await chief.get('/api/officers');
      const officers = list.json<{ officers: { agencyId: string }[] }>().officers;
      expect(officers.length).toBeGreaterThan(0);
      expect(new Set(officers.map((o) => o.agencyId))).toEqual(new Set(['MN0240100']));
      expect((await chief.get('/')).status).toBe(200);
    }
  });

  it("gives an admin exactly sro report --json's officers, in its order", async () => {
    const admin = await rig.signIn('admin@example.org');
    for (const asOf of ['2026-03-02', '2027-06-01']) {
      const api = (await admin.get(`/api/officers?asOf=${asOf}`)).json<{ asOf: string; officers: unknown[] }>();
      const cli = await runSro(['report', '--json', '--as-of', asOf], { DATABASE_URL: rig.config.databaseUrl });
      expect(cli.code, cli.stderr).toBe(0);
      expect(api).toEqual(JSON.parse(cli.stdout));
    }
  });
});
