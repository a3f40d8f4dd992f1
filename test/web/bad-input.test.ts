// Bad input is the client's (INTERFACE.md "Console": bad input gets 400 with every problem
// named by field, and changes nothing; a path that names nothing is 404), never a 500 with
// an error an operator is paged for. Each case below was a 500 before every param, query and
// body had its schema. (Issue 19, security 7.)
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ConsoleRig, type WebClient, type WebResponse, startConsoleRig } from '../helpers/console.ts';
import { ADMIN, CHIEF, albertLeaRoster } from '../helpers/console-fixtures.ts';

const ROSTER = albertLeaRoster('2025-08-20', ['T1', 'T2']);

let rig: ConsoleRig;
let admin: WebClient;
let chief: WebClient;

beforeAll(async () => {
  rig = await startConsoleRig('bad-input', { ADMIN_EMAILS: ADMIN, LOGIN_LIMIT_PER_CLIENT: '1000' });
  await rig.load(ROSTER);
  [admin, chief] = await Promise.all([rig.signIn(ADMIN), rig.signIn(CHIEF)]);
});
afterAll(() => rig?.close());

const problemsOf = (r: WebResponse) => r.json<{ errors: { field: string; problem: string }[] }>().errors;

/** A raw request from `client`'s jar (a content type fetch would not send on its own). */
async function raw(
  client: WebClient,
  path: string,
  headers: Record<string, string>,
  body: string,
): Promise<WebResponse> {
  const cookie = [...client.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  const res = await fetch(new URL(path, rig.url), {
    method: 'POST',
    headers: { cookie, 'x-csrf-token': await client.csrfToken(), ...headers },
    body,
    redirect: 'manual',
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, text, json: <T>() => JSON.parse(text) as T };
}

describe('a query that is not what the page takes: 400, the field named', () => {
  for (const done of ['constructor', '__proto__', 'hasOwnProperty', 'toString']) {
    it(`/officers/T1?done=${done}`, async () => {
      const r = await chief.get(`/officers/T1?done=${done}`);
      expect(r.status).toBe(400);
      expect(r.headers.get('content-type')).toMatch(/^text\/html/);
      expect(r.text).toContain('done: ');
    });
  }

  for (const path of ['/officers/T1', '/api/officers/T1', '/api/officers', '/']) {
    it(`${path}?asOf=9999-12-31 (a year no roster holds)`, async () => {
      const r = await chief.get(`${path}?asOf=9999-12-31`);
      expect(r.status).toBe(400);
      if (path.startsWith('/api/')) expect(problemsOf(r)).toEqual([{ field: 'asOf', problem: expect.any(String) }]);
      else expect(r.text).toContain('asOf: ');
    });
  }

  it('/api/audit?since=-271821-04-20 (the first instant JavaScript knows)', async () => {
    const r = await admin.get('/api/audit?since=-271821-04-20');
    expect(r.status).toBe(400);
    expect(problemsOf(r)).toEqual([{ field: 'since', problem: expect.stringMatching(/instant/) }]);
  });

  it('/api/audit?cursor=made-up: a cursor the log never gave', async () => {
    const r = await admin.get('/api/audit?cursor=made-up');
    expect(r.status).toBe(400);
    expect(problemsOf(r)).toEqual([{ field: 'cursor', problem: expect.any(String) }]);
  });

  it('/?district=NOPE right after an import (the admin’s list)', async () => {
    await rig.load(albertLeaRoster('2025-08-20', ['T1', 'T2', 'T3']));
    const r = await admin.get('/?district=NOPE');
    expect(r.status).toBe(400);
    expect(r.text).toContain('district: no such district on the roster');
    // A chief's list says the same of a district none of their officers serves.
    const c = await chief.get('/?district=NOPE');
    expect(c.status).toBe(400);
    expect(c.text).toContain('district: no such district among your officers');
  });
});

describe('a path that names nothing: 404, as a license that does not exist', () => {
  for (const [client, path] of [
    ['chief', '/officers/%00'],
    ['chief', '/api/officers/%00'],
    ['chief', '/officers/%E2%80%8B'],
    ['admin', '/api/officers/T1%00/certificates/00'],
  ] as const) {
    it(`GET ${path}`, async () => {
      const r = await (client === 'chief' ? chief : admin).get(path);
      expect(r.status).toBe(404);
    });
  }

  it('POST /api/officers/%00/policy-reviews', async () => {
    const r = await chief.post('/api/officers/%00/policy-reviews', { json: { reviewedOn: '2026-01-05' } });
    expect(r.status).toBe(404);
  });
});

describe('a body that is not what the route takes: 400, every problem by field', () => {
  it('{"reviewedOn":{"toString":1}}', async () => {
    const r = await chief.post('/api/officers/T1/policy-reviews', { json: { reviewedOn: { toString: 1 } } });
    expect(r.status).toBe(400);
    expect(problemsOf(r)).toEqual([{ field: 'reviewedOn', problem: 'must be text' }]);
  });

  it('contact days whose dates are not text, and a district that is a number: both named', async () => {
    const r = await chief.post('/api/officers/T1/contact-days', { json: { districtId: 7, dates: ['2026-01-05', 3] } });
    expect(r.status).toBe(400);
    expect(
      problemsOf(r)
        .map((p) => p.field)
        .sort(),
    ).toEqual(['dates.1', 'districtId']);
  });

  it('a JSON body that is not an object', async () => {
    const r = await raw(chief, '/api/officers/T1/acknowledgements', { 'content-type': 'application/json' }, '[1,2]');
    expect(r.status).toBe(400);
  });

  for (const path of ['/api/officers/T1/trainings', '/api/imports']) {
    it(`a multipart body without its boundary: ${path}`, async () => {
      const r = await raw(
        admin,
        path,
        { 'content-type': 'multipart/form-data' },
        '--x\r\nContent-Disposition: form-data; name="kind"\r\n\r\nSRO_MANDATED\r\n--x--\r\n',
      );
      expect(r.status).toBe(400);
    });
  }

  it('a multipart body cut short (no closing boundary): 400', async () => {
    const r = await raw(
      chief,
      '/api/officers/T1/trainings',
      { 'content-type': 'multipart/form-data; boundary=x' },
      '--x\r\nContent-Disposition: form-data; name="kind"\r\n\r\nSRO_MANDATED\r\n--x\r\nContent-Disposition: form-data; name="certificate"; filename="c.pdf"\r\n\r\n%PDF-1.4',
    );
    expect(r.status).toBe(400);
  });
});
