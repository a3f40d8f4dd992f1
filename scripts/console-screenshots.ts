// The console's screenshots in the README (docs/console/*.png).
//
//   npx tsx scripts/console-screenshots.ts [--out docs/console]
//
// Needs PostgreSQL (SCREENSHOT_DATABASE_URL, default postgresql://postgres@127.0.0.1:5432/postgres:
// the server on which it creates, and afterwards drops, a database of its own), Redis
// (SCREENSHOT_REDIS_URL, default redis://127.0.0.1:6379: a queue prefix of its own, deleted
// afterwards) and Chromium (CHROMIUM_PATH, default /usr/bin/chromium).
//
// What it does, outside vitest (the test rig clones vitest's template database; this script
// migrates its own): a fresh migrated database, examples/demo-roster.json imported, a scan as of
// today (in TZ) through the real pipeline (the worker runtime, its queues, an SMTP receiver in
// this process) so that the ledger holds alerts, the console on a free loopback port, and a
// sign-in as the demo chief (chief.ellis@albertlea-pd.example) with the code the e-mail carried,
// typed on the "Check your e-mail" page as a person would. Then it writes login-1280.png,
// officers-1280.png, officers-390.png, officer-1280.png and officer-390.png (full pages, each
// with its height printed), officer-substitute-*.png (a substitute, as the chief),
// officer-print-1280.png (the overdue officer's page as printed), officer-due-*.png (an
// officer whose course is due, as the admin) and officer-self-*.png (an officer's own page);
// record-training-1280.png (the chief's forms on the officer page, the training form filled
// in with a certificate chosen), after which the chief records that training and acknowledges
// the deadline; and audit-1280.png (the audit log, signed in as the admin admin@demo.example).
// Then keeping the directory: district-contacts-1280.png and -390.png (ISD241's primary contact,
// jhalvorson@isd241.example, adding an escalation contact in the blank row, then saving), and
// agency-handover-1280.png and -390.png (the chief's agency page filled in for the deputy
// chief's takeover, then saved: the chief lands on their officers).
import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { chromium } from 'playwright-core';
import { scanJob } from '../jobs/scan.ts';
import { loadConfig } from '../src/config.ts';
import { applyMigrations, projectRoot } from '../src/db/migrate.ts';
import { importFeed } from '../src/roster/import.ts';
import { openRosterFeed } from '../src/roster/load.ts';
import { addDays } from '../src/domain/civil-date.ts';
import { civilDateIn } from '../src/shell/clock.ts';
import { silentLogger } from '../src/shell/log.ts';
import { startConsole } from '../src/web/start.ts';
import { runJobToCompletion } from '../src/worker/run-once.ts';
import { createRuntime } from '../src/worker/runtime.ts';
import { databaseUrlFor, dropDatabase } from '../support/postgres.ts';
import { deletePrefix, uniquePrefix } from '../support/redis.ts';
import { consoleEnv } from '../test/helpers/service-env.ts';
import { startSmtpReceiver } from '../test/helpers/smtp.ts';

const PG_URL = process.env.SCREENSHOT_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
const REDIS_URL = process.env.SCREENSHOT_REDIS_URL ?? 'redis://127.0.0.1:6379';
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const CHIEF = 'chief.ellis@albertlea-pd.example';
const ADMIN = 'admin@demo.example';
/** The Albert Lea police, whose chief hands over to the deputy chief; ISD241's primary contact. */
const AGENCY = 'MN0240100';
const DEPUTY = 'deputy.chief@albertlea-pd.example';
const DISTRICT_CONTACT = 'jhalvorson@isd241.example';
/** A one-page PDF for the certificate file picker. */
const CERTIFICATE_PDF = Buffer.from(
  '%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n2 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n',
  'latin1',
);
/** The demo officer whose page is shown: overdue, with alerts in the ledger. */
const OFFICER_NAME = 'Nolan Berg';
const OVERDUE = '24108';
/** An exempt substitute, a legacy-trained officer due June 1, 2027, and an officer who signs in. */
const SUBSTITUTE = '24115';
const DUE = '24104';
const SELF = 'dolson@albertlea-pd.example';
const SELF_LICENSE = '24106';

function outDir(argv: readonly string[]): string {
  const i = argv.indexOf('--out');
  return resolve(projectRoot, i >= 0 && argv[i + 1] ? argv[i + 1]! : join('docs', 'console'));
}

