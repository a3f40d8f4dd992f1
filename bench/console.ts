// Times the console on a generated roster (issue 13's figures), with autocannon, beside a
// floor measured in the same run: a bare Fastify route returning the same bytes as the
// chief's GET /api/officers.
//   chief   the chief of the largest agency (about 300 officers): GET / and GET /api/officers
//   admin   first page of / with the counts by status (from the status snapshot)
// The console runs as `sro web` (the compiled product, dist/) in a child process of its own;
// the floor in another; autocannon here. Sign-in is the real POST /login/verify of a token
// this script writes (the e-mail step is not what is measured).
//
//   tsx bench/console.ts [--officers 1000000] [--database URL] [--seconds 10] [--connections 16]
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import autocannon from 'autocannon';
import pg from 'pg';
import { projectRoot } from '../src/db/migrate.ts';
import { insertLoginToken } from '../src/db/console-auth.ts';
import { codeSubject, newCode, newToken, secretsOf } from '../src/app/secrets.ts';
import { generateRoster } from './generate-roster.ts';
import {
  BENCH_REDIS_URL,
  createBenchDatabase,
  deletePrefix,
  fmt,
  intArg,
  isMain,
  logToStderr,
  parseArgs,
  printBench,
  table,
  uniquePrefix,
} from './support.ts';

export interface ConsoleFigures {
  officers: number;
  chiefOfficers: number;
  snapshotSeconds: number;
  rows: { name: string; p50: number; p99: number; rps: number; bytes: number }[];
  floorRps: number;
  connections: number;
  seconds: number;
}

async function waitFor(what: string, ms: number, ok: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await ok().catch(() => false))) {
    if (Date.now() > deadline) throw new Error(`${what}: not within ${ms / 1000} s`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

function child(cmd: string, args: string[], env: Record<string, string>): { proc: ChildProcess; url: Promise<string> } {
  const proc = spawn(cmd, args, {
    cwd: projectRoot,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const url = new Promise<string>((resolve, reject) => {
    const onData = (d: Buffer) => {
      out += d.toString();
      const m = /(?:url=|listening on )(http:\/\/[\d.:]+)/.exec(out);
      if (m) resolve(m[1]!);
    };
    proc.stdout!.on('data', onData);
    proc.stderr!.on('data', onData);
    proc.once('exit', (code) => reject(new Error(`${cmd} ${args.join(' ')} exited ${code}:\n${out}`)));
  });
  return { proc, url };
}

async function stop(proc: ChildProcess): Promise<void> {
  if (proc.exitCode !== null) return;
  const exited = new Promise((r) => proc.once('exit', r));
  proc.kill('SIGTERM');
  await exited;
}

async function cannon(url: string, cookie: string | null, connections: number, seconds: number) {
  const r = await autocannon({
    url,
    connections,
    duration: seconds,
    headers: cookie ? { cookie } : {},
  });
  if (r.non2xx > 0 || r.errors > 0) throw new Error(`${url}: ${r.non2xx} non-2xx answers, ${r.errors} errors`);
  return {
    p50: r.latency.p50,
    p99: r.latency.p99,
    rps: r.requests.average,
    bytes: r.throughput.average / r.requests.average,
  };
}

/** Signs in through the console's own POST /login/verify with a token written here. */
async function signIn(base: string, databaseUrl: string, secretKey: string, email: string): Promise<string> {
  const token = newToken();
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 1 });
  try {
    const secrets = secretsOf(secretKey);
    await insertLoginToken(pool, {
      email,
      tokenHash: secrets.hash('login-token', token),
      codeHash: secrets.hash('login-code', codeSubject(email, newCode())),
      minutes: 15,
    });
  } finally {
    await pool.end();
  }
  const page = await fetch(`${base}/login/verify?token=${token}`);
  const csrfCookie = page.headers.getSetCookie().map((c) => c.split(';')[0]!);
  const csrf = /name="_csrf" value="([^"]*)"/.exec(await page.text())![1]!;
  const r = await fetch(`${base}/login/verify`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: csrfCookie.join('; ') },
    body: new URLSearchParams({ token, _csrf: csrf }).toString(),
  });
  if (r.status !== 303) throw new Error(`sign-in as ${email}: ${r.status}`);
  return [...csrfCookie, ...r.headers.getSetCookie().map((c) => c.split(';')[0]!)].join('; ');
}

