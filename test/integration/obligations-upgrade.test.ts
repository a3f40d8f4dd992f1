// RULES.md 8 "Existing ledger rows keep counting": rows written before the ledger knew
// obligations (keys naming the due date: 'DEADLINE_MISSED:N1:2027-03-05:level=1') belong,
// after migration 20261209000000_obligations, to the obligation their officer and due date
// give, and a scan with today's code sends no e-mail twice across the upgrade. The database
// is taken back to the schema before the migration (its columns and index dropped), the rows
// are written in the exact format the code before it wrote, then the migration's own SQL runs.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CivilDate, addDays, civilDate } from '../../src/domain/civil-date.ts';
import { isBusinessDay } from '../../src/domain/holidays.ts';
import { projectRoot } from '../../src/db/migrate.ts';
import { type Pipeline, startPipeline } from '../helpers/pipeline.ts';

const CHIEF = 'chief@albert-lea.example';
const PRIMARY = 'sro@isd241.example';
const SUPERINTENDENT = 'superintendent@isd241.example';
const AGENCY_ESCALATION = 'deputy@albert-lea.example';
const STANDARD = [CHIEF, PRIMARY];
const ESCALATED = [CHIEF, PRIMARY, SUPERINTENDENT, AGENCY_ESCALATION];

/** The day of the scan after the upgrade. */
const D = civilDate('2027-03-10');

// S1, a substitute: 61 school days served through 2027-03-08; before the upgrade the 60th was
// 2027-03-08 (one day, S1_FORGOTTEN, had not been recorded yet) and level 1 went out for it.
const s1Days: CivilDate[] = [civilDate('2027-03-08')];
while (s1Days.length < 61) {
  let x = addDays(s1Days[0]!, -1);
  while (!isBusinessDay(x)) x = addDays(x, -1);
  s1Days.unshift(x);
}
const S1_OLD_DUE = s1Days[60]!;
const S1_NEW_DUE = s1Days[59]!;

const ROSTER = {
  agencies: [
    {
      id: 'AL',
      name: 'Albert Lea Police Department',
      chief: { name: 'Chief Morgan Ellis', email: CHIEF },
      escalationEmails: [AGENCY_ESCALATION],
    },
  ],
  districts: [
    {
      id: 'ISD241',
      name: 'Albert Lea Area Schools',
      kind: 'DISTRICT',
      contacts: [
        { name: 'Pat Reyes', email: PRIMARY, role: 'PRIMARY' },
        { name: 'Dr. Jo Lind', email: SUPERINTENDENT, role: 'ESCALATION' },
      ],
    },
  ],
  officers: ['N1', 'S1', 'L1', 'P1', 'R1', 'G1'].map((license) => ({
    license,
    firstName: 'Officer',
    lastName: license,
    email: null,
    agencyId: 'AL',
  })),
  assignments: [
    // N1: NEW_SRO, untrained on its start: due 2027-03-05, overdue from 2027-03-06 (level 1).
    { license: 'N1', districtId: 'ISD241', role: 'REGULAR', startDate: '2027-03-05', endDate: null },
    { license: 'S1', districtId: 'ISD241', role: 'SUBSTITUTE', startDate: s1Days[0], endDate: null },
    // L1: LEGACY, due 2027-05-31 (lead 90 crossed on 2027-03-02).
    { license: 'L1', districtId: 'ISD241', role: 'REGULAR', startDate: '2024-08-20', endDate: null },
    // P1: PRE_MANDATE, untrained: overdue since 2025-09-02 (level 3 long since).
    { license: 'P1', districtId: 'ISD241', role: 'REGULAR', startDate: '2024-08-20', endDate: null },
    // R1: PRE_MANDATE, trained 2025-12-01 after level 1: RESOLVED went out.
    { license: 'R1', districtId: 'ISD241', role: 'REGULAR', startDate: '2024-08-21', endDate: null },
    // G1: NEW_SRO with grace (V.C): due 2027-04-01; lead 30 was PENDING when its job was lost.
    {
      license: 'G1',
      districtId: 'ISD241',
      role: 'REGULAR',
      startDate: '2026-10-01',
      endDate: null,
      trainingUnavailable: true,
    },
  ],
  trainings: [
    { license: 'L1', kind: 'LEGACY_BASIC_SSC', completedOn: '2023-06-01', certificateOnFile: true },
    { license: 'R1', kind: 'SRO_MANDATED', completedOn: '2025-12-01', certificateOnFile: true },
  ],
  policyReviews: [{ license: 'G1', agencyId: 'AL', reviewedOn: '2026-09-25' }],
  // The forgotten day is on file now: the 60th day is one school day earlier than the one told.
  contactDays: s1Days.map((date) => ({ license: 'S1', districtId: 'ISD241', date })),
};

