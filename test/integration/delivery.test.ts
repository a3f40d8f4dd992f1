// RULES.md 5 "Once", "Catch-up", "Never stale" with real parts: replaying a school year of
// daily scans, two workers with duplicated cron firings, an SMTP server that refuses and
// then accepts, and one that rejects a recipient for good.
import { afterEach, describe, expect, it } from 'vitest';
import { TRIGGER_JOB_OPTIONS } from '../../jobs/definition.ts';
import { scanJobId } from '../../jobs/scan.ts';
import { waitForSendQueueDrained } from '../../src/worker/run-once.ts';
import { addDays, civilDate } from '../../src/domain/civil-date.ts';
import { isLegalHoliday } from '../../src/domain/holidays.ts';
import { type Pipeline, startPipeline } from '../helpers/pipeline.ts';
import { CHIEF, PRIMARY, pipelineRoster } from '../fixtures/pipeline-roster.ts';

let p: Pipeline | undefined;
afterEach(async () => {
  await p?.close();
  p = undefined;
});

function duplicates(keys: (string | undefined)[]): string[] {
  const seen = new Set<string>();
  const dup: string[] = [];
  for (const k of keys) {
    if (k === undefined) continue;
    if (seen.has(k)) dup.push(k);
    seen.add(k);
  }
  return dup;
}

/**
 * A substitute with 58 served days from 2025-12-01 (school days: weekdays that are not Minnesota
 * legal holidays, RULES.md 9), so thresholds 45, 50, 55 are crossed in turn.
 */
function substituteRoster() {
  const days: { license: string; districtId: string; date: string }[] = [];
  let d = civilDate('2025-12-01');
  while (days.length < 58) {
    const dow = new Date(`${d}T12:00:00Z`).getUTCDay();
    if (dow !== 0 && dow !== 6 && !isLegalHoliday(d)) days.push({ license: '10004', districtId: 'ISD900', date: d });
    d = addDays(d, 1);
  }
  return {
    officers: [{ license: '10004', firstName: 'Sub', lastName: 'Stitute', agencyId: 'MN0900100' }],
    assignments: [
      { license: '10004', districtId: 'ISD900', role: 'SUBSTITUTE', startDate: '2025-08-25', endDate: null },
    ],
    policyReviews: [{ license: '10004', agencyId: 'MN0900100', reviewedOn: '2025-08-20' }],
    contactDays: days,
  };
}

describe('RULES 5 Once: replaying every day of a school year sends each alert once, in order', () => {
  it('given daily scans from 2025-09-01 to 2026-08-31, each reminder lead, escalation level and threshold arrives once', async () => {
    p = await startPipeline('replay');
    await p.load(pipelineRoster());
    await p.load(substituteRoster());
    for (let d = civilDate('2025-09-01'); d <= '2026-08-31'; d = addDays(d, 1)) await p.scan(d);

    const keys = p.smtp.received.map((m) => m.key);
    expect(duplicates(keys)).toEqual([]);
    const toChief = p.smtp.received.filter((m) => m.to === CHIEF).map((m) => (m.key ?? '').replace(`:to=${CHIEF}`, ''));
    // 10001: grace due 2026-04-01; reminders at every lead, in order, then the escalation ladder.
    expect(
      toChief.filter((k) => k.startsWith('DEADLINE_REMINDER:10001') || k.startsWith('DEADLINE_MISSED:10001')),
    ).toEqual([
      'DEADLINE_REMINDER:10001:NEW_SRO:lead=90',
      'DEADLINE_REMINDER:10001:NEW_SRO:lead=60',
      'DEADLINE_REMINDER:10001:NEW_SRO:lead=30',
      'DEADLINE_REMINDER:10001:NEW_SRO:lead=14',
      'DEADLINE_REMINDER:10001:NEW_SRO:lead=7',
      'DEADLINE_REMINDER:10001:NEW_SRO:lead=1',
      'DEADLINE_MISSED:10001:NEW_SRO:level=1',
      'DEADLINE_MISSED:10001:NEW_SRO:level=2',
      'DEADLINE_MISSED:10001:NEW_SRO:level=3',
    ]);
    // 10003: due on its start day 2026-01-05 (no grace): reminders from D >= due − L only once assigned,
    // i.e. a lead-1 reminder on 2026-01-05 itself (catch-up supersedes the larger leads), then the ladder.
    expect(toChief.filter((k) => k.includes(':10003:'))).toEqual([
      'DEADLINE_REMINDER:10003:NEW_SRO:lead=1',
      'DEADLINE_MISSED:10003:NEW_SRO:level=1',
      'DEADLINE_MISSED:10003:NEW_SRO:level=2',
      'DEADLINE_MISSED:10003:NEW_SRO:level=3',
    ]);
    // 10004: substitute thresholds in school year 2025-2026, each once; 60 is never reached.
    expect(toChief.filter((k) => k.startsWith('SUBSTITUTE_NEARING_LIMIT'))).toEqual([
      'SUBSTITUTE_NEARING_LIMIT:10004:2025-2026:threshold=45',
      'SUBSTITUTE_NEARING_LIMIT:10004:2025-2026:threshold=50',
      'SUBSTITUTE_NEARING_LIMIT:10004:2025-2026:threshold=55',
    ]);
    expect(toChief.filter((k) => k.startsWith('CERTIFICATE_MISSING'))).toEqual([
      'CERTIFICATE_MISSING:10002:SRO_MANDATED:2025-09-10',
    ]);
    // Every e-mail received is SENT in the ledger, and nothing in the ledger is left PENDING.
    const ledger = await p.ledger();
    expect(ledger.filter((r) => r.status === 'PENDING')).toEqual([]);
    expect(
      ledger
        .filter((r) => r.status === 'SENT')
        .map((r) => r.key)
        .sort(),
    ).toEqual([...keys].sort());
  }, 180_000);
});

