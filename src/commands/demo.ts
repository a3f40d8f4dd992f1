import { createHash } from 'node:crypto';
import { readdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { redactUrl } from '../config.ts';
import { type CivilDate, addDays } from '../domain/civil-date.ts';
import { plural } from '../domain/plural.ts';
import { createDb } from '../db/client.ts';
import { clearLedger, countLedgerByKind } from '../db/ledger.ts';
import { countOfficersNotIn } from '../db/roster-census.ts';
import { applyMigrations, projectRoot } from '../db/migrate.ts';
import { formatRosterError, loadRoster } from '../roster/load.ts';
import { importRoster } from '../roster/import.ts';
import { createRuntime } from '../worker/runtime.ts';
import { runJobToCompletion } from '../worker/run-once.ts';
import { scanJob, scanTotal } from '../../jobs/scan.ts';
import { weeklyDigestJob } from '../../jobs/weekly-digest.ts';
import { asOfOption } from './as-of.ts';
import { type Command, InputError } from './command.ts';

export const DEMO_ROSTER = join(projectRoot, 'examples', 'demo-roster.json');

/** Earlier scan dates replayed before D so the demo shows escalations and their RESOLVED notices. */
export function demoHistory(asOf: CivilDate): CivilDate[] {
  return [addDays(asOf, -60), addDays(asOf, -30), addDays(asOf, -7), asOf];
}

/** The demo's database when DATABASE_URL is unset. */
export const DEMO_DATABASE = 'sro_demo';

/**
 * The database URL a demo works in: DATABASE_URL's own when it was set (`given`), else the
 * default server's DEMO_DATABASE; DEMO_DATABASE too when the URL names no database.
 */
export function demoDatabaseUrl(databaseUrl: string, given: boolean): string {
  const url = new URL(databaseUrl);
  if (!given || url.pathname.replace(/^\/+|\/+$/g, '') === '') url.pathname = `/${DEMO_DATABASE}`;
  return url.toString();
}

export function databaseNameOf(databaseUrl: string): string {
  return decodeURIComponent(new URL(databaseUrl).pathname.replace(/^\//, ''));
}

/**
 * The demo's queue prefix when QUEUE_PREFIX is not set: one per database, so demos on two
 * databases do not share queues. A name with characters QUEUE_PREFIX does not allow
 * ([A-Za-z0-9_-]) has them replaced, and a digest of the name added so that 'a.b' and 'a_b' differ.
 */
export function demoQueuePrefix(database: string): string {
  const safe = database.replace(/[^A-Za-z0-9_-]/g, '_');
  const tag = safe === database ? '' : `-${createHash('sha256').update(database).digest('hex').slice(0, 8)}`;
  return `sro-demo-${safe}${tag}`;
}

/** A word for a POSIX shell: as is when it is plain, else in single quotes. */
function shellWord(s: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(s) ? s : `'${s.replaceAll("'", `'\\''`)}'`;
}

/** The `sro report` command that reads the demo's database, its password (if any) masked. */
export function demoReportCommand(databaseUrl: string, asOf: CivilDate): string {
  return `DATABASE_URL=${shellWord(redactUrl(databaseUrl))} npx sro report --as-of ${asOf}`;
}

export const demoCommand: Command = {
  help: `A guided tour on embedded defaults. In the database DATABASE_URL names (${DEMO_DATABASE} on
the default server when DATABASE_URL is unset or the default; created if missing) it
applies migrations, loads examples/demo-roster.json (two agencies, three districts
including a charter school, 16 officers covering every status), clears that database's
ledger, replays daily scans up to D so that escalations and RESOLVED notices appear, runs
the weekly digest, and writes every e-mail to MAIL_OUTBOX_DIR (./outbox) as an .eml file
with its HTML part beside it as an .html file, and an index.html to open in a browser.
It ends with the sro report command that reads that database.
The demo replaces the roster and the ledger of that database: give it a database of its
own, never one in use. Its jobs use the queue prefix sro-demo-<database> unless
QUEUE_PREFIX is set. It never sends real e-mail: SMTP_URL is ignored. Needs PostgreSQL
and Redis.

Options:
  --as-of D     the demo's "today" (default: today in TZ)`,
  options: { 'as-of': { type: 'string' } },
  async run(ctx) {
    const base = ctx.config();
    // Which of the two were set: the configuration with them unset holds their defaults.
    const defaults = ctx.configWith({ DATABASE_URL: '', QUEUE_PREFIX: '' });
    const databaseUrl = demoDatabaseUrl(base.databaseUrl, base.databaseUrl !== defaults.databaseUrl);
    const database = databaseNameOf(databaseUrl);
    const queuePrefix = base.queuePrefix !== defaults.queuePrefix ? base.queuePrefix : demoQueuePrefix(database);
    const config = ctx.configWith({ DATABASE_URL: databaseUrl, SMTP_URL: '', QUEUE_PREFIX: queuePrefix });
    const asOf = asOfOption(ctx.values['as-of'], config);

    const loaded = await loadRoster(DEMO_ROSTER);
    if (!loaded.ok) {
      for (const e of loaded.errors) ctx.log.error(formatRosterError(e));
      return 1;
    }
    // The demo replaces the roster and clears the ledger: never in a database that is in use.
    const foreign = await countOfficersNotIn(
      config.databaseUrl,
      (loaded.roster.officers ?? []).map((o) => o.license),
    );
    if (foreign > 0) {
      const own = demoDatabaseUrl(base.databaseUrl, false);
      throw new InputError(
        `the database ${database} (DATABASE_URL) holds ${plural(foreign, 'officer')} that the demo roster does not; the demo replaces a database's roster and ledger, so it runs only in a database of its own, e.g. DATABASE_URL=${shellWord(redactUrl(own))} sro demo. Nothing was changed.`,
      );
    }
    ctx.log.info(`1/4 migrating the demo database ${database} (queue prefix ${queuePrefix})`);
    await applyMigrations(config.databaseUrl);
    ctx.log.info(`2/4 importing ${DEMO_ROSTER}`);
    const db = createDb(config.databaseUrl);
    try {
      const imported = await importRoster(db, loaded.roster, { replace: true });
      if (!imported.ok) {
        for (const e of imported.errors) ctx.log.error(formatRosterError(e));
        return 1;
      }
    } finally {
      await db.$disconnect();
    }
    const runtime = createRuntime(config, ctx.log, { work: true });
    try {
      await clearLedger(runtime.pool);
      const dates = demoHistory(asOf);
      ctx.log.info(`3/4 scanning as of ${dates.join(', ')}`);
      for (const d of dates) {
        const result = scanTotal(d, await runJobToCompletion(runtime, scanJob, { asOf: d }, ctx.signal));
        ctx.log.info(`    ${d}: ${plural(result.alerts, 'alert')}, ${plural(result.pendingRows, 'e-mail')}`);
      }
      ctx.log.info(`4/4 weekly digest as of ${asOf}`);
      await runJobToCompletion(runtime, weeklyDigestJob, { asOf }, ctx.signal);
      const kinds = await countLedgerByKind(runtime.pool);
      const outbox = resolve(config.mailOutboxDir);
      const files = (await readdir(outbox)).filter((f) => f.endsWith('.eml')).length;
      ctx.stdout(
        `\nDemo done as of ${asOf}. Ledger (sro alerts) by kind:\n` +
          kinds.map((r) => `  ${String(r.kind).padEnd(26)} ${String(r.status).padEnd(10)} ${r.n}`).join('\n') +
          `\n\nE-mails: ${plural(files, '.eml file')} in ${outbox}, each with its HTML part as an .html file\n` +
          `Open ${join(outbox, 'index.html')} in a browser, or read the .eml files in any mail client.\n` +
          `Report:  ${demoReportCommand(databaseUrl, asOf)}\n`,
      );
      return 0;
    } finally {
      await runtime.close({ force: ctx.signal.aborted });
    }
  },
};
