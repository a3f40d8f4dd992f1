import { createHash, randomBytes } from 'node:crypto';
import { readFile, readdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type pg from 'pg';
import { type Config, redactUrl } from '../config.ts';
import { type CivilDate, addDays } from '../domain/civil-date.ts';
import { plural } from '../domain/plural.ts';
import { type LedgerCount, clearLedger, countLedgerByKind } from '../db/ledger.ts';
import { countOfficersNotIn } from '../db/roster-census.ts';
import { insertLoginToken } from '../db/console-auth.ts';
import { applyMigrations, projectRoot } from '../db/migrate.ts';
import { formatRosterError, openRosterFeed } from '../roster/load.ts';
import { importFeed } from '../roster/import.ts';
import { type Roster, rosterSchema } from '../roster/schema.ts';
import { type RunningConsole, startConsole } from '../web/start.ts';
import { codeSubject, newCode, newToken, secretsOf } from '../app/secrets.ts';
import { createRuntime } from '../worker/runtime.ts';
import { runJobToCompletion } from '../worker/run-once.ts';
import { scanJob } from '../../jobs/scan.ts';
import { scanTotal } from '../app/scan-fan-out.ts';
import { weeklyDigestJob } from '../../jobs/weekly-digest.ts';
import { asOfOption } from './as-of.ts';
import { type Command, InputError } from './command.ts';
import { HELP_WIDTH, wrapWords } from './help.ts';

export const DEMO_ROSTER = join(projectRoot, 'examples', 'demo-roster.json');

/**
 * The shipped demo roster (a few dozen rows) as data: whose officers it holds, whom the
 * console's links are for. It is imported through the streaming feed like any other.
 */
async function readDemoRoster(): Promise<Roster> {
  return rosterSchema.parse(JSON.parse(await readFile(DEMO_ROSTER, 'utf8')));
}

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

/** The admin the demo console signs in when ADMIN_EMAILS is unset. */
export const DEMO_ADMIN = 'admin@demo.example';

/** How long the demo console's printed sign-in links last (a real one: 15 minutes). */
export const DEMO_LINK_MINUTES = 12 * 60;

/** Someone the demo console prints a sign-in link for. */
export interface DemoPerson {
  /** Who it is, in words: 'Chief Morgan Ellis, chief of Albert Lea Police Department'. */
  who: string;
  email: string;
}

/**
 * The three people `sro demo --console` prints links for: the first admin, the chief of
 * the roster's first agency with a chief e-mail (Albert Lea), and the PRIMARY contact of its
 * first district with one (Albert Lea Area Schools). Addresses lower-cased, as sign-in does.
 */
export function demoPeople(roster: Roster, adminEmails: readonly string[]): DemoPerson[] {
  const people: DemoPerson[] = [];
  const admin = adminEmails[0];
  if (admin) people.push({ who: 'Admin', email: admin });
  const agency = (roster.agencies ?? []).find((a) => a.chief?.email);
  if (agency?.chief?.email)
    people.push({
      who: `${agency.chief.name ?? 'The chief'}, chief of ${agency.name}`,
      email: agency.chief.email.toLowerCase(),
    });
  for (const d of roster.districts ?? []) {
    const contact = (d.contacts ?? []).find((c) => c.role === 'PRIMARY');
    if (!contact) continue;
    people.push({ who: `${contact.name}, SRO contact of ${d.name}`, email: contact.email.toLowerCase() });
    break;
  }
  return people;
}

/** The address links point at: PUBLIC_URL when set, else where the console listens (0.0.0.0 read as 127.0.0.1). */
function demoBaseUrl(config: Config, running: RunningConsole): string {
  if (config.publicUrl) return config.publicUrl;
  const url = new URL(running.url);
  if (url.hostname === '0.0.0.0' || url.hostname === '[::]') url.hostname = '127.0.0.1';
  return url.toString().replace(/\/+$/, '');
}

/**
 * A sign-in link per person, made as the console makes its e-mailed ones (a keyed hash of a
 * random token, and of a code nobody is shown), but valid DEMO_LINK_MINUTES.
 */
async function demoSignInLinks(
  pool: pg.Pool,
  secretKey: string,
  baseUrl: string,
  people: readonly DemoPerson[],
): Promise<{ person: DemoPerson; link: string }[]> {
  const secrets = secretsOf(secretKey);
  const out: { person: DemoPerson; link: string }[] = [];
  for (const person of people) {
    const token = newToken();
    await insertLoginToken(pool, {
      email: person.email,
      tokenHash: secrets.hash('login-token', token),
      codeHash: secrets.hash('login-code', codeSubject(person.email, newCode())),
      minutes: DEMO_LINK_MINUTES,
    });
    out.push({ person, link: `${baseUrl}/login/verify?token=${token}` });
  }
  return out;
}

/** What each outcome of a ledger row means, for the demo's summary (RULES.md 5). */
function outcomeOf(c: LedgerCount): string {
  switch (c.status) {
    case 'SENT':
      return 'sent: each is an .eml file in the outbox';
    case 'SUPERSEDED':
      return 'not sent: a more urgent step of the same alert was owed at the same time, and only it was sent (catch-up)';
    case 'FAILED': {
      const why = c.errors.map((e) =>
        e.startsWith('NO_CONTACT_ON_FILE: ') ? `nobody to send to: ${e.slice('NO_CONTACT_ON_FILE: '.length)}` : e,
      );
      return `not sent: ${why.length > 0 ? why.join('; ') : 'see sro alerts'}`;
    }
    case 'PENDING':
      return 'not sent yet: still owed, the next scan or worker sends it';
    case 'BOUNCED':
      return "sent, then returned by the recipient's mail system (sro bounces)";
    default: {
      const _exhaustive: never = c.status;
      return String(_exhaustive);
    }
  }
}

/** The ledger by kind and status, each count with what it means; lines wrapped to 100 columns. */
export function demoLedgerSummary(counts: readonly LedgerCount[]): string {
  const kind = Math.max(...counts.map((c) => c.kind.length), 4);
  const status = Math.max(...counts.map((c) => c.status.length), 6);
  const n = Math.max(...counts.map((c) => String(c.n).length), 1);
  const indent = 2 + kind + 2 + status + 2 + n + 2;
  return counts
    .map((c) =>
      wrapWords(
        outcomeOf(c),
        HELP_WIDTH,
        `  ${c.kind.padEnd(kind)}  ${c.status.padEnd(status)}  ${String(c.n).padStart(n)}  `,
        indent,
      ),
    )
    .join('\n');
}

const untilAborted = (signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    if (signal.aborted) resolve();
    else signal.addEventListener('abort', () => resolve(), { once: true });
  });

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

