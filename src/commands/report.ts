import { createPool } from '../db/pool.ts';
import { writeReport } from '../app/status-report.ts';
import { AS_OF_HELP, asOfOption } from './as-of.ts';
import type { Command } from './command.ts';
import { stdoutDrained } from '../shell/stdout.ts';

export const reportCommand: Command = {
  help: `Prints where every school resource officer stands under Minn. Stat. § 626.8482 /
policy 507.5 as of a date: status (COMPLIANT, EXEMPT_SUBSTITUTE, DUE, IN_GRACE, OVERDUE,
INACTIVE), reason, due date, days remaining (negative when overdue), contact days served
this school year, restricted duties and open issues, and the last alert e-mailed about the
officer (from the ledger; 'sro alerts --officer L' has the whole trail). Sorted by
urgency: overdue first, then soonest due. Any roster size in bounded memory: beyond 10,000
officers the rows are sorted through temporary files in TMPDIR (smaller than the --json
output, removed at the end); nothing is printed until every officer was read.

Options:
${AS_OF_HELP}
  --json        print {"asOf", "officers": [...]} on stdout (INTERFACE.md; each officer also
                has "lastAlert": {kind, alertKey, sentAt, recipients} or null)
  --officer L   only the officer with license L (repeatable)

Examples:
  sro report
  sro report --as-of 2027-06-01 --json | jq '.officers[] | select(.status=="OVERDUE")'`,
  options: { 'as-of': { type: 'string' }, json: { type: 'boolean', default: false }, officer: { type: 'string', multiple: true } },
  async run(ctx) {
    const config = ctx.config();
    const asOf = asOfOption(ctx.values['as-of'], config);
    const pool = createPool(config.databaseUrl);
    try {
      const licenses = (ctx.values.officer as unknown as string[] | undefined) ?? null;
      // Streamed in bounded memory (src/report.ts), and held back while stdout's reader is slow.
      const out = async (chunk: string) => {
        ctx.stdout(chunk);
        await stdoutDrained();
      };
      await writeReport(pool, asOf, { schoolYearStart: config.schoolYearStart }, ctx.values.json ? 'json' : 'table', out, { licenses, signal: ctx.signal });
      return 0;
    } finally {
      await pool.end();
    }
  },
};

