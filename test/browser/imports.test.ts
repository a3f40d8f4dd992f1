// The admin's roster upload (/imports) in a real Chromium: the file picker takes a roster's CSV
// files, a dry run shows what would be created and writes nothing, a bad file lists every error as
// FILE:ROW: FIELD: problem; axe-core at WCAG 2.1 AA on the page in each state.
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectRoot } from '../../src/db/migrate.ts';
import { HAS_CHROMIUM, addSession, axeViolations, launchChromium, warnWithoutChromium } from '../helpers/browser.ts';
import { type ConsoleRig, startConsoleRig } from '../helpers/console.ts';
import { queryRows } from '../helpers/db.ts';

warnWithoutChromium('test/browser/imports.test.ts', "The roster upload's browser and accessibility tests");

const ADMIN = 'admin@example.org';
const CSV_DIR = join(projectRoot, 'examples', 'demo-roster-csv');

describe.skipIf(!HAS_CHROMIUM)('the roster upload in Chromium', { timeout: 90_000 }, () => {
  let rig: ConsoleRig;
  let browser: Browser;
  let page: Page;
  let files: { name: string; mimeType: string; buffer: Buffer }[];

  beforeAll(async () => {
    rig = await startConsoleRig('browser-imports', { ADMIN_EMAILS: ADMIN });
    browser = await launchChromium();
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    await addSession(context, await rig.signIn(ADMIN), rig);
    page = await context.newPage();
    files = await Promise.all(
      (await readdir(CSV_DIR)).map(async (name) => ({
        name,
        mimeType: 'text/csv',
        buffer: await readFile(join(CSV_DIR, name)),
      })),
    );
  });
  afterAll(async () => {
    await browser?.close();
    await rig?.close();
  });

  const officers = async () =>
    Number((await queryRows<{ n: string }>(rig.database.url, 'SELECT count(*) AS n FROM officer'))[0]!.n);

  it('shows the upload form with no accessibility violation', async () => {
    await page.goto(new URL('/imports', rig.url).toString());
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Import a roster');
    expect(await axeViolations(page)).toEqual([]);
  });

  it('given /imports as the first page of a new browser, then its dry run goes through and lists who would change, accessibly', async () => {
    // A first visit has no CSRF cookie yet: the page's form and its sign-out form share one token.
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    await addSession(context, await rig.signIn(ADMIN), rig);
    const first = await context.newPage();
    await first.goto(new URL('/imports', rig.url).toString());
    await first.getByLabel('Roster files').setInputFiles(files);
    await first.getByRole('button', { name: 'Import' }).click();
    await expect.poll(() => first.getByRole('heading', { level: 2, name: 'Who would change' }).count()).toBe(1);
    await first
      .getByText(/^Would be (created|changed): \d+$/)
      .first()
      .click();
    expect(
      await first
        .getByRole('listitem')
        .filter({ hasText: /^\w+ \(.+\)/ })
        .count(),
    ).toBeGreaterThan(0);
    expect(await axeViolations(first)).toEqual([]);
    await context.close();
  });

  it('a dry run of the CSV folder shows the counts and writes nothing; the import then writes them', async () => {
    await page.goto(new URL('/imports', rig.url).toString());
    await page.getByLabel('Roster files').setInputFiles(files);
    await page.getByLabel('Dry run: check and count, write nothing').check();
    await page.getByRole('button', { name: 'Import' }).click();
    await expect.poll(() => page.getByRole('status').first().textContent()).toMatch(/Dry run .*Nothing was written/);
    expect(await page.locator('table').first().textContent()).toMatch(/officers/);
    expect(await axeViolations(page)).toEqual([]);
    expect(await officers()).toBe(0);

    await page.getByLabel('Roster files').setInputFiles(files);
    await page.getByLabel('Dry run: check and count, write nothing').uncheck();
    await page.getByRole('button', { name: 'Import' }).click();
    await expect.poll(() => page.getByRole('status').first().textContent()).toMatch(/^Imported /);
    expect(await officers()).toBeGreaterThan(0);
  });

  it('a bad row is listed as FILE:ROW: FIELD: problem, nothing is written, and the page stays accessible', async () => {
    const before = await officers();
    const bad = files.map((f) =>
      f.name === 'officers.csv'
        ? { ...f, buffer: Buffer.from(`${f.buffer.toString('utf8').trimEnd()}\n99999,,Nobody,,NO-SUCH-AGENCY\n`) }
        : f,
    );
    await page.goto(new URL('/imports', rig.url).toString());
    await page.getByLabel('Roster files').setInputFiles(bad);
    await page.getByRole('button', { name: 'Import' }).click();
    const summary = page.getByRole('alert');
    await expect.poll(() => summary.textContent()).toMatch(/Nothing was imported/);
    expect(await summary.textContent()).toMatch(/officers\.csv:\d+: \w+: /);
    expect(await axeViolations(page)).toEqual([]);
    expect(await officers()).toBe(before);
  });
});
