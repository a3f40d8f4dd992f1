// The console's screenshots in the README (docs/console/*.png), one pair a task (1280 and 390
// CSS pixels wide), each person doing what they come to the console for.
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
// this process) so that the ledger holds alerts, and the console on a free loopback port. Each
// person signs in with the code the e-mail carried, typed on the "Check your e-mail" page as a
// person would. Then, in this order (each step changes what the next ones see):
// - login-1280.png: the sign-in page.
// - The admin (admin@demo.example): import-*.png, a dry run of the demo roster with a new
//   officer and an e-mail changed (first: nobody has changed the directory yet).
// - The chief (chief.ellis@albertlea-pd.example): record-training-*.png, the training form of the
//   overdue Nolan Berg filled in with a certificate chosen, then recorded; the chief acknowledges
//   Dana Olson's missed deadline; agency-policy-*.png, the agency's SRO policy chosen on the
//   agency page, then uploaded. For the page's designers, not the README: officer-*.png
//   (Nolan Berg's page before), officer-substitute-*.png, officer-print-1280.png.
// - A district contact (director@riverland-academy.example, of the charter school whose
//   substitute Rosa Aguilar is): contact-days-*.png, a Friday and a Saturday refused with the
//   question asked again, then confirmed; district-contacts-*.png, a primary contact added in
//   the blank row, then saved.
// - The officer Dana Olson (dolson@albertlea-pd.example): officer-self-*.png, the policy review
//   form of her own record, with the link to the agency's SRO policy and the attestation ticked,
//   then attested; officer-submit-*.png, the course she completed since, with its certificate, filled
//   in for the chief's review, then submitted. The chief then opens her page: confirm-training-*.png,
//   the submitted training to confirm or reject, then confirmed.
// - The superintendent (superintendent@isd241.example): officers-*.png, the district's officers;
//   reports-*.png, the Reports page.
// - The admin again: officer-due-*.png (for the designers); directory-*.png; audit-*.png, the
//   audit log, its six newest events, the district change opened.
// - The chief again: agency-handover-*.png, the agency page filled in for the deputy chief's
//   takeover, then saved (last: the agency is theirs no more).
// A screenshot of a task is cut below the part that shows it (the form and its button); each
// file's height and size are printed.
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { type Browser, type Locator, type Page, chromium } from 'playwright-core';
import { scanJob } from '../jobs/scan.ts';
import { loadConfig } from '../src/config.ts';
import { applyMigrations, projectRoot } from '../src/db/migrate.ts';
import { importFeed } from '../src/roster/import.ts';
import { openRosterFeed } from '../src/roster/load.ts';
import { type CivilDate, addDays, isoDayOfWeek } from '../src/domain/civil-date.ts';
import { civilDateIn } from '../src/shell/clock.ts';
import { silentLogger } from '../src/shell/log.ts';
import { startConsole } from '../src/web/start.ts';
import { runJobToCompletion } from '../src/worker/run-once.ts';
import { createRuntime } from '../src/worker/runtime.ts';
import { databaseUrlFor, dropDatabase } from '../support/postgres.ts';
import { deletePrefix, uniquePrefix } from '../support/redis.ts';
import { consoleEnv } from '../test/helpers/service-env.ts';
import { type SmtpReceiver, startSmtpReceiver } from '../test/helpers/smtp.ts';

