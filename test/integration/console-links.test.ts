// INTERFACE.md "Console": with PUBLIC_URL set, every alert e-mail sent through the queue to
// a real SMTP server links to its officer's page, and the weekly digest to each officer's
// page and the console's home; without it, what arrives carries no link.
import { afterEach, describe, expect, it } from 'vitest';
import { weeklyDigestJob } from '../../jobs/weekly-digest.ts';
import { runJobToCompletion } from '../../src/worker/run-once.ts';
import { CHIEF, pipelineRoster } from '../fixtures/pipeline-roster.ts';
import { type Pipeline, startPipeline } from '../helpers/pipeline.ts';

const PUBLIC_URL = 'https://sro.lakeside.example';
/** A license with characters a path segment must encode ('/' and '#'); the schema allows no spaces. */
const ODD_LICENSE = 'MN/10004#B';

let p: Pipeline | undefined;
afterEach(async () => {
  await p?.close();
  p = undefined;
});

/** The pipeline roster plus an officer like 10003 (OVERDUE from 2026-01-06) under ODD_LICENSE. */
function roster() {
  const r = pipelineRoster();
  return {
    ...r,
    officers: [...r.officers, { license: ODD_LICENSE, firstName: 'Odd', lastName: 'License', agencyId: 'MN0900100' }],
    assignments: [
      ...r.assignments,
      {
        license: ODD_LICENSE,
        districtId: 'ISD900',
        school: 'Lakeside Elementary',
        role: 'REGULAR',
        startDate: '2026-01-05',
        endDate: null,
        trainingUnavailable: false,
      },
    ],
  };
}

const pageOf = (license: string) => `${PUBLIC_URL}/officers/${encodeURIComponent(license)}`;
/** The license in an alert key KIND:LICENSE:… (this test's licenses hold no ':'). */
const licenseOf = (key: string) => key.split(':')[1] as string;

describe('alert e-mails through the queue with PUBLIC_URL set', () => {
  it("given PUBLIC_URL, each alert that arrives links to its officer's page and the digest to each officer's", async () => {
    p = await startPipeline('console-links', { PUBLIC_URL: `${PUBLIC_URL}/` });
    await p.load(roster());
    const { delivery } = await p.scan('2026-01-06');
    expect(delivery.FAILED).toBe(0);
    expect(delivery.SENT).toBeGreaterThan(0);

    const alerts = p.smtp.received.filter((m) => m.kind !== 'WEEKLY_DIGEST');
    expect(new Set(alerts.map((m) => m.kind))).toEqual(
      new Set(['DEADLINE_REMINDER', 'DEADLINE_MISSED', 'CERTIFICATE_MISSING']),
    );
    expect(new Set(alerts.map((m) => licenseOf(m.key ?? '')))).toEqual(
      new Set(['10001', '10002', '10003', ODD_LICENSE]),
    );
    for (const m of alerts) {
      const page = pageOf(licenseOf(m.key ?? ''));
      expect(m.parsed.text, m.key).toContain(page);
      expect(String(m.parsed.html), m.key).toContain(`<a href="${page}"`);
    }
    const odd = alerts.find((m) => m.key?.startsWith(`DEADLINE_MISSED:${ODD_LICENSE}:`));
    expect(String(odd?.parsed.html)).toContain(`<a href="${PUBLIC_URL}/officers/MN%2F10004%23B"`);

    const never = new AbortController().signal;
    await runJobToCompletion(p.runtime, weeklyDigestJob, { asOf: '2026-01-06' }, never);
    const digest = p.smtp.received.find((m) => m.kind === 'WEEKLY_DIGEST' && m.to === CHIEF);
    expect(digest).toBeDefined();
    const html = String(digest?.parsed.html);
    expect(html).toContain(`<a href="${PUBLIC_URL}/"`);
    for (const license of ['10001', '10002', '10003', ODD_LICENSE]) {
      expect(digest?.parsed.text).toContain(pageOf(license));
      expect(html).toContain(`<a href="${pageOf(license)}"`);
    }
  }, 60_000);

  it('given no PUBLIC_URL, nothing that arrives carries a link', async () => {
    p = await startPipeline('console-nolinks');
    await p.load(roster());
    await p.scan('2026-01-06');
    await runJobToCompletion(p.runtime, weeklyDigestJob, { asOf: '2026-01-06' }, new AbortController().signal);
    expect(p.smtp.received.length).toBeGreaterThan(0);
    for (const m of p.smtp.received) {
      expect(m.parsed.text, m.key).not.toMatch(/https?:/);
      expect(String(m.parsed.html), m.key).not.toMatch(/https?:|<a /);
    }
  }, 60_000);
});
