// Renders one reminder and one weekly digest from made-up roster data into docs/samples/
// (text and HTML), so the e-mails can be read without a mail server. Deterministic: fixed
// as-of dates and calendar stamp, so re-running changes nothing unless the templates do.
//   npx tsx scripts/render-samples.ts
// renderSamples() returns the files' contents without writing; test/unit/samples.test.ts
// compares them with docs/samples/, byte for byte.
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { civilDate } from '../src/domain/civil-date.ts';
import { renderAlert } from '../src/mail/render-alert.ts';
import { renderDigest } from '../src/mail/render-digest.ts';
import { officerStatus, schoolYear } from '../test/helpers/officer-status.ts';

export const SAMPLES_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '..', 'docs', 'samples');
const d = civilDate;

/** File name → content, in the order the files are written. */
export function renderSamples(): Record<string, string> {
  // Reminder: a legacy SRO (NASRO basic course in 2023) whose V.B deadline is 2027-05-31,
  // Memorial Day, as of 2027-03-02: 90 days left, last business day Friday 2027-05-28.
  const reminder = renderAlert({
    alert: {
      kind: 'DEADLINE_REMINDER',
      license: '12345',
      dueDate: d('2027-05-31'),
      lead: 90,
      level: null,
      threshold: null,
      schoolYear: null,
      key: 'DEADLINE_REMINDER:12345:2027-05-31:lead=90',
      recipients: [],
    },
    recipient: { email: 'chief@albertlea-pd.example', name: 'Chief Morgan Ellis', role: 'CHIEF', districtId: null },
    officer: { license: '12345', firstName: 'Dana', lastName: 'Larson' },
    agency: { id: 'MN0240100', name: 'Albert Lea Police Department', chiefName: 'Chief Morgan Ellis' },
    districts: [{ id: 'ISD241', name: 'Albert Lea Area Schools', kind: 'DISTRICT' }],
    status: officerStatus({
      license: '12345',
      status: 'DUE',
      dueDate: d('2027-05-31'),
      daysRemaining: 90,
      basis: 'LEGACY_DEADLINE_MISSED',
      schoolYear: schoolYear(2026),
    }),
    asOf: d('2027-03-02'),
    ledgerKey: 'DEADLINE_REMINDER:12345:2027-05-31:lead=90:to=chief@albertlea-pd.example',
    generatedAt: '20270302T120000Z',
  });

  // Digest: the agency as of Monday 2026-03-02, one officer in most groups (school year 2025-2026).
  const digest = renderDigest({
    recipient: { email: 'chief@albertlea-pd.example', name: 'Chief Morgan Ellis', role: 'CHIEF', districtId: null },
    scope: { kind: 'AGENCY', id: 'MN0240100', name: 'Albert Lea Police Department' },
    asOf: d('2026-03-02'),
    weekOf: d('2026-03-02'),
    ledgerKey: 'WEEKLY_DIGEST:2026-03-02:AGENCY:MN0240100:to=chief@albertlea-pd.example',
    officers: [
      {
        officer: { license: '20001', firstName: 'Nolan', lastName: 'Berg' },
        status: officerStatus({
          license: '20001',
          status: 'OVERDUE',
          reason: 'NO_TRAINING_BEFORE_DUTIES',
          basis: 'NO_TRAINING_BEFORE_DUTIES',
          dueDate: d('2026-01-05'),
          daysRemaining: -56,
          assumedDutiesOn: d('2026-01-05'),
        }),
        issues: [],
      },
      {
        officer: { license: '20002', firstName: 'Ana', lastName: 'Quist' },
        status: officerStatus({
          license: '20002',
          status: 'OVERDUE',
          reason: 'GRACE_PERIOD_EXPIRED',
          basis: 'GRACE_PERIOD_EXPIRED',
          dueDate: d('2026-02-17'),
          daysRemaining: -13,
          assumedDutiesOn: d('2025-08-17'),
        }),
        issues: ['NO_CONTACT_ON_FILE'],
        missingContacts: [
          {
            kind: 'DISTRICT_PRIMARY',
            districtId: 'CH4010',
            districtName: 'Albert Lea Charter Academy',
            districtKind: 'CHARTER',
          },
        ],
      },
      {
        officer: { license: '20003', firstName: 'Grace', lastName: 'Period' },
        status: officerStatus({
          license: '20003',
          status: 'IN_GRACE',
          basis: 'GRACE_PERIOD_EXPIRED',
          dueDate: d('2026-04-01'),
          daysRemaining: 30,
          restrictedDuties: [4, 5],
          assumedDutiesOn: d('2025-10-01'),
        }),
        issues: [],
      },
      {
        officer: { license: '12345', firstName: 'Dana', lastName: 'Larson' },
        status: officerStatus({
          license: '12345',
          status: 'DUE',
          basis: 'LEGACY_DEADLINE_MISSED',
          dueDate: d('2027-05-31'),
          daysRemaining: 455,
        }),
        issues: [],
      },
      {
        officer: { license: '20004', firstName: 'Sam', lastName: 'Vang' },
        status: officerStatus({
          license: '20004',
          status: 'EXEMPT_SUBSTITUTE',
          contactDays: 47,
          restrictedDuties: [4, 5],
          projected60thDay: d('2026-03-20'),
          firstServedDay: d('2025-09-03'),
        }),
        issues: [],
      },
      {
        officer: { license: '20005', firstName: 'Cert', lastName: 'Missing' },
        status: officerStatus({
          license: '20005',
          status: 'COMPLIANT',
          qualifyingTraining: { kind: 'SRO_MANDATED', completedOn: d('2025-09-10'), certificateOnFile: false },
          issues: ['CERTIFICATE_MISSING'],
        }),
        issues: ['CERTIFICATE_MISSING'],
      },
      {
        officer: { license: '20006', firstName: 'Lee', lastName: 'Andersen' },
        status: officerStatus({
          license: '20006',
          status: 'COMPLIANT',
          qualifyingTraining: { kind: 'SRO_MANDATED', completedOn: d('2025-08-20'), certificateOnFile: true },
        }),
        issues: [],
      },
      {
        officer: { license: '20007', firstName: 'Pat', lastName: 'Olson' },
        status: officerStatus({ license: '20007', status: 'INACTIVE' }),
        issues: [],
      },
    ],
  });
  return {
    'reminder.txt': `Subject: ${reminder.subject}\n\n${reminder.text}`,
    'reminder.html': reminder.html,
    'reminder.ics': reminder.icalEvent?.content ?? '',
    'digest.txt': `Subject: ${digest.subject}\n\n${digest.text}`,
    'digest.html': digest.html,
  };
}

async function main(): Promise<void> {
  const files = renderSamples();
  await mkdir(SAMPLES_DIR, { recursive: true });
  await Promise.all(Object.entries(files).map(([name, content]) => writeFile(join(SAMPLES_DIR, name), content)));
  process.stdout.write(`wrote ${Object.keys(files).join(', ')} to ${SAMPLES_DIR}\n`);
}

// Writes only when run as the script, not when a test imports renderSamples.
if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await main();
