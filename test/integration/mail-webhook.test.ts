// RULES.md 12 through a mail provider (INTERFACE.md "Bounces": POST /hooks/mail/:provider):
// SendGrid's signed event webhook, with real parts. The worker sends through a relay of the
// test's own; each e-mail's X-SMTPAPI header carries its bounce address as SendGrid's unique
// argument, which SendGrid copies into its events. The test signs the events as SendGrid does
// (ECDSA P-256 over the timestamp and the raw body) with a key pair of its own, whose public
// half the console is configured with, and posts them to the console over HTTP.
import { type KeyObject, createSign, generateKeyPairSync, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scanJob } from '../../jobs/scan.ts';
import { silentLogger } from '../../src/shell/log.ts';
import { runJobToCompletion } from '../../src/worker/run-once.ts';
import { type Runtime, createRuntime } from '../../src/worker/runtime.ts';
import { AGENCY_ESCALATION, CHIEF, PRIMARY, pipelineRoster } from '../fixtures/pipeline-roster.ts';
import { BOUNCE_DOMAIN, bounceReads } from '../helpers/bounces.ts';
import { type ConsoleRig, startConsoleRig } from '../helpers/console.ts';
import type { ReceivedMail } from '../helpers/smtp.ts';

const ADMIN = 'admin@sro.example';
const sendgrid = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
const stranger = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });

let rig: ConsoleRig;
let worker: Runtime;

const never = new AbortController().signal;
const { rows, marks, tally } = bounceReads(() => worker);
const standIns = () => rig.smtp.received.filter((m) => (m.key ?? '').includes('stand-in='));

function mailTo(to: string, keyPart: string): ReceivedMail {
  const m = rig.smtp.received.find((x) => x.to === to && (x.key ?? '').includes(keyPart));
  if (!m) throw new Error(`no e-mail to ${to} with key ${keyPart}`);
  return m;
}

/** The unique argument SendGrid would copy into its events about this e-mail. */
function returnPathOf(m: ReceivedMail): string {
  const header = m.parsed.headers.get('x-smtpapi');
  return (JSON.parse(String(header)) as { unique_args: { sro_return_path: string } }).unique_args.sro_return_path;
}

/** A SendGrid event about the e-mail `m`. */
function event(m: ReceivedMail, fields: Record<string, unknown>): Record<string, unknown> {
  return {
    email: m.to,
    timestamp: 1772460000,
    'smtp-id': `<${randomUUID()}@sro.example>`,
    sg_event_id: randomUUID(),
    sg_message_id: `${randomUUID()}.filter0001`,
    sro_return_path: returnPathOf(m),
    ...fields,
  };
}

/** Posts `events` as SendGrid does, signed with `key` (null: no signature headers at all). */
async function post(
  events: unknown,
  o: { key?: KeyObject | null; provider?: string; tamper?: (body: string) => string } = {},
): Promise<{ status: number; body: Record<string, unknown> }> {
  const body = JSON.stringify(events);
  const timestamp = String(Math.floor(Date.now() / 1000));
  const key = o.key === undefined ? sendgrid.privateKey : o.key;
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (key) {
    const signer = createSign('sha256');
    signer.update(timestamp + body);
    headers['x-twilio-email-event-webhook-signature'] = signer.sign(key).toString('base64');
    headers['x-twilio-email-event-webhook-timestamp'] = timestamp;
  }
  const r = await fetch(`${rig.url}/hooks/mail/${o.provider ?? 'sendgrid'}`, {
    method: 'POST',
    headers,
    body: o.tamper ? o.tamper(body) : body,
  });
  return { status: r.status, body: (await r.json()) as Record<string, unknown> };
}

