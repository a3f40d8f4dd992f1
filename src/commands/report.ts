import { createPool } from '../db/pool.ts';
import { type ReportFilter, UnknownFilterIdError } from '../app/status-report.ts';
import { TABLE_WORDS } from '../app/report-table.ts';
import { type ReportFormat, writeReport } from '../app/report-writer.ts';
import { OFFICER_STATUSES, parseOfficerStatus } from '../domain/report.ts';
import type { OfficerStatusCode } from '../domain/types.ts';
import { AS_OF_HELP, asOfOption } from './as-of.ts';
import { type Command, InputError, UsageError } from './command.ts';
import { stdoutDrained } from '../shell/stdout.ts';
import { writeReportFile } from './report-file.ts';

const FORMATS: readonly ReportFormat[] = ['table', 'csv', 'json'];
/** "word = CODE, …" wrapped to lines of at most 90 columns, the continuation lines indented by `indent`. */
function words(table: Record<string, string>, extra: string[] = [], indent = 12): string {
  const items = [...Object.entries(table).map(([code, word]) => `${word} = ${code}`), ...extra];
  const lines: string[] = [];
  let line = '';
  for (const item of items) {
    const next = line ? `${line}, ${item}` : item;
    if (line && indent + next.length > 90) {
      lines.push(`${line},`);
      line = item;
    } else line = next;
  }
  lines.push(line);
  return lines.join(`\n${' '.repeat(indent)}`);
}

