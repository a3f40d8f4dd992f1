// REQUEST_BODY_TIMEOUT_SECONDS (INTERFACE.md, the console's configuration): a request whose
// body stops arriving for longer is abandoned with 408, and what it started is undone: the
// upload's files, the import's transaction and lock, so the next import goes through. Driven
// from a raw socket that sends the headers and half the body, then nothing. (Issue 19,
// security 6.)
import { type Socket, connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ConsoleRig, type WebClient, startConsoleRig } from '../helpers/console.ts';
import { ADMIN, ALBERT_LEA, CHIEF, ISD241 } from '../helpers/console-fixtures.ts';
import { queryRows } from '../helpers/db.ts';

const TIMEOUT_SECONDS = 2;
const ROSTER = {
  agencies: [ALBERT_LEA],
  districts: [ISD241],
  officers: [{ license: 'T1', firstName: 'Dana', lastName: 'Olson', email: null, agencyId: ALBERT_LEA.id }],
  assignments: [{ license: 'T1', districtId: 'ISD241', role: 'REGULAR', startDate: '2025-08-20', endDate: null }],
};

let rig: ConsoleRig;
let admin: WebClient;
let chief: WebClient;
beforeAll(async () => {
  rig = await startConsoleRig('stalled-body', {
    ADMIN_EMAILS: ADMIN,
    REQUEST_BODY_TIMEOUT_SECONDS: String(TIMEOUT_SECONDS),
    LOGIN_LIMIT_PER_CLIENT: '1000',
  });
  await rig.load(ROSTER);
  [admin, chief] = await Promise.all([rig.signIn(ADMIN), rig.signIn(CHIEF)]);
});
afterAll(() => rig?.close());

const cookieOf = (c: WebClient) => [...c.cookies].map(([k, v]) => `${k}=${v}`).join('; ');

interface Stalled {
  /** The status line's code, or null when the server closed without answering. */
  status: number | null;
  /** Seconds from the stall to the answer. */
  seconds: number;
  closed: boolean;
}

/**
 * Sends `head` and the first half of `body` (whose full length the Content-Length header
 * announces), then nothing, and waits (at most 15 s) for the answer and the close.
 */
function stall(head: string, body: Buffer): Promise<Stalled> {
  const { hostname, port } = new URL(rig.url);
  return new Promise((resolve, reject) => {
    const socket: Socket = connect(Number(port), hostname);
    let answer = '';
    let stalledAt = 0;
    let status: number | null = null;
    let seconds = 0;
    const guard = setTimeout(() => {
      socket.destroy();
      resolve({ status, seconds, closed: false });
    }, 15_000);
    socket.on('connect', () => {
      socket.write(`${head}Content-Length: ${body.length}\r\n\r\n`);
      socket.write(body.subarray(0, Math.floor(body.length / 2)), () => (stalledAt = Date.now()));
    });
    socket.on('data', (d) => {
      answer += d.toString('latin1');
      const m = /^HTTP\/1\.1 (\d{3})/.exec(answer);
      if (m && status === null) {
        status = Number(m[1]);
        seconds = (Date.now() - stalledAt) / 1000;
      }
    });
    socket.on('error', reject);
    socket.on('close', () => {
      clearTimeout(guard);
      resolve({ status, seconds, closed: true });
    });
  });
}