async function waitFor<T>(what: string, probe: () => T | undefined, ms = 10_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = probe();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

beforeAll(async () => {
  rig = await startConsoleRig(
    'mail-webhook',
    {
      BOUNCE_DOMAIN,
      ADMIN_EMAILS: ADMIN,
      SMTP_RATE_PER_SECOND: '1000',
      SENDGRID_WEBHOOK_PUBLIC_KEY: sendgrid.publicKey.export({ type: 'spki', format: 'der' }).toString('base64'),
    },
    { now: () => new Date('2026-03-02T15:00:00Z') },
  );
  worker = createRuntime(rig.config, silentLogger, { work: true });
  await rig.load(pipelineRoster());
  await runJobToCompletion(worker, scanJob, { asOf: '2026-03-02' }, never);
}, 30_000);

afterAll(async () => {
  await worker?.close();
  await rig?.close();
});

describe('RULES.md 12: a forged or unsigned provider event changes nothing and is counted', () => {
  it('no signature: 401; a signature by another key or over another body: 403; the ledger, the marks and the mailboxes as they were', async () => {
    const reminder = mailTo(CHIEF, 'DEADLINE_REMINDER:10001');
    const bounce = [event(reminder, { event: 'bounce', type: 'bounce', status: '5.1.1', reason: 'User unknown' })];
    const before = { rows: await rows(), marks: await marks(), mails: rig.smtp.received.length };

    expect((await post(bounce, { key: null })).status).toBe(401);
    expect((await post(bounce, { key: stranger.privateKey })).status).toBe(403);
    // Signed by SendGrid's key, then altered on the way: the signature no longer matches.
    const altered = await post(bounce, { tamper: (b) => b.replace('User unknown', 'User unknown!') });
    expect(altered.status).toBe(403);
    expect(altered.body.error).toContain('nothing was changed');

    await new Promise((r) => setTimeout(r, 300));
    expect(await rows()).toEqual(before.rows);
    expect(await marks()).toEqual(before.marks);
    expect(rig.smtp.received.length).toBe(before.mails);
    expect((await tally()).get('forged')).toBe(3);
  });

  it('a signed event naming a bounce address the service did not sign changes nothing and is counted as forged', async () => {
    const reminder = mailTo(CHIEF, 'DEADLINE_REMINDER:10001');
    const genuine = returnPathOf(reminder);
    const [local] = genuine.split('@');
    const forged = `${local!.slice(0, -1)}${local!.endsWith('0') ? '1' : '0'}@${BOUNCE_DOMAIN}`;
    const before = await rows();
    const r = await post([
      event(reminder, { event: 'bounce', type: 'bounce', status: '5.1.1', sro_return_path: forged }),
    ]);
    expect(r).toEqual({ status: 200, body: { received: 1 } });
    expect(await rows()).toEqual(before);
    expect((await tally()).get('forged')).toBe(4);
  });

  it('a provider that is not set up here is 404', async () => {
    expect((await post([], { provider: 'postmark' })).status).toBe(404);
  });
});

describe('RULES.md 12: a signed SendGrid bounce event has the effect of a DSN', () => {
  it("makes the chief's row BOUNCED with the status and reason, marks the address, and the agency's escalation e-mail receives the alert saying why", async () => {
    const reminder = mailTo(CHIEF, 'DEADLINE_REMINDER:10001');
    const r = await post([
      event(reminder, { event: 'processed' }),
      event(reminder, {
        event: 'bounce',
        type: 'bounce',
        status: '5.1.1',
        reason: '550 5.1.1 The email account that you tried to reach does not exist',
        bounce_classification: 'Invalid Address',
      }),
    ]);
    // The processed event is not about delivery: only the bounce is read.
    expect(r).toEqual({ status: 200, body: { received: 1 } });
    const [row] = await rows('key = $1', [reminder.key]);
    expect(row).toMatchObject({ status: 'BOUNCED', bounce_status: '5.1.1' });
    expect(row.bounce_diagnostic).toContain('does not exist');
    expect(await marks()).toEqual([{ scope: 'AGENCY', scope_id: 'MN0900100', email: CHIEF, on: '2026-03-02' }]);

    const forwarded = await waitFor('the alert at the escalation address', () =>
      standIns().find((m) => m.to === AGENCY_ESCALATION),
    );
    expect(forwarded.key).toMatch(/^DEADLINE_REMINDER:10001:NEW_SRO:lead=30:stand-in=\d+:to=/);
    expect(forwarded.parsed.text).toContain('This alert could not be delivered to chief@lakeside-pd.example');
    expect(forwarded.parsed.text).toContain('does not exist');
    expect((await tally()).get('hard')).toBe(1);
  });

  it('the same event delivered again (SendGrid retries until it gets a 2xx) sends nothing twice', async () => {
    const reminder = mailTo(CHIEF, 'DEADLINE_REMINDER:10001');
    const again = [event(reminder, { event: 'bounce', type: 'bounce', status: '5.1.1', reason: 'User unknown' })];
    const answers = await Promise.all([post(again), post(again)]);
    expect(answers.map((a) => a.status)).toEqual([200, 200]);
    await new Promise((r) => setTimeout(r, 1000));
    expect(standIns().filter((m) => m.to === AGENCY_ESCALATION)).toHaveLength(1);
    expect(await rows('stands_in_for IS NOT NULL')).toHaveLength(1);
    expect((await tally()).get('duplicate')).toBe(2);
  });

  it('a deferred event is a note on the row; a spam report is recorded; the rows stay SENT and nobody else is e-mailed', async () => {
    const reminder = mailTo(PRIMARY, 'DEADLINE_REMINDER:10001:NEW_SRO:lead=30');
    const before = rig.smtp.received.length;
    const r = await post([
      event(reminder, { event: 'deferred', response: '452 4.2.2 Mailbox full', attempt: '2' }),
      event(reminder, { event: 'spamreport' }),
    ]);
    expect(r.status).toBe(200);
    const [row] = await rows('key = $1', [reminder.key]);
    expect(row).toMatchObject({ status: 'SENT', bounce_status: null });
    expect(row.delivery_note).toContain('Mailbox full');
    expect(row.complaint_note).toContain('spam');
    await new Promise((r) => setTimeout(r, 500));
    expect(rig.smtp.received.length).toBe(before);
  });
});
