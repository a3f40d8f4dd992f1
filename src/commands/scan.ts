import type { Config } from '../config.ts';
import { alertConfigOf, rulesOf } from '../config.ts';
import type { CivilDate } from '../domain/civil-date.ts';
import { plural } from '../domain/plural.ts';
import { createPool } from '../db/pool.ts';
import { type ScanAlertOutput, runScan } from '../app/alert-scan.ts';
import { createRuntime } from '../worker/runtime.ts';
import { runJobToCompletion } from '../worker/run-once.ts';
import { assertRedisReachable } from '../worker/queue.ts';
import { assertPostgresReachable } from '../db/health.ts';
import { civilDateIn } from '../shell/clock.ts';
import { scanJob } from '../../jobs/scan.ts';
import { scanTotal } from '../app/scan-fan-out.ts';
import { AS_OF_HELP, asOfOption } from './as-of.ts';
import { type Command, UsageError } from './command.ts';

/** A dry-run scan: the alerts due as of D, each marked stale today or not; writes and enqueues nothing. */
async function dryRunScan(config: Config, asOf: CivilDate, today: CivilDate): Promise<ScanAlertOutput[]> {
  const pool = createPool(config.databaseUrl);
  try {
    const alerts: ScanAlertOutput[] = [];
    await runScan(pool, { asOf, rules: rulesOf(config), alerts: alertConfigOf(config), work: null, today }, (a) =>
      alerts.push(a),
    );
    return alerts;
  } finally {
    await pool.end();
  }
}

/** `--wait SECONDS`: how long `sro scan` / `sro digest` wait for delivery (default 300). */
export function waitOption(value: string | boolean | undefined): number {
  if (value === undefined) return 300;
  const n = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : NaN;
  if (!Number.isSafeInteger(n))
    throw new UsageError(`--wait: ${JSON.stringify(value)} is not a whole number of seconds`);
  return n;
}

export const WAIT_HELP = `  --wait S      wait at most S seconds for delivery (default 300); then exit 3 with the
                count still pending: they stay owed, to the worker or the next run`;

