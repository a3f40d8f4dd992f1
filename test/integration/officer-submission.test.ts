// RULES.md 10 end to end: an officer submits a completed training with its certificate; it is
// PENDING_REVIEW and counts in no rule, the chief is e-mailed at once (TRAINING_SUBMITTED, once)
// with the link to confirm or reject it; confirmed, the officer is COMPLIANT and RESOLVED
// reaches everyone who was told of the missed deadline; rejected, the officer is e-mailed the
// reason and nothing counts. Both steps are in the audit log. A real console, a real worker
// runtime, one database, one Redis prefix, one SMTP receiver.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays } from '../../src/domain/civil-date.ts';
import { civilDateIn } from '../../src/shell/clock.ts';
import { silentLogger } from '../../src/shell/log.ts';
import { type RunningConsole, startConsole } from '../../src/web/start.ts';
import type { ReceivedMail } from '../helpers/smtp.ts';
import type { WebClient } from '../helpers/console.ts';
import { PDF } from '../helpers/console-fixtures.ts';
import { type Pipeline, startPipeline } from '../helpers/pipeline.ts';
import { signInByMail, until } from '../helpers/mail-sign-in.ts';

const CHIEF = 'chief@albert-lea.example';
const AGENCY_ESCALATION = 'deputy@albert-lea.example';
const PRIMARY = 'sro@isd241.example';
const SUPERINTENDENT = 'superintendent@isd241.example';
const DANA = 'dana.olson@albert-lea.example';
const LEE = 'lee.berg@albert-lea.example';
const PUBLIC_URL = 'https://sro.albert-lea.example';

const today = civilDateIn('America/Chicago');

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
    { license: 'R1', firstName: 'Dana', lastName: 'Olson', email: DANA, agencyId: 'MN0240100' },
    { license: 'K1', firstName: 'Lee', lastName: 'Berg', email: LEE, agencyId: 'MN0240100' },
  ],
  // Both untrained since 40 days ago: 39 days overdue today, escalation level 3.
  assignments: [
    { license: 'R1', districtId: 'ISD241', role: 'REGULAR', startDate: addDays(today, -40), endDate: null },
    { license: 'K1', districtId: 'ISD241', role: 'REGULAR', startDate: addDays(today, -40), endDate: null },
  ],
};

let pipeline: Pipeline;
let web: RunningConsole;
let chief: WebClient;

const mailsOf = (kind: string, license: string): ReceivedMail[] =>
  pipeline.smtp.received.filter((m) => m.kind === kind && (m.key ?? '').includes(`:${license}:`));

const signIn = (email: string): Promise<WebClient> => signInByMail(web.url, pipeline.smtp.received, email);

/** The officer's submission through the API (multipart, the CSRF token in the header). */
async function submit(client: WebClient, license: string): Promise<Response> {
  const form = new FormData();
  form.append('kind', 'SRO_MANDATED');
  form.append('completedOn', addDays(today, -1));
  form.append('certificate', new Blob([PDF], { type: 'application/pdf' }), 'certificate.pdf');
  return fetch(new URL(`/api/officers/${license}/trainings`, web.url), {
    method: 'POST',
    body: form,
    headers: {
      'x-csrf-token': await client.csrfToken(),
      cookie: [...client.cookies].map(([k, v]) => `${k}=${v}`).join('; '),
    },
  });
}

const auditOf = async (license: string) =>
  (
    await pipeline.runtime.pool.query(
      `SELECT actor, action FROM audit_event WHERE license = $1 AND action LIKE 'training.%' ORDER BY id`,
      [license],
    )
  ).rows;

beforeAll(async () => {
  pipeline = await startPipeline('officer-submission', { PUBLIC_URL });
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
  await pipeline.scan(today);
});
afterAll(async () => {
  await web?.close();
  await pipeline?.close();
});

