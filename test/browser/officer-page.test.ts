// The officer page in a real Chromium (INTERFACE.md "Pages for people"): printed, it keeps the
// status, the facts and the alerts and leaves every form and button off the paper; the
// correction of an acknowledgment, opened and sent back with a problem, passes axe-core at
// WCAG 2.1 AA at 1280 and 390 px; and a chief corrects an acknowledgment from the keyboard
// alone. Screenshots go to the system's temporary folder, for a person to look at.
import { mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays } from '../../src/domain/civil-date.ts';
import { civilDateIn } from '../../src/shell/clock.ts';
import { HAS_CHROMIUM, addSession, axeViolations, launchChromium, warnWithoutChromium } from '../helpers/browser.ts';
import { type ConsoleRig, type WebClient, startConsoleRig } from '../helpers/console.ts';
import { CHIEF, albertLeaRoster } from '../helpers/console-fixtures.ts';
import { queryRows } from '../helpers/db.ts';

warnWithoutChromium('test/browser/officer-page.test.ts', 'The officer page browser tests (print, axe-core, keyboard)');

const today = civilDateIn('America/Chicago');
const STARTED = addDays(today, -20);
const SHOTS = join(tmpdir(), 'sro-screenshots');

describe.skipIf(!HAS_CHROMIUM)('the officer page in Chromium', { timeout: 90_000 }, () => {
  let rig: ConsoleRig;
  let browser: Browser;
  let chief: WebClient;
  let ackId = '';

  beforeAll(async () => {
    rig = await startConsoleRig('browser-officer-page', { LOGIN_LIMIT_PER_CLIENT: '1000' });
    await rig.load(albertLeaRoster(STARTED, ['T1', 'T2']));
    browser = await launchChromium();
    await mkdir(SHOTS, { recursive: true });
    chief = await rig.signIn(CHIEF);
    // The chief's acknowledgment of T1's missed deadline, and a course recorded for T2.
    const ack = await chief.post('/officers/T1/acknowledgements', {
      form: { dueDate: STARTED, note: 'Enrolled in the January course.', plannedCompletionOn: addDays(today, 30) },
    });
    expect(ack.status, ack.text.slice(0, 300)).toBe(303);
    ackId = (await queryRows<{ id: string }>(rig.database.url, `SELECT id::text FROM acknowledgement`))[0]!.id;
  });
  afterAll(async () => {
    await browser?.close();
    await rig?.close();
  });

  async function chiefPage(width = 1280): Promise<Page> {
    const context = await browser.newContext({ viewport: { width, height: 900 }, locale: 'en-US' });
    await addSession(context, chief, rig);
    return context.newPage();
  }

  /** The elements of `selector` that take up room on the page as it is rendered now. */
  const shown = (page: Page, selector: string) =>
    page.evaluate<number>(
      `[...document.querySelectorAll(${JSON.stringify(selector)})].filter((e) => e.getClientRects().length > 0).length`,
    );

  it('printed, the page keeps the status, the facts and the alerts, and shows no form, button or folded form', async () => {
    const page = await chiefPage();
    try {
      await page.goto(new URL('/officers/T1', rig.url).toString());
      // On screen: the acknowledgment form in the header, the others folded, buttons.
      expect(await shown(page, 'form')).toBeGreaterThan(0);
      expect(await shown(page, 'button')).toBeGreaterThan(0);
      await page.emulateMedia({ media: 'print' });
      for (const selector of ['form', 'button', 'details.card.form', 'details.confirm', '.form.primary', '.record'])
        expect(await shown(page, selector), selector).toBe(0);
      for (const selector of ['#status-h', 'p.headline', 'dl.facts', '#facts-h', '#acks-h', '#alerts-h'])
        expect(await shown(page, selector), selector).toBe(1);
      expect(await page.locator('p.headline').textContent()).toMatch(
        /^Dana Olson has not completed the required SRO course/,
      );
      await page.screenshot({ path: join(SHOTS, 'officer-print-1280.png'), fullPage: true });
    } finally {
      await page.context().close();
    }
  });

  for (const width of [1280, 390])
    it(`the acknowledgment's correction, opened and sent back with a problem, passes axe-core at ${width} px`, async () => {
      const page = await chiefPage(width);
      try {
        await page.goto(new URL('/officers/T1', rig.url).toString());
        const box = page.locator(`#ackEdit-${ackId}`);
        await box.locator(':scope > summary').click();
        expect(await box.getByLabel('Note (optional)').inputValue()).toBe('Enrolled in the January course.');
        expect(await axeViolations(page)).toEqual([]);
        await box.getByLabel('Planned completion (optional)').fill(addDays(today, -1));
        await box.getByRole('button', { name: 'Save the correction' }).click();
        await page.waitForURL(new RegExp(`/officers/T1/acknowledgements/${ackId}$`));
        const summary = page.getByRole('alert');
        expect(await summary.textContent()).toContain(`Planned completion: ${addDays(today, -1)} is before today`);
        expect(await box.getAttribute('open')).toBe('');
        expect(await axeViolations(page)).toEqual([]);
        await box.scrollIntoViewIfNeeded();
        await page.screenshot({ path: join(SHOTS, `acknowledgment-correction-${width}.png`), fullPage: false });
        // The withdrawal's step, opened: still accessible.
        await page.locator(`#withdraw-ack-${ackId} > summary`).click();
        expect(await page.getByRole('button', { name: 'Yes, withdraw the acknowledgment' }).isVisible()).toBe(true);
        expect(await axeViolations(page)).toEqual([]);
      } finally {
        await page.context().close();
      }
    });

  it('a chief corrects the acknowledgment from the keyboard alone', async () => {
    const page = await chiefPage();
    try {
      await page.goto(new URL('/officers/T1', rig.url).toString());
      const focused = () =>
        page.evaluate<string>(
          `(() => { const e = document.activeElement; return e ? e.tagName.toLowerCase() + '#' + e.id + '|' + (e.textContent || '').trim().slice(0, 60) : ''; })()`,
        );
      // Tab to the correction's summary, open it with Enter.
      for (let i = 0; i < 120 && !(await focused()).includes('Correct or withdraw this acknowledgment'); i++)
        await page.keyboard.press('Tab');
      expect(await focused()).toContain('Correct or withdraw this acknowledgment');
      await page.keyboard.press('Enter');
      await page.keyboard.press('Tab');
      expect(await focused()).toBe(`textarea#ackEdit-${ackId}-note|Enrolled in the January course.`);
      await page.keyboard.press('ControlOrMeta+A');
      await page.keyboard.type('Moved to the February course.');
      await page.keyboard.press('Tab');
      expect(await focused()).toMatch(new RegExp(`^input#ackEdit-${ackId}-plannedCompletionOn\\|`));
      // A date input's month, day and year are Tab stops of their own.
      for (let i = 0; i < 4 && (await focused()) !== 'button#|Save the correction'; i++)
        await page.keyboard.press('Tab');
      expect(await focused()).toBe('button#|Save the correction');
      await page.keyboard.press('Enter');
      await page.waitForURL(/done=acknowledgement-corrected/);
      expect(await page.getByRole('status').first().textContent()).toContain('The acknowledgment was corrected.');
      const [row] = await queryRows<{ note: string }>(rig.database.url, `SELECT note FROM acknowledgement`);
      expect(row!.note).toBe('Moved to the February course.');
    } finally {
      await page.context().close();
    }
  });
});
