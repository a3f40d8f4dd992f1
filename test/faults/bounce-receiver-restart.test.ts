// Scenario: `sro bounces` stopped in the middle of DSNs and started again (RULES.md 12), killed
// (SIGKILL: a crash) or shut down (SIGTERM: an upgrade). The alerts went out with their rows'
// bounce addresses (BOUNCE_DOMAIN); a relay sends their DSNs back the way mail servers do,
// keeping each one until it reads a 2xx (bounce-mta.ts). Four DSNs were taken but their answer
// was lost on a dropped connection, so the relay sends them again; four are in the middle of
// DATA at the signal; two more arrive while the receiver is stopping or down. Nothing may be
// lost (every DSN bounces its row once the relay gets through) and nothing may happen twice
// (one set of stand-in rows per bounced row, every e-mail to the next people once).
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import net from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { projectRoot } from '../../src/db/migrate.ts';
import { withClient } from '../../support/postgres.ts';
import { dsn } from '../helpers/bounces.ts';
import { arrivalsByKeyAndRecipient } from '../helpers/smtp.ts';
import { type MtaDelivery, deliverLikeAnMta } from './bounce-mta.ts';
import { FAULTS_AS_OF, expectLedgerSettled, report, scenarioFile, sleep } from './harness.ts';
import { until } from './services.ts';
import { SRO_BIN } from './sro.ts';

const BOUNCE_DOMAIN = 'bounces.faults.example';
const SECRET_KEY = randomBytes(32).toString('base64url');
const ADMIN = 'admin@faults.example';

const startScenario = scenarioFile();

interface BounceProcess {
  child: ChildProcess;
  log(): string;
  /** The exit code (null: ended by a signal). */
  exited: Promise<number | null>;
}
const started: BounceProcess[] = [];
afterAll(async () => {
  for (const p of started) if (p.child.exitCode === null && p.child.signalCode === null) p.child.kill('SIGKILL');
  await Promise.race([Promise.all(started.map((p) => p.exited)), sleep(10_000)]);
});

