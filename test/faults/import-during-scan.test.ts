// Scenario 7, RULES.md 5 "Nobody to send to is not sent" and one roster per scan: `sro import`
// commits in the middle of a scan. The scan reads the directory (agencies, districts,
// contacts) and the officers in batches of 2,000; a roster of 5,060 officers is three batches.
// A lock on alert_ledger (held by the test, as a long VACUUM FULL or a migration would) stops
// the scan at its first ledger read, after it has read its directory and first batches, and
// holds it there while an import of a new agency (chief e-mail on file) and 30 officers whose
// licenses sort after every existing one commits. The scan must see the roster before or after
// the import, never the new officers without their agency: no NO_CONTACT_ON_FILE row for them.
// A following `sro scan` then e-mails the new agency's chief every alert due.
// Second case, the planner's reverse guarantee: a step first recorded NO_CONTACT_ON_FILE (an
// agency imported without a chief e-mail) is sent to the chief once the e-mail is imported
// and a scan runs again.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { ledgerKey } from '../../src/domain/alerts.ts';
import { arrivalId, arrivalsByKeyAndRecipient } from '../helpers/smtp.ts';
import { FAULTS_AS_OF, type Scenario, report, scenarioFile, sleep } from './harness.ts';
import { faultRoster } from './roster.ts';
import { postgresUrl } from './services.ts';
import { sro } from './sro.ts';
import { withClient } from '../../support/postgres.ts';

const NO_CONTACT = 'NO_CONTACT_ON_FILE';
/** The batch reader's batch size (src/db/officer-reader.ts): the roster spans three batches. */
const BATCH = 2000;
const QUIET_OFFICERS = 5000;
const OWING_OFFICERS = 60;
const NEW_OFFICERS = 30;

const startScenario = scenarioFile();
const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

type Roster = ReturnType<typeof faultRoster>;
type Agency = Omit<Roster['agencies'][number], 'chief'> & { chief: { name: string; email: string | null } };
interface Delta extends Omit<Partial<Roster>, 'agencies'> {
  agencies: Agency[];
}

/**
 * faultRoster(60) (licenses 900000…, every one owing e-mails) and 5,000 compliant officers
 * (910000…, trained, certificate and policy review on file: nothing owed), in 4 agencies and 6 districts.
 */
function largeRoster(): Roster {
  const r = faultRoster(OWING_OFFICERS);
  for (let i = 0; i < QUIET_OFFICERS; i++) {
    const license = `91${String(i).padStart(4, '0')}`;
    const agencyId = r.agencies[i % r.agencies.length]!.id;
    r.officers.push({ license, firstName: `Quiet${i}`, lastName: 'Fault', agencyId });
    r.assignments.push({
      license,
      districtId: r.districts[i % r.districts.length]!.id,
      school: `School Q${i}`,
      role: 'REGULAR',
      startDate: '2025-09-15',
      endDate: null,
      trainingUnavailable: false,
    });
    r.trainings.push({
      license,
      kind: 'SRO_MANDATED',
      completedOn: '2025-09-10',
      certificateOnFile: true,
      courseNumber: 'POST-SRO-101',
      provider: 'MN POST',
    });
    r.policyReviews.push({ license, agencyId, reviewedOn: '2025-08-15' });
  }
  return r;
}

/**
 * A new agency `id` and `n` officers of it (licenses `${prefix}000`…, sorting after every
 * existing one), assigned to the existing districts, owing the same mix as faultRoster: a
 * 30-day reminder, a level-3 escalation, a missing certificate (chief only).
 */
function newAgency(id: string, prefix: string, n: number, chiefEmail: string | null): Delta {
  const shape = faultRoster(n);
  const agency: Agency = {
    id,
    name: `New Town ${id} Police Department`,
    chief: { name: `Chief ${id}`, email: chiefEmail },
    escalationEmails: [`deputy@${id.toLowerCase()}-pd.example`],
  };
  const license = (old: string) => `${prefix}${old.slice(-3)}`;
  return {
    agencies: [agency],
    officers: shape.officers.map((o) => ({
      ...o,
      license: license(o.license),
      firstName: `New${o.firstName}`,
      agencyId: id,
    })),
    assignments: shape.assignments.map((a) => ({ ...a, license: license(a.license) })),
    trainings: shape.trainings.map((t) => ({ ...t, license: license(t.license) })),
    policyReviews: shape.policyReviews.map((p) => ({ ...p, license: license(p.license), agencyId: id })),
  };
}

function rosterFile(name: string, roster: object): string {
  const dir = mkdtempSync(join(tmpdir(), 'sro-faults-import-'));
  dirs.push(dir);
  const file = join(dir, `${name}.json`);
  writeFileSync(file, JSON.stringify(roster));
  return file;
}

