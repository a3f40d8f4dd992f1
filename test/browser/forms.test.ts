// The officer page's forms in a real Chromium, without any script of the page's own (there is
// none: INTERFACE.md "Console", STYLE.md habit 12): a chief records a course with its
// certificate from the file picker and acknowledges a missed deadline, a district contact
// records contact days, an officer attests a policy review; axe-core at WCAG 2.1 AA on the
// page with every form, with a validation error, and on /audit; the training form by keyboard.
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CivilDate, addDays } from '../../src/domain/civil-date.ts';
import { civilDateIn } from '../../src/shell/clock.ts';
import { HAS_CHROMIUM, addSession, axeViolations, launchChromium, warnWithoutChromium } from '../helpers/browser.ts';
import { type ConsoleRig, startConsoleRig } from '../helpers/console.ts';
import { ADMIN, CHIEF, CONTACT, OFFICER, PDF, albertLeaRoster } from '../helpers/console-fixtures.ts';
import { schoolDaysBefore } from '../helpers/facts.ts';
import { queryRows } from '../helpers/db.ts';

warnWithoutChromium('test/browser/forms.test.ts', "The console forms' browser and accessibility tests");

const today = civilDateIn('America/Chicago');
/** Assumed duties 20 days ago, untrained: OVERDUE (RULES.md 2 rule 4). */
const STARTED = addDays(today, -20);

const ROSTER = albertLeaRoster(STARTED, ['T1', 'T2', 'T3', 'S1']);

