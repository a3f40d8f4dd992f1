// RULES.md 12 "Accepted is not delivered", as people and scripts read it: a chief's reminder
// bounces (a DSN through `sro bounces`' receiver, test/helpers/bounces.ts), then `sro alerts`,
// the officer page, the agency's page and API, `sro report` and the weekly digest each say so.
// One roster, one ledger, real PostgreSQL, Redis and SMTP.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scanJob } from '../../jobs/scan.ts';
import type { BounceReceiver } from '../../src/bounces/receiver.ts';
import { silentLogger } from '../../src/shell/log.ts';
import { runJobToCompletion } from '../../src/worker/run-once.ts';
import { type Runtime, createRuntime } from '../../src/worker/runtime.ts';
import { AGENCY_ESCALATION, CHIEF, pipelineRoster } from '../fixtures/pipeline-roster.ts';
import { BOUNCE_DOMAIN, deliverBounce, dsn, startTestBounceReceiver } from '../helpers/bounces.ts';
import { type ConsoleRig, startConsoleRig } from '../helpers/console.ts';
import { runSro } from '../helpers/sro-cli.ts';

const ADMIN = 'admin@sro.example';
/** An instant as the console shows it: in TZ (America/Chicago here) with its abbreviation, never UTC. */
const IN_TZ = String.raw`\d{4}-\d{2}-\d{2} \d{2}:\d{2} C[SD]T`;

let rig: ConsoleRig;
let worker: Runtime;
let receiver: BounceReceiver;
/** The ledger key of the chief's reminder that bounced. */
let bouncedKey: string;

const never = new AbortController().signal;

/** What a reader sees of a page: its text, tags and entities undone, spaces collapsed. */
function visibleText(html: string): string {
  return html
    .replace(/<(script|style)\b[\s\S]*?<\/\1>/gi, ' ')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&#39;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ');
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
  rig = await startConsoleRig('bounceshown', { BOUNCE_DOMAIN, ADMIN_EMAILS: ADMIN, SMTP_RATE_PER_SECOND: '1000' });
  worker = createRuntime(rig.config, silentLogger, { work: true });
  receiver = await startTestBounceReceiver(worker, rig.config);
  await rig.load(pipelineRoster());
  await runJobToCompletion(worker, scanJob, { asOf: '2026-03-02' }, never);
  // The chief's 30-day reminder about 10001 comes back: the address does not exist.
  const reminder = rig.smtp.received.find((m) => m.to === CHIEF && (m.key ?? '').startsWith('DEADLINE_REMINDER:10001'));
  if (!reminder) throw new Error('the scan sent the chief no reminder about 10001');
  bouncedKey = reminder.key!;
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
  if (!answer.accepted) throw new Error(`the receiver refused the bounce: ${answer.message}`);
  await waitFor('the step owed to the escalation address', () =>
    rig.smtp.received.find((m) => m.to === AGENCY_ESCALATION && (m.key ?? '').includes('stand-in=')),
  );
}, 60_000);

afterAll(async () => {
  await receiver?.close();
  await worker?.close();
  await rig?.close();
});

describe('INTERFACE.md "Bounces": sro alerts shows BOUNCED with the bounce', () => {
  it('--json: the bounced row is BOUNCED with "bounce": { status, diagnostic, at }; a delivered row has no bounce', async () => {
    const r = await runSro(['alerts', '--officer', '10001', '--json'], { DATABASE_URL: rig.database.url });
    expect(r.code, r.stderr).toBe(0);
    const rows = (JSON.parse(r.stdout) as { alerts: Record<string, unknown>[] }).alerts;
    const bounced = rows.find((x) => x.key === bouncedKey);
    expect(bounced).toMatchObject({
      status: 'BOUNCED',
      recipient: CHIEF,
      bounce: { status: '5.1.1', diagnostic: expect.stringContaining('User unknown') },
    });
    const at = (bounced!.bounce as { at: string }).at;
    expect(at).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    expect(Math.abs(Date.parse(at) - Date.now())).toBeLessThan(5 * 60_000);
    const delivered = rows.filter((x) => x.status === 'SENT');
    expect(delivered.length).toBeGreaterThan(0);
    for (const x of delivered) expect(x.bounce).toBeNull();
  });

  it('the table: the bounced row reads BOUNCED, with the status code first in its detail', async () => {
    const r = await runSro(['alerts', '--officer', '10001'], { DATABASE_URL: rig.database.url });
    expect(r.code, r.stderr).toBe(0);
    const line = r.stdout.split('\n').find((l) => l.includes(CHIEF) && l.includes('BOUNCED'));
    expect(line).toBeDefined();
    expect(line).toMatch(
      /BOUNCED\s+DEADLINE_REMINDER\s+10001\s+chief@lakeside-pd\.example\s+1\s+bounced 5\.1\.1 \d{4}-/,
    );
    expect(r.stdout.split('\n').filter((l) => / SENT /.test(l)).length).toBeGreaterThan(0);
  });
});

describe("RULES.md 12: the officer page's alert list says an e-mail bounced, in words", () => {
  it('to an admin: "Bounced: the address does not exist (5.1.1) on <time in TZ>", apart from the e-mails sent', async () => {
    const admin = await rig.signIn(ADMIN);
    const r = await admin.get('/officers/10001');
    expect(r.status).toBe(200);
    const text = visibleText(r.text);
    expect(text).toMatch(
      new RegExp(`chief@lakeside-pd\\.example Bounced: the address does not exist \\(5\\.1\\.1\\) on ${IN_TZ}`),
    );
    expect(text).toMatch(/deputy-chief@lakeside-pd\.example (Sent|Owed)/);
    expect(text).not.toMatch(/\bUTC\b|T\d{2}:\d{2}:\d{2}/);
  });
});
