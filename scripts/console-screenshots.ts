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
// officers-1280.png, officers-390.png, officer-1280.png and officer-390.png (full pages).
import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { chromium } from 'playwright-core';
import { scanJob } from '../jobs/scan.ts';
import { loadConfig } from '../src/config.ts';
import { createDb } from '../src/db/client.ts';
import { applyMigrations, projectRoot } from '../src/db/migrate.ts';
import { importRoster } from '../src/roster/import.ts';
import { loadRoster } from '../src/roster/load.ts';
import { civilDateIn } from '../src/shell/clock.ts';
import { silentLogger } from '../src/shell/log.ts';
import { startConsole } from '../src/web/start.ts';
import { runJobToCompletion } from '../src/worker/run-once.ts';
import { createRuntime } from '../src/worker/runtime.ts';
import { databaseUrlFor, dropDatabase } from '../support/postgres.ts';
import { deletePrefix, uniquePrefix } from '../support/redis.ts';
import { startSmtpReceiver } from '../test/helpers/smtp.ts';

const PG_URL = process.env.SCREENSHOT_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
const REDIS_URL = process.env.SCREENSHOT_REDIS_URL ?? 'redis://127.0.0.1:6379';
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const CHIEF = 'chief.ellis@albertlea-pd.example';
/** The demo officer whose page is shown: overdue, with alerts in the ledger. */
const OFFICER_NAME = 'Nolan Berg';

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
    const loaded = await loadRoster(join(projectRoot, 'examples', 'demo-roster.json'));
    if (!loaded.ok) throw new Error(`demo roster invalid: ${JSON.stringify(loaded.errors)}`);
    const db = createDb(databaseUrl);
    try {
      const imported = await importRoster(db, loaded.roster, { replace: false });
      if (!imported.ok) throw new Error(`demo roster did not import: ${JSON.stringify(imported.errors)}`);
    } finally {
      await db.$disconnect();
    }

    const smtp = await startSmtpReceiver();
    cleanups.unshift(() => smtp.close());
    const config = loadConfig({
      DATABASE_URL: databaseUrl,
      REDIS_URL,
      SMTP_URL: smtp.url,
      QUEUE_PREFIX: prefix,
      WEB_HOST: '127.0.0.1',
      WEB_PORT: '0',
      SECRET_KEY: randomBytes(32).toString('base64url'),
      SMTP_RATE_PER_SECOND: '1000',
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

    const before = smtp.received.length;
    await page.getByLabel('E-mail address').first().fill(CHIEF);
    await page.getByRole('button', { name: 'Send me a sign-in e-mail' }).click();
    await page.getByRole('heading', { name: 'Check your e-mail' }).waitFor();
    const deadline = Date.now() + 10_000;
    let code: string | undefined;
    while (!code) {
      const mail = smtp.received.slice(before).findLast((m) => m.to === CHIEF);
      code = mail ? /Code: (\d{6})/.exec(mail.parsed.text ?? '')?.[1] : undefined;
      if (!code && Date.now() > deadline) throw new Error(`no sign-in e-mail reached ${CHIEF} within 10 s`);
      await new Promise((r) => setTimeout(r, 25));
    }
    await page.getByLabel('6-digit code from the e-mail').fill(code);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(`${web.url}/`);

    const shoot = async (file: string, width: number) => {
      await page.setViewportSize({ width, height: 800 });
      await page.screenshot({ path: join(out, file), fullPage: true });
      process.stderr.write(`wrote ${join(out, file)}\n`);
    };
    await shoot('officers-1280.png', 1280);
    await shoot('officers-390.png', 390);
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.getByRole('link', { name: OFFICER_NAME }).click();
    await page.getByRole('heading', { level: 1, name: new RegExp(OFFICER_NAME) }).waitFor();
    await shoot('officer-1280.png', 1280);
    await shoot('officer-390.png', 390);
  } finally {
    for (const cleanup of cleanups)
      await cleanup().catch((e: Error) => process.stderr.write(`cleanup: ${e.message}\n`));
  }
}

main().catch((e: Error) => {
  process.stderr.write(`${e.stack ?? e.message}\n`);
  process.exitCode = 1;
});