/** A port free now (the receiver is started on it again after the kill, as an MX stays put). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** `sro bounces` as production runs it, on the scenario's database and queues. */
async function startBounces(env: Record<string, string>): Promise<BounceProcess> {
  const child = spawn(process.execPath, [SRO_BIN, 'bounces', '--as-of', FAULTS_AS_OF], {
    cwd: projectRoot,
    env: { PATH: process.env.PATH ?? '', HTTP_PORT: '0', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (b: Buffer) => (stderr += b.toString()));
  const p = {
    child,
    log: () => stderr,
    exited: new Promise<number | null>((r) => child.once('exit', (code) => r(code))),
  };
  started.push(p);
  await until(
    'sro bounces to listen',
    30_000,
    () => {
      if (child.exitCode !== null) throw new Error(`sro bounces exited with ${child.exitCode}:\n${stderr}`);
      return /bounce receiver started/.test(stderr);
    },
    () => stderr,
  );
  return p;
}

async function stoppedMidDsn(signal: 'SIGKILL' | 'SIGTERM'): Promise<void> {
  const s = await startScenario(`bounce-${signal.toLowerCase()}`, {
    officers: 24,
    workerEnv: { BOUNCE_DOMAIN, SECRET_KEY, ADMIN_EMAILS: ADMIN, SMTP_RATE_PER_SECOND: '200' },
  });
  // Given the day's alerts delivered, each with its row's bounce address as envelope sender…
  await s.startWorker();
  const first = await s.settle(90_000, 500);
  expectLedgerSettled(s, first.ledger);
  const sent = s.smtp.received.filter((m) => m.key && m.from.endsWith(`@${BOUNCE_DOMAIN}`));
  expect(sent.length).toBe(s.expected.size);

  // …ten of them bounce.
  const step = Math.floor(sent.length / 10);
  const bounced = Array.from({ length: 10 }, (_, i) => sent[i * step]!);
  const port = await freePort();
  const env = {
    DATABASE_URL: s.databaseUrl,
    REDIS_URL: s.redisUrl,
    QUEUE_PREFIX: s.prefix,
    BOUNCE_DOMAIN,
    SECRET_KEY,
    ADMIN_EMAILS: ADMIN,
    BOUNCE_SMTP_HOST: '127.0.0.1',
    BOUNCE_SMTP_PORT: String(port),
  };
  let receiver = await startBounces(env);
  const send = (i: number, o: { chunks: number; chunkMs: number; dropAfterDot?: boolean }): MtaDelivery => {
    const m = bounced[i]!;
    const raw = dsn({
      to: m.from,
      recipient: m.to,
      action: 'failed',
      status: '5.1.1',
      diagnostic: `550 5.1.1 <${m.to}>: Recipient address rejected: User unknown`,
      alertKey: m.key,
    });
    return deliverLikeAnMta(port, m.from, raw, { ...o, retryMs: 500, deadlineMs: 90_000 });
  };
  // Four DSNs taken, their answer lost: the relay's first try writes the whole message and
  // drops the connection before the answer, and tries again 500 ms later.
  const lostAnswers = [0, 1, 2, 3].map((i) => send(i, { chunks: 1, chunkMs: 0, dropAfterDot: true }));
  await Promise.all(lostAnswers.map((d) => d.done));
  // Four sent slowly (6 s each), in the middle of DATA at the signal.
  const slow = [4, 5, 6, 7].map((i) => send(i, { chunks: 40, chunkMs: 150 }));
  await s.until('every slow DSN to be in the middle of DATA', 30_000, () =>
    slow.every((d) => d.writing() > 0 && d.attempts.length === 0),
  );

  // When the receiver gets the signal, two more DSNs come while it stops, and it is started
  // again on the same port 2 s after it ended…
  receiver.child.kill(signal);
  const signalledAt = Date.now();
  const late = [8, 9].map((i) => send(i, { chunks: 1, chunkMs: 0 }));
  const exitCode = await receiver.exited;
  const stoppedAt = Date.now();
  await sleep(2000);
  receiver = await startBounces(env);

  // …then the relay gets every DSN through,
  await Promise.all([...lostAnswers, ...slow, ...late].map((d) => d.done));
  const deliveredAt = Date.now();
  const rows = async () =>
    withClient(
      s.databaseUrl,
      async (c) =>
        (
          await c.query<{ key: string; status: string; stands_in_for: string | null; recipient: string }>(
            `SELECT key, status::text AS status, stands_in_for, recipient FROM alert_ledger ORDER BY key`,
          )
        ).rows,
    );
  // and the worker sends each step owed to the next people.
  const settled = await s.until('the stand-in rows to be sent', 60_000, async () => {
    const all = await rows();
    const standIns = all.filter((r) => r.stands_in_for !== null);
    return standIns.length > 0 && standIns.every((r) => r.status !== 'PENDING') ? all : undefined;
  });
  await sleep(2000);

  const bouncedKeys = new Set(bounced.map((m) => m.key!));
  const ledger = new Map(settled.map((r) => [r.key, r]));
  const standIns = settled.filter((r) => r.stands_in_for !== null);
  const tally = await withClient(s.databaseUrl, async (c) =>
    Object.fromEntries(
      (await c.query('SELECT kind, n::int AS n FROM bounce_tally')).rows.map((r) => [r.kind as string, r.n as number]),
    ),
  );
  const twice = [...arrivalsByKeyAndRecipient(s.smtp.received)].filter(([, n]) => n > 1);
  const standInMails = s.smtp.received.filter((m) => (m.key ?? '').includes(':stand-in='));
  const cutMidData = slow.filter((d) => d.attempts[0]!.outcome !== 250);
  report(
    `bounces: sro bounces ${signal === 'SIGKILL' ? 'kill -9' : 'SIGTERM'} mid-DSN, restart`,
    {
      delivered: [...bouncedKeys].filter((k) => ledger.get(k)?.status === 'BOUNCED').length,
      expected: bounced.length,
      duplicates: twice.length,
    },
    `${cutMidData.length}/4 DSNs cut mid-DATA, ${4 - cutMidData.length} finished during the shutdown (${Math.round((stoppedAt - signalledAt) / 1000)} s), 4 answers lost after the dot, 2 sent while stopping; relay tries ${[...lostAnswers, ...slow, ...late].map((d) => d.attempts.length).join('/')}; all bounced ${Math.round((deliveredAt - signalledAt) / 1000)} s after the signal; ${tally.duplicate ?? 0} DSNs came twice and changed nothing; ${standIns.length} stand-in rows, ${standInMails.length} e-mails to the next people`,
  );

  // Nothing lost: every DSN bounced its row, counted once as hard.
  for (const key of bouncedKeys) expect(ledger.get(key)?.status, key).toBe('BOUNCED');
  expect(settled.filter((r) => r.status === 'BOUNCED')).toHaveLength(10);
  expect(tally.hard).toBe(10);
  if (signal === 'SIGKILL') {
    // The kill cut every slow DSN mid-DATA, and the relay sent each of them again.
    expect(exitCode).toBeNull();
    expect(cutMidData).toHaveLength(4);
  } else {
    // The shutdown let the DSNs in the middle of DATA finish (answered 250 once recorded),
    // took no new one, and ended of itself.
    expect(exitCode).toBe(0);
    expect(cutMidData).toEqual([]);
  }
  // The DSNs that came while it stopped were refused and sent again once it was back.
  for (const d of late) expect(d.attempts.length).toBeGreaterThan(1);
  // The DSNs whose answer was lost were taken, then sent again: applied once, the second a duplicate.
  for (const d of lostAnswers) expect(d.attempts.map((a) => a.outcome)).toEqual(['cut after the final dot', 250]);
  expect(tally.duplicate).toBe(4);
  // Nothing twice: each bounced row owes its step to its next people once, and no e-mail arrived twice.
  expect(new Set(standIns.map((r) => r.stands_in_for))).toEqual(bouncedKeys);
  expect(standIns.every((r) => r.status === 'SENT')).toBe(true);
  expect(standInMails.length).toBe(standIns.length);
  expect(twice).toEqual([]);
  expect(receiver.child.exitCode).toBeNull();
}

describe('scenario: sro bounces stopped mid-DSN and restarted', () => {
  it('given DSNs in the middle of DATA, DSNs whose answer was lost and DSNs sent while it is down, after kill -9 and a restart every DSN bounces its row once and the next people get each alert once', async () => {
    await stoppedMidDsn('SIGKILL');
  }, 240_000);

  it('the same around a graceful shutdown (SIGTERM, as for an upgrade): the DSNs in DATA finish, the new ones wait for the restart', async () => {
    await stoppedMidDsn('SIGTERM');
  }, 240_000);
});
