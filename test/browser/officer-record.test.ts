// The officer's own record in Chromium (RULES.md 10, INTERFACE.md "Pages for people"): the
// officer's `/` is their record, which speaks to them and shows their deadline and who is told,
// by role and never by address; their first task: read the agency's SRO policy, attest the
// review, submit the course with its certificate. The chief's: read the submission and reject
// it with the reason (the officer's page says so), then confirm the one submitted again (the
// officer is Compliant). axe-core at WCAG 2.1 AA on every page and state; screenshots at 1280
// and 390 px in the system's temporary folder (sro-screenshots).
import { mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays } from '../../src/domain/civil-date.ts';
import { civilDateIn } from '../../src/shell/clock.ts';
import { HAS_CHROMIUM, addSession, axeViolations, launchChromium, warnWithoutChromium } from '../helpers/browser.ts';
import { type ConsoleRig, startConsoleRig } from '../helpers/console.ts';
import { CHIEF, CONTACT, OFFICER, PDF, albertLeaRoster } from '../helpers/console-fixtures.ts';

warnWithoutChromium('test/browser/officer-record.test.ts', "The officer's record browser and accessibility tests");

const today = civilDateIn('America/Chicago');
/** Assumed duties 20 days ago, untrained: OVERDUE. */
const ROSTER = albertLeaRoster(addDays(today, -20), ['T1', 'T2']);
const SHOTS = join(tmpdir(), 'sro-screenshots');
const REASON = 'The certificate is of another officer: submit yours.';