interface OldRow {
  kind: 'DEADLINE_REMINDER' | 'DEADLINE_MISSED' | 'RESOLVED';
  license: string;
  dueDate: string;
  step?: number;
  asOf: string;
  status: 'SENT' | 'PENDING' | 'SUPERSEDED';
  to: readonly string[];
}

/** The alert key as the code before RULES.md 8 wrote it (kind, officer, due date, step). */
function oldAlertKey(r: OldRow): string {
  if (r.kind === 'RESOLVED') return `RESOLVED:${r.license}:${r.dueDate}`;
  return `${r.kind}:${r.license}:${r.dueDate}:${r.kind === 'DEADLINE_REMINDER' ? 'lead' : 'level'}=${r.step}`;
}

const OLD_ROWS: OldRow[] = [
  {
    kind: 'DEADLINE_REMINDER',
    license: 'N1',
    dueDate: '2027-03-05',
    step: 1,
    asOf: '2027-03-05',
    status: 'SENT',
    to: STANDARD,
  },
  ...[7, 14, 30, 60, 90].map((step) => ({
    kind: 'DEADLINE_REMINDER' as const,
    license: 'N1',
    dueDate: '2027-03-05',
    step,
    asOf: '2027-03-05',
    status: 'SUPERSEDED' as const,
    to: STANDARD,
  })),
  {
    kind: 'DEADLINE_MISSED',
    license: 'N1',
    dueDate: '2027-03-05',
    step: 1,
    asOf: '2027-03-06',
    status: 'SENT',
    to: STANDARD,
  },
  {
    kind: 'DEADLINE_MISSED',
    license: 'S1',
    dueDate: S1_OLD_DUE,
    step: 1,
    asOf: '2027-03-09',
    status: 'SENT',
    to: STANDARD,
  },
  {
    kind: 'DEADLINE_REMINDER',
    license: 'L1',
    dueDate: '2027-05-31',
    step: 90,
    asOf: '2027-03-02',
    status: 'SENT',
    to: STANDARD,
  },
  ...[1, 2, 3].map((step) => ({
    kind: 'DEADLINE_MISSED' as const,
    license: 'P1',
    dueDate: '2025-09-01',
    step,
    asOf: ['2025-09-02', '2025-09-09', '2025-10-02'][step - 1]!,
    status: 'SENT' as const,
    to: step === 1 ? STANDARD : ESCALATED,
  })),
  {
    kind: 'DEADLINE_MISSED',
    license: 'R1',
    dueDate: '2025-09-01',
    step: 1,
    asOf: '2025-09-02',
    status: 'SENT',
    to: STANDARD,
  },
  { kind: 'RESOLVED', license: 'R1', dueDate: '2025-09-01', asOf: '2025-12-01', status: 'SENT', to: STANDARD },
  {
    kind: 'DEADLINE_REMINDER',
    license: 'G1',
    dueDate: '2027-04-01',
    step: 30,
    asOf: '2027-03-02',
    status: 'PENDING',
    to: STANDARD,
  },
  ...[60, 90].map((step) => ({
    kind: 'DEADLINE_REMINDER' as const,
    license: 'G1',
    dueDate: '2027-04-01',
    step,
    asOf: '2027-03-02',
    status: 'SUPERSEDED' as const,
    to: STANDARD,
  })),
];

let pipeline: Pipeline;