const PG_URL = process.env.SCREENSHOT_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
const REDIS_URL = process.env.SCREENSHOT_REDIS_URL ?? 'redis://127.0.0.1:6379';
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const DEMO_ROSTER = join(projectRoot, 'examples', 'demo-roster.json');
const ADMIN = 'admin@demo.example';
/** The Albert Lea police, whose chief hands over to the deputy chief. */
const CHIEF = 'chief.ellis@albertlea-pd.example';
const AGENCY = 'MN0240100';
const DEPUTY = 'deputy.chief@albertlea-pd.example';
/** Riverland Community Academy's one contact (an escalation contact: it has no primary one). */
const CHARTER_CONTACT = 'director@riverland-academy.example';
const CHARTER = 'CH4123';
/** Albert Lea Area Schools' superintendent, one of its escalation contacts. */
const SUPERINTENDENT = 'superintendent@isd241.example';
/** A one-page PDF for the certificate file picker. */
const CERTIFICATE_PDF = Buffer.from(
  '%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n2 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n',
  'latin1',
);
/** The agency's SRO policy the chief uploads (a PDF, as the certificate). */
const POLICY_PDF = CERTIFICATE_PDF;
/** The demo officer whose course the chief records: overdue, with alerts in the ledger. */
const OVERDUE_NAME = 'Nolan Berg';
const OVERDUE = '24108';
/** An exempt substitute of the charter school, a legacy-trained officer due June 1, 2027, and an overdue officer who signs in. */
const SUBSTITUTE = '24115';
const DUE = '24104';
const SELF = 'dolson@albertlea-pd.example';
const SELF_LICENSE = '24106';

function outDir(argv: readonly string[]): string {
  const i = argv.indexOf('--out');
  return resolve(projectRoot, i >= 0 && argv[i + 1] ? argv[i + 1]! : join('docs', 'console'));
}

/** The latest Saturday on or before `d`. */
function saturdayBefore(d: CivilDate): CivilDate {
  let day = d;
  while (isoDayOfWeek(day) !== 6) day = addDays(day, -1);
  return day;
}

/** The demo roster with one officer more and one officer's e-mail changed: what an admin's dry run lists. */
function changedRoster(): Buffer {
  const roster = JSON.parse(readFileSync(DEMO_ROSTER, 'utf8')) as {
    officers: { license: string; email: string | null }[];
  };
  const erik = roster.officers.find((o) => o.license === '24101');
  if (erik) erik.email = 'erik.johnson@albertlea-pd.example';
  roster.officers.push({
    license: '24117',
    firstName: 'Mara',
    lastName: 'Solberg',
    email: 'msolberg@albertlea-pd.example',
    agencyId: AGENCY,
  } as (typeof roster.officers)[number]);
  return Buffer.from(JSON.stringify(roster, null, 2));
}

/** Signs `page` in as `email` with the code of the e-mail, typed on the "Check your e-mail" page. */
async function signIn(page: Page, base: string, smtp: SmtpReceiver, email: string): Promise<void> {
  await page.goto(`${base}/login`);
  const before = smtp.received.length;
  await page.getByLabel('E-mail address').first().fill(email);
  await page.getByRole('button', { name: 'Send me a sign-in e-mail' }).click();
  await page.getByRole('heading', { name: 'Check your e-mail' }).waitFor();
  const deadline = Date.now() + 10_000;
  let code: string | undefined;
  while (!code) {
    const mail = smtp.received.slice(before).findLast((m) => m.to === email);
    code = mail ? /Code: (\d{6})/.exec(mail.parsed.text ?? '')?.[1] : undefined;
    if (!code && Date.now() > deadline) throw new Error(`no sign-in e-mail reached ${email} within 10 s`);
    await new Promise((r) => setTimeout(r, 25));
  }
  await page.getByLabel('6-digit code from the e-mail').fill(code);
  await page.getByRole('button', { name: 'Sign in' }).click();
  // Signed in: the list, or for an officer their own record (their `/`).
  await page.waitForURL((u) => u.pathname === '/' || u.pathname.startsWith('/officers/'));
}

/** An officer page's form: folded away unless it is the one the status header opens. */
async function formOf(page: Page, name: string): Promise<Locator> {
  const summary = page.locator('details.card.form > summary').filter({ hasText: name });
  if ((await summary.count()) > 0 && !(await page.getByRole('form', { name }).isVisible())) await summary.click();
  return page.getByRole('form', { name });
}