describe.skipIf(!HAS_CHROMIUM)("the officer's own record in Chromium", { timeout: 120_000 }, () => {
  let rig: ConsoleRig;
  let browser: Browser;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    rig = await startConsoleRig('browser-officer-record', { LOGIN_LIMIT_PER_ADDRESS: '100' });
    await rig.load(ROSTER);
    browser = await launchChromium();
    await mkdir(SHOTS, { recursive: true });
  });
  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => undefined);
    await browser?.close();
    await rig?.close();
  });

  const url = (path: string) => new URL(path, rig.url).toString();

  async function pageOf(email: string): Promise<Page> {
    const client = await rig.signIn(email);
    const context = await browser.newContext({
      viewport: { width: 1280, height: 900 },
      locale: 'en-US',
      acceptDownloads: true,
    });
    contexts.push(context);
    await addSession(context, client, rig);
    return context.newPage();
  }

  /** axe-core at WCAG 2.1 AA on the page as it is: no violation. */
  async function accessible(page: Page, state: string) {
    expect(await axeViolations(page), `${state}: axe-core WCAG 2.1 AA`).toEqual([]);
  }

  /** The page at 1280 px and at 390 px (a phone), whole, and axe-core on both. */
  async function shots(page: Page, name: string) {
    await page.setViewportSize({ width: 1280, height: 900 });
    await accessible(page, `${name} at 1280 px`);
    await page.screenshot({ path: join(SHOTS, `${name}-1280.png`), fullPage: true });
    await page.setViewportSize({ width: 390, height: 844 });
    await accessible(page, `${name} at 390 px`);
    await page.screenshot({ path: join(SHOTS, `${name}-390.png`), fullPage: true });
    await page.setViewportSize({ width: 1280, height: 900 });
  }

  async function folded(page: Page, name: string) {
    const form = page.getByRole('form', { name });
    const summary = page.locator('details.card.form > summary').filter({ hasText: name });
    if ((await summary.count()) > 0 && !(await form.isVisible())) await summary.click();
    return form;
  }

  async function submitCourse(officer: Page) {
    const form = officer.getByRole('form', { name: 'Submit your completed training' });
    await form.getByLabel('Course', { exact: true }).selectOption('SRO_MANDATED');
    await form.getByLabel('Completed on').fill(addDays(today, -1));
    await form.getByLabel('Certificate file').setInputFiles({
      name: 'certificate.pdf',
      mimeType: 'application/pdf',
      buffer: PDF,
    });
    await form.getByRole('button', { name: "Submit for your chief's review" }).click();
    await officer.waitForURL(/done=training-submitted/);
  }

  it('the chief puts the SRO policy in the console', async () => {
    const chief = await pageOf(CHIEF);
    await chief.goto(url('/agencies/MN0240100'));
    await accessible(chief, 'the agency page without a policy');
    await chief.getByLabel('The policy as a PDF').setInputFiles({
      name: 'sro-policy.pdf',
      mimeType: 'application/pdf',
      buffer: PDF,
    });
    await chief.getByRole('button', { name: 'Upload the policy' }).click();
    await chief.waitForURL(/done=policy/);
    await accessible(chief, 'the agency page with its policy');
  });

  it("the officer's / is their record: it speaks to them, shows their deadline and who is told by role, and no one's address", async () => {
    const officer = await pageOf(OFFICER);
    await officer.goto(url('/'));
    expect(officer.url()).toBe(url('/officers/T1'));
    const status = officer.getByRole('region', { name: /Overdue/ });
    await expect.poll(() => status.textContent()).toContain('You must complete a POST-approved SRO course');
    expect(await officer.locator('#status-h').textContent()).toContain('Overdue');
    const ladder = await officer.locator('section[aria-labelledby="ladder-h"]').textContent();
    expect(ladder).toContain('escalation level 3');
    const body = (await officer.locator('body').textContent()) ?? '';
    for (const address of [CHIEF, CONTACT]) expect(body).not.toContain(address);
    await shots(officer, 'officer-record');
  });

  it("the officer's first task: read the policy, attest the review, submit the course with its certificate", async () => {
    const officer = await pageOf(OFFICER);
    await officer.goto(url('/officers/T1'));
    const review = await folded(officer, 'Record a policy review');
    const link = review.getByRole('link', { name: /Read the SRO policy of Albert Lea Police Department/ });
    const [download] = await Promise.all([officer.waitForEvent('download'), link.click()]);
    expect(download.suggestedFilename()).toBe('MN0240100-SRO-policy.pdf');
    await review.getByLabel(/I have reviewed the SRO policy/).check();
    await review.getByRole('button', { name: 'Attest the policy review' }).click();
    await officer.waitForURL(/done=review-attested/);
    await accessible(officer, 'the review attested');

    // Without the certificate: the form comes back naming it, and nothing is sent.
    const form = officer.getByRole('form', { name: 'Submit your completed training' });
    await form.getByLabel('Course', { exact: true }).selectOption('SRO_MANDATED');
    await form.getByLabel('Completed on').fill(addDays(today, -1));
    await form.getByRole('button', { name: "Submit for your chief's review" }).click();
    await expect.poll(() => officer.getByRole('alert').textContent()).toContain('Certificate file');
    await accessible(officer, 'the submission sent back without its certificate');

    await officer.goto(url('/officers/T1'));
    await submitCourse(officer);
    expect(await officer.getByRole('status').first().textContent()).toContain('sent to your chief');
    expect(await officer.locator('p.next').textContent()).toContain('Your chief has the POST-approved SRO course');
    expect(await officer.locator('#status-h').textContent()).toContain('Overdue');
    await shots(officer, 'officer-submitted');
  });

  it("the chief's task: read the submission, reject it with the reason; then confirm the one submitted again", async () => {
    const chief = await pageOf(CHIEF);
    await chief.goto(url('/officers/T1'));
    const answer = chief.getByRole('region', { name: 'Confirm or reject the submitted training' });
    expect(await answer.getByRole('link', { name: 'Read the certificate (download)' }).count()).toBe(1);
    await shots(chief, 'chief-review');
    // A rejection without its reason comes back naming it.
    await answer.getByRole('button', { name: 'Reject the training' }).click();
    await expect.poll(() => chief.getByRole('alert').textContent()).toContain('Reason');
    await accessible(chief, 'the rejection sent back without its reason');
    await chief.getByLabel('Or reject it: the reason').fill(REASON);
    await chief.getByRole('button', { name: 'Reject the training' }).click();
    await chief.waitForURL(/done=submission-rejected/);
    await accessible(chief, 'the submission rejected');

    const officer = await pageOf(OFFICER);
    await officer.goto(url('/'));
    expect(await officer.getByRole('status').first().textContent()).toContain(REASON.replace(/\.$/, ''));
    await accessible(officer, "the officer's record with the rejection");
    await submitCourse(officer);

    await chief.goto(url('/officers/T1'));
    await chief.getByRole('button', { name: 'Confirm the training' }).click();
    await chief.waitForURL(/done=submission-confirmed/);
    expect(await chief.locator('#status-h .badge').textContent()).toBe('Compliant');
    await shots(chief, 'chief-confirmed');

    await officer.goto(url('/'));
    expect(await officer.locator('#status-h .badge').textContent()).toBe('Compliant');
    await accessible(officer, "the officer's record once confirmed");
  });
});
