// RULES.md 9 in a real Chromium: a district contact records contact days with a Saturday among
// them, sees the form come back naming the day and asking again, ticks the box and sees the
// days recorded. axe-core at WCAG 2.1 AA on the page that asks; screenshots of it at 1280 and
// 390 px wide (written to the system's temporary folder, for a person to look at).
import { mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays } from '../../src/domain/civil-date.ts';
import { civilDateIn } from '../../src/shell/clock.ts';
import { HAS_CHROMIUM, addSession, axeViolations, launchChromium, warnWithoutChromium } from '../helpers/browser.ts';
import { type ConsoleRig, startConsoleRig } from '../helpers/console.ts';
import { CONTACT, albertLeaRoster } from '../helpers/console-fixtures.ts';
import { queryRows } from '../helpers/db.ts';

warnWithoutChromium('test/browser/non-school-days.test.ts', 'The contact-days confirmation browser test');

const today = civilDateIn('America/Chicago');
const SHOTS = join(tmpdir(), 'sro-screenshots');

describe.skipIf(!HAS_CHROMIUM)('RULES.md 9: the contact-days form in Chromium', { timeout: 90_000 }, () => {
  let rig: ConsoleRig;
  let browser: Browser;

  beforeAll(async () => {
    rig = await startConsoleRig('browser-non-school', { LOGIN_LIMIT_PER_CLIENT: '1000' });
    await rig.load(albertLeaRoster(addDays(today, -20), ['T1', 'S1']));
    browser = await launchChromium();
    await mkdir(SHOTS, { recursive: true });
  });
  afterAll(async () => {
    await browser?.close();
    await rig?.close();
  });

  const recorded = async () =>
    (
      await queryRows<{ date: string }>(
        rig.config.databaseUrl,
        `SELECT to_char(date, 'YYYY-MM-DD') AS date FROM contact_day WHERE license = 'S1' ORDER BY date`,
      )
    ).map((r) => r.date);

  it('RULES.md 9: a district contact records a Saturday, is asked again, confirms, and the days are recorded', async () => {
    const client = await rig.signIn(CONTACT);
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'en-US' });
    await addSession(context, client, rig);
    const page: Page = await context.newPage();
    try {
      await page.goto(new URL('/officers/S1', rig.url).toString());
      const form = page.getByRole('region', { name: 'Record student contact days' });
      await form.getByLabel('District').selectOption('ISD241');
      await form.getByLabel('Day 1', { exact: true }).fill('2026-12-04');
      await form.getByLabel('Day 2', { exact: true }).fill('2026-12-05');
      await form.getByRole('button', { name: 'Record the contact days' }).click();

      // The page again: the Saturday named in the summary and next to its input, what was typed kept.
      await page.waitForURL(/\/officers\/S1\/contact-days$/);
      const summary = page.getByRole('alert');
      expect(await summary.textContent()).toContain('Day 2: Saturday 2026-12-05 is not a school day');
      const day2 = form.getByLabel('Day 2', { exact: true });
      expect(await day2.inputValue()).toBe('2026-12-05');
      expect(await day2.getAttribute('aria-invalid')).toBe('true');
      expect(await form.getByLabel('Day 1', { exact: true }).inputValue()).toBe('2026-12-04');
      const box = form.getByRole('checkbox', { name: 'Record this day anyway: the officer did serve on it' });
      expect(await box.isChecked()).toBe(false);
      expect(await recorded()).toEqual([]);
      expect(await axeViolations(page)).toEqual([]);
      await form.scrollIntoViewIfNeeded();
      await page.screenshot({ path: join(SHOTS, 'non-school-days-1280.png'), fullPage: true });
      await page.setViewportSize({ width: 390, height: 844 });
      await page.screenshot({ path: join(SHOTS, 'non-school-days-390.png'), fullPage: true });
      expect(await axeViolations(page)).toEqual([]);
      await page.setViewportSize({ width: 1280, height: 900 });

      await box.check();
      await form.getByRole('button', { name: 'Record the contact days' }).click();
      await page.waitForURL(/done=contact-days&added=2&already=0/);
      expect(await page.getByRole('status').first().textContent()).toContain('Recorded 2 contact days.');
      expect(await recorded()).toEqual(['2026-12-04', '2026-12-05']);
    } finally {
      await context.close();
    }
  });
});
