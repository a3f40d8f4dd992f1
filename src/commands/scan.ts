import { loadDirectoryAndScan } from '../scan-dry-run.ts';
import { createRuntime } from '../runtime.ts';
import { runJobToCompletion } from '../run-once.ts';
import { type ScanJobResult, scanJobId, scanTotal } from '../../jobs/scan.ts';
import { AS_OF_HELP, asOfOption } from './as-of.ts';
import type { Command } from './command.ts';

export const scanCommand: Command = {
  name: 'scan',
  summary: 'find the alerts due as of a date and send them',
  usage: 'sro scan [--as-of D] [--dry-run] [--json]',
  help: `Evaluates every officer as of D and finds the alerts due (RULES.md section 5):
deadline reminders at each lead in REMINDER_LEAD_DAYS, DEADLINE_MISSED escalations at
ESCALATION_DAYS, substitutes nearing 60 contact days, missing certificates and policy
reviews, and RESOLVED notices. An alert whose key is already in the ledger is never sent
again; when several leads were crossed at once only the most urgent is sent.

Without --dry-run the scan runs through the real queue (Redis): it writes ledger rows,
sends the e-mails (SMTP_URL, or .eml files in MAIL_OUTBOX_DIR), waits until each is
delivered or has failed, and prints a summary. The running worker does the same daily.

Options:
${AS_OF_HELP}
  --dry-run     list what would be sent now; write nothing, send nothing
  --json        machine-readable output on stdout (INTERFACE.md)

Examples:
  sro scan --as-of 2027-05-01 --dry-run --json
  SMTP_URL=smtp://relay.district.example:587 sro scan`,
  options: { 'as-of': { type: 'string' }, 'dry-run': { type: 'boolean', default: false }, json: { type: 'boolean', default: false } },
  async run(ctx) {
    const config = ctx.config();
    const asOf = asOfOption(ctx.values['as-of'], config);
    if (ctx.values['dry-run']) {
      const { alerts } = await loadDirectoryAndScan(config, asOf);
      if (ctx.values.json) ctx.stdout(`${JSON.stringify({ asOf, alerts }, null, 2)}\n`);
      else {
        ctx.stdout(`Alerts due as of ${asOf}: ${alerts.length}\n`);
        for (const a of alerts) {
          const step = a.lead !== null ? `lead ${a.lead}` : a.level !== null ? `level ${a.level}` : a.threshold !== null ? `threshold ${a.threshold}` : '';
          ctx.stdout(`  ${a.kind.padEnd(25)} ${a.license.padEnd(10)} ${(a.dueDate ?? a.schoolYear ?? '').padEnd(10)} ${step.padEnd(12)} → ${a.recipients.join(', ') || '(nobody)'}${a.noContactOnFile ? `  [NO_CONTACT_ON_FILE: ${a.noContactOnFile.join('; ')}]` : ''}\n`);
        }
      }
      return 0;
    }
    const runtime = createRuntime(config, ctx.log, { work: true });
    try {
      ctx.log.info(`scanning as of ${asOf}; mail goes to ${runtime.transport.describe()}`);
      const run = await runJobToCompletion<ScanJobResult>(runtime, runtime.queues.scan, 'scan', scanJobId(asOf), { asOf }, ctx.signal);
      const { delivery } = run;
      const result = scanTotal(asOf, run);
      if (ctx.values.json) ctx.stdout(`${JSON.stringify({ asOf, scan: result, delivery }, null, 2)}\n`);
      else
        ctx.stdout(
          `Scan as of ${asOf}: ${result.officers} officers, ${result.alerts} alerts due, ${result.pendingRows} e-mails queued` +
            `${result.supersededRows ? `, ${result.supersededRows} superseded` : ''}${result.noContactRows ? `, ${result.noContactRows} with no contact on file` : ''}.\n` +
            `Delivery: ${delivery.SENT} sent, ${delivery.FAILED} failed, ${delivery.SUPERSEDED} no longer owed. Mail: ${runtime.transport.describe()}\n`,
        );
      return delivery.FAILED > 0 ? 3 : 0;
    } finally {
      await runtime.close({ force: ctx.signal.aborted });
    }
  },
};
