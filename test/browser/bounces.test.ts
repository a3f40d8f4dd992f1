// RULES.md 12 on the pages, in a real Chromium (STYLE.md habit 12): after a chief's and a
// district contact's addresses bounced and a complaint came in (test/helpers/bounced-roster.ts),
// the pages that show it pass axe-core at WCAG 2.1 AA at 1280 and 390 px: the officer page's
// alert list, the agency's page (the mark, and the complaints an admin sees), the district's
// page, the admins' directory.
import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HAS_CHROMIUM, addSession, axeViolations, launchChromium, warnWithoutChromium } from '../helpers/browser.ts';
import { BOUNCE_ADMIN, type BouncedRoster, startBouncedRoster } from '../helpers/bounced-roster.ts';

warnWithoutChromium('test/browser/bounces.test.ts', 'The accessibility tests of the pages that show bounces');

describe.skipIf(!HAS_CHROMIUM)('pages that show bounces, in Chromium', { timeout: 120_000 }, () => {
  let bounced: BouncedRoster;
  let browser: Browser;

  beforeAll(async () => {
    bounced = await startBouncedRoster('browser-bounces', {
      LOGIN_LIMIT_PER_ADDRESS: '1000',
      LOGIN_LIMIT_PER_CLIENT: '1000',
    });
    browser = await launchChromium();
  }, 90_000);
  afterAll(async () => {
    await browser?.close();
    await bounced?.close();
  });

  it('passes axe-core at WCAG 2.1 AA: the officer page, the agency and the district, at 1280 and 390 px', async () => {
    const { rig } = bounced;
    const client = await rig.signIn(BOUNCE_ADMIN);
    const found: Record<string, string[]> = {};
    for (const width of [1280, 390]) {
      const context: BrowserContext = await browser.newContext({ viewport: { width, height: 900 }, locale: 'en-US' });
      await addSession(context, client, rig);
      try {
        const page = await context.newPage();
        for (const path of ['/officers/10001', '/agencies/MN0900100', '/districts/ISD900', '/directory']) {
          await page.goto(new URL(path, rig.url).toString());
          // The alert list is folded away: opened, as a reader would, so its rows are checked too.
          for (const d of await page.locator('details').all()) await d.evaluate((e) => e.setAttribute('open', ''));
          found[`${path} (${width} px)`] = await axeViolations(page);
        }
        await page.goto(new URL('/agencies/MN0900100', rig.url).toString());
        expect(await page.locator('#chief-undeliverable').textContent()).toContain('is marked undeliverable');
        expect(await page.locator('#complaints-h').textContent()).toBe('Complaints about alert e-mails');
      } finally {
        await context.close();
      }
    }
    expect(found).toEqual({
      '/officers/10001 (1280 px)': [],
      '/agencies/MN0900100 (1280 px)': [],
      '/districts/ISD900 (1280 px)': [],
      '/directory (1280 px)': [],
      '/officers/10001 (390 px)': [],
      '/agencies/MN0900100 (390 px)': [],
      '/districts/ISD900 (390 px)': [],
      '/directory (390 px)': [],
    });
  });
});