describe('RULES 5 Once: two workers and duplicated cron firings send nothing twice', () => {
  it('given two worker replicas that both fire the scan for 2026-03-02 five times, each e-mail arrives once', async () => {
    p = await startPipeline('replicas');
    await p.load(pipelineRoster());
    const replica = p.spawnReplica();
    const adds = [];
    for (let i = 0; i < 5; i++) {
      for (const rt of [p.runtime, replica])
        adds.push(
          rt.queues.scan.add(
            'scan',
            { asOf: '2026-03-02' },
            { ...TRIGGER_JOB_OPTIONS, jobId: scanJobId('2026-03-02') },
          ),
        );
    }
    await Promise.all(adds);
    // A manual run on top, with its own job id: the ledger, not the job id, keeps it once.
    await p.scan('2026-03-02', replica);
    await waitForSendQueueDrained(p.runtime, new AbortController().signal);
    expect(duplicates(p.smtp.received.map((m) => m.key))).toEqual([]);
    expect(p.smtp.received).toHaveLength(7);
  });
});

describe('transient SMTP failure: retried with backoff until delivered, once', () => {
  it('given a server that refuses connections, then answers 451, then accepts, every e-mail is delivered once and the retries are in the ledger', async () => {
    p = await startPipeline('smtp-flaky', { SEND_ATTEMPTS: '10' });
    await p.load(pipelineRoster());
    await p.smtp.setMode('down');
    const run = p.scan('2026-03-02');
    await new Promise((r) => setTimeout(r, 1500));
    await p.smtp.setMode('defer');
    await new Promise((r) => setTimeout(r, 2500));
    expect(p.smtp.deferred).toBeGreaterThan(0);
    await p.smtp.setMode('accept');
    const { delivery } = await run;
    expect(delivery).toMatchObject({ SENT: 7, FAILED: 0, PENDING: 0 });
    expect(duplicates(p.smtp.received.map((m) => m.key))).toEqual([]);
    expect(p.smtp.received).toHaveLength(7);
    const ledger = await p.ledger();
    const sent = ledger.filter((r) => r.status === 'SENT');
    expect(sent.every((r) => r.attempts >= 2)).toBe(true);
    expect(sent.every((r) => r.last_error === null)).toBe(true);
  }, 60_000);
});

describe('permanent SMTP failure: recorded as FAILED, not retried', () => {
  it('given a server that rejects the district contact with 550, that row fails after one attempt and the rest are sent', async () => {
    p = await startPipeline('smtp-reject');
    await p.load(pipelineRoster());
    p.smtp.rejectRecipients.add(PRIMARY);
    const { delivery } = await p.scan('2026-03-02');
    expect(delivery).toMatchObject({ SENT: 5, FAILED: 2, PENDING: 0 });
    const failed = (await p.ledger()).filter((r) => r.status === 'FAILED' && r.recipient !== 'NO_CONTACT_ON_FILE');
    expect(failed.map((r) => r.recipient)).toEqual([PRIMARY, PRIMARY]);
    expect(failed.every((r) => r.attempts === 1 && /550/.test(r.last_error ?? ''))).toBe(true);
    // The next scan does not try again.
    await p.scan('2026-03-03');
    const again = (await p.ledger()).filter((r) => r.status === 'FAILED' && r.recipient === PRIMARY);
    expect(again.every((r) => r.attempts === 1)).toBe(true);
  });
});