describe('RULES.md 10: a training the officer submits counts once the chief confirms it', () => {
  it('given R1 sent DEADLINE_MISSED level 3, when Dana submits the course, then the chief is e-mailed at once and R1 stays OVERDUE; when the chief confirms it, R1 is COMPLIANT and RESOLVED reaches all four', async () => {
    const told = new Set(mailsOf('DEADLINE_MISSED', 'R1').map((m) => m.to));
    expect(told).toEqual(new Set([CHIEF, AGENCY_ESCALATION, PRIMARY, SUPERINTENDENT]));
    const dana = await signIn(DANA);

    const res = await submit(dana, 'R1');
    expect(res.status, await res.clone().text()).toBe(202);
    const submission = (await res.json()) as { id: number; status: string };
    expect(submission.status).toBe('PENDING_REVIEW');

    const [mail] = await until('TRAINING_SUBMITTED to the chief', 60_000, () => {
      const got = mailsOf('TRAINING_SUBMITTED', 'R1');
      return got.length > 0 && got;
    });
    expect(mail!.to).toBe(CHIEF);
    expect(mail!.parsed.subject).toBe(
      `Dana Olson submitted a training for your review: the POST-approved SRO course, completed ${addDays(today, -1)}`,
    );
    expect(mail!.parsed.text).toContain(`${PUBLIC_URL}/officers/R1#submission-${submission.id}`);
    expect(mail!.parsed.text).toContain('Dear Chief Morgan Ellis,');

    // Nothing counts yet: the status, the facts and a scan are as before.
    const waiting = (await chief.get('/api/officers/R1')).json<{
      status: string;
      facts: { trainings: unknown[] };
      submissions: { id: number; status: string }[];
    }>();
    expect(waiting.status).toBe('OVERDUE');
    expect(waiting.facts.trainings).toEqual([]);
    expect(waiting.submissions).toMatchObject([{ id: submission.id, status: 'PENDING_REVIEW' }]);
    await pipeline.scan(today);
    expect(mailsOf('RESOLVED', 'R1')).toHaveLength(0);
    // The chief's page puts the review first, with the certificate to read.
    const page = await chief.get('/officers/R1');
    expect(page.text).toContain('Confirm or reject the submitted training');
    expect(page.text).toContain(`id="submission-${submission.id}"`);
    // The chief reads the certificate before answering (V.E); the officer may not download it.
    const sha = (await chief.get('/api/officers/R1')).json<{ submissions: { certificateSha256: string }[] }>()
      .submissions[0]!.certificateSha256;
    const file = await chief.get(`/api/officers/R1/certificates/${sha}`);
    expect(file.status).toBe(200);
    expect(file.headers.get('content-type')).toBe('application/pdf');
    expect((await dana.get(`/api/officers/R1/certificates/${sha}`)).status).toBe(403);
    // The officer may not answer their own submission.
    expect((await dana.post(`/api/officers/R1/trainings/${submission.id}/confirm`, { json: {} })).status).toBe(403);

    // The chief's page names who submitted it by their name, not only their address.
    expect((await chief.get('/officers/R1')).text).toContain(`by Dana Olson (${DANA})`);
    const confirmed = await chief.post(`/api/officers/R1/trainings/${submission.id}/confirm`, { json: {} });
    expect(confirmed.status, confirmed.text).toBe(200);
    expect(confirmed.json()).toMatchObject({ status: 'CONFIRMED', reviewedBy: CHIEF, training: { recordedBy: DANA } });

    const resolved = await until('RESOLVED to all four', 60_000, () => {
      const got = mailsOf('RESOLVED', 'R1');
      return got.length >= 4 && got;
    });
    expect(new Set(resolved.map((m) => m.to))).toEqual(told);
    const after = (await chief.get('/api/officers/R1')).json<{ status: string; issues: string[] }>();
    expect(after).toMatchObject({ status: 'COMPLIANT', issues: [] });
    // Once per submission, and an answered one is not answered again.
    expect(mailsOf('TRAINING_SUBMITTED', 'R1')).toHaveLength(1);
    expect(
      (await chief.post(`/api/officers/R1/trainings/${submission.id}/reject`, { json: { reason: 'x' } })).status,
    ).toBe(409);
    expect(await auditOf('R1')).toEqual([
      { actor: DANA, action: 'training.submit' },
      { actor: CHIEF, action: 'training.confirm' },
    ]);
    // The confirmation's before and after have one shape, so the audit log lists what changed
    // (the review, when it was answered, the training) rather than a whole object removed.
    const [event] = (
      await pipeline.runtime.pool.query<{ before: Record<string, unknown>; after: Record<string, unknown> }>(
        `SELECT before, after FROM audit_event WHERE license = 'R1' AND action = 'training.confirm'`,
      )
    ).rows;
    expect(Object.keys(event!.before).sort()).toEqual(Object.keys(event!.after).sort());
    expect(event!.before).toMatchObject({ status: 'PENDING_REVIEW', training: null });
    expect(event!.after).toMatchObject({ status: 'CONFIRMED', training: { recordedBy: DANA } });
  });

  it('given Lee submits the course, when the chief rejects it with a reason, then Lee is e-mailed the reason, stays OVERDUE, and both steps are audited', async () => {
    const lee = await signIn(LEE);
    const res = await submit(lee, 'K1');
    expect(res.status).toBe(202);
    const { id } = (await res.json()) as { id: number };
    await until('TRAINING_SUBMITTED of K1', 60_000, () => mailsOf('TRAINING_SUBMITTED', 'K1').length > 0);

    const noReason = await chief.post(`/api/officers/K1/trainings/${id}/reject`, { json: {} });
    expect(noReason.status).toBe(400);
    expect(noReason.json()).toEqual({
      errors: [{ field: 'reason', problem: 'say why the training is not confirmed: the officer is told' }],
    });
    const reason = 'The certificate is for the 2019 course, not this one.';
    const rejected = await chief.post(`/api/officers/K1/trainings/${id}/reject`, { json: { reason } });
    expect(rejected.status, rejected.text).toBe(200);
    expect(rejected.json()).toMatchObject({ id, status: 'REJECTED', reason });

    const [told] = await until('TRAINING_REJECTED to Lee', 60_000, () => {
      const got = mailsOf('TRAINING_REJECTED', 'K1');
      return got.length > 0 && got;
    });
    expect(told!.to).toBe(LEE);
    expect(told!.parsed.text).toContain(`The reason given: ${reason}`);
    expect((await chief.get('/api/officers/K1')).json()).toMatchObject({ status: 'OVERDUE' });
    // Lee's own page says so.
    const page = await lee.get('/officers/K1');
    expect(page.text).toContain('Your chief did not confirm');
    expect(page.text).toContain(reason.replace(/\.$/, ''));
    expect(await auditOf('K1')).toEqual([
      { actor: LEE, action: 'training.submit' },
      { actor: CHIEF, action: 'training.reject' },
    ]);
    // The rejected submission's e-mail to the chief is not sent again, and no RESOLVED follows.
    await pipeline.scan(today);
    expect(mailsOf('TRAINING_SUBMITTED', 'K1')).toHaveLength(1);
    expect(mailsOf('RESOLVED', 'K1')).toHaveLength(0);
  });
});
