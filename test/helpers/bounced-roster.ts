// The pipeline roster after RULES.md 12's three kinds of news came back through `sro bounces`'
// receiver (test/helpers/bounces.ts): the chief's 30-day reminder about 10001 bounced (5.1.1,
// the address does not exist), the district's primary contact's escalation about 10003 bounced
// (5.2.1, mailbox disabled), and the deputy chief reported the e-mail that stood in for the
// chief's as spam. For the tests of what people then read (pages, API, CLI, digest).
import { scanJob } from '../../jobs/scan.ts';
import type { BounceReceiver } from '../../src/bounces/receiver.ts';
import { silentLogger } from '../../src/shell/log.ts';
import { runJobToCompletion } from '../../src/worker/run-once.ts';
import { type Runtime, createRuntime } from '../../src/worker/runtime.ts';
import { AGENCY_ESCALATION, CHIEF, PRIMARY, pipelineRoster } from '../fixtures/pipeline-roster.ts';
import { BOUNCE_DOMAIN, arf, deliverBounce, dsn, startTestBounceReceiver } from './bounces.ts';
import { type ConsoleRig, startConsoleRig } from './console.ts';

export const BOUNCE_ADMIN = 'admin@sro.example';

export interface BouncedRoster {
  rig: ConsoleRig;
  worker: Runtime;
  receiver: BounceReceiver;
  /** The ledger key of the chief's reminder that bounced. */
  bouncedKey: string;
  close(): Promise<void>;
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

export async function startBouncedRoster(label: string, env: Record<string, string> = {}): Promise<BouncedRoster> {
  const rig = await startConsoleRig(label, {
    BOUNCE_DOMAIN,
    ADMIN_EMAILS: BOUNCE_ADMIN,
    SMTP_RATE_PER_SECOND: '1000',
    ...env,
  });
  const worker = createRuntime(rig.config, silentLogger, { work: true });
  const receiver = await startTestBounceReceiver(worker, rig.config);
  await rig.load(pipelineRoster());
  await runJobToCompletion(worker, scanJob, { asOf: '2026-03-02' }, new AbortController().signal);
  const sent = (to: string, prefix: string) => {
    const m = rig.smtp.received.find((x) => x.to === to && (x.key ?? '').startsWith(prefix));
    if (!m) throw new Error(`the scan sent ${to} no ${prefix}`);
    return m;
  };
  const reminder = sent(CHIEF, 'DEADLINE_REMINDER:10001');
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
  const standIn = await waitFor('the step owed to the escalation address', () =>
    rig.smtp.received.find((m) => m.to === AGENCY_ESCALATION && (m.key ?? '').includes('stand-in=')),
  );
  const missed = sent(PRIMARY, 'DEADLINE_MISSED:10003');
  await deliverBounce(
    receiver.port,
    missed.from,
    dsn({
      to: missed.from,
      recipient: PRIMARY,
      action: 'failed',
      status: '5.2.1',
      diagnostic: '550 5.2.1 mailbox disabled',
    }),
  );
  await deliverBounce(receiver.port, standIn.from, arf({ to: standIn.from, recipient: AGENCY_ESCALATION }));
  return {
    rig,
    worker,
    receiver,
    bouncedKey: reminder.key!,
    async close() {
      await receiver.close();
      await worker.close();
      await rig.close();
    },
  };
}
