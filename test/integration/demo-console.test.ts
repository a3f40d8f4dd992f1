// `sro demo --console` end to end (child process): after the demo's run it serves the
// console on the demo database and prints sign-in links; one of them signs the Albert Lea
// chief in as a person would (GET shows the form, its POST signs in); the demo's worker runs
// in the same process, so a course the chief records sends its RESOLVED to the outbox; Ctrl-C
// ends it, exit 0.
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ChildProcess } from 'node:child_process';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { civilDateIn } from '../../src/shell/clock.ts';
import { adminUrl, databaseUrlFor } from '../helpers/db.ts';
import { WebClient, hiddenField } from '../helpers/console.ts';
import { deletePrefix, uniquePrefix } from '../helpers/redis.ts';
import { runSro, spawnSro } from '../helpers/sro-cli.ts';

const name = `sro_test_democonsole_${randomBytes(4).toString('hex')}`;
const prefix = uniquePrefix('democonsole');
let outbox = '';
let child: ChildProcess | undefined;

afterAll(async () => {
  if (child && child.exitCode === null) child.kill('SIGKILL');
  const c = new pg.Client({ connectionString: adminUrl() });
  await c.connect();
  await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  await c.end();
  await deletePrefix(prefix);
  if (outbox) await rm(outbox, { recursive: true, force: true });
});

/** Resolves with everything the child printed once `pattern` matches it; rejects when it exits first or after `ms`. */
function printed(c: ChildProcess, pattern: RegExp, ms: number): Promise<string> {
  let out = '';
  let err = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ${pattern} within ${ms} ms:\n${out}\n${err}`)), ms);
    c.stderr?.on('data', (b: Buffer) => (err += b.toString()));
    c.stdout?.on('data', (b: Buffer) => {
      out += b.toString();
      if (pattern.test(out)) {
        clearTimeout(timer);
        resolve(out);
      }
    });
    c.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`sro demo --console exited (${code}) before printing ${pattern}:\n${out}\n${err}`));
    });
  });
}

const exited = (c: ChildProcess) =>
  new Promise<number | null>((resolve) => {
    if (c.exitCode !== null) resolve(c.exitCode);
    else c.once('exit', (code) => resolve(code));
  });

describe('sro demo --console', () => {
  it('says so in its help and usage line', async () => {
    const r = await runSro(['demo', '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Usage: sro demo [--as-of D] [--console]');
    expect(r.stdout).toMatch(/--console +then serve the console/);
  });

  it('given the demo run, serves the console on the demo database; a printed link signs the chief in; Ctrl-C exits 0', async () => {
    outbox = await mkdtemp(join(tmpdir(), 'sro-outbox-'));
    child = spawnSro(['demo', '--as-of', '2026-11-23', '--console'], {
      DATABASE_URL: databaseUrlFor(name),
      QUEUE_PREFIX: prefix,
      MAIL_OUTBOX_DIR: outbox,
      WEB_PORT: '0',
    });
    const stdout = await printed(child, /Anyone else on the roster signs in at/, 120_000);

    // The demo's own summary comes first, as without --console.
    expect(stdout).toContain(`Open ${join(outbox, 'index.html')} in a browser`);
    const consoleUrl = /^Console: (http:\/\/127\.0\.0\.1:\d+) on the demo database /m.exec(stdout)?.[1];
    expect(consoleUrl, stdout).toBeDefined();
    const linkOf = (who: RegExp) => new RegExp(`^  ${who.source}[^\\n]*:\\n    (\\S+)$`, 'm').exec(stdout)?.[1] ?? '';
    const admin = linkOf(/Admin \(admin@demo\.example\)/);
    const chief = linkOf(
      /Chief Morgan Ellis, chief of Albert Lea Police Department \(chief\.ellis@albertlea-pd\.example\)/,
    );
    const contact = linkOf(/Jenna Halvorson, SRO contact of Albert Lea Area Schools \(jhalvorson@isd241\.example\)/);
    for (const link of [admin, chief, contact])
      expect(link).toMatch(new RegExp(`^${consoleUrl}/login/verify\\?token=[\\w-]{43}$`));
    expect(new Set([admin, chief, contact]).size).toBe(3);

    // The demo's e-mails link to the officers' pages in this console.
    const htmls = (await readdir(outbox)).filter((f) => f.endsWith('.html') && f !== 'index.html');
    const bodies = await Promise.all(htmls.map((f) => readFile(join(outbox, f), 'utf8')));
    expect(bodies.some((b) => b.includes(`<a href="${consoleUrl}/officers/`))).toBe(true);

    // GET shows the form and changes nothing; its POST signs in.
    const web = new WebClient(consoleUrl as string);
    const form = await web.get(chief);
    expect(form.status).toBe(200);
    expect(web.cookies.has('_csrf')).toBe(true);
    const token = hiddenField(form.text, 'token');
    expect(token).toBe(new URL(chief).searchParams.get('token'));
    const signedIn = await web.post('/login/verify', {
      form: { token, _csrf: hiddenField(form.text, '_csrf') },
      csrf: false,
    });
    expect(signedIn.status).toBe(303);
    expect(signedIn.headers.get('location')).toBe('/');
    const session = await web.get('/api/session');
    expect(session.status).toBe(200);
    const body = session.json<{ email: string; roles: { role: string; agencyId?: string }[] }>();
    expect(body.email).toBe('chief.ellis@albertlea-pd.example');
    expect(body.roles).toContainEqual(expect.objectContaining({ role: 'CHIEF', agencyId: 'MN0240100' }));

    // A link works once.
    const again = await new WebClient(consoleUrl as string).get(chief);
    expect(again.status).toBe(400);

    // The demo's worker runs in the same process: a course the chief records for an OVERDUE
    // officer (Nolan Berg, #24108, alerted by the demo's scans) sends its RESOLVED to the outbox.
    const resolvedOf = async () => {
      const out: string[] = [];
      for (const f of (await readdir(outbox)).filter((n) => n.endsWith('.eml'))) {
        const text = await readFile(join(outbox, f), 'utf8');
        if (/^X-SRO-Alert-Kind: RESOLVED$/im.test(text) && text.includes('(#24108)')) out.push(f);
      }
      return out;
    };
    expect(await resolvedOf()).toEqual([]);
    const course = new FormData();
    course.append('kind', 'SRO_MANDATED');
    course.append('completedOn', civilDateIn('America/Chicago'));
    const recorded = await fetch(new URL('/api/officers/24108/trainings', consoleUrl), {
      method: 'POST',
      headers: {
        'x-csrf-token': await web.csrfToken(),
        cookie: [...web.cookies].map(([k, v]) => `${k}=${v}`).join('; '),
      },
      body: course,
    });
    expect(recorded.status, await recorded.clone().text()).toBe(201);
    let resolved: string[] = [];
    for (let i = 0; i < 300 && resolved.length === 0; i++) {
      await new Promise((r) => setTimeout(r, 100));
      resolved = await resolvedOf();
    }
    expect(resolved.length).toBeGreaterThan(0);

    child.kill('SIGINT');
    expect(await exited(child)).toBe(0);
  }, 180_000);
});
