// `sro report --csv` (RFC 4180): every field of --json, uncut, with the names beside the
// ids. Names come from the roster, so no control character passes through (escaped as
// \u009b) and no cell can start a spreadsheet formula.
import { escapeControls } from '../shell/terminal-text.ts';
import { type ReportLine, type ReportNames, namesOf } from './status-report.ts';

interface CsvColumn {
  title: string;
  /** A string (text: escaped and guarded against formulas), or a number (written as it is). */
  cell: (l: ReportLine, names: ReportNames) => string | number | null;
}

const CSV_COLUMNS: CsvColumn[] = [
  { title: 'license', cell: (l) => l.officer.license },
  { title: 'name', cell: (l) => l.officer.name },
  { title: 'agency_id', cell: (l) => l.officer.agencyId },
  { title: 'agency', cell: (l, n) => n.agencies.get(l.officer.agencyId) ?? '' },
  { title: 'district_ids', cell: (l) => l.districtIds.join(';') },
  { title: 'districts', cell: (l, n) => namesOf(l.districtIds, n.districts).join('; ') },
  { title: 'status', cell: (l) => l.officer.status },
  { title: 'due_date', cell: (l) => l.officer.dueDate },
  { title: 'days_remaining', cell: (l) => l.officer.daysRemaining },
  { title: 'reason', cell: (l) => l.officer.reason },
  { title: 'contact_days', cell: (l) => l.officer.contactDays },
  { title: 'projected_60th_day', cell: (l) => l.officer.projected60thDay },
  { title: 'restricted_duties', cell: (l) => l.officer.restrictedDuties.join(';') },
  { title: 'issues', cell: (l) => l.officer.issues.join(';') },
  { title: 'completed_late', cell: (l) => String(l.officer.completedLate) },
  { title: 'last_alert_kind', cell: (l) => l.officer.lastAlert?.kind ?? null },
  { title: 'last_alert_sent_at', cell: (l) => l.officer.lastAlert?.sentAt ?? null },
  { title: 'last_alert_key', cell: (l) => l.officer.lastAlert?.alertKey ?? null },
  { title: 'last_alert_recipients', cell: (l) => l.officer.lastAlert?.recipients.join(';') ?? null },
];

// A cell that starts with =, +, - or @ (a spreadsheet reads it as a formula), or with a tab
// or a carriage return (which some strip before reading one): prefixed with a single quote,
// which the spreadsheet shows as text (OWASP, "CSV Injection").
const FORMULA_START = /^[=+\-@\t\r]/;

/** One CSV field: quoted when it holds a comma, a quote, CR or LF, its quotes doubled (RFC 4180). */
function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** A text cell as written: formula-guarded, control characters escaped, quoted as needed. */
export function csvTextField(text: string): string {
  return csvField((FORMULA_START.test(text) ? "'" : '') + escapeControls(text));
}

const csvRecord = (fields: readonly string[]) => `${fields.join(',')}\r\n`;
export const CSV_HEADER = csvRecord(CSV_COLUMNS.map((c) => c.title));

export function csvRow(l: ReportLine, names: ReportNames): string {
  // Numbers are the report's integers: "-5" is a number to a spreadsheet, not a formula.
  return csvRecord(
    CSV_COLUMNS.map((c) => {
      const v = c.cell(l, names);
      return v === null ? '' : typeof v === 'number' ? String(v) : csvTextField(v);
    }),
  );
}
