// The full path, with real parts: roster → PostgreSQL → scan job (BullMQ on Redis) →
// send-alert jobs → SMTP server in-process → parsed e-mails. RULES.md 5.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Pipeline, startPipeline } from '../helpers/pipeline.ts';
import { civilDate } from '../../src/domain/civil-date.ts';
import { alertConfigOf, rulesOf } from '../../src/config.ts';
import { runScan } from '../../src/app/alert-scan.ts';
import { buildReport, withLastAlerts } from '../../src/app/status-report.ts';
import { AGENCY_ESCALATION, CHIEF, DISTRICT_ESCALATION, PRIMARY, pipelineRoster } from '../fixtures/pipeline-roster.ts';

let p: Pipeline;
beforeAll(async () => {
  p = await startPipeline('pipeline');
  await p.load(pipelineRoster({ graceOfficerFirstName: '<b>Bob</b>' }));
});
afterAll(async () => {
  await p?.close();
});

describe('RULES 5: a scan delivers each due alert to each recipient, once', () => {
  it('given the roster as of 2026-03-02, when scanned, then chiefs and district contacts receive the expected e-mails', async () => {
    const { result, delivery } = await p.scan('2026-03-02');
    // 10001: IN_GRACE, due 2026-04-01, 30 days left → lead 30 (60 and 90 superseded).
    // 10002: CERTIFICATE_MISSING → chief. 10003: overdue since 2026-01-06 (55 days) → level 3.
    expect(result.alerts).toBe(3);
    const byKey = new Map(p.smtp.received.map((m) => [`${m.key}`, m]));
    const keys = [...byKey.keys()].sort();
    expect(keys).toEqual(
      [
        `CERTIFICATE_MISSING:10002:SRO_MANDATED:2025-09-10:to=${CHIEF}`,
        `DEADLINE_MISSED:10003:NEW_SRO:level=3:to=${AGENCY_ESCALATION}`,
        `DEADLINE_MISSED:10003:NEW_SRO:level=3:to=${CHIEF}`,
        `DEADLINE_MISSED:10003:NEW_SRO:level=3:to=${DISTRICT_ESCALATION}`,
        `DEADLINE_MISSED:10003:NEW_SRO:level=3:to=${PRIMARY}`,
        `DEADLINE_REMINDER:10001:NEW_SRO:lead=30:to=${CHIEF}`,
        `DEADLINE_REMINDER:10001:NEW_SRO:lead=30:to=${PRIMARY}`,
      ].sort(),
    );
    expect(p.smtp.received).toHaveLength(7);
    expect(delivery).toMatchObject({ SENT: 7, FAILED: 0, PENDING: 0 });

    const ledger = await p.ledger();
    const superseded = ledger
      .filter((r) => r.status === 'SUPERSEDED')
      .map((r) => r.alert_key)
      .sort();
    // Catch-up, most urgent only: the crossed leads 60, 90 and levels 1, 2 are recorded, not sent.
    expect([...new Set(superseded)]).toEqual([
      'DEADLINE_MISSED:10003:NEW_SRO:level=1',
      'DEADLINE_MISSED:10003:NEW_SRO:level=2',
      'DEADLINE_REMINDER:10001:NEW_SRO:lead=60',
      'DEADLINE_REMINDER:10001:NEW_SRO:lead=90',
    ]);
    for (const m of p.smtp.received) {
      const row = ledger.find((r) => r.key === m.key);
      expect(row?.status).toBe('SENT');
      expect(row?.message_id).toBe(m.parsed.messageId);
      expect(m.kind).toBe(row?.kind);
    }
  });

  it('a reminder tells the chief who, what and when, with both parts, the policy section and a calendar event', () => {
    const m = p.smtp.received.find((r) => r.key === `DEADLINE_REMINDER:10001:NEW_SRO:lead=30:to=${CHIEF}`);
    expect(m).toBeDefined();
    const subject = m!.parsed.subject ?? '';
    expect(subject).toContain('Period');
    expect(subject).toContain('2026-04-01');
    expect(m!.parsed.text).toContain('2026-04-01');
    expect(m!.parsed.text).toMatch(/30 days/);
    expect(m!.parsed.text).toMatch(/V\.C/);
    expect(m!.parsed.html).toBeTruthy();
    expect(m!.raw).toMatch(/text\/calendar/);
    expect(m!.raw).toMatch(/DTSTART;VALUE=DATE:20260401/);
  });

  it('HTML is escaped: an officer named <b>Bob</b> renders as text', () => {
    const m = p.smtp.received.find((r) => r.key?.startsWith('DEADLINE_REMINDER:10001'));
    const html = String(m!.parsed.html);
    expect(html).toContain('&lt;b&gt;Bob&lt;/b&gt;');
    expect(html).not.toContain('<b>Bob</b>');
  });

  it('the report shows, per officer, the last alert sent and to whom (issue 3: delivery log)', async () => {
    const rows = await withLastAlerts(
      p.runtime.pool,
      await buildReport(p.runtime.pool, civilDate('2026-03-02'), rulesOf(p.config)),
    );
    const by = new Map(rows.map((r) => [r.license, r.lastAlert]));
    expect(by.get('10001')).toMatchObject({
      kind: 'DEADLINE_REMINDER',
      alertKey: 'DEADLINE_REMINDER:10001:NEW_SRO:lead=30',
      recipients: [CHIEF, PRIMARY].sort(),
    });
    expect(by.get('10002')).toMatchObject({ kind: 'CERTIFICATE_MISSING', recipients: [CHIEF] });
    expect(by.get('10003')).toMatchObject({
      kind: 'DEADLINE_MISSED',
      alertKey: 'DEADLINE_MISSED:10003:NEW_SRO:level=3',
    });
    const ledger = await p.ledger();
    const sent = await p.runtime.pool.query(
      `SELECT max(sent_at) AS t FROM alert_ledger WHERE license = '10003' AND status = 'SENT'`,
    );
    expect(by.get('10003')?.sentAt).toBe((sent.rows[0].t as Date).toISOString());
    expect(ledger.some((r) => r.status === 'SUPERSEDED' && r.alert_key.startsWith('DEADLINE_MISSED:10003'))).toBe(true);
    // Superseded steps were never e-mailed, so they are never "the last alert sent".
    expect(rows.every((r) => r.lastAlert === null || !r.lastAlert.alertKey.endsWith('level=2'))).toBe(true);
  });

  it('a second scan the same day sends nothing again', async () => {
    const before = p.smtp.received.length;
    const { result, delivery } = await p.scan('2026-03-02');
    expect(result.alerts).toBe(0);
    expect(delivery.SENT).toBe(0);
    expect(p.smtp.received).toHaveLength(before);
  });

  it('RESOLVED goes to everyone who got the escalation once the officer is trained', async () => {
    await p.load({
      trainings: [{ license: '10003', kind: 'SRO_MANDATED', completedOn: '2026-03-04', certificateOnFile: true }],
    });
    const before = p.smtp.received.length;
    await p.scan('2026-03-05');
    const resolved = p.smtp.received
      .slice(before)
      .filter((m) => m.kind === 'RESOLVED')
      .map((m) => m.to)
      .sort();
    expect(resolved).toEqual([AGENCY_ESCALATION, CHIEF, DISTRICT_ESCALATION, PRIMARY].sort());
    await p.scan('2026-03-06');
    expect(p.smtp.received.filter((m) => m.kind === 'RESOLVED')).toHaveLength(4);
  });
});

