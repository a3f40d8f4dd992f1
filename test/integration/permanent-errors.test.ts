// src/errors.ts: a PermanentError can never succeed on a retry, so the send job records its
// row FAILED after one attempt; any other failure is transient and retried (RULES.md 5 "A
// relay that is down delays, never drops"). Real PostgreSQL, Redis and SMTP receiver.
import { UnrecoverableError } from 'bullmq';
import { afterEach, describe, expect, it } from 'vitest';
import { PermanentError } from '../../src/errors.ts';
import { AlertRenderError } from '../../src/mail/render-alert.ts';
import { HeaderInjectionError } from '../../src/mail/escape.ts';
import { InvalidCalendarStampError } from '../../src/mail/ics.ts';
import { PermanentDeliveryError, TransientDeliveryError } from '../../src/mail/transport.ts';
import { readDirectory } from '../../src/db/officer-reader.ts';
import { sendAlert } from '../../jobs/send-alert.ts';
import type { DeliveryDeps } from '../../src/app/deliver-alert.ts';
import { RetryLater } from '../../src/app/delivery-retry.ts';
import { silentLogger } from '../../src/shell/log.ts';
import { civilDate } from '../../src/domain/civil-date.ts';
import { type Pipeline, startPipeline } from '../helpers/pipeline.ts';
import { pipelineRoster } from '../fixtures/pipeline-roster.ts';

let p: Pipeline | undefined;
afterEach(async () => {
  await p?.close();
  p = undefined;
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function depsOf(q: Pipeline, now: () => Date = () => new Date()): DeliveryDeps {
  return {
    pool: q.runtime.pool,
    transport: q.runtime.transport,
    rules: q.runtime.rules,
    alerts: q.runtime.alerts,
    mailFrom: q.config.mailFrom,
    workerId: 'test-worker',
    directory: () => readDirectory(q.runtime.pool),
    log: silentLogger,
    now,
    leaseSeconds: 120,
    retry: { quickRetries: 2, maxDelayMs: 1000, retryForMs: 3_600_000 },
  };
}

/** Writes the pipeline roster's 2026-03-02 ledger rows (PENDING) without sending them: a dry scan's rows, by hand. */
async function pendingRows(q: Pipeline): Promise<{ key: string; kind: string }[]> {
  await q.runtime.pool.query(
    `INSERT INTO alert_ledger (key, alert_key, kind, license, recipient, due_date, lead, as_of, status)
     VALUES ('DEADLINE_REMINDER:10001:2026-04-01:lead=30:to=chief@lakeside-pd.example', 'DEADLINE_REMINDER:10001:2026-04-01:lead=30', 'DEADLINE_REMINDER', '10001',
             'chief@lakeside-pd.example', '2026-04-01', 30, '2026-03-02', 'PENDING')`,
  );
  return [
    { key: 'DEADLINE_REMINDER:10001:2026-04-01:lead=30:to=chief@lakeside-pd.example', kind: 'DEADLINE_REMINDER' },
  ];
}

async function row(q: Pipeline, key: string) {
  return (
    await q.runtime.pool.query('SELECT status::text AS status, attempts, last_error FROM alert_ledger WHERE key = $1', [
      key,
    ])
  ).rows[0] as { status: string; attempts: number; last_error: string | null };
}

describe('one error hierarchy: what can never succeed is a PermanentError', () => {
  it('every permanent class extends PermanentError, keeps its name and cause; a transient SMTP error does not', () => {
    const cause = new Error('root');
    for (const e of [
      new AlertRenderError('x', { cause }),
      new HeaderInjectionError('Subject', 'a\r\nb'),
      new InvalidCalendarStampError('x', { cause }),
      new PermanentDeliveryError('550', { cause }),
    ]) {
      expect(e).toBeInstanceOf(PermanentError);
      expect(e.name).toBe(e.constructor.name);
    }
    expect(new AlertRenderError('x', { cause }).cause).toBe(cause);
    expect(new TransientDeliveryError('451')).not.toBeInstanceOf(PermanentError);
  });
});

describe('a permanent failure is FAILED after exactly one attempt; a transient one is retried', () => {
  it('given an officer name that would forge a header (written to the database by another tool), then its row fails after 1 attempt through the real queue', async () => {
    p = await startPipeline('perm_header');
    await p.load(pipelineRoster());
    // The roster import refuses control characters; a row written behind its back must still not be retried forever.
    await p.runtime.pool.query(
      `UPDATE officer SET first_name = E'Grace\\r\\nBcc: attacker@evil.example' WHERE license = '10001'`,
    );
    const { delivery } = await p.scan('2026-03-02');
    // The 30-day reminder (the larger leads crossed at once are recorded SUPERSEDED by the scan, never sent).
    const ledger = (await p.ledger()).filter(
      (r) => r.alert_key.startsWith('DEADLINE_REMINDER:10001') && r.status !== 'SUPERSEDED',
    );
    expect(ledger.length).toBeGreaterThan(0);
    expect(
      ledger.every((r) => r.status === 'FAILED' && r.attempts === 1 && /HEADER_INJECTION/.test(r.last_error ?? '')),
    ).toBe(true);
    expect(delivery.FAILED).toBe(ledger.length);
    expect(p.smtp.received.some((m) => /attacker/.test(m.raw))).toBe(false);
  }, 60_000);

  it('given a clock that yields an invalid calendar stamp, then the reminder fails for good after 1 attempt and BullMQ is told not to retry', async () => {
    p = await startPipeline('perm_ics');
    await p.load(pipelineRoster());
    const [r] = await pendingRows(p);
    // 275760-09-13: the last instant a Date holds; its ISO form has a six-digit year, no valid ICS stamp.
    const deps = depsOf(p, () => new Date(8.64e15));
    await expect(
      sendAlert(deps, { ledgerKey: r!.key, asOf: civilDate('2026-03-02'), runId: null }),
    ).rejects.toBeInstanceOf(UnrecoverableError);
    expect(await row(p, r!.key)).toMatchObject({ status: 'FAILED', attempts: 1 });
    expect((await row(p, r!.key)).last_error).toMatch(/INVALID_CALENDAR_STAMP/);
    expect(p.smtp.received).toHaveLength(0);
  });

  it('given a relay refusing connections, then the same row stays PENDING and the job asks to be retried later', async () => {
    p = await startPipeline('perm_transient');
    await p.load(pipelineRoster());
    const [r] = await pendingRows(p);
    await p.smtp.setMode('down');
    const attempt = await sendAlert(depsOf(p), { ledgerKey: r!.key, asOf: civilDate('2026-03-02'), runId: null }).catch(
      (e: unknown) => e,
    );
    expect(attempt).toBeInstanceOf(RetryLater);
    expect((attempt as RetryLater).delayMs).toBe(1000);
    expect(await row(p, r!.key)).toMatchObject({ status: 'PENDING', attempts: 1 });
    await p.smtp.setMode('accept');
    await sleep(50);
    await expect(sendAlert(depsOf(p), { ledgerKey: r!.key, asOf: civilDate('2026-03-02'), runId: null })).resolves.toBe(
      'SENT',
    );
    expect(await row(p, r!.key)).toMatchObject({ status: 'SENT', attempts: 2 });
  });
});