/** Where `locator` is on the page, in page pixels (boundingBox() is relative to the viewport). */
async function pageBox(page: Page, locator: Locator, file: string): Promise<{ top: number; bottom: number }> {
  const box = await locator.boundingBox();
  if (!box) throw new Error(`${file}: ${String(locator)} is not shown`);
  const scrollY = await page.evaluate<number>('window.scrollY');
  return { top: scrollY + box.y, bottom: scrollY + box.y + box.height };
}

/** A shot's part of the page: from the top (or `from`'s top edge) down to `until`'s bottom edge. */
interface Cut {
  until?: () => Locator;
  from?: () => Locator;
}

function shooter(out: string) {
  /**
   * `file` at `width` CSS pixels: the whole page, or the part `cut` says (a task's form and its
   * button). No field keeps the focus ring of the last one filled in.
   */
  return async (page: Page, file: string, width: number, cut: Cut = {}): Promise<void> => {
    await page.setViewportSize({ width, height: 800 });
    await page.evaluate('document.activeElement && document.activeElement.blur()');
    const full = await page.evaluate<number>('document.documentElement.scrollHeight');
    const top = cut.from ? Math.max(0, Math.floor((await pageBox(page, cut.from(), file)).top) - 8) : 0;
    const bottom = cut.until ? Math.min(full, Math.ceil((await pageBox(page, cut.until(), file)).bottom) + 8) : full;
    const path = join(out, file);
    await page.screenshot({ path, fullPage: true, clip: { x: 0, y: top, width, height: bottom - top } });
    const kb = Math.round(statSync(path).size / 1024);
    process.stderr.write(`wrote ${path} (${bottom - top} px tall, ${kb} KB)\n`);
    await page.setViewportSize({ width: 1280, height: 800 });
  };
}

/** The same shot at 1280 and at 390 px wide. */
function pair(shoot: ReturnType<typeof shooter>) {
  return async (page: Page, name: string, cut: Cut = {}): Promise<void> => {
    await shoot(page, `${name}-1280.png`, 1280, cut);
    await shoot(page, `${name}-390.png`, 390, cut);
  };
}

