// What each role sees (INTERFACE.md "Console", "Who sees what"): exactly its officers in
// `/api/officers`, its roles in `/api/session`, the union of two roles; and the queue dashboard
// under /admin/queues, for admins only and read-only. The world is test/helpers/authorization.ts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DUAL, ROLE, ROLES, type Role, startAuthorizationWorld } from '../helpers/authorization.ts';
import type { ConsoleRig, WebClient } from '../helpers/console.ts';

let rig: ConsoleRig;
let clients: Map<Role, WebClient>;

beforeAll(async () => {
  ({ rig, clients } = await startAuthorizationWorld('console-scopes'));
});
afterAll(() => rig?.close());

describe('what each role sees', () => {
  for (const role of ROLES.filter((r) => r !== 'signedOut')) {
    it(`${role}: /api/officers lists exactly its officers, /api/session its roles`, async () => {
      const client = clients.get(role)!;
      const list = await client.get('/api/officers');
      expect(list.status).toBe(200);
      const licenses = list.json<{ officers: { license: string }[] }>().officers.map((o) => o.license);
      expect(new Set(licenses)).toEqual(new Set(ROLE[role].sees));
      expect(licenses).toHaveLength(ROLE[role].sees.length);
      const session = await client.get('/api/session');
      expect(session.json()).toEqual({
        email: ROLE[role].email,
        roles: ROLE[role].roles,
        csrfToken: expect.any(String),
      });
    });
  }

  it('an address with two roles (chief of C, escalation contact of D2) sees the union', async () => {
    const dual = await rig.signIn(DUAL);
    const session = await dual.get('/api/session');
    expect(session.json<{ roles: unknown[] }>().roles).toEqual(
      expect.arrayContaining([
        { role: 'CHIEF', agencyId: 'AGC' },
        { role: 'DISTRICT_CONTACT', districtId: 'D2' },
      ]),
    );
    expect(session.json<{ roles: unknown[] }>().roles).toHaveLength(2);
    const licenses = (await dual.get('/api/officers'))
      .json<{ officers: { license: string }[] }>()
      .officers.map((o) => o.license);
    expect(new Set(licenses)).toEqual(new Set(['C1', 'B1']));
    expect((await dual.get('/officers/C1')).status).toBe(200);
    expect((await dual.get('/officers/B1')).status).toBe(200);
    expect((await dual.get('/api/officers/B1')).status).toBe(200);
    expect((await dual.get('/officers/B3')).status).toBe(404);
    expect((await dual.get('/api/officers/A1')).status).toBe(404);
  });
});

describe('the queue dashboard under /admin/queues (admins, read-only)', () => {
  it('answers its JSON API to an admin, 404 to a chief, 303 signed out', async () => {
    const admin = await clients.get('admin')!.get('/admin/queues/api/queues');
    expect(admin.status).toBe(200);
    expect(admin.headers.get('content-type')).toMatch(/^application\/json/);
    expect(admin.json<{ queues: unknown[] }>().queues.length).toBeGreaterThan(0);
    expect((await clients.get('chiefA')!.get('/admin/queues/api/queues')).status).toBe(404);
    expect((await clients.get('contactD1')!.get('/admin/queues/api/queues')).status).toBe(404);
    const out = await clients.get('signedOut')!.get('/admin/queues/api/queues');
    expect(out.status).toBe(303);
    expect(out.headers.get('location')).toBe('/login');
  });

  it('refuses every change, even an admin’s (405)', async () => {
    const admin = clients.get('admin')!;
    const queues = (await admin.get('/admin/queues/api/queues')).json<{ queues: { name: string }[] }>().queues;
    const name = encodeURIComponent(queues[0]!.name);
    for (const [method, path] of [
      ['PUT', '/admin/queues/api/queues/pause'],
      ['PUT', `/admin/queues/api/queues/${name}/retry/failed`],
      ['PUT', `/admin/queues/api/queues/${name}/clean/completed`],
      ['POST', `/admin/queues/api/queues/${name}/add`],
    ] as const) {
      const r = await admin.request(method, path, { json: { name: 'x', data: {} } });
      expect(r.status, `${method} ${path}`).toBe(405);
    }
    const after = (await admin.get('/admin/queues/api/queues')).json<{ queues: { isPaused?: boolean }[] }>().queues;
    expect(after.every((q) => !q.isPaused)).toBe(true);
    // A chief learns nothing about the dashboard, not even that it refuses changes.
    expect((await clients.get('chiefA')!.request('PUT', '/admin/queues/api/queues/pause')).status).toBe(404);
  });
});
