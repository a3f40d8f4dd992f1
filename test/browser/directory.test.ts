// The directory's pages in a real Chromium, without any script of the page's own (RULES.md 11,
// STYLE.md habit 12): a chief hands the agency over to a deputy during a handover, a district
// contact adds a contact from the keyboard alone, an admin adds an officer and their
// assignment; axe-core at WCAG 2.1 AA on the admins' directory, an agency's page, a district's
// page, the officer page's directory forms (opened, at 1280 and 390 px), each form sent back.
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HAS_CHROMIUM, addSession, axeViolations, launchChromium, warnWithoutChromium } from '../helpers/browser.ts';
import { type ConsoleRig, startConsoleRig } from '../helpers/console.ts';
import { ADMIN, CHIEF, DEPUTY, DIRECTORY_ROSTER, PRIMARY } from '../helpers/directory.ts';

warnWithoutChromium('test/browser/directory.test.ts', "The directory pages' browser and accessibility tests");

describe.skipIf(!HAS_CHROMIUM)('the directory’s pages in Chromium', { timeout: 90_000 }, () => {
  let rig: ConsoleRig;
  let browser: Browser;

  beforeAll(async () => {
    rig = await startConsoleRig('browser-directory', {
      ADMIN_EMAILS: ADMIN,
      LOGIN_LIMIT_PER_ADDRESS: '1000',
      LOGIN_LIMIT_PER_CLIENT: '1000',
    });
    await rig.load(DIRECTORY_ROSTER);
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await rig?.close();
  });

  const url = (path: string) => new URL(path, rig.url).toString();

  async function as<T>(email: string, work: (page: Page) => Promise<T>, width = 1280): Promise<T> {
    const client = await rig.signIn(email);
    const context: BrowserContext = await browser.newContext({ viewport: { width, height: 900 }, locale: 'en-US' });
    await addSession(context, client, rig);
    try {
      return await work(await context.newPage());
    } finally {
      await context.close();
    }
  }

  it('passes axe-core at WCAG 2.1 AA: the directory, an agency, a district, and each form sent back', async () => {
    const found: Record<string, string[]> = {};
    await as(ADMIN, async (page) => {
      for (const path of ['/directory', '/agencies/AL', '/districts/ISD241']) {
        await page.goto(url(path));
        found[path] = await axeViolations(page);
      }
      await page.goto(url('/agencies/AL'));
      await page.fill('#chiefEmail', 'not-an-address');
      await page.click('button:has-text("Save the agency")');
      expect(await page.locator('.error-summary').textContent()).toContain("Chief's e-mail");
      found['/agencies/AL (sent back)'] = await axeViolations(page);
      await page.goto(url('/districts/ISD241'));
      await page.fill('#contact-2-email', 'kim.vang@');
      await page.fill('#contact-2-name', 'Kim Vang');
      await page.click('button:has-text("Save the district")');
      expect(await page.locator('.error-summary').textContent()).toContain('Contact 3, e-mail');
      found['/districts/ISD241 (sent back)'] = await axeViolations(page);
    });
    // A phone's width: the tables stack, nothing else changes.
    await as(
      ADMIN,
      async (page) => {
        await page.goto(url('/directory'));
        found['/directory (390 px)'] = await axeViolations(page);
      },
      390,
    );
    expect(found).toEqual({
      '/directory': [],
      '/agencies/AL': [],
      '/districts/ISD241': [],
      '/agencies/AL (sent back)': [],
      '/districts/ISD241 (sent back)': [],
      '/directory (390 px)': [],
    });
  });

  it('a chief hands the agency over to a deputy from the officer page’s link, and lands on their officers', async () => {
    await as(CHIEF, async (page) => {
      await page.goto(url('/officers/T1'));
      await page.click('a[href="/agencies/AL"]');
      await page.waitForURL(url('/agencies/AL'));
      await page.fill('#chiefName', 'Chief Avery Lund');
      await page.fill('#chiefEmail', DEPUTY);
      await page.click('button:has-text("Save the agency")');
      // The agency's page is no longer the former chief's: they land on their officers, told why.
      await page.waitForURL(url('/?done=handed-over'));
      expect(await page.locator('h1').textContent()).toBe('Officers');
      expect(await page.locator('[role="status"]').first().textContent()).toContain('handed over');
    });
    await as(DEPUTY, async (page) => {
      await page.goto(url('/agencies/AL'));
      expect(await page.locator('dl.facts').textContent()).toContain(DEPUTY);
      expect(await page.locator('#chiefEmail').inputValue()).toBe(DEPUTY);
    });
  });

  it('a district contact adds a contact from the keyboard alone', async () => {
    await as(PRIMARY, async (page) => {
      const active = () => page.evaluate<string>('document.activeElement ? document.activeElement.id : ""');
      await page.goto(url('/districts/ISD241'));
      // Tab from the top of the page to the first blank contact's name.
      for (let i = 0; i < 60; i++) {
        await page.keyboard.press('Tab');
        if ((await active()) === 'contact-2-name') break;
      }
      expect(await active()).toBe('contact-2-name');
      await page.keyboard.type('Kim Vang');
      await page.keyboard.press('Tab');
      expect(await active()).toBe('contact-2-email');
      await page.keyboard.type('kim.vang@isd241.example');
      await page.keyboard.press('Tab');
      expect(await active()).toBe('contact-2-role');
      // Arrow keys choose among a focused select's options: Escalation.
      await page.keyboard.press('ArrowDown');
      for (let i = 0; i < 20 && (await page.evaluate<string>('document.activeElement.tagName')) !== 'BUTTON'; i++)
        await page.keyboard.press('Tab');
      expect(await page.evaluate<string>('document.activeElement.textContent')).toBe('Save the district');
      await page.keyboard.press('Enter');
      await page.waitForURL(url('/districts/ISD241?done=saved'));
      expect(await page.locator('[role="status"]').textContent()).toContain('The district was saved');
      expect(await page.locator('#contacts-h + ul').textContent()).toContain(
        'Kim Vang · kim.vang@isd241.example · Escalation',
      );
    });
  });

  it('an admin adds an officer from the agency page and their assignment from the officer page', async () => {
    await as(ADMIN, async (page) => {
      await page.goto(url('/agencies/AL'));
      await page.click('summary:has-text("Add an officer")');
      await page.fill('#new-license', 'T7');
      await page.fill('#new-firstName', 'Robin');
      await page.fill('#new-lastName', 'Hale');
      await page.fill('#new-email', 'robin.hale@albert-lea.example');
      await page.click('button:has-text("Add the officer")');
      await page.waitForURL(url('/officers/T7?done=officer-added'));
      expect(await page.locator('h1').textContent()).toContain('Robin Hale');
      await page.click('summary:has-text("Add an assignment")');
      await page.fill('#assignment-districtId', 'ISD241');
      await page.fill('#assignment-school', 'Southwest Middle School');
      await page.fill('#assignment-startDate', '2026-01-05');
      await page.click('button:has-text("Add the assignment")');
      await page.waitForURL(url('/officers/T7?done=assignment-added'));
      expect(await page.locator('[role="status"]').textContent()).toContain('The assignment was added');
      expect(await page.locator('#assign-h + div table').textContent()).toContain('Southwest Middle School');
    });
  });

  it("passes axe-core at WCAG 2.1 AA: the officer page's directory forms opened, and sent back, at 1280 and 390 px", async () => {
    const found: Record<string, string[]> = {};
    for (const width of [1280, 390]) {
      await as(
        ADMIN,
        async (page) => {
          await page.goto(url('/officers/T1'));
          for (const s of ['Add an assignment', 'End an assignment', "Change the officer's name or e-mail"])
            await page.click(`summary:has-text("${s}")`);
          found[`/officers/T1 forms (${width} px)`] = await axeViolations(page);
          await page.fill('#officer-email', 'not-an-address');
          await page.click('button:has-text("Save the officer")');
          expect(await page.locator('.error-summary').textContent()).toContain('E-mail');
          found[`/officers/T1 sent back (${width} px)`] = await axeViolations(page);
          await page.goto(url('/agencies/AU'));
          await page.click('summary:has-text("Add an officer")');
          found[`/agencies/AU new officer (${width} px)`] = await axeViolations(page);
        },
        width,
      );
    }
    expect(found).toEqual(Object.fromEntries(Object.keys(found).map((k) => [k, []])));
    expect(Object.keys(found)).toHaveLength(6);
  });
});