beforeAll(async () => {
  pipeline = await startPipeline('obligations-upgrade');
  await pipeline.load(ROSTER);
  const pool = pipeline.runtime.pool;
  // The ledger as it was before migration 20261209000000_obligations.
  await pool.query(
    `DROP INDEX "alert_ledger_license_created_at_idx";
     ALTER TABLE "alert_ledger" DROP COLUMN "obligation", DROP COLUMN "corrected_from"`,
  );
  let n = 0;
  for (const r of OLD_ROWS) {
    for (const to of r.to) {
      const alertKey = oldAlertKey(r);
      await pool.query(
        `INSERT INTO alert_ledger (key, alert_key, kind, license, recipient, due_date, lead, level, as_of, status,
           attempts, sent_at, message_id, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13,
           timestamptz '2025-09-02 12:00:00Z' + $14 * interval '1 second', now())`,
        [
          `${alertKey}:to=${to}`,
          alertKey,
          r.kind,
          r.license,
          to,
          r.dueDate,
          r.kind === 'DEADLINE_REMINDER' ? r.step : null,
          r.kind === 'DEADLINE_MISSED' ? r.step : null,
          r.asOf,
          r.status,
          r.status === 'SENT' ? 1 : 0,
          r.status === 'SENT' ? new Date(`${r.asOf}T13:00:00Z`) : null,
          r.status === 'SENT' ? `<${n}@before.example>` : null,
          n++,
        ],
      );
    }
  }
  const sql = readFileSync(
    join(projectRoot, 'prisma', 'migrations', '20261209000000_obligations', 'migration.sql'),
    'utf8',
  );
  await pool.query(sql);
});
afterAll(async () => {
  await pipeline?.close();
});

describe('RULES.md 8: the upgrade keeps every row counting', () => {
  it('maps each row to the obligation its officer and due date give, and keys it by the obligation', async () => {
    const rows = await pipeline.runtime.pool.query<{
      license: string;
      kind: string;
      obligation: string;
      alert_key: string;
      key: string;
    }>(`SELECT DISTINCT license, kind, obligation, alert_key, key FROM alert_ledger ORDER BY license, kind, alert_key`);
    const byLicense = new Map<string, Set<string>>();
    for (const r of rows.rows) byLicense.set(r.license, (byLicense.get(r.license) ?? new Set()).add(r.obligation));
    expect(Object.fromEntries([...byLicense].map(([k, v]) => [k, [...v]]))).toEqual({
      G1: ['NEW_SRO'],
      L1: ['LEGACY'],
      N1: ['NEW_SRO'],
      P1: ['PRE_MANDATE'],
      R1: ['PRE_MANDATE'],
      S1: ['SUBSTITUTE:2026-2027'],
    });
    expect(rows.rows.map((r) => r.alert_key)).toContain('DEADLINE_MISSED:S1:SUBSTITUTE:2026-2027:level=1');
    expect(rows.rows.map((r) => r.alert_key)).toContain('RESOLVED:R1:PRE_MANDATE');
    expect(rows.rows.map((r) => r.alert_key)).toContain('DEADLINE_REMINDER:L1:LEGACY:lead=90');
    // The row keys (send job ids, the e-mails' references) are kept as written.
    expect(rows.rows.map((r) => r.key)).toContain(`DEADLINE_MISSED:S1:${S1_OLD_DUE}:level=1:to=${CHIEF}`);
  });

  it('a scan after the upgrade sends no step twice: only the reminder left PENDING goes out, once', async () => {
    expect(S1_NEW_DUE < S1_OLD_DUE).toBe(true);
    const { delivery } = await pipeline.scan(D);
    const got = pipeline.smtp.received.filter((m) => m.kind);
    expect(got.map((m) => m.key).sort()).toEqual(
      [
        `DEADLINE_REMINDER:G1:2027-04-01:lead=30:to=${CHIEF}`,
        `DEADLINE_REMINDER:G1:2027-04-01:lead=30:to=${PRIMARY}`,
      ].sort(),
    );
    expect(delivery).toMatchObject({ SENT: 2, FAILED: 0, PENDING: 0 });
    // Scanned again, and the day after: nothing more (S1's level 1 is taken for its corrected date too).
    await pipeline.scan(D);
    await pipeline.scan(addDays(D, 1));
    expect(pipeline.smtp.received.filter((m) => m.kind)).toHaveLength(2);
    const s1 = await pipeline.runtime.pool.query(
      `SELECT count(*)::int AS n FROM alert_ledger WHERE license = 'S1' AND kind = 'DEADLINE_MISSED' AND status <> 'SUPERSEDED'`,
    );
    expect(s1.rows[0].n).toBe(2);
  });
});