With --console it then serves the console (as sro web does) on that database at
WEB_HOST:WEB_PORT (127.0.0.1:8080; 0 = any free port), and prints sign-in links, valid 12
hours and usable once, for a demo admin (ADMIN_EMAILS, admin@demo.example when unset), the
chief of Albert Lea Police Department and the SRO contact of Albert Lea Area Schools,
until Ctrl-C. The demo's worker runs in the same process meanwhile: what is recorded in
the console is evaluated at once and the e-mails it owes (a RESOLVED once an overdue
officer's course is recorded) go to the outbox. The demo's e-mails link to the officers'
pages in that console (PUBLIC_URL, the listening address when unset). SECRET_KEY is a
random key made at start unless set; sign-in e-mails the console sends go to the outbox too.

Options:
  --as-of D     the demo's "today" (default: today in TZ)
  --console     then serve the console (and run the worker) on the demo database until Ctrl-C`,
  options: { 'as-of': { type: 'string' }, console: { type: 'boolean' } },
  async run(ctx) {
    const base = ctx.config();
    // Which of the two were set: the configuration with them unset holds their defaults.
    const defaults = ctx.configWith({ DATABASE_URL: '', QUEUE_PREFIX: '' });
    const databaseUrl = demoDatabaseUrl(base.databaseUrl, base.databaseUrl !== defaults.databaseUrl);
    const database = databaseNameOf(databaseUrl);
    const queuePrefix = base.queuePrefix !== defaults.queuePrefix ? base.queuePrefix : demoQueuePrefix(database);
    const overrides = { DATABASE_URL: databaseUrl, SMTP_URL: '', QUEUE_PREFIX: queuePrefix };
    const config = ctx.configWith(overrides);
    const asOf = asOfOption(ctx.values['as-of'], config);

    // The demo replaces the roster and clears the ledger: never in a database that is in use.
    const roster = await readDemoRoster();
    const foreign = await countOfficersNotIn(
      config.databaseUrl,
      roster.officers.map((o) => o.license),
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
    // Through the streaming feed, as `sro import examples/demo-roster.json --replace` does.
    const opened = await openRosterFeed(DEMO_ROSTER);
    const imported = opened.ok ? await importFeed(config.databaseUrl, opened.feed, { replace: true }) : opened;
    if (!imported.ok) {
      for (const e of imported.errors) ctx.log.error(formatRosterError(e));
      return 1;
    }
    // --console: the console listens before the scans, so the demo's e-mails can link to it.
    let web: { config: Config; running: RunningConsole; baseUrl: string } | null = null;
    if (ctx.values.console === true) {
      const webConfig = ctx.configWith({
        ...overrides,
        // A key of the run when none is set: sessions and links end with the process.
        SECRET_KEY: base.secretKey ?? randomBytes(36).toString('base64url'),
        ADMIN_EMAILS: base.adminEmails.length > 0 ? base.adminEmails.join(',') : DEMO_ADMIN,
      });
      const running = await startConsole(webConfig, ctx.log);
      web = { config: webConfig, running, baseUrl: demoBaseUrl(webConfig, running) };
    }
    try {
      const runConfig = web ? ctx.configWith({ ...overrides, PUBLIC_URL: web.baseUrl }) : config;
      let links: { person: DemoPerson; link: string }[] = [];
      let served = false;
      const runtime = createRuntime(runConfig, ctx.log, { work: true });
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
          `\nDemo done as of ${asOf}. The alert ledger (sro alerts), by kind and outcome:\n` +
            demoLedgerSummary(kinds) +
            `\n\nE-mails: ${plural(files, '.eml file')} in ${outbox}, each with its HTML part as an .html file\n` +
            `Open ${join(outbox, 'index.html')} in a browser, or read the .eml files in any mail client.\n` +
            `Report:  ${demoReportCommand(databaseUrl, asOf)}\n`,
        );
        if (web && !ctx.signal.aborted) {
          const people = demoPeople(roster, web.config.adminEmails);
          links = await demoSignInLinks(runtime.pool, web.config.secretKey as string, web.baseUrl, people);
          ctx.stdout(
            `\nConsole: ${web.baseUrl} on the demo database ${database}; Ctrl-C stops it.\n` +
              `Sign-in links (each works once, for ${DEMO_LINK_MINUTES / 60} hours):\n` +
              links.map(({ person, link }) => `  ${person.who} (${person.email}):\n    ${link}\n`).join('') +
              `Anyone else on the roster signs in at ${web.baseUrl}/login; the sign-in e-mail goes to the outbox.\n` +
              `What you record there is evaluated at once, and the e-mails it owes (a RESOLVED once a course\n` +
              `is recorded) go to the outbox: the demo's worker runs in this process until Ctrl-C.\n`,
          );
          // The console's changes enqueue the officer's re-evaluation; this runtime's workers
          // process it and send what it owes, as `sro worker` would.
          await untilAborted(ctx.signal);
          ctx.log.info('stopping the console and the worker');
          served = true;
          await web.running.close();
          web = null;
          ctx.log.info('console stopped');
        }
      } finally {
        // Ctrl-C while the console served is the demo's normal end: in-flight e-mails finish.
        await runtime.close({ force: ctx.signal.aborted && !served });
      }
      return 0;
    } finally {
      if (web) {
        await web.running.close();
        ctx.log.info('console stopped');
      }
    }
  },
};
