// RULES.md 12 "Accepted is not delivered", end to end with real parts: the worker sends
// through a relay of the test's own (every alert with its row's bounce address as envelope
// sender), the relay's bounces reach `sro bounces`' receiver over SMTP, and the ledger, the
// next people's mailboxes and the directory show what happened. The steps build on each
// other in order (one roster, one ledger), as a week of a chief's mail would.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scanJob } from '../../jobs/scan.ts';
import type { BounceReceiver } from '../../src/bounces/receiver.ts';
import { silentLogger } from '../../src/shell/log.ts';
import { runJobToCompletion } from '../../src/worker/run-once.ts';
import { type Runtime, createRuntime } from '../../src/worker/runtime.ts';
import { AGENCY_ESCALATION, CHIEF, PRIMARY, pipelineRoster } from '../fixtures/pipeline-roster.ts';
import { BOUNCE_DOMAIN, arf, bounceReads, deliverBounce, dsn, startTestBounceReceiver } from '../helpers/bounces.ts';
import { type ConsoleRig, startConsoleRig } from '../helpers/console.ts';
import type { ReceivedMail } from '../helpers/smtp.ts';

const ADMIN = 'admin@sro.example';
const NEW_CHIEF = 'chief.new@lakeside-pd.example';

let rig: ConsoleRig;
let worker: Runtime;
let receiver: BounceReceiver;
let second: BounceReceiver;

const never = new AbortController().signal;
const scan = (asOf: string) => runJobToCompletion(worker, scanJob, { asOf }, never);
const { rows, marks, tally } = bounceReads(() => worker);

/** The e-mail of `kind` that reached `to` with the key's text in it. */
function mailTo(to: string, keyPart: string): ReceivedMail {
  const m = rig.smtp.received.find((x) => x.to === to && (x.key ?? '').includes(keyPart));
  if (!m)
    throw new Error(
      `no e-mail to ${to} with key ${keyPart}: ${rig.smtp.received.map((x) => `${x.to} ${x.key}`).join('\n')}`,
    );
  return m;
}