export const reportCommand: Command = {
  help: `Synopsis: sro report [--as-of D] [--format table|csv|json | --json] [--agency ID]...
                  [--district ID]... [--status STATUS]... [--officer L]...

Prints where every school resource officer stands under Minn. Stat. § 626.8482 /
policy 507.5 as of a date: status (COMPLIANT, EXEMPT_SUBSTITUTE, DUE, IN_GRACE, OVERDUE,
INACTIVE), reason, due date, days remaining (negative when overdue), contact days served
this school year, restricted duties and open issues, and the last alert e-mailed about the
officer by the end of that day (from the ledger; 'sro alerts --officer L' has the whole
trail). Sorted by urgency: overdue first (most days overdue first), then soonest due.
Any roster size in bounded memory: beyond 10,000 officers the rows are sorted through
temporary files in TMPDIR (smaller than the --json output, removed at the end); nothing is
printed until every officer was read.

The table fits 120 columns. It names each officer's agency and the districts of their
assignments active on D; a cell too long for its column is cut with '…' (--format csv has
it whole). Its first line counts the officers of each status. IN_GRACE and
EXEMPT_SUBSTITUTE officers may not perform the duties of clauses (4) and (5) (in csv and
json: restricted_duties / "restrictedDuties"). NOTES and LAST ALERT SENT use short words:
  reasons:  ${words(TABLE_WORDS.reasons)}
  issues:   ${words(TABLE_WORDS.issues, ['late = completed late'])}
  served N (60th MM-DD): contact days served this school year (and the projected 60th day)
  alerts:   ${words(TABLE_WORDS.alerts)};
            then the day it was sent, in TZ
Control characters in names are shown escaped (\\u009b), never sent to the terminal.

Options:
${AS_OF_HELP}
                LAST ALERT SENT and "lastAlert" show the last alert sent by the end of
                day D in TZ: an alert sent after it is not shown for a past D
  --format F    table (default), csv or json.
                csv: RFC 4180 (CRLF line ends, a header record), one record per officer
                with every field of json, uncut, and the names beside the ids: license,
                name, agency_id, agency, district_ids, districts, status, due_date,
                days_remaining, reason, contact_days, projected_60th_day,
                restricted_duties, issues, completed_late, last_alert_kind,
                last_alert_sent_at, last_alert_key, last_alert_recipients (lists joined
                by ';', names by '; '). A text cell that starts with = + - @, a tab or a
                CR is prefixed with ' so that a spreadsheet does not run it as a formula.
  --format pdf --output FILE
                the compliance report for the board and the auditor, as a tagged PDF
                (title, scope, as of, counts by status, one row per officer with the
                training that satisfies the rule, certificate on file, latest policy
                review; substitutes; open acknowledgments; the rules cited). Takes one
                --agency or one --district (or neither: the whole roster) and --as-of
  --json        the same as --format json: {"asOf", "officers": [...]} on stdout
                (INTERFACE.md; each officer also has "lastAlert": {kind, alertKey, sentAt,
                recipients} or null)
  --agency ID   only the officers of agency ID (repeatable: any of them)
  --district ID only the officers with an assignment active on D in district ID
                (repeatable: any of them)
  --status S    only the officers whose status is S (any letter case; repeatable: any
                of them): ${OFFICER_STATUSES.join(', ')}
  --officer L   only the officer with license L (repeatable)
Filters apply to the table, csv and json alike; an officer must match each filter given.
An --agency or --district id the roster does not have is an error (exit 1, naming it, and
nothing printed): an empty report for a mistyped id would read as "nobody is overdue".

Examples:
  sro report
  sro report --as-of 2026-06-01 --status OVERDUE --status DUE
  sro report --agency MN0240100 --format csv > albert-lea-pd.csv
  sro report --district ISD241 --as-of 2026-03-02
  sro report --as-of 2027-06-01 --json | jq '.officers[] | select(.status=="OVERDUE")'`,
  options: {
    'as-of': { type: 'string' },
    json: { type: 'boolean', default: false },
    format: { type: 'string' },
    agency: { type: 'string', multiple: true },
    district: { type: 'string', multiple: true },
    status: { type: 'string', multiple: true },
    officer: { type: 'string', multiple: true },
    output: { type: 'string' },
  },
  async run(ctx) {
    if ((ctx.values.format as string | undefined)?.toLowerCase() === 'pdf') return writeReportFile(ctx, 'pdf');
    if (ctx.values.output !== undefined)
      throw new UsageError('--output: only with --format pdf (other formats go to stdout)');
    const list = (name: string) => (ctx.values[name] as unknown as string[] | undefined) ?? null;
    const format = formatOption(ctx.values.format as string | undefined, ctx.values.json === true);
    const statuses = list('status')?.map(statusOption) ?? null;
    const filter: ReportFilter = {
      licenses: list('officer'),
      agencies: list('agency'),
      districts: list('district'),
      statuses,
    };
    const config = ctx.config();
    const asOf = asOfOption(ctx.values['as-of'], config);
    const pool = createPool(config.databaseUrl);
    try {
      // Streamed in bounded memory (src/app/report-writer.ts), and held back while stdout's reader is slow.
      const out = async (chunk: string) => {
        ctx.stdout(chunk);
        await stdoutDrained();
      };
      await writeReport(pool, asOf, { schoolYearStart: config.schoolYearStart }, format, out, {
        filter,
        timeZone: config.timeZone,
        signal: ctx.signal,
      });
      return 0;
    } catch (e) {
      if (e instanceof UnknownFilterIdError) throw new InputError(e.message);
      throw e;
    } finally {
      await pool.end();
    }
  },
};

function formatOption(value: string | undefined, json: boolean): ReportFormat {
  if (value === undefined) return json ? 'json' : 'table';
  const format = FORMATS.find((f) => f === value.toLowerCase());
  if (!format) throw new UsageError(`--format: ${JSON.stringify(value)} is not one of ${FORMATS.join(', ')}`);
  if (json && format !== 'json') throw new UsageError(`--json and --format ${format} ask for two formats; give one`);
  return format;
}

function statusOption(value: string): OfficerStatusCode {
  const status = parseOfficerStatus(value);
  if (status === null) {
    const several = value.includes(',') ? ' (for several, repeat --status)' : '';
    throw new UsageError(
      `--status: ${JSON.stringify(value)} is not a status; use one of ${OFFICER_STATUSES.join(', ')}${several}`,
    );
  }
  return status;
}