/** The scan itself (src/app/alert-scan.ts), run here rather than as a queued job: it writes ledger rows and enqueues their send jobs. */
function scanInProcess(q: Pipeline, asOf: string, batchSize?: number) {
  return runScan(q.runtime.pool, {
    asOf: civilDate(asOf),
    rules: rulesOf(q.config),
    alerts: alertConfigOf(q.config),
    work: q.runtime.work,
    batchSize,
  });
}

describe('RULES 5 "Once": the ledger, not Redis, knows what is owed', () => {
  let q: Pipeline;
  beforeAll(async () => {
    q = await startPipeline('pipeline_redis_lost');
    await q.load(pipelineRoster({}));
  });
  afterAll(async () => {
    await q?.close();
  });

  it('given a scan whose send jobs Redis lost, when the next scan runs, then every PENDING row is delivered once', async () => {
    const send = q.runtime.queues.send;
    // Given: the scan wrote its PENDING rows and jobs, then Redis lost the jobs before any ran.
    await send.pause();
    const first = await scanInProcess(q, '2026-03-02');
    expect(first.pendingRows).toBe(7);
    await send.obliterate({ force: true });
    await send.resume();
    expect(q.smtp.received).toHaveLength(0);

    // When: the next scan runs (nothing new is due; the rows are still PENDING).
    const { result, delivery } = await q.scan('2026-03-02');

    // Then: it plans nothing new, re-enqueues the 7 owed rows, and each arrives once.
    expect(result.alerts).toBe(0);
    expect(result.enqueued).toBe(7);
    expect(delivery).toMatchObject({ SENT: 7, PENDING: 0 });
    const keys = q.smtp.received.map((m) => m.key);
    expect(keys).toHaveLength(7);
    expect(new Set(keys).size).toBe(7);
    const ledger = await q.ledger();
    expect(ledger.filter((r) => r.status === 'PENDING')).toEqual([]);
  });
});