interface PlannedAlert {
  key: string;
  license: string;
  recipients: string[];
  noContactOnFile?: string[];
}

/**
 * What the final roster owes as of FAULTS_AS_OF, on a fresh database with no ledger: the
 * rosters imported one after the other, then `sro scan --dry-run --json`. Every e-mail of the
 * scenario, whichever scan sent it, must be in this list, once.
 */
async function owedByFinalRoster(files: readonly string[]): Promise<{ ids: Set<string>; alerts: PlannedAlert[] }> {
  const cluster = inject('faultPostgres');
  const name = `sro_faults_scratch_${Math.random().toString(16).slice(2, 8)}`;
  await withClient(postgresUrl(cluster, 'postgres'), (c) =>
    c.query(`CREATE DATABASE "${name}" TEMPLATE "${inject('faultTemplateDatabase')}"`),
  );
  const env = { DATABASE_URL: postgresUrl(cluster, name) };
  try {
    for (const f of files) {
      const r = await sro(['import', f], env);
      if (r.code !== 0) throw new Error(`sro import ${f} exited ${r.code}:\n${r.stderr}`);
    }
    const dry = await sro(['scan', '--as-of', FAULTS_AS_OF, '--dry-run', '--json'], env);
    if (dry.code !== 0) throw new Error(`sro scan --dry-run exited ${dry.code}:\n${dry.stderr}`);
    const alerts = (JSON.parse(dry.stdout) as { alerts: PlannedAlert[] }).alerts;
    const ids = new Set<string>();
    for (const a of alerts) {
      if (a.noContactOnFile)
        throw new Error(`the final roster leaves ${a.key} without a contact: ${a.noContactOnFile.join('; ')}`);
      for (const r of a.recipients) ids.add(arrivalId(ledgerKey(a.key, r), r));
    }
    return { ids, alerts };
  } finally {
    await withClient(postgresUrl(cluster, 'postgres'), (c) =>
      c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`),
    ).catch(() => undefined);
  }
}

interface Row {
  key: string;
  alert_key: string;
  license: string;
  recipient: string;
  status: string;
  last_error: string | null;
}

const ledgerRows = (s: Scenario) =>
  withClient(
    s.databaseUrl,
    async (c) =>
      (
        await c.query<Row>(
          `SELECT key, alert_key, license, recipient, status::text AS status, last_error FROM alert_ledger ORDER BY key`,
        )
      ).rows,
  );

/** `sro scan` as an operator runs it beside the worker: same database, Redis, queue prefix and relay. */
async function scanAgain(
  s: Scenario,
): Promise<{ code: number; delivery: Record<string, number>; noContactRows: number; stderr: string }> {
  const r = await sro(
    ['scan', '--as-of', FAULTS_AS_OF, '--json'],
    { DATABASE_URL: s.databaseUrl, REDIS_URL: s.redisUrl, QUEUE_PREFIX: s.prefix, SMTP_URL: s.smtp.url },
    150_000,
  );
  if (!r.stdout.trim()) return { code: r.code, delivery: {}, noContactRows: -1, stderr: r.stderr };
  const out = JSON.parse(r.stdout) as { delivery: Record<string, number>; scan: { noContactRows: number } };
  return { code: r.code, delivery: out.delivery, noContactRows: out.scan.noContactRows, stderr: r.stderr };
}

/** Waits until nothing is PENDING and at least `minSent` rows are SENT. */
function settled(s: Scenario, what: string, minSent: number, ms = 90_000): Promise<Row[]> {
  return s.until(what, ms, async () => {
    const rows = await ledgerRows(s).catch(() => null);
    return rows &&
      rows.every((r) => r.status !== 'PENDING') &&
      rows.filter((r) => r.status === 'SENT').length >= minSent
      ? rows
      : undefined;
  });
}

/** The worker's 'scan finished' log lines (JSON), with the officers each scan read. */
function scansFinished(log: string): { officers: number; noContactRows: number }[] {
  return log
    .split('\n')
    .filter((l) => l.includes('"msg":"scan finished"'))
    .map((l) => JSON.parse(l) as { officers: number; noContactRows: number });
}

function tallyAgainst(s: Scenario, owed: ReadonlySet<string>) {
  const arrivals = arrivalsByKeyAndRecipient(s.smtp.received);
  const duplicated = [...arrivals].filter(([, n]) => n > 1);
  return {
    delivered: [...owed].filter((id) => arrivals.has(id)).length,
    expected: owed.size,
    duplicates: duplicated.reduce((sum, [, n]) => sum + n - 1, 0),
    duplicated: duplicated.map(([id]) => id),
    missing: [...owed].filter((id) => !arrivals.has(id)),
    unexpected: [...arrivals.keys()].filter((id) => !owed.has(id)),
  };
}

/**
 * The operator's `sro scan` of the day again (it must succeed), then, once nothing is
 * PENDING and a late second copy would have arrived: the ledger, what arrived against
 * `owed`, and what arrived for `chief`.
 */
async function scanAgainAndSettle(s: Scenario, owed: ReadonlySet<string>, chief: string) {
  const again = await scanAgain(s);
  expect(again.code, again.stderr).toBe(0);
  // (`sro scan` returns once its run's e-mails are delivered; nothing may be left PENDING.)
  const rows = await settled(s, 'nothing left PENDING', 0);
  await sleep(3000);
  return { again, rows, t: tallyAgainst(s, owed), chiefArrivals: s.smtp.received.filter((m) => m.to === chief) };
}

describe('scenario 7: sro import commits in the middle of a scan', () => {
  it('given a scan of 3 batches held at its first ledger read, when an import adds an agency and officers sorting last, the scan sees the roster whole (no NO_CONTACT_ON_FILE) and the next scan e-mails the new chief', async () => {
    const base = largeRoster();
    const newChief = 'chief@mn0950000-pd.example';
    const delta = newAgency('MN0950000', '950', NEW_OFFICERS, newChief);
    const newLicenses = new Set(delta.officers!.map((o) => o.license));
    const s = await startScenario('import-mid-scan', {
      officers: OWING_OFFICERS,
      roster: base,
      workerEnv: { SMTP_RATE_PER_SECOND: '100' },
    });
    const deltaFile = rosterFile('delta', delta);
    const final = await owedByFinalRoster([rosterFile('base', base), deltaFile]);
    const owedToNewChief = final.alerts.filter((a) => a.recipients.includes(newChief));
    expect(owedToNewChief.length).toBe(NEW_OFFICERS);
    expect(Math.ceil((base.officers.length + NEW_OFFICERS) / BATCH)).toBe(3);

    // Given alert_ledger locked on a separate connection (released only after the import)…
    const lock = new pg.Client({ connectionString: s.databaseUrl, connectionTimeoutMillis: 5000 });
    lock.on('error', () => undefined);
    await lock.connect();
    let released = false;
    try {
      await lock.query('BEGIN');
      await lock.query('LOCK TABLE alert_ledger IN ACCESS EXCLUSIVE MODE');
      // …a worker's cron starts the day's scan, which reads its directory and first batches
      // and then waits for the lock at its first ledger read…
      const worker = await s.startWorker();
      // (Asked on another connection: inside the lock's transaction pg_stat_activity is a snapshot taken at its first read.)
      const waiting = await s.until('the scan to wait for the lock on alert_ledger', 30_000, () =>
        withClient(s.databaseUrl, async (c) => {
          const r = await c.query<{ pid: number; query: string }>(
            `SELECT a.pid, a.query FROM pg_locks l JOIN pg_class c ON c.oid = l.relation JOIN pg_stat_activity a ON a.pid = l.pid
             WHERE c.relname = 'alert_ledger' AND NOT l.granted`,
          );
          return r.rows[0];
        }),
      );
      // …when `sro import` of a new agency and its officers commits meanwhile…
      const importStarted = Date.now();
      const imported = await sro(['import', deltaFile], { DATABASE_URL: s.databaseUrl }, 60_000);
      expect(imported.code, imported.stderr).toBe(0);
      const importMs = Date.now() - importStarted;
      // (The scan was at its first ledger read, after its directory and first batch, and still is.)
      expect(waiting.query).toMatch(/FROM alert_ledger/);
      expect(scansFinished(worker.log())).toEqual([]);
      // …and the lock is released,
      await lock.query('COMMIT');
      released = true;

      // then the scan finishes having read the roster before or after the import, never half.
      const [first] = await s.until('the scan to finish', 60_000, () => {
        const done = scansFinished(worker.log());
        return done.length > 0 ? done : undefined;
      });
      const rowsAfterFirst = await settled(s, "the first scan's e-mails to be sent", 1);
      const noContactNew = rowsAfterFirst.filter((r) => r.recipient === NO_CONTACT && newLicenses.has(r.license));
      const sawAfter = first!.officers === base.officers.length + NEW_OFFICERS;
      expect(noContactNew.map((r) => `${r.alert_key} ${r.last_error}`)).toEqual([]);
      expect([base.officers.length, base.officers.length + NEW_OFFICERS]).toContain(first!.officers);

      // And a following scan (the operator's `sro scan`, same day) e-mails the new chief every alert due.
      const { again, rows, t, chiefArrivals } = await scanAgainAndSettle(s, final.ids, newChief);
      report(
        '7 import commits mid-scan',
        t,
        `scan of ${base.officers.length} officers held at its first ledger read while the import committed (${importMs} ms); it read ${first!.officers} officers (${sawAfter ? 'after' : 'before'} the import), ${noContactNew.length} NO_CONTACT rows for the new ones; next scan sent ${again.delivery.SENT ?? 0}, new chief got ${chiefArrivals.length}/${owedToNewChief.length}`,
      );

      expect(t.missing).toEqual([]);
      expect(t.unexpected).toEqual([]);
      expect(t.duplicated).toEqual([]);
      expect(new Set(chiefArrivals.map((m) => m.key))).toEqual(
        new Set(owedToNewChief.map((a) => ledgerKey(a.key, newChief))),
      );
      expect(chiefArrivals).toHaveLength(owedToNewChief.length);
      expect(rows.filter((r) => r.recipient === NO_CONTACT)).toEqual([]);
      expect(rows.filter((r) => r.status !== 'SENT' && r.status !== 'SUPERSEDED')).toEqual([]);
      // Nothing is owed any more: the dry run of the day lists nothing.
      const dry = await sro(['scan', '--as-of', FAULTS_AS_OF, '--dry-run', '--json'], { DATABASE_URL: s.databaseUrl });
      expect((JSON.parse(dry.stdout) as { alerts: unknown[] }).alerts).toEqual([]);
      expect(worker.running()).toBe(true);
    } finally {
      if (!released) await lock.query('ROLLBACK').catch(() => undefined);
      await lock.end().catch(() => undefined);
    }
  }, 240_000);

  it('given an agency imported without a chief e-mail, its steps recorded NO_CONTACT_ON_FILE, when the e-mail is imported and a scan runs again, the chief gets every one of those steps', async () => {
    const s = await startScenario('no-contact-refill', { officers: 12, workerEnv: { SMTP_RATE_PER_SECOND: '100' } });
    const chief = 'chief@mn0960000-pd.example';
    const without = rosterFile('without-chief', newAgency('MN0960000', '960', 12, null));
    const withChief = rosterFile('with-chief', { agencies: newAgency('MN0960000', '960', 12, chief).agencies });
    const final = await owedByFinalRoster([rosterFile('base', faultRoster(12)), without, withChief]);
    const owedToChief = final.alerts.filter((a) => a.recipients.includes(chief));

    // Given an agency with no chief e-mail on file and a worker's scan of the day…
    const imported = await sro(['import', without], { DATABASE_URL: s.databaseUrl });
    expect(imported.code, imported.stderr).toBe(0);
    const worker = await s.startWorker();
    const before = await settled(s, "the day's scan to be sent", s.expected.size);
    // …which recorded each step due to its officers NO_CONTACT_ON_FILE (FAILED; the catch-up
    // steps it superseded have theirs SUPERSEDED), and sent the district contacts theirs…
    const gaps = before.filter(
      (r) => r.recipient === NO_CONTACT && r.license.startsWith('960') && r.status === 'FAILED',
    );
    expect(new Set(gaps.map((r) => r.alert_key))).toEqual(new Set(owedToChief.map((a) => a.key)));
    expect(s.smtp.received.filter((m) => m.to === chief)).toEqual([]);

    // …when the chief's e-mail is imported and the operator scans the same day again,
    const fixed = await sro(['import', withChief], { DATABASE_URL: s.databaseUrl });
    expect(fixed.code, fixed.stderr).toBe(0);
    const { again, rows, t, chiefArrivals } = await scanAgainAndSettle(s, final.ids, chief);

    // then the chief gets every step that had no address, once; nothing else is sent twice.
    report(
      '7b NO_CONTACT step, e-mail imported',
      t,
      `${gaps.length} steps recorded NO_CONTACT_ON_FILE; after the chief's e-mail was imported the next scan sent ${again.delivery.SENT ?? 0}, chief got ${chiefArrivals.length}/${gaps.length}`,
    );

    expect(t.missing).toEqual([]);
    expect(t.unexpected).toEqual([]);
    expect(t.duplicated).toEqual([]);
    expect(new Set(chiefArrivals.map((m) => m.key))).toEqual(new Set(gaps.map((g) => ledgerKey(g.alert_key, chief))));
    expect(chiefArrivals).toHaveLength(gaps.length);
    // The gaps stay on the audit trail (FAILED, NO_CONTACT_ON_FILE); no other row failed, none is PENDING.
    expect(rows.filter((r) => r.status === 'FAILED' && r.recipient !== NO_CONTACT)).toEqual([]);
    expect(rows.filter((r) => r.status === 'PENDING')).toEqual([]);
    expect(worker.running()).toBe(true);
  }, 180_000);
});
