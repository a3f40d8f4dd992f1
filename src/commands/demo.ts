import { readdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { type CivilDate, addDays } from '../domain/civil-date.ts';
import { createDb } from '../db/client.ts';
import { clearLedger, countLedgerByKind } from '../db/ledger.ts';
import { applyMigrations, projectRoot } from '../db/migrate.ts';
import { formatRosterError, loadRoster } from '../roster/load.ts';
import { importRoster } from '../roster/import.ts';
import { createRuntime } from '../worker/runtime.ts';
import { runJobToCompletion } from '../worker/run-once.ts';
import { scanJob, scanTotal } from '../../jobs/scan.ts';
import { weeklyDigestJob } from '../../jobs/weekly-digest.ts';
import { asOfOption } from './as-of.ts';
import type { Command } from './command.ts';

export const DEMO_ROSTER = join(projectRoot, 'examples', 'demo-roster.json');

/** Earlier scan dates replayed before D so the demo shows escalations and their RESOLVED notices. */
export function demoHistory(asOf: CivilDate): CivilDate[] {
  return [addDays(asOf, -60), addDays(asOf, -30), addDays(asOf, -7), asOf];
}

export const demoCommand: Command = {
  help: `A guided tour on embedded defaults. In a separate database (the DATABASE_URL database
name + "_demo", created if missing) it applies migrations, loads examples/demo-roster.json
(two agencies, three districts including a charter school, 15 officers covering every
status), clears that database's ledger, replays daily scans up to D so that escalations
and RESOLVED notices appear, runs the weekly digest, and writes every e-mail as an .eml
file to MAIL_OUTBOX_DIR (./outbox) with an index.html to open in a browser.
It never sends real e-mail: SMTP_URL is ignored. Needs PostgreSQL and Redis.

Options:
  --as-of D     the demo's "today" (default: today in TZ)`,
  options: { 'as-of': { type: 'string' } },
  async run(ctx) {
    const base = ctx.config();
    const url = new URL(base.databaseUrl);
    url.pathname = `${url.pathname.replace(/\/$/, '') || '/sro'}_demo`;
    const config = ctx.configWith({ DATABASE_URL: url.toString(), SMTP_URL: '', QUEUE_PREFIX: `${base.queuePrefix}-demo` });
    const asOf = asOfOption(ctx.values['as-of'], config);

    ctx.log.info(`1/4 migrating the demo database ${url.pathname.slice(1)}`);
    await applyMigrations(config.databaseUrl);
    ctx.log.info(`2/4 importing ${DEMO_ROSTER}`);
    const loaded = await loadRoster(DEMO_ROSTER);
    if (!loaded.ok) {
      for (const e of loaded.errors) ctx.log.error(formatRosterError(e));
      return 1;
    }
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
        ctx.log.info(`    ${d}: ${result.alerts} alert(s), ${result.pendingRows} e-mail(s)`);
      }
      ctx.log.info(`4/4 weekly digest as of ${asOf}`);
      await runJobToCompletion(runtime, weeklyDigestJob, { asOf }, ctx.signal);
      const kinds = await countLedgerByKind(runtime.pool);
      const outbox = resolve(config.mailOutboxDir);
      const files = (await readdir(outbox)).filter((f) => f.endsWith('.eml')).length;
      ctx.stdout(
        `\nDemo done as of ${asOf}. Ledger (sro alerts) by kind:\n` +
          kinds.map((r) => `  ${String(r.kind).padEnd(26)} ${String(r.status).padEnd(10)} ${r.n}`).join('\n') +
          `\n\nE-mails: ${files} .eml file(s) in ${outbox}\nOpen ${join(outbox, 'index.html')} in a browser, or read the .eml files in any mail client.\n` +
          `Report:  DATABASE_URL=${url.toString()} npx sro report --as-of ${asOf}\n`,
      );
      return 0;
    } finally {
      await runtime.close({ force: ctx.signal.aborted });
    }
  },
};