export const scanCommand: Command = {
  help: `Evaluates every officer as of D and finds the alerts due (RULES.md section 5):
deadline reminders at each lead in REMINDER_LEAD_DAYS, DEADLINE_MISSED escalations at
ESCALATION_DAYS, substitutes nearing 60 contact days, missing certificates and policy
reviews, and RESOLVED notices. An alert whose key is already in the ledger is never sent
again; when several leads were crossed at once only the most urgent is sent.

Without --dry-run the scan runs through the real queue (Redis): it writes ledger rows,
sends the e-mails (SMTP_URL, or .eml files in MAIL_OUTBOX_DIR), waits until each is
delivered or has failed (at most --wait seconds), and prints a summary of this run's
e-mails. The running worker does the same daily. A relay that is down delays e-mails, it
does not drop them: they stay PENDING and are retried for SEND_RETRY_FOR_HOURS.

A scan of a past day (a replay, a backfill) sends what was due on that day, including
alerts that today's state makes stale (a deadline met since, an officer no longer
OVERDUE). --dry-run marks those (STALE TODAY column; "staleToday" in --json);
--skip-stale sends only the others and records the stale ones SUPERSEDED with the reason.

Options:
${AS_OF_HELP}
  --dry-run     list what would be sent now; write nothing, send nothing
  --skip-stale  with a past --as-of: send only the alerts not stale today
${WAIT_HELP}
  --json        machine-readable output on stdout (INTERFACE.md)

Exit status: 0 all delivered; 3 an e-mail failed for good, e-mails still pending when
--wait ran out, or a service (PostgreSQL, Redis) unreachable.

Examples:
  sro scan --as-of 2027-05-01 --dry-run --json
  sro scan --as-of 2026-11-20 --dry-run        (what a backfill would send; stale marked)
  sro scan --as-of 2026-11-20 --skip-stale
  SMTP_URL=smtp://relay.district.example:587 sro scan --wait 60`,
  options: {
    'as-of': { type: 'string' },
    'dry-run': { type: 'boolean', default: false },
    'skip-stale': { type: 'boolean', default: false },
    wait: { type: 'string' },
    json: { type: 'boolean', default: false },
  },
  async run(ctx) {
    const config = ctx.config();
    const asOf = asOfOption(ctx.values['as-of'], config);
    const waitSeconds = waitOption(ctx.values.wait);
    // The shell's clock, read once: what "stale today" is measured against.
    const today = civilDateIn(config.timeZone);
    if (ctx.values['dry-run']) {
      const alerts = await dryRunScan(config, asOf, today);
      if (ctx.values.json) ctx.stdout(`${JSON.stringify({ asOf, alerts }, null, 2)}\n`);
      else {
        const stale = alerts.filter((a) => a.staleToday).length;
        ctx.stdout(
          `Alerts due as of ${asOf}: ${alerts.length}${stale ? `, ${stale} of them stale today (${today}): --skip-stale would not send those` : ''}\n`,
        );
        if (asOf < today && alerts.length > 0)
          ctx.stdout(
            `  ${'KIND'.padEnd(25)} ${'LICENSE'.padEnd(10)} ${'DEADLINE'.padEnd(10)} ${'STEP'.padEnd(12)} ${'STALE TODAY'.padEnd(11)}   RECIPIENTS\n`,
          );
        for (const a of alerts) {
          const step =
            a.lead !== null
              ? `lead ${a.lead}`
              : a.level !== null
                ? `level ${a.level}`
                : a.threshold !== null
                  ? `threshold ${a.threshold}`
                  : '';
          const staleCell = asOf < today ? `${(a.staleToday ? 'yes' : 'no').padEnd(11)} ` : '';
          ctx.stdout(
            `  ${a.kind.padEnd(25)} ${a.license.padEnd(10)} ${(a.dueDate ?? a.schoolYear ?? '').padEnd(10)} ${step.padEnd(12)} ${staleCell}→ ${a.recipients.join(', ') || '(nobody)'}${a.noContactOnFile ? `  [NO_CONTACT_ON_FILE: ${a.noContactOnFile.join('; ')}]` : ''}\n`,
          );
        }
      }
      return 0;
    }
    if (ctx.values['skip-stale'] && asOf >= today)
      ctx.log.warn(`--skip-stale: ${asOf} is not before today (${today}); nothing can be stale`);
    await assertPostgresReachable(config.databaseUrl);
    await assertRedisReachable(config.redisUrl);
    const runtime = createRuntime(config, ctx.log, { work: true });
    try {
      ctx.log.info(`scanning as of ${asOf}; mail goes to ${runtime.transport.describe()}`);
      const payload = { asOf, today: asOf < today ? today : null, skipStale: ctx.values['skip-stale'] === true };
      const run = await runJobToCompletion(runtime, scanJob, payload, ctx.signal, { waitMs: waitSeconds * 1000 });
      const { delivery } = run;
      const result = scanTotal(asOf, run);
      if (ctx.values.json)
        ctx.stdout(`${JSON.stringify({ asOf, scan: result, delivery, waitExpired: run.waitExpired }, null, 2)}\n`);
      else
        ctx.stdout(
          `Scan as of ${asOf}: ${plural(result.officers, 'officer')}, ${plural(result.alerts, 'alert')} due, ${plural(result.pendingRows, 'e-mail')} queued` +
            `${result.supersededRows ? `, ${result.supersededRows} superseded` : ''}${result.noContactRows ? `, ${result.noContactRows} with no contact on file` : ''}` +
            `${result.staleAlerts ? `, ${plural(result.staleAlerts, 'alert')} stale today${payload.skipStale ? ' (skipped, recorded SUPERSEDED)' : ' (sent: what was due on that day)'}` : ''}.\n` +
            `Delivery: ${delivery.SENT} sent, ${delivery.FAILED} failed, ${delivery.SUPERSEDED} no longer owed${delivery.PENDING ? `, ${delivery.PENDING} still pending` : ''}. Mail: ${runtime.transport.describe()}\n`,
        );
      if (run.waitExpired) {
        ctx.log.error(
          `${plural(delivery.PENDING, 'e-mail')} still pending after --wait ${waitSeconds} s; they stay owed: the worker (sro worker) or the next scan delivers them`,
        );
        return 3;
      }
      return delivery.FAILED > 0 ? 3 : 0;
    } finally {
      await runtime.close({ force: ctx.signal.aborted });
    }
  },
};