async function screenshots(out: string, base: string, smtp: SmtpReceiver, browser: Browser, asOf: CivilDate) {
  const shoot = shooter(out);
  const both = pair(shoot);
  const person = async (email: string): Promise<Page> => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'en-US' });
    const page = await context.newPage();
    await signIn(page, base, smtp, email);
    return page;
  };

  const login = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  await login.goto(`${base}/login`);
  await shoot(login, 'login-1280.png', 1280);

  // The admin's dry run of a roster, before anyone changes the directory (an import would take
  // the console's changes over, and the dry run would list that too).
  const admin = await person(ADMIN);
  await admin.getByRole('link', { name: 'Roster import' }).click();
  await admin
    .getByLabel('Roster files')
    .setInputFiles({ name: 'roster.json', mimeType: 'application/json', buffer: changedRoster() });
  await admin.getByLabel('Dry run: check and count, write nothing').check();
  await admin.getByRole('button', { name: 'Import', exact: true }).click();
  await admin.getByRole('heading', { name: 'Who would change' }).waitFor();
  for (const summary of await admin
    .locator('#main details > summary')
    .filter({ hasText: /^Would be/ })
    .all())
    await summary.click();
  await both(admin, 'import', { until: () => admin.locator('section[aria-labelledby="import-changes-h"]') });

  // The chief records the course of an overdue officer: from the list to the officer's page.
  const chief = await person(CHIEF);
  await chief.getByRole('link', { name: OVERDUE_NAME }).click();
  await chief.getByRole('heading', { level: 1, name: new RegExp(OVERDUE_NAME) }).waitFor();
  await both(chief, 'officer');
  await chief.goto(`${base}/officers/${SUBSTITUTE}`);
  await both(chief, 'officer-substitute');
  await chief.goto(`${base}/officers/${OVERDUE}`);
  await chief.emulateMedia({ media: 'print' });
  await shoot(chief, 'officer-print-1280.png', 1280);
  await chief.emulateMedia({ media: 'screen' });
  const training = await formOf(chief, 'Record a completed training');
  await training.getByLabel('Course', { exact: true }).selectOption('SRO_MANDATED');
  await training.getByLabel('Completed on').fill(asOf);
  await training.getByLabel('Course number (optional)').fill('MN-POST-SRO-2026-041');
  await training.getByLabel('Provider (optional)').fill('Minnesota Board of POST');
  await training
    .getByLabel('Certificate file (optional)')
    .setInputFiles({ name: 'certificate.pdf', mimeType: 'application/pdf', buffer: CERTIFICATE_PDF });
  await both(chief, 'record-training', { until: () => training.getByRole('button', { name: 'Record the training' }) });
  await training.getByRole('button', { name: 'Record the training' }).click();
  await chief.waitForURL(/done=training-certificate/);
  // …and acknowledges another officer's missed deadline (her own page shows it).
  await chief.goto(`${base}/officers/${SELF_LICENSE}`);
  const ack = await formOf(chief, 'Acknowledge the missed deadline');
  await ack.getByLabel('Note (optional)').fill('Enrolled in the POST-approved SRO course of next month.');
  await ack.getByLabel('Planned completion (optional)').fill(addDays(asOf, 30));
  await ack.getByRole('button', { name: 'Acknowledge the missed deadline' }).click();
  await chief.waitForURL(/done=acknowledgement/);
  // …and puts the agency's SRO policy in the console, for its officers to read before they attest.
  await chief.getByRole('link', { name: 'Albert Lea Police Department' }).click();
  await chief
    .getByLabel('The policy as a PDF')
    .setInputFiles({ name: 'sro-policy.pdf', mimeType: 'application/pdf', buffer: POLICY_PDF });
  await both(chief, 'agency-policy', { until: () => chief.getByRole('button', { name: 'Upload the policy' }) });
  await chief.getByRole('button', { name: 'Upload the policy' }).click();
  await chief.waitForURL(/done=policy/);

  // A district contact records a substitute's contact days: a Saturday is refused, then confirmed.
  const contact = await person(CHARTER_CONTACT);
  await contact.getByRole('link', { name: 'Rosa Aguilar' }).click();
  const saturday = saturdayBefore(asOf);
  const days = contact.getByRole('form', { name: 'Record student contact days' });
  await days.getByLabel('Day 1').fill(addDays(saturday, -1));
  await days.getByLabel('Day 2').fill(saturday);
  await days.getByRole('button', { name: 'Record the contact days' }).click();
  const anyway = days.getByLabel(/anyway/);
  await anyway.waitFor();
  await both(contact, 'contact-days', { until: () => days.getByRole('button', { name: 'Record the contact days' }) });
  await anyway.check();
  await days.getByRole('button', { name: 'Record the contact days' }).click();
  await contact.waitForURL(/done=contact-days/);
  // …then gives the charter school the primary contact it lacks, from the district link.
  await contact.getByRole('link', { name: 'Riverland Community Academy (charter)' }).first().click();
  await contact.waitForURL(`${base}/districts/${CHARTER}`);
  await contact.locator('#contact-1-name').fill('Luis Ortega, Dean of Students');
  await contact.locator('#contact-1-email').fill('lortega@riverland-academy.example');
  await contact.locator('#contact-1-role').selectOption('PRIMARY');
  await both(contact, 'district-contacts', { until: () => contact.getByRole('button', { name: 'Save the district' }) });
  await contact.getByRole('button', { name: 'Save the district' }).click();
  await contact.waitForURL(/done=saved/);

  // The officer reads their own record and attests the policy review.
  const officer = await person(SELF);
  await officer.getByRole('heading', { level: 1, name: /Dana Olson/ }).waitFor();
  const review = await formOf(officer, 'Record a policy review');
  await review.getByLabel(/I have reviewed the SRO policy/).check();
  await both(officer, 'officer-self', {
    from: () => officer.locator('#form-review'),
    until: () => review.getByRole('button', { name: 'Attest the policy review' }),
  });
  await review.getByRole('button', { name: 'Attest the policy review' }).click();
  await officer.waitForURL(/done=review-attested/);
  // …then submits the course she has since completed, with its certificate, for the chief's review.
  const submit = await formOf(officer, 'Submit your completed training');
  await submit.getByLabel('Course', { exact: true }).selectOption('SRO_MANDATED');
  await submit.getByLabel('Completed on').fill(addDays(asOf, -3));
  await submit.getByLabel('Course number (optional)').fill('MN-POST-SRO-2026-038');
  await submit.getByLabel('Provider (optional)').fill('Minnesota Board of POST');
  await submit
    .getByLabel('Certificate file', { exact: true })
    .setInputFiles({ name: 'certificate.pdf', mimeType: 'application/pdf', buffer: CERTIFICATE_PDF });
  const submitButton = () => submit.getByRole('button', { name: "Submit for your chief's review" });
  await both(officer, 'officer-submit', { until: submitButton });
  await submitButton().click();
  await officer.waitForURL(/done=training-submitted/);
  // The chief, e-mailed, reads the certificate and confirms the training.
  await chief.goto(`${base}/`);
  await chief.getByRole('link', { name: 'Dana Olson' }).click();
  const answer = chief.locator('#form-answer-h').locator('xpath=..');
  await answer.getByRole('button', { name: 'Confirm the training' }).waitFor();
  await both(chief, 'confirm-training', { until: () => answer.getByRole('button', { name: 'Reject the training' }) });
  await answer.getByRole('button', { name: 'Confirm the training' }).click();
  await chief.waitForURL(/done=submission-confirmed/);

  // The superintendent: the district's officers, and the Reports page.
  const superintendent = await person(SUPERINTENDENT);
  await both(superintendent, 'officers');
  await superintendent.getByRole('link', { name: 'Reports' }).click();
  await superintendent.getByRole('heading', { level: 1, name: 'Reports' }).waitFor();
  await both(superintendent, 'reports');

  // The admin: an officer due June 1, 2027, the directory and the audit log (before the handover:
  // the log names each person as the directory does today, and the former chief by address).
  await admin.goto(`${base}/officers/${DUE}`);
  await both(admin, 'officer-due');
  await admin.getByRole('link', { name: 'Directory' }).click();
  await admin.getByRole('heading', { level: 1, name: 'Directory' }).waitFor();
  await both(admin, 'directory');
  await admin.getByRole('link', { name: 'Audit log' }).click();
  await admin.getByRole('heading', { level: 1, name: 'Audit log' }).waitFor();
  // The district's change opened: its contacts before and after.
  await admin
    .locator('table.audit summary')
    .filter({ hasText: /(^|\D)1 field(?!s)/ })
    .first()
    .click();
  await both(admin, 'audit', { until: () => admin.locator('table.audit > tbody > tr').nth(5) });

  // The chief hands the agency over to the deputy chief (last: the page is theirs no more).
  await chief.goto(`${base}/agencies/${AGENCY}`);
  await chief.getByLabel("Chief's name", { exact: true }).fill('Chief Dana Vik');
  await chief.getByLabel("Chief's e-mail", { exact: true }).fill(DEPUTY);
  await both(chief, 'agency-handover', { until: () => chief.getByRole('button', { name: 'Save the agency' }) });
  await chief.getByRole('button', { name: 'Save the agency' }).click();
  await chief.waitForURL(/done=handed-over/);
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
    const opened = await openRosterFeed(DEMO_ROSTER);
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
    await screenshots(out, web.url, smtp, browser, asOf);
  } finally {
    for (const cleanup of cleanups)
      await cleanup().catch((e: Error) => process.stderr.write(`cleanup: ${e.message}\n`));
  }
}

main().catch((e: Error) => {
  process.stderr.write(`${e.stack ?? e.message}\n`);
  process.exitCode = 1;
});