/** A multipart body of one file part. */
function multipart(boundary: string, field: string, name: string, content: string): Buffer {
  return Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="dryRun"\r\n\r\nfalse\r\n` +
      `--${boundary}\r\nContent-Disposition: form-data; name="${field}"; filename="${name}"\r\nContent-Type: application/octet-stream\r\n\r\n${content}\r\n--${boundary}--\r\n`,
  );
}

/** A roster adding officer `license` (padded: half of it is then most of the file, cut mid-file). */
function rosterAdding(license: string, padded = false): string {
  const officers = [{ license, firstName: 'New', lastName: 'Officer', email: null, agencyId: ALBERT_LEA.id }];
  return (
    JSON.stringify({ ...ROSTER, officers: [...ROSTER.officers, ...officers] }) + (padded ? ' '.repeat(20_000) : '')
  );
}

async function officerCount(): Promise<number> {
  return (await queryRows<{ n: number }>(rig.database.url, `SELECT count(*)::int AS n FROM officer`))[0]!.n;
}

async function importRoster(roster: string): Promise<number> {
  const form = new FormData();
  form.append('roster', new Blob([roster]), 'roster.json');
  const res = await fetch(new URL('/api/imports', rig.url), {
    method: 'POST',
    headers: { cookie: cookieOf(admin), 'x-csrf-token': await admin.csrfToken() },
    body: form,
  });
  await res.text();
  return res.status;
}

describe(`a body that stops arriving for over REQUEST_BODY_TIMEOUT_SECONDS (${TIMEOUT_SECONDS} s) is abandoned: 408`, () => {
  it('a roster upload stalled halfway: 408 within a few seconds, nothing imported, and the next import goes through', async () => {
    const token = await admin.csrfToken();
    const boundary = 'stalled-boundary-1';
    const before = await officerCount();
    const r = await stall(
      `POST /api/imports HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: ${cookieOf(admin)}\r\nX-CSRF-Token: ${token}\r\n` +
        `Content-Type: multipart/form-data; boundary=${boundary}\r\n`,
      multipart(boundary, 'roster', 'roster.json', rosterAdding('Z1', true)),
    );
    expect(r.status).toBe(408);
    expect(r.seconds).toBeGreaterThanOrEqual(TIMEOUT_SECONDS - 0.5);
    expect(r.seconds).toBeLessThan(TIMEOUT_SECONDS + 4);
    expect(r.closed).toBe(true);
    expect(await officerCount()).toBe(before);
    // Nothing holds the import lock: the same roster, sent whole, is imported.
    expect(await importRoster(rosterAdding('Z2'))).toBe(200);
    expect(await officerCount()).toBe(before + 1);
  });

  it('a certificate upload stalled halfway: 408, no training recorded', async () => {
    const token = await chief.csrfToken();
    const boundary = 'stalled-boundary-2';
    const count = async () =>
      (await queryRows<{ n: number }>(rig.database.url, `SELECT count(*)::int AS n FROM training`))[0]!.n;
    const before = await count();
    const body = Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="kind"\r\n\r\nSRO_MANDATED\r\n` +
        `--${boundary}\r\nContent-Disposition: form-data; name="completedOn"\r\n\r\n2026-01-05\r\n` +
        `--${boundary}\r\nContent-Disposition: form-data; name="certificate"; filename="c.pdf"\r\nContent-Type: application/pdf\r\n\r\n%PDF-1.4\n${'x'.repeat(20_000)}\r\n--${boundary}--\r\n`,
    );
    const r = await stall(
      `POST /api/officers/T1/trainings HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: ${cookieOf(chief)}\r\nX-CSRF-Token: ${token}\r\n` +
        `Content-Type: multipart/form-data; boundary=${boundary}\r\n`,
      body,
    );
    expect(r.status).toBe(408);
    expect(r.seconds).toBeLessThan(TIMEOUT_SECONDS + 4);
    expect(await count()).toBe(before);
  });

  it('a JSON body stalled halfway: 408', async () => {
    const token = await chief.csrfToken();
    const r = await stall(
      `POST /api/officers/T1/policy-reviews HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: ${cookieOf(chief)}\r\nX-CSRF-Token: ${token}\r\n` +
        `Content-Type: application/json\r\n`,
      Buffer.from(JSON.stringify({ reviewedOn: '2026-01-05', padding: 'x'.repeat(10_000) })),
    );
    expect(r.status).toBe(408);
    expect(r.seconds).toBeLessThan(TIMEOUT_SECONDS + 4);
  });
});
