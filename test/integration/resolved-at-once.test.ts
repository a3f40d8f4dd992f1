// RULES.md 7 "At once, not tomorrow" and RULES.md 6: a training recorded in the console for an
// OVERDUE officer who was sent DEADLINE_MISSED brings RESOLVED to every escalation recipient
// within a minute, exactly once, with two worker replicas running; an acknowledgement made
// in the console is shown in the escalation levels sent after it. A real console, two real
// worker runtimes, one database, one Redis prefix, one SMTP receiver.
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays } from '../../src/domain/civil-date.ts';
import { civilDateIn } from '../../src/shell/clock.ts';
import { silentLogger } from '../../src/shell/log.ts';
import { type RunningConsole, startConsole } from '../../src/web/start.ts';
import { reevaluateOfficer } from '../../src/app/fact-change.ts';
import { rulesOf } from '../../src/config.ts';
import type { ReceivedMail } from '../helpers/smtp.ts';
import type { WebClient } from '../helpers/console.ts';
import { type Pipeline, startPipeline } from '../helpers/pipeline.ts';
import { signInByMail, until } from '../helpers/mail-sign-in.ts';
import { runSro } from '../helpers/sro-cli.ts';

const CHIEF = 'chief@albert-lea.example';
const AGENCY_ESCALATION = 'deputy@albert-lea.example';
const PRIMARY = 'sro@isd241.example';
const SUPERINTENDENT = 'superintendent@isd241.example';

const today = civilDateIn('America/Chicago');
/** R1 assumed duties 40 days ago untrained: 39 days overdue today, escalation level 3. */
const R1_STARTED = addDays(today, -40);
/** K1 assumed duties 2 days ago untrained: overdue since yesterday (day 0), level 1 today. */
const K1_STARTED = addDays(today, -2);