async function main(): Promise<void> {
  const out = outDir(process.argv.slice(2));
  mkdirSync(out, { recursive: true });
  const name = `sro_screenshots_${randomBytes(4).toString('hex')}`;
  const databaseUrl = databaseUrlFor(PG_URL, name);
  const prefix = uniquePrefix('sro-screenshots', 'console');
  const cleanups: (() => Promise<unknown>)[] = [
    () => dropDatabase(PG_URL, name),
    () => deletePrefix(REDIS_URL, prefix),
  ];
  try {
    process.stderr.write(`database ${name}: migrating\n`);
    await applyMigrations(databaseUrl);
    const opened = await openRosterFeed(join(projectRoot, 'examples', 'demo-roster.json'));
    const imported = opened.ok ? await importFeed(databaseUrl, opened.feed, { replace: false }) : opened;
    if (!imported.ok) throw new Error(`demo roster did not import: ${JSON.stringify(imported.errors)}`);

    const smtp = await startSmtpReceiver();
    cleanups.unshift(() => smtp.close());
    const config = loadConfig({
      ...consoleEnv({ databaseUrl, redisUrl: REDIS_URL, smtpUrl: smtp.url, queuePrefix: prefix }),
      ADMIN_EMAILS: ADMIN,
    });

    const asOf = civilDateIn(config.timeZone);
    process.stderr.write(`scan as of ${asOf}\n`);
    const runtime = createRuntime(config, silentLogger, { work: true });
    try {
      await runJobToCompletion(runtime, scanJob, { asOf }, new AbortController().signal);
    } finally {
      await runtime.close();
    }

    const web = await startConsole(config, silentLogger);
    cleanups.unshift(() => web.close());
    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
    });
    cleanups.unshift(() => browser.close());
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();

    await page.goto(`${web.url}/login`);
    await page.screenshot({ path: join(out, 'login-1280.png'), fullPage: true });
    process.stderr.write(`wrote ${join(out, 'login-1280.png')}\n`);

    /** Signs `p` in as `email` with the code of the e-mail, typed on the "Check your e-mail" page. */
    const signIn = async (p: typeof page, email: string) => {
      if (!p.url().endsWith('/login')) await p.goto(`${web.url}/login`);
      const before = smtp.received.length;
      await p.getByLabel('E-mail address').first().fill(email);
      await p.getByRole('button', { name: 'Send me a sign-in e-mail' }).click();
      await p.getByRole('heading', { name: 'Check your e-mail' }).waitFor();
      const deadline = Date.now() + 10_000;
      let code: string | undefined;
      while (!code) {
        const mail = smtp.received.slice(before).findLast((m) => m.to === email);
        code = mail ? /Code: (\d{6})/.exec(mail.parsed.text ?? '')?.[1] : undefined;
        if (!code && Date.now() > deadline) throw new Error(`no sign-in e-mail reached ${email} within 10 s`);
        await new Promise((r) => setTimeout(r, 25));
      }
      await p.getByLabel('6-digit code from the e-mail').fill(code);
      await p.getByRole('button', { name: 'Sign in' }).click();
      await p.waitForURL(`${web.url}/`);
    };
    await signIn(page, CHIEF);

    /** A full-page screenshot at `width`, and the page's height in CSS pixels (the officer page should stay short). */
    const shootPage = async (p: typeof page, file: string, width: number) => {
      await p.setViewportSize({ width, height: 800 });
      await p.screenshot({ path: join(out, file), fullPage: true });
      const height = await p.evaluate<number>('document.documentElement.scrollHeight');
      process.stderr.write(`wrote ${join(out, file)} (${height} px tall)\n`);
    };
    /** An officer page's form: folded away unless it is the one the status header opens. */
    const formOf = async (p: typeof page, name: string) => {
      const summary = p.locator('details.card.form > summary').filter({ hasText: name });
      if ((await summary.count()) > 0 && !(await p.getByRole('form', { name }).isVisible())) await summary.click();
      return p.getByRole('form', { name });
    };

    const shoot = (file: string, width: number) => shootPage(page, file, width);
    await shoot('officers-1280.png', 1280);
    await shoot('officers-390.png', 390);
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.getByRole('link', { name: OFFICER_NAME }).click();
    await page.getByRole('heading', { level: 1, name: new RegExp(OFFICER_NAME) }).waitFor();
    await shoot('officer-1280.png', 1280);
    await shoot('officer-390.png', 390);
    // An exempt substitute (Rosa Aguilar): the contact-days form first.
    await page.goto(`${web.url}/officers/${SUBSTITUTE}`);
    await shoot('officer-substitute-1280.png', 1280);
    await shoot('officer-substitute-390.png', 390);
    // The page printed (status, facts and alerts; no forms).
    await page.goto(`${web.url}/officers/${OVERDUE}`);
    await page.emulateMedia({ media: 'print' });
    await shoot('officer-print-1280.png', 1280);
    await page.emulateMedia({ media: 'screen' });

    // The chief acknowledges the missed deadline (the page lists it from then on)…
    await page.setViewportSize({ width: 1280, height: 800 });
    const ack = await formOf(page, 'Acknowledge the missed deadline');
    await ack.getByLabel('Note (optional)').fill('Enrolled in the POST-approved SRO course of next month.');
    await ack.getByLabel('Planned completion (optional)').fill(addDays(asOf, 30));
    await ack.getByRole('button', { name: 'Acknowledge the missed deadline' }).click();
    await page.waitForURL(/done=acknowledgement/);
    // …then fills in the training form, the certificate chosen from the file picker.
    await page.setViewportSize({ width: 1280, height: 800 });
    const training = await formOf(page, 'Record a completed training');
    await training.getByLabel('Course', { exact: true }).selectOption('SRO_MANDATED');
    await training.getByLabel('Completed on').fill(asOf);
    await training.getByLabel('Course number (optional)').fill('MN-POST-SRO-2026-041');
    await training.getByLabel('Provider (optional)').fill('Minnesota Board of POST');
    await training
      .getByLabel('Certificate file (optional)')
      .setInputFiles({ name: 'certificate.pdf', mimeType: 'application/pdf', buffer: CERTIFICATE_PDF });
    await shoot('record-training-1280.png', 1280);
    // …and records it, for the audit log.
    await training.getByRole('button', { name: 'Record the training' }).click();
    await page.waitForURL(/done=training-certificate/);

    const admin = await context.browser()!.newContext({ viewport: { width: 1280, height: 800 } });
    cleanups.unshift(() => admin.close());
    const adminPage = await admin.newPage();
    await signIn(adminPage, ADMIN);
    // An officer whose course is due (Linda Peterson, legacy: June 1, 2027), as an admin sees her.
    await adminPage.goto(`${web.url}/officers/${DUE}`);
    await shootPage(adminPage, 'officer-due-1280.png', 1280);
    await shootPage(adminPage, 'officer-due-390.png', 390);
    await adminPage.setViewportSize({ width: 1280, height: 800 });
    // The officer themself (Dana Olson): spoken to, nobody else's address on the page.
    const selfContext = await context.browser()!.newContext({ viewport: { width: 1280, height: 800 } });
    cleanups.unshift(() => selfContext.close());
    const selfPage = await selfContext.newPage();
    await signIn(selfPage, SELF);
    await selfPage.goto(`${web.url}/officers/${SELF_LICENSE}`);
    await shootPage(selfPage, 'officer-self-1280.png', 1280);
    await shootPage(selfPage, 'officer-self-390.png', 390);
    await adminPage.goto(`${web.url}/audit`);
    await adminPage.getByRole('heading', { level: 1, name: 'Audit log' }).waitFor();
    // The newest event's before and after, opened.
    await adminPage.locator('table.audit summary').first().click();
    await adminPage.screenshot({ path: join(out, 'audit-1280.png'), fullPage: true });
    process.stderr.write(`wrote ${join(out, 'audit-1280.png')}\n`);

    // Keeping the directory. A district's primary contact adds an escalation contact…
    const contactContext = await context.browser()!.newContext({ viewport: { width: 1280, height: 800 } });
    cleanups.unshift(() => contactContext.close());
    const contactPage = await contactContext.newPage();
    await signIn(contactPage, DISTRICT_CONTACT);
    await contactPage.goto(`${web.url}/districts/ISD241`);
    await contactPage.locator('#contact-2-name').fill('Sam Ortiz, Assistant Principal');
    await contactPage.locator('#contact-2-email').fill('sortiz@isd241.example');
    await contactPage.locator('#contact-2-role').selectOption('ESCALATION');
    await shootPage(contactPage, 'district-contacts-1280.png', 1280);
    await shootPage(contactPage, 'district-contacts-390.png', 390);
    await contactPage.getByRole('button', { name: 'Save the district' }).click();
    await contactPage.waitForURL(/done=saved/);
    // …and the chief hands the agency over to the deputy chief (last: the page is theirs no more).
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.goto(`${web.url}/agencies/${AGENCY}`);
    await page.locator('#chiefName').fill('Chief Dana Vik');
    await page.locator('#chiefEmail').fill(DEPUTY);
    await shootPage(page, 'agency-handover-1280.png', 1280);
    await shootPage(page, 'agency-handover-390.png', 390);
    await page.getByRole('button', { name: 'Save the agency' }).click();
    await page.waitForURL(/done=handed-over/);
  } finally {
    for (const cleanup of cleanups)
      await cleanup().catch((e: Error) => process.stderr.write(`cleanup: ${e.message}\n`));
  }
}

main().catch((e: Error) => {
  process.stderr.write(`${e.stack ?? e.message}\n`);
  process.exitCode = 1;
});
