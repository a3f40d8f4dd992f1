import { createPool } from '../db/pool.ts';
import { plural } from '../domain/plural.ts';
import { digestTargets, weekOf } from '../app/weekly-digest.ts';
import { createRuntime } from '../worker/runtime.ts';
import { runJobToCompletion } from '../worker/run-once.ts';
import { weeklyDigestJob } from '../../jobs/weekly-digest.ts';
import { assertRedisReachable } from '../worker/queue.ts';
import { assertPostgresReachable } from '../db/health.ts';
import { WAIT_HELP, waitOption } from './scan.ts';
import { AS_OF_HELP, asOfOption } from './as-of.ts';
import type { Command } from './command.ts';

export const digestCommand: Command = {
  help: `Builds the weekly digest: one e-mail to each chief (their agency's officers) and one to
each PRIMARY contact of a district (officers assigned there), grouping officers by urgency:
overdue, due within 30 days, due within 90, substitutes near the 60-day limit, missing
certificate or policy review, compliant. A digest goes out once per ISO week (Monday to
Sunday) per recipient; running it twice in a week sends nothing more.

Options:
${AS_OF_HELP}
  --dry-run     list the digests that would be sent; write nothing, send nothing
${WAIT_HELP}
  --json        machine-readable output on stdout

Example:
  sro digest --as-of 2026-11-23 --dry-run`,
  options: {
    'as-of': { type: 'string' },
    'dry-run': { type: 'boolean', default: false },
    wait: { type: 'string' },
    json: { type: 'boolean', default: false },
  },
  async run(ctx) {
    const config = ctx.config();
    const asOf = asOfOption(ctx.values['as-of'], config);
    if (ctx.values['dry-run']) {
      const pool = createPool(config.databaseUrl);
      try {
        const targets = await digestTargets(pool, asOf);
        const digests = targets.map((t) => ({
          scope: t.scope.kind,
          id: t.scope.id,
          name: t.scope.name,
          recipient: t.recipient?.email ?? null,
          key: t.key,
          noContactOnFile: t.missing,
        }));
        if (ctx.values.json) ctx.stdout(`${JSON.stringify({ asOf, weekOf: weekOf(asOf), digests }, null, 2)}\n`);
        else {
          ctx.stdout(`Weekly digests for the week of ${weekOf(asOf)}: ${digests.length}\n`);
          for (const d of digests)
            ctx.stdout(`  ${d.scope.padEnd(8)} ${d.name} → ${d.recipient ?? `(nobody: ${d.noContactOnFile})`}\n`);
        }
        return 0;
      } finally {
        await pool.end();
      }
    }
    const waitSeconds = waitOption(ctx.values.wait);
    await assertPostgresReachable(config.databaseUrl);
    await assertRedisReachable(config.redisUrl);
    const runtime = createRuntime(config, ctx.log, { work: true });
    try {
      const run = await runJobToCompletion(runtime, weeklyDigestJob, { asOf }, ctx.signal, {
        waitMs: waitSeconds * 1000,
      });
      const { result, delivery } = run;
      if (ctx.values.json)
        ctx.stdout(`${JSON.stringify({ asOf, digest: result, delivery, waitExpired: run.waitExpired }, null, 2)}\n`);
      else
        ctx.stdout(
          `Weekly digest as of ${asOf}: ${plural(result.digests, 'recipient')}, ${result.noContact} with no contact on file.\n` +
            `Delivery: ${delivery.SENT} sent, ${delivery.FAILED} failed${delivery.PENDING ? `, ${delivery.PENDING} still pending` : ''}. Mail: ${runtime.transport.describe()}\n`,
        );
      if (run.waitExpired) {
        ctx.log.error(
          `${plural(delivery.PENDING, 'digest e-mail')} still pending after --wait ${waitSeconds} s; they stay owed: the worker (sro worker) delivers them`,
        );
        return 3;
      }
      return delivery.FAILED > 0 ? 3 : 0;
    } finally {
      await runtime.close({ force: ctx.signal.aborted });
    }
  },
};