const ROSTER = {
  agencies: [
    {
      id: 'MN0240100',
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
  officers: [
    { license: 'R1', firstName: 'Dana', lastName: 'Olson', email: null, agencyId: 'MN0240100' },
    { license: 'K1', firstName: 'Lee', lastName: 'Berg', email: null, agencyId: 'MN0240100' },
  ],
  assignments: [
    { license: 'R1', districtId: 'ISD241', role: 'REGULAR', startDate: R1_STARTED, endDate: null },
    { license: 'K1', districtId: 'ISD241', role: 'REGULAR', startDate: K1_STARTED, endDate: null },
  ],
};

const PDF = Buffer.from('%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n');

let pipeline: Pipeline;
let web: RunningConsole;
let chief: WebClient;

const alertsOf = (kind: string, license: string): ReceivedMail[] =>
  pipeline.smtp.received.filter((m) => m.kind === kind && (m.key ?? '').includes(`:${license}:`));

const signIn = (email: string): Promise<WebClient> => signInByMail(web.url, pipeline.smtp.received, email);

beforeAll(async () => {
  pipeline = await startPipeline('resolved-at-once');
  // The second worker replica: both take scan and send jobs from the same queues.
  pipeline.spawnReplica();
  await pipeline.load(ROSTER);
  web = await startConsole(
    {
      ...pipeline.config,
      webHost: '127.0.0.1',
      webPort: 0,
      secretKey: randomBytes(32).toString('base64url'),
      adminEmails: [],
    },
    silentLogger,
  );
  chief = await signIn(CHIEF);
});
afterAll(async () => {
  await web?.close();
  await pipeline?.close();
});

describe('RULES.md 7: a training recorded in the console resolves at once', () => {
  it('given R1 sent DEADLINE_MISSED level 3, when the chief records the course with its certificate, then RESOLVED reaches every escalation recipient once within 60 s', async () => {
    await pipeline.scan(today);
    const escalated = alertsOf('DEADLINE_MISSED', 'R1');
    expect(new Set(escalated.map((m) => m.to))).toEqual(new Set([CHIEF, AGENCY_ESCALATION, PRIMARY, SUPERINTENDENT]));
    expect(escalated.every((m) => /escalation level 3/.test(m.parsed.subject ?? ''))).toBe(true);

    const form = new FormData();
    form.append('kind', 'SRO_MANDATED');
    form.append('completedOn', today);
    form.append('certificate', new Blob([PDF], { type: 'application/pdf' }), 'certificate.pdf');
    const started = Date.now();
    const res = await fetch(new URL('/api/officers/R1/trainings', web.url), {
      method: 'POST',
      body: form,
      headers: {
        'x-csrf-token': await chief.csrfToken(),
        cookie: [...chief.cookies].map(([k, v]) => `${k}=${v}`).join('; '),
      },
    });
    expect(res.status, await res.clone().text()).toBe(201);
    const resolved = await until('RESOLVED to all four', 60_000, () => {
      const got = alertsOf('RESOLVED', 'R1');
      return got.length >= 4 && got;
    });
    expect(Date.now() - started).toBeLessThan(60_000);
    expect(new Set(resolved.map((m) => m.to))).toEqual(new Set([CHIEF, AGENCY_ESCALATION, PRIMARY, SUPERINTENDENT]));
    // Exactly once: the same re-evaluation asked for again (another replica, a retried
    // request) and another change's send nothing more while both replicas keep running.
    const deps = {
      pool: pipeline.runtime.pool,
      work: pipeline.runtime.work,
      rules: rulesOf(pipeline.config),
      log: silentLogger,
    };
    await reevaluateOfficer(deps, 'R1', 'replayed-change', today);
    await reevaluateOfficer(deps, 'R1', 'replayed-change', today);

    await reevaluateOfficer(deps, 'R1', 'another-change', today);
    await new Promise((r) => setTimeout(r, 3000));
    expect(alertsOf('RESOLVED', 'R1')).toHaveLength(4);
    const ledger = (await pipeline.ledger()).filter((r) => r.kind === 'RESOLVED');
    expect(ledger.map((r) => r.status)).toEqual(['SENT', 'SENT', 'SENT', 'SENT']);

    const detail = await chief.get('/api/officers/R1');
    expect(detail.json()).toMatchObject({ status: 'COMPLIANT', issues: [] });
    // No certificate reminder follows: the file came with the course.
    await pipeline.scan(today);
    expect(alertsOf('CERTIFICATE_MISSING', 'R1')).toHaveLength(0);

    // sro report --json agrees, and a roster import with --replace that lacks the training keeps it.
    const env = { DATABASE_URL: pipeline.config.databaseUrl, QUEUE_PREFIX: pipeline.prefix };
    const report = await runSro(['report', '--json', '--officer', 'R1'], env);
    expect(report.code, report.stderr).toBe(0);
    expect(JSON.parse(report.stdout).officers).toMatchObject([{ license: 'R1', status: 'COMPLIANT', issues: [] }]);
    const dir = await mkdtemp(join(tmpdir(), 'sro-resolved-'));
    try {
      await writeFile(join(dir, 'roster.json'), JSON.stringify(ROSTER));
      const imported = await runSro(
        ['import', '--replace', '--allow-empty', 'trainings,policy_reviews,contact_days', join(dir, 'roster.json')],
        env,
      );
      expect(imported.code, imported.stderr).toBe(0);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
    const after = (await chief.get('/api/officers/R1')).json<{
      status: string;
      facts: { trainings: { source: string; certificateSha256: string | null }[] };
    }>();
    expect(after.status).toBe('COMPLIANT');
    expect(after.facts.trainings).toMatchObject([{ source: 'CONSOLE' }]);
    expect(after.facts.trainings[0]!.certificateSha256).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe('RULES.md 6: an acknowledgement is shown in the escalations after it', () => {
  it('given K1 sent level 1 and acknowledged by the chief, then levels 2 and 3 on their days carry the acknowledgement', async () => {
    const level1 = alertsOf('DEADLINE_MISSED', 'K1');
    expect(new Set(level1.map((m) => m.to))).toEqual(new Set([CHIEF, PRIMARY]));
    expect(level1[0]!.parsed.text).not.toMatch(/Acknowledged by/);
    const due = (await chief.get('/api/officers/K1')).json<{ dueDate: string; status: string }>();
    expect(due).toMatchObject({ status: 'OVERDUE', dueDate: K1_STARTED });
    const planned = addDays(today, 20);
    const ack = await chief.post('/api/officers/K1/acknowledgements', {
      json: { dueDate: due.dueDate, note: 'Enrolled in the POST course next month', plannedCompletionOn: planned },
    });
    expect(ack.status, ack.text).toBe(201);
    const text = `Acknowledged by Chief Morgan Ellis on ${today}: Enrolled in the POST course next month; planned completion ${planned}.`;

    // Level 2 seven days after the first day overdue (yesterday), level 3 thirty days after.
    await pipeline.scan(addDays(today, 6));
    const level2 = alertsOf('DEADLINE_MISSED', 'K1').filter((m) => /escalation level 2/.test(m.parsed.subject ?? ''));
    expect(new Set(level2.map((m) => m.to))).toEqual(new Set([CHIEF, AGENCY_ESCALATION, PRIMARY, SUPERINTENDENT]));
    for (const m of level2) {
      expect(m.parsed.text).toContain(text);
      expect(m.parsed.html).toContain('Enrolled in the POST course next month');
    }
    await pipeline.scan(addDays(today, 29));
    const level3 = alertsOf('DEADLINE_MISSED', 'K1').filter((m) => /escalation level 3/.test(m.parsed.subject ?? ''));
    expect(level3).toHaveLength(4);
    for (const m of level3) expect(m.parsed.text).toContain(text);

    // RESOLVED is an e-mail about the deadline too: it shows the acknowledgement.
    const form = new FormData();
    form.append('kind', 'SRO_MANDATED');
    form.append('completedOn', today);
    const res = await fetch(new URL('/api/officers/K1/trainings', web.url), {
      method: 'POST',
      body: form,
      headers: {
        'x-csrf-token': await chief.csrfToken(),
        cookie: [...chief.cookies].map(([k, v]) => `${k}=${v}`).join('; '),
      },
    });
    expect(res.status).toBe(201);
    const resolved = await until('RESOLVED of K1', 60_000, () => {
      const got = alertsOf('RESOLVED', 'K1');
      return got.length >= 4 && got;
    });
    for (const m of resolved) expect(m.parsed.text).toContain(text);
  });
});
