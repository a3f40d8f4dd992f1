// Console scenario: a roster upload whose body stops arriving in the middle of a file (issue
// 19, security 6; INTERFACE.md REQUEST_BODY_TIMEOUT_SECONDS). `sro web` with the timeout at
// 2 s abandons the request with 408, the import lock is free, nothing is written, no session
// is left inside a transaction, and the next upload imports at once.
import { readFile, readdir } from 'node:fs/promises';
import { type Socket, connect } from 'node:net';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { withClient } from '../../support/postgres.ts';
import { databaseFingerprint } from '../helpers/db.ts';
import { type ConsoleProcess, consoleScenarioFile, cookieOf, startConsoleProcess } from './console.ts';
import { sro } from './sro.ts';

const ADMIN = 'admin@faults.example';
const TIMEOUT_SECONDS = 2;
const VALID_CSV = join(import.meta.dirname, '..', 'fixtures', 'rosters', 'valid-csv');
/** A new officer on officers.csv's last line. */
const NEW_OFFICER = '45678,Pat,Lund,,MN0240100';

consoleScenarioFile();

/** The fixture folder's files; officers.csv with NEW_OFFICER and, when `padded`, 200 KB of blank lines before it. */
async function folder(padded: boolean): Promise<{ name: string; bytes: Buffer }[]> {
  return Promise.all(
    (await readdir(VALID_CSV)).sort().map(async (name) => {
      const bytes = await readFile(join(VALID_CSV, name));
      if (name !== 'officers.csv') return { name, bytes };
      const text = `${bytes.toString('utf8').trimEnd()}\n${padded ? '\n'.repeat(200_000) : ''}${NEW_OFFICER}\n`;
      return { name, bytes: Buffer.from(text) };
    }),
  );
}

function multipart(boundary: string, files: { name: string; bytes: Buffer }[]): Buffer {
  return Buffer.concat([
    ...files.flatMap((f) => [
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="roster"; filename="${f.name}"\r\nContent-Type: text/csv\r\n\r\n`,
      ),
      f.bytes,
      Buffer.from('\r\n'),
    ]),
    Buffer.from(`--${boundary}--\r\n`),
  ]);
}

/**
 * POST /api/imports of `body` from a raw socket: the headers and everything up to the middle
 * of officers.csv, then nothing. The status line's code (null if none within 20 s), the
 * seconds from the stall to it, and whether the server closed the connection.
 */
function stalledUpload(
  c: ConsoleProcess,
  head: string,
  body: Buffer,
  cut: number,
): Promise<{ status: number | null; seconds: number; closed: boolean }> {
  const { hostname, port } = new URL(c.url);
  return new Promise((resolve, reject) => {
    const socket: Socket = connect(Number(port), hostname);
    let answer = '';
    let stalledAt = Date.now();
    let status: number | null = null;
    let seconds = 0;
    const guard = setTimeout(() => {
      socket.destroy();
      resolve({ status, seconds, closed: false });
    }, 20_000);
    socket.on('connect', () => {
      socket.write(`${head}Content-Length: ${body.length}\r\n\r\n`);
      socket.write(body.subarray(0, cut), () => (stalledAt = Date.now()));
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

describe('console scenario: a roster upload stalled in the middle of a file', () => {
  it(`is abandoned with 408 after REQUEST_BODY_TIMEOUT_SECONDS (${TIMEOUT_SECONDS}), writes nothing, frees the import lock, and the next upload imports`, async () => {
    const c = await startConsoleProcess('stalled-upload', {
      env: { ADMIN_EMAILS: ADMIN, REQUEST_BODY_TIMEOUT_SECONDS: String(TIMEOUT_SECONDS) },
      prepare: async (url) => {
        const r = await sro(['import', VALID_CSV], { DATABASE_URL: url });
        if (r.code !== 0) throw new Error(`sro import exited ${r.code}:\n${r.stderr}`);
      },
    });
    const admin = await c.signIn(ADMIN);
    const before = await databaseFingerprint(c.databaseUrl);

    // Given an upload of the roster folder whose officers.csv stops arriving halfway…
    const boundary = 'stalled-upload-boundary';
    const body = multipart(boundary, await folder(true));
    const officersAt = body.indexOf('filename="officers.csv"');
    const cut = officersAt + 100_000;
    const token = await admin.csrfToken();
    const r = await stalledUpload(
      c,
      `POST /api/imports HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: ${cookieOf(admin)}\r\nX-CSRF-Token: ${token}\r\n` +
        `Content-Type: multipart/form-data; boundary=${boundary}\r\n`,
      body,
      cut,
    );
    console.log(`stalled upload: ${r.status ?? 'no answer'} after ${r.seconds.toFixed(1)} s, closed: ${r.closed}`);
    // …then it is answered 408 once the timeout has passed, and the connection is closed…
    expect(r.status).toBe(408);
    expect(r.seconds).toBeGreaterThanOrEqual(TIMEOUT_SECONDS - 0.5);
    expect(r.seconds).toBeLessThan(TIMEOUT_SECONDS + 5);
    expect(r.closed).toBe(true);
    // …nothing was written, no transaction is left open and no advisory lock (the import's) is held…
    expect(await databaseFingerprint(c.databaseUrl)).toEqual(before);
    expect(await c.sessions('idle in transaction%')).toBe(0);
    const locks = await withClient(c.databaseUrl, async (db) => {
      const q = await db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM pg_locks WHERE locktype = 'advisory'
           AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`,
      );
      return q.rows[0]!.n;
    });
    expect(locks).toBe(0);

    // …and the same folder, sent whole, is imported at once.
    const form = new FormData();
    for (const f of await folder(false)) form.append('roster', new Blob([f.bytes]), f.name);
    const again = await admin.csrfToken();
    const whole = await fetch(new URL('/api/imports', c.url), {
      method: 'POST',
      headers: { cookie: cookieOf(admin), 'x-csrf-token': again },
      body: form,
      signal: AbortSignal.timeout(30_000),
    });
    const answer = (await whole.json()) as { counts?: { officers: { created: number } } };
    expect(whole.status, JSON.stringify(answer)).toBe(200);
    expect(answer.counts?.officers.created).toBe(1);
  });
});