export async function benchConsole(opts: {
  officers: number;
  databaseUrl?: string;
  seconds: number;
  connections: number;
  log?: (line: string) => void;
}): Promise<ConsoleFigures> {
  const log = opts.log ?? logToStderr;
  const owned = opts.databaseUrl ? null : await createBenchDatabase(`console_${opts.officers}`);
  const databaseUrl = opts.databaseUrl ?? owned!.url;
  const prefix = uniquePrefix('console');
  const dir = await mkdtemp(join(tmpdir(), 'sro-bench-console-'));
  const procs: ChildProcess[] = [];
  try {
    if (owned) {
      log(`generating ${fmt.int(opts.officers)} officers`);
      await generateRoster({ officers: opts.officers, databaseUrl, seed: 1, asOf: '2026-02-02' });
    }
    const db = new pg.Client({ connectionString: databaseUrl });
    await db.connect();
    const officers = Number((await db.query('SELECT count(*) AS n FROM officer')).rows[0].n);
    const chief = (
      await db.query(
        `SELECT a.chief_email, count(*)::int AS n FROM agency a JOIN officer o ON o.agency_id = a.id
         WHERE a.chief_email IS NOT NULL GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 1`,
      )
    ).rows[0] as { chief_email: string; n: number };
    // The server refreshes the snapshot at start: start from none, and time that refresh.
    await db.query('UPDATE status_snapshot SET as_of = NULL, roster_version = NULL WHERE id = 1');
    const secretKey = randomBytes(32).toString('base64url');
    const admin = 'bench-admin@example.org';
    const web = child('node', [join(projectRoot, 'bin', 'sro.js'), 'web'], {
      DATABASE_URL: databaseUrl,
      REDIS_URL: BENCH_REDIS_URL,
      QUEUE_PREFIX: prefix,
      WEB_PORT: '0',
      SECRET_KEY: secretKey,
      ADMIN_EMAILS: admin,
      MAIL_OUTBOX_DIR: join(dir, 'outbox'),
      LOGIN_LIMIT_PER_CLIENT: '100000',
      LOG_LEVEL: 'info',
    });
    procs.push(web.proc);
    const base = await web.url;
    const started = performance.now();
    await waitFor('status snapshot', 30 * 60_000, async () => {
      const r = await db.query(`SELECT as_of IS NOT NULL AS ok FROM status_snapshot WHERE id = 1`);
      return r.rows[0].ok as boolean;
    });
    const snapshotSeconds = (performance.now() - started) / 1000;
    log(`snapshot of ${fmt.int(officers)} officers in ${snapshotSeconds.toFixed(1)} s`);
    await db.end();

    const chiefCookie = await signIn(base, databaseUrl, secretKey, chief.chief_email);
    const adminCookie = await signIn(base, databaseUrl, secretKey, admin);
    const rows: ConsoleFigures['rows'] = [];
    const run = async (name: string, path: string, cookie: string) => {
      await cannon(`${base}${path}`, cookie, opts.connections, Math.min(2, opts.seconds)); // warm-up
      const r = await cannon(`${base}${path}`, cookie, opts.connections, opts.seconds);
      rows.push({ name, ...r });
      log(`${name}: p99 ${r.p99} ms, ${fmt.int(r.rps)} req/s`);
    };
    await run('chief GET /api/officers', '/api/officers', chiefCookie);
    await run('chief GET /', '/', chiefCookie);
    await run('admin GET / (first page, counts)', '/', adminCookie);

    // The floor: the same bytes as the chief's API answer, from a bare Fastify route.
    const body = await (await fetch(`${base}/api/officers`, { headers: { cookie: chiefCookie } })).text();
    await writeFile(join(dir, 'body.json'), body);
    const floor = child(
      'node',
      [
        '-e',
        `const f=require('fastify')();const b=require('fs').readFileSync(${JSON.stringify(join(dir, 'body.json'))});` +
          `f.get('/',(q,r)=>r.type('application/json; charset=utf-8').send(b));` +
          `f.listen({host:'127.0.0.1',port:0}).then(a=>console.log('listening on '+a))`,
      ],
      {},
    );
    procs.push(floor.proc);
    const floorUrl = await floor.url;
    await cannon(floorUrl, null, opts.connections, Math.min(2, opts.seconds));
    const floorRun = await cannon(floorUrl, null, opts.connections, opts.seconds);
    log(`floor: ${fmt.int(floorRun.rps)} req/s`);
    return {
      officers,
      chiefOfficers: chief.n,
      snapshotSeconds,
      rows,
      floorRps: floorRun.rps,
      connections: opts.connections,
      seconds: opts.seconds,
    };
  } finally {
    for (const p of procs) await stop(p);
    await deletePrefix(prefix);
    await rm(dir, { recursive: true, force: true });
    await owned?.drop();
  }
}

export function formatConsoleFigures(f: ConsoleFigures): string {
  return [
    `console on ${fmt.int(f.officers)} officers; chief's agency ${f.chiefOfficers} officers; ${f.connections} connections, ${f.seconds} s each`,
    `status snapshot (every officer evaluated, written with COPY) at start: ${f.snapshotSeconds.toFixed(1)} s`,
    table(
      ['request', 'p50 ms', 'p99 ms', 'req/s', 'bytes', 'req/s ÷ floor'],
      [
        ...f.rows.map((r) => [r.name, r.p50, r.p99, fmt.int(r.rps), fmt.int(r.bytes), fmt.x(r.rps / f.floorRps)]),
        ['floor: bare Fastify, same bytes as the chief API', '', '', fmt.int(f.floorRps), '', fmt.x(1)],
      ],
    ),
  ].join('\n');
}

if (isMain(import.meta.url)) {
  const args = parseArgs(process.argv.slice(2));
  await printBench(async () =>
    formatConsoleFigures(
      await benchConsole({
        officers: intArg(args, 'officers', 1_000_000),
        databaseUrl: args.get('database'),
        seconds: intArg(args, 'seconds', 10),
        connections: intArg(args, 'connections', 16),
      }),
    ),
  );
}