describe('a scan larger than SCAN_PARTITION_SIZE fans out to range jobs that any replica takes', () => {
  let q: Pipeline;
  beforeAll(async () => {
    q = await startPipeline('pipeline_split', { SCAN_PARTITION_SIZE: '1' });
    await q.load(pipelineRoster({}));
    q.spawnReplica();
  });
  afterAll(async () => {
    await q?.close();
  });

  it('given 3 officers and partitions of 1, when scanned as of 2026-03-02, then 4 range jobs cover them and the same 7 e-mails arrive once', async () => {
    const { result, delivery } = await q.scan('2026-03-02');
    // The sum of the parts: every officer once, the 3 alerts of the unsplit scan above.
    expect(result).toMatchObject({ officers: 3, alerts: 3, pendingRows: 7 });
    expect(delivery).toMatchObject({ SENT: 7, FAILED: 0, PENDING: 0 });
    const keys = q.smtp.received.map((m) => m.key);
    expect(new Set(keys).size).toBe(7);
    expect(keys).toHaveLength(7);
    // (…, 10001], (10001, 10002], (10002, 10003], (10003, …): the last is empty but keeps
    // the cover total when officers are added between planning and scanning.
    const parts = (await q.runtime.queues.scan.getJobs(['completed'])).filter((j) => String(j.id).includes('-part-'));
    const ranges = parts
      .map((j) => [j.data.afterLicense, j.data.throughLicense])
      .sort((a, b) => String(a[0]).localeCompare(String(b[0])));
    expect(ranges).toEqual([
      ['10001', '10002'],
      ['10002', '10003'],
      ['10003', null],
      [null, '10001'],
    ]);
  });
});

describe('a scan whose ledger write fails', () => {
  let q: Pipeline;
  beforeAll(async () => {
    q = await startPipeline('pipeline_write_fails');
    await q.load(pipelineRoster({}));
  });
  afterAll(async () => {
    await q?.close();
  });

  it('given PostgreSQL refusing every ledger INSERT, when scanned in batches of 1, then the scan rejects with the cause and writes nothing (no unhandled rejection while the next batch is read)', async () => {
    // A real refusal from PostgreSQL: a constraint no row satisfies.
    await q.runtime.pool.query('ALTER TABLE alert_ledger ADD CONSTRAINT refuse_all CHECK (false) NOT VALID');
    const send = q.runtime.queues.send;
    await send.pause();
    const scan = scanInProcess(q, '2026-03-02', 1);
    await expect(scan).rejects.toThrow(/refuse_all/);
    expect((await q.runtime.pool.query('SELECT count(*)::int AS n FROM alert_ledger')).rows[0].n).toBe(0);
    expect(await send.count()).toBe(0);
    await q.runtime.pool.query('ALTER TABLE alert_ledger DROP CONSTRAINT refuse_all');
    await send.resume();
  });
});