async function waitFor<T>(what: string, probe: () => T | undefined | Promise<T | undefined>, ms = 10_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

beforeAll(async () => {
  rig = await startConsoleRig('bounces', { BOUNCE_DOMAIN, ADMIN_EMAILS: ADMIN, SMTP_RATE_PER_SECOND: '1000' });
  worker = createRuntime(rig.config, silentLogger, { work: true });
  receiver = await startTestBounceReceiver(worker, rig.config);
  second = await startTestBounceReceiver(worker, rig.config);
  await rig.load(pipelineRoster());
  await scan('2026-03-02');
}, 30_000);

afterAll(async () => {
  await receiver?.close();
  await second?.close();
  await worker?.close();
  await rig?.close();
});

describe('RULES.md 12: every alert names its ledger row in its envelope sender', () => {
  it('each e-mail goes out from b-<row>-<signature>@BOUNCE_DOMAIN, its From: header unchanged', async () => {
    const sent = rig.smtp.received.filter((m) => m.key);
    expect(sent.length).toBe(7);
    for (const m of sent) {
      expect(m.from).toMatch(new RegExp(`^b-[0-9a-z]+-[0-9a-f]{20}@${BOUNCE_DOMAIN.replace(/\./g, '\\.')}$`));
      expect(m.from.split('@')[0]!.length).toBeLessThanOrEqual(64);
      expect(m.parsed.from?.text).toContain('no-reply@localhost');
    }
    expect(new Set(sent.map((m) => m.from)).size).toBe(sent.length);
  });
});

describe('RULES.md 12: a hard bounce of the chief', () => {
  it("makes the row BOUNCED with status and diagnostic, marks the address, and the agency's escalation e-mail receives the alert with the reason", async () => {
    const reminder = mailTo(CHIEF, 'DEADLINE_REMINDER:10001');
    const answer = await deliverBounce(
      receiver.port,
      reminder.from,
      dsn({
        to: reminder.from,
        recipient: CHIEF,
        action: 'failed',
        status: '5.1.1',
        diagnostic: '550 5.1.1 <chief@lakeside-pd.example>: Recipient address rejected: User unknown',
        alertKey: reminder.key,
      }),
    );
    expect(answer).toMatchObject({ accepted: true });
    const [row] = await rows('key = $1', [reminder.key]);
    expect(row).toMatchObject({ status: 'BOUNCED', bounce_status: '5.1.1' });
    expect(row.bounce_diagnostic).toContain('User unknown');
    expect(await marks()).toEqual([{ scope: 'AGENCY', scope_id: 'MN0900100', email: CHIEF, on: '2026-03-02' }]);

    const forwarded = await waitFor('the alert at the escalation address', () =>
      rig.smtp.received.find((m) => m.to === AGENCY_ESCALATION && (m.key ?? '').includes('stand-in=')),
    );
    expect(forwarded.key).toMatch(/^DEADLINE_REMINDER:10001:NEW_SRO:lead=30:stand-in=\d+:to=/);
    const text = forwarded.parsed.text ?? '';
    const opening = text.indexOf('This alert could not be delivered to chief@lakeside-pd.example');
    expect(opening).toBeGreaterThan(-1);
    // It opens the e-mail: before the alert's own words.
    expect(opening).toBeLessThan(
      text.indexOf('has not completed') === -1 ? Infinity : text.indexOf('has not completed'),
    );
    expect(text).toContain('5.1.1');
    expect(text).toContain('User unknown');
    expect((await tally()).get('hard')).toBe(1);
  });

  it('the same DSN again, and through a second receiver at once, changes nothing and sends nothing twice', async () => {
    const reminder = mailTo(CHIEF, 'DEADLINE_REMINDER:10001');
    const again = dsn({
      to: reminder.from,
      recipient: CHIEF,
      action: 'failed',
      status: '5.1.1',
      diagnostic: '550 5.1.1 User unknown',
    });
    const answers = await Promise.all([
      deliverBounce(receiver.port, reminder.from, again),
      deliverBounce(second.port, reminder.from, again),
    ]);
    expect(answers.map((a) => a.accepted)).toEqual([true, true]);
    await new Promise((r) => setTimeout(r, 1000));
    expect(
      rig.smtp.received.filter((m) => m.to === AGENCY_ESCALATION && (m.key ?? '').includes('stand-in=')),
    ).toHaveLength(1);
    expect(await rows('stands_in_for IS NOT NULL')).toHaveLength(1);
    expect((await tally()).get('duplicate')).toBe(2);
  });

  it('a later alert for the chief goes to the chief and, while the address is marked, to the escalation e-mail too', async () => {
    await scan('2026-03-20');
    const toChief = mailTo(CHIEF, 'DEADLINE_REMINDER:10001:NEW_SRO:lead=14');
    const toNext = mailTo(AGENCY_ESCALATION, 'DEADLINE_REMINDER:10001:NEW_SRO:lead=14');
    expect(toChief.key).not.toContain('stand-in');
    expect(toNext.parsed.text).toContain(
      'The address chief@lakeside-pd.example (the chief law enforcement officer of Lakeside Police Department) has been undeliverable since 2026-03-02',
    );
  });
});

describe('RULES.md 12: soft bounces, complaints and strangers', () => {
  it("a 4.x.x DSN changes nothing but the row's note", async () => {
    const reminder = mailTo(PRIMARY, 'DEADLINE_REMINDER:10001:NEW_SRO:lead=30');
    const before = { mails: rig.smtp.received.length, marks: await marks() };
    const answer = await deliverBounce(
      receiver.port,
      reminder.from,
      dsn({
        to: reminder.from,
        recipient: PRIMARY,
        action: 'delayed',
        status: '4.2.2',
        diagnostic: '452 4.2.2 Mailbox full',
      }),
    );
    expect(answer.accepted).toBe(true);
    const [row] = await rows('key = $1', [reminder.key]);
    expect(row).toMatchObject({ status: 'SENT', bounce_status: null });
    expect(row.delivery_note).toContain('4.2.2');
    expect(row.delivery_note).toContain('Mailbox full');
    await new Promise((r) => setTimeout(r, 500));
    expect(rig.smtp.received.length).toBe(before.mails);
    expect(await marks()).toEqual(before.marks);
  });

  it('an abuse report is recorded on the row; the row stays SENT', async () => {
    const certificate = mailTo(CHIEF, 'CERTIFICATE_MISSING:10002');
    expect(
      (await deliverBounce(receiver.port, certificate.from, arf({ to: certificate.from, recipient: CHIEF }))).accepted,
    ).toBe(true);
    const [row] = await rows('key = $1', [certificate.key]);
    expect(row).toMatchObject({ status: 'SENT' });
    expect(row.complaint_note).toContain('abuse');
  });

  it('a forged token and a foreign domain are refused at RCPT TO (550), counted, and change nothing', async () => {
    const genuine = mailTo(PRIMARY, 'DEADLINE_MISSED:10003').from;
    const [local] = genuine.split('@');
    const forged = `${local!.slice(0, -1)}${local!.endsWith('0') ? '1' : '0'}@${BOUNCE_DOMAIN}`;
    const before = await rows();
    const refusedBefore = (await tally()).get('refused') ?? 0;
    for (const to of [forged, `${local}@elsewhere.example`, `postmaster@${BOUNCE_DOMAIN}`]) {
      const answer = await deliverBounce(
        receiver.port,
        to,
        dsn({ to, recipient: PRIMARY, action: 'failed', status: '5.1.1', diagnostic: 'User unknown' }),
      );
      expect(answer).toMatchObject({ accepted: false, code: 550 });
    }
    expect(await rows()).toEqual(before);
    expect((await tally()).get('refused')).toBe(refusedBefore + 3);
  });
});

describe('RULES.md 12: the mark lasts until the directory changes the address', () => {
  it('an import that keeps the chief keeps the mark; a console PATCH of the chief clears it', async () => {
    await rig.load(pipelineRoster());
    expect(await marks()).toHaveLength(1);
    const admin = await rig.signIn(ADMIN);
    const r = await admin.patch('/api/agencies/MN0900100', {
      json: { chief: { name: 'Chief Rae Newman', email: NEW_CHIEF } },
    });
    expect(r.status).toBe(200);
    expect(await marks()).toEqual([]);
  });

  it('a bounce of the new chief marks it again, and an import naming another chief clears it', async () => {
    await scan('2026-03-27');
    const reminder = mailTo(NEW_CHIEF, 'DEADLINE_REMINDER:10001:NEW_SRO:lead=7');
    await deliverBounce(
      receiver.port,
      reminder.from,
      dsn({
        to: reminder.from,
        recipient: NEW_CHIEF,
        action: 'failed',
        status: '5.2.1',
        diagnostic: '550 5.2.1 mailbox disabled',
      }),
    );
    expect((await marks()).map((m) => m.email)).toEqual([NEW_CHIEF]);
    const roster = pipelineRoster();
    roster.agencies[0]!.chief.email = CHIEF;
    await rig.load(roster);
    expect(await marks()).toEqual([]);
  });
});