describe.skipIf(!HAS_CHROMIUM)('the officer page’s forms in Chromium', { timeout: 90_000 }, () => {
  let rig: ConsoleRig;
  let browser: Browser;

  beforeAll(async () => {
    rig = await startConsoleRig('browser-forms', {
      ADMIN_EMAILS: ADMIN,
      LOGIN_LIMIT_PER_ADDRESS: '1000',
      LOGIN_LIMIT_PER_CLIENT: '1000',
    });
    await rig.load(ROSTER);
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await rig?.close();
  });

  const url = (path: string) => new URL(path, rig.url).toString();

  /** A browser context holding the session of `email` (signed in over HTTP by the rig, through the e-mail's link). */
  async function signedIn(email: string): Promise<{ context: BrowserContext; page: Page }> {
    const client = await rig.signIn(email);
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'en-US' });
    await addSession(context, client, rig);
    return { context, page: await context.newPage() };
  }

  async function as<T>(email: string, work: (page: Page) => Promise<T>): Promise<T> {
    const { context, page } = await signedIn(email);
    try {
      return await work(page);
    } finally {
      await context.close();
    }
  }

  const statusBadge = (page: Page) => page.locator('#status-h .badge').textContent();
  /** A form of the officer page by its heading: opened first when it is folded away (<details>). */
  async function formOf(page: Page, name: string) {
    const form = page.getByRole('form', { name });
    const summary = page.locator('details.card.form > summary').filter({ hasText: name });
    if ((await summary.count()) > 0 && !(await form.isVisible())) await summary.click();
    return form;
  }
  const notice = (page: Page) => page.getByRole('status').first().textContent();

  it('a chief records a course with its certificate from the file picker, and the officer is Compliant', async () => {
    await as(CHIEF, async (page) => {
      await page.goto(url('/officers/T2'));
      expect(await statusBadge(page)).toBe('Overdue');
      const form = await formOf(page, 'Record a completed training');
      await form.getByLabel('Course', { exact: true }).selectOption('SRO_MANDATED');
      await form.getByLabel('Completed on').fill(today);
      await form.getByLabel('Course number (optional)').fill('POST-5521');
      await form.getByLabel('Provider (optional)').fill('Minnesota POST Board');
      await form
        .getByLabel('Certificate file (optional)')
        .setInputFiles({ name: 'certificate.pdf', mimeType: 'application/pdf', buffer: PDF });
      await form.getByRole('button', { name: 'Record the training' }).click();
      await page.waitForURL(url('/officers/T2?done=training-certificate'));
      expect(await notice(page)).toMatch(/The training and its certificate were recorded/);
      expect(await statusBadge(page)).toBe('Compliant');
      const row = page.locator('table[aria-labelledby="train-h"] tbody tr').filter({ hasText: 'POST-5521' });
      await expect(row.getByRole('link', { name: 'on file (download)' }).count()).resolves.toBe(1);
      // Deleting asks first: the button opens a second step whose own button deletes.
      await row.locator('summary', { hasText: `Delete the training of ${today}` }).click();
      await expect(row.getByRole('button', { name: 'Yes, delete the training' }).isVisible()).resolves.toBe(true);
    });
    const [stored] = await queryRows<{ n: number }>(
      rig.database.url,
      `SELECT count(*)::int AS n FROM certificate WHERE size = $1`,
      [PDF.length],
    );
    expect(stored!.n).toBe(1);
  });

  it('a district contact records contact days for a substitute; a day already on record is reported', async () => {
    await as(CONTACT, async (page) => {
      await page.goto(url('/officers/S1'));
      // The status header opens the one form that fits an exempt substitute.
      const form = page.getByRole('region', { name: 'Record student contact days' });
      // The contact sees this form only: no training, review or acknowledgement.
      await expect(page.getByRole('form', { name: 'Record a completed training' }).count()).resolves.toBe(0);
      await expect(page.getByRole('form', { name: 'Record a policy review' }).count()).resolves.toBe(0);
      await form.getByLabel('District').selectOption('ISD241');
      // School days (RULES.md 9: a weekend or holiday would be asked about again).
      const [d1, d2, d3] = schoolDaysBefore(today, 3) as [CivilDate, CivilDate, CivilDate];
      await form.getByLabel('Day 1', { exact: true }).fill(d1);
      await form.getByLabel('Day 2', { exact: true }).fill(d2);
      await form.getByRole('button', { name: 'Record the contact days' }).click();
      await page.waitForURL(/done=contact-days/);
      expect(await notice(page)).toBe('Recorded 2 contact days.');
      await form.getByLabel('Day 1', { exact: true }).fill(d2);
      await form.getByLabel('Day 2', { exact: true }).fill(d3);
      await form.getByRole('button', { name: 'Record the contact days' }).click();
      await page.waitForURL(/done=contact-days&added=1&already=1/);
      expect(await notice(page)).toBe('Recorded 1 contact day; 1 contact day was already recorded.');
      expect(await page.getByText(/^3 days on record\.$/).count()).toBe(1);
    });
  });

  it('an officer attests a policy review by ticking its sentence', async () => {
    await as(OFFICER, async (page) => {
      await page.goto(url('/officers/T1'));
      const form = await formOf(page, 'Record a policy review');
      await form.getByRole('button', { name: 'Attest the policy review' }).click();
      // Unticked: the page again, the box named as the problem.
      await page.waitForURL(url('/officers/T1/policy-reviews'));
      const box = page.getByRole('checkbox', {
        name: 'I have reviewed the SRO policy of Albert Lea Police Department and will comply',
      });
      expect(await box.getAttribute('aria-invalid')).toBe('true');
      await box.check();
      // Sent back, the form is open with what was typed.
      await page
        .getByRole('form', { name: 'Record a policy review' })
        .getByRole('button', { name: 'Attest the policy review' })
        .click();
      await page.waitForURL(url('/officers/T1?done=review-attested'));
      expect(await notice(page)).toBe('Your attestation of the policy review was recorded.');
      const rows = page.locator('table[aria-labelledby="review-h"] tbody tr');
      expect(await rows.filter({ hasText: today }).filter({ hasText: 'console' }).count()).toBe(1);
    });
  });

  it('a chief acknowledges the missed deadline, and the acknowledgement shows on the page', async () => {
    await as(CHIEF, async (page) => {
      await page.goto(url('/officers/T1'));
      // The status header opens it: the one action that fits an overdue officer.
      const form = page.getByRole('region', { name: 'Acknowledge the missed deadline' });
      await form.getByLabel('Note (optional)').fill('Enrolled in the course of next month.');
      await form.getByLabel('Planned completion (optional)').fill(addDays(today, 30));
      await form.getByRole('button', { name: 'Acknowledge the missed deadline' }).click();
      await page.waitForURL(url('/officers/T1?done=acknowledgement'));
      expect(await notice(page)).toMatch(/The acknowledgment was recorded/);
      const acks = page.getByRole('region', { name: 'Acknowledgments' });
      const text = (await acks.textContent()) ?? '';
      expect(text).toContain(`Acknowledged by Chief Morgan Ellis on ${today}`);
      expect(text).toContain(`completion planned for ${addDays(today, 30)}`);
      expect(text).toContain('Enrolled in the course of next month.');
    });
  });

  it('axe-core finds nothing at WCAG 2.1 AA: every form (admin), a validation error, /audit', async () => {
    const found = await as(ADMIN, async (page) => {
      const found: Record<string, string[]> = {};
      await page.goto(url('/officers/T1'));
      for (const name of ['Record a completed training', 'Record a policy review', 'Acknowledge the missed deadline'])
        await expect((await formOf(page, name)).isVisible(), name).resolves.toBe(true);
      // No contact-days form for a regular SRO: it cannot apply (INTERFACE.md "Pages for people").
      expect(await page.getByRole('form', { name: 'Record student contact days' }).count()).toBe(0);
      found['/officers/T1 (admin, every form)'] = await axeViolations(page);
      await page.goto(url('/officers/S1'));
      for (const name of ['Record student contact days', 'Record a completed training', 'Record a policy review'])
        await expect((await formOf(page, name)).isVisible(), name).resolves.toBe(true);
      found['/officers/S1 (admin, every form)'] = await axeViolations(page);
      await page.goto(url('/officers/T1'));
      const form = await formOf(page, 'Record a completed training');
      await form.getByLabel('Course', { exact: true }).selectOption('SRO_MANDATED');
      await form.getByLabel('Completed on').fill(addDays(today, 1));
      await form.getByRole('button', { name: 'Record the training' }).click();
      await page.getByRole('heading', { name: /Nothing was recorded/ }).waitFor();
      const date = page.getByLabel('Completed on');
      expect(await date.getAttribute('aria-invalid')).toBe('true');
      expect(await page.locator('#training-completedOn-error').textContent()).toMatch(/is after today/);
      found['/officers/T1 (a validation error)'] = await axeViolations(page);
      await page.goto(url('/audit'));
      expect(await page.locator('table.audit tbody tr').count()).toBeGreaterThanOrEqual(4);
      found['/audit'] = await axeViolations(page);
      await page.goto(url('/audit?action=training'));
      found['/audit?action=training'] = await axeViolations(page);
      return found;
    });
    expect(found).toEqual({
      '/officers/T1 (admin, every form)': [],
      '/officers/S1 (admin, every form)': [],
      '/officers/T1 (a validation error)': [],
      '/audit': [],
      '/audit?action=training': [],
    });
  });

  it('the training form is filled and sent from the keyboard alone', async () => {
    await as(CHIEF, async (page) => {
      const active = () => page.evaluate<string>('document.activeElement ? document.activeElement.id : ""');
      await page.goto(url('/officers/T3'));
      // Tab from the top of the page to the folded form's heading, and Enter opens it.
      const focusedText = () =>
        page.evaluate<string>('document.activeElement ? document.activeElement.textContent : ""');
      for (let i = 0; i < 80; i++) {
        await page.keyboard.press('Tab');
        if ((await focusedText()) === 'Record a completed training') break;
      }
      expect(await focusedText()).toBe('Record a completed training');
      await page.keyboard.press('Enter');
      await page.keyboard.press('Tab');
      expect(await active()).toBe('training-kind');
      // Arrow keys choose among the options of a focused select (the first course).
      await page.keyboard.press('ArrowDown');
      await page.keyboard.press('Tab');
      expect(await active()).toBe('training-completedOn');
      // A date input takes the digits of its segments, month/day/year in en-US.
      const [y, m, d] = today.split('-');
      await page.keyboard.type(`${m}${d}${y}`);
      // Chromium's Tab also steps through the date's segments: Tab on until the next field.
      for (let i = 0; i < 4 && (await active()) === 'training-completedOn'; i++) await page.keyboard.press('Tab');
      expect(await active()).toBe('training-courseNumber');
      await page.keyboard.type('POST-7000');
      await page.keyboard.press('Tab');
      expect(await active()).toBe('training-provider');
      await page.keyboard.type('MN POST Board');
      // Past the file picker (optional), to the button, and Enter.
      await page.keyboard.press('Tab');
      expect(await active()).toBe('training-certificate');
      await page.keyboard.press('Tab');
      expect(await page.evaluate<string>('document.activeElement ? document.activeElement.textContent : ""')).toBe(
        'Record the training',
      );
      await page.keyboard.press('Enter');
      await page.waitForURL(url('/officers/T3?done=training'));
      expect(await statusBadge(page)).toBe('Compliant');
      const row = page.locator('table[aria-labelledby="train-h"] tbody tr').filter({ hasText: 'POST-7000' });
      expect(await row.textContent()).toContain(today);
    });
  });
});
