// The Reports page in a real Chromium (INTERFACE.md "Reports for the board and the auditor"): a
// chief follows "Reports" from their officer list, keeps today's date, and downloads the
// compliance report and the evidence packet with the page's two buttons (a plain GET form, no
// script); the page passes axe-core at WCAG 2.1 AA at 1280 and 390 px.
import { readFile } from 'node:fs/promises';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays } from '../../src/domain/civil-date.ts';
import { civilDateIn } from '../../src/shell/clock.ts';
import { HAS_CHROMIUM, addSession, axeViolations, launchChromium, warnWithoutChromium } from '../helpers/browser.ts';
import { type ConsoleRig, startConsoleRig } from '../helpers/console.ts';
import { ADMIN, CHIEF, albertLeaRoster } from '../helpers/console-fixtures.ts';
import { readPdf } from '../helpers/pdf.ts';
import { readZip } from '../helpers/zip.ts';

warnWithoutChromium('test/browser/reports.test.ts', "The Reports page's browser and accessibility tests");

const today = civilDateIn('America/Chicago');
const ROSTER = albertLeaRoster(addDays(today, -20), ['T1', 'T2', 'S1']);

describe.skipIf(!HAS_CHROMIUM)('the Reports page in Chromium', { timeout: 90_000 }, () => {
  let rig: ConsoleRig;
  let browser: Browser;

  beforeAll(async () => {
    rig = await startConsoleRig('browser-reports', { ADMIN_EMAILS: ADMIN, LOGIN_LIMIT_PER_CLIENT: '1000' });
    await rig.load(ROSTER);
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await rig?.close();
  });

  it('a chief goes from / to Reports and downloads the report and the evidence packet; axe-core finds nothing', async () => {
    const client = await rig.signIn(CHIEF);
    const context = await browser.newContext({
      viewport: { width: 1280, height: 900 },
      locale: 'en-US',
      acceptDownloads: true,
    });
    await addSession(context, client, rig);
    const page = await context.newPage();
    try {
      await page.goto(new URL('/', rig.url).toString());
      await page.getByRole('link', { name: 'Reports' }).click();
      await expect.poll(() => page.url()).toMatch(/\/reports$/);
      expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Reports');
      expect(await page.getByLabel('Status as of').inputValue()).toBe(today);
      expect(await axeViolations(page)).toEqual([]);

      const [pdf] = await Promise.all([
        page.waitForEvent('download'),
        page.getByRole('button', { name: 'Download the report (PDF)' }).click(),
      ]);
      expect(pdf.suggestedFilename()).toBe(`sro-compliance-MN0240100-${today}.pdf`);
      const text = (await readPdf(await readFile((await pdf.path())!))).text;
      expect(text).toContain('Scope: Albert Lea Police Department (agency MN0240100)');
      expect(text).toContain('Dana Olson T1');

      const [zip] = await Promise.all([
        page.waitForEvent('download'),
        page.getByRole('button', { name: 'Download the evidence packet (ZIP)' }).click(),
      ]);
      expect(zip.suggestedFilename()).toBe(`sro-evidence-MN0240100-${today}.zip`);
      const entries = await readZip((await zip.path())!);
      expect([...entries.keys()].sort()).toEqual(['compliance-report.pdf', 'manifest.json', 'officers.csv']);

      await page.setViewportSize({ width: 390, height: 844 });
      expect(await axeViolations(page)).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
