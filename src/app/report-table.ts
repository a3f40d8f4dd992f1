// `sro report`'s table: 120 columns, agencies and districts by name, long cells cut with an
// ellipsis (the widths are known before the first row is printed, from the whole table:
// TableStats gathers them one row at a time), codes in short words, the first line counting
// every status. Names come from the roster, so no control character passes through
// (escaped as \u009b).
import type { CivilDate } from '../domain/civil-date.ts';
import { byUrgency } from '../domain/report.ts';
import type { AlertKind } from '../domain/alert-types.ts';
import type { OfficerIssue, OfficerStatusCode, OverdueReason } from '../domain/types.ts';
import { civilDateFormatter } from '../shell/clock.ts';
import { displayWidth, escapeControls, fitCell } from '../shell/terminal-text.ts';
import {
  DEFAULT_TIME_ZONE,
  type OfficerReportWithDelivery,
  type ReportLine,
  type ReportNames,
  type ReportView,
  namesOf,
} from './status-report.ts';

const TABLE_WIDTH = 120;
const GAP = '  ';

// Short words for the codes (the table only; the CSV and --json carry the codes).
const REASON_WORDS: Record<OverdueReason, string> = {
  LEGACY_DEADLINE_MISSED: 'legacy deadline',
  GRACE_PERIOD_EXPIRED: 'grace expired',
  NO_TRAINING_BEFORE_DUTIES: 'no training',
  SUBSTITUTE_LIMIT_REACHED: '60-day limit',
  PRE_MANDATE_UNTRAINED: 'pre-mandate',
};
const ISSUE_WORDS: Record<OfficerIssue, string> = {
  CERTIFICATE_MISSING: 'no cert',
  POLICY_REVIEW_MISSING: 'no review',
  NO_CONTACT_ON_FILE: 'no contact',
  ADDRESS_UNDELIVERABLE: 'bounced',
};
const ALERT_WORDS: Record<AlertKind, string> = {
  DEADLINE_REMINDER: 'reminder',
  DEADLINE_MISSED: 'missed',
  SUBSTITUTE_NEARING_LIMIT: 'nearing 60',
  CERTIFICATE_MISSING: 'no cert',
  POLICY_REVIEW_MISSING: 'no review',
  RESOLVED: 'resolved',
  WEEKLY_DIGEST: 'digest',
  TRAINING_SUBMITTED: 'submitted',
  TRAINING_REJECTED: 'not confirmed',
};

/** The short words of the table, for `sro report --help`. */
export const TABLE_WORDS = { reasons: REASON_WORDS, issues: ISSUE_WORDS, alerts: ALERT_WORDS };

/** What the cells are made of beyond the line: the names, and the civil day of an instant in TZ. */
interface CellContext {
  names: ReportNames;
  dayOf: (instant: string) => string;
}

function cellContext(view: ReportView): CellContext {
  const civilDay = civilDateFormatter(view.timeZone);
  return { names: view.names, dayOf: (instant) => civilDay(new Date(instant)) };
}

function notes(o: OfficerReportWithDelivery): string {
  const parts: string[] = [];
  if (o.reason) parts.push(REASON_WORDS[o.reason] ?? o.reason);
  if (o.contactDays)
    parts.push(`served ${o.contactDays}${o.projected60thDay ? ` (60th ${o.projected60thDay.slice(5)})` : ''}`);
  for (const i of o.issues) parts.push(ISSUE_WORDS[i] ?? i);
  if (o.completedLate) parts.push('late');
  return parts.join(', ');
}

interface TableColumn {
  title: string;
  cell: (l: ReportLine, c: CellContext) => string;
  /**
   * Elastic: narrowed with '…' when the table would be wider than TABLE_WIDTH. The widest
   * elastic column gives first, but none below `keep` while another is above its own, and
   * none below `min` while another is above its own.
   */
  fit?: { keep: number; min: number };
}

// STATUS, DUE and DAYS are printed as one block (deadlineBlock): a status without a due
// date (EXEMPT_SUBSTITUTE, COMPLIANT, INACTIVE) runs on into the empty DUE and DAYS cells.
const DEADLINE = 4;
const TABLE_COLUMNS: TableColumn[] = [
  { title: 'LICENSE', cell: (l) => l.officer.license, fit: { keep: 16, min: 12 } },
  { title: 'NAME', cell: (l) => l.officer.name, fit: { keep: 20, min: 10 } },
  {
    title: 'AGENCY',
    cell: (l, c) => c.names.agencies.get(l.officer.agencyId) ?? l.officer.agencyId,
    fit: { keep: 10, min: 10 },
  },
  {
    title: 'DISTRICT',
    cell: (l, c) => namesOf(l.districtIds, c.names.districts).join(', '),
    fit: { keep: 10, min: 10 },
  },
  { title: 'STATUS  DUE  DAYS', cell: () => '' },
  { title: 'NOTES', cell: (l) => notes(l.officer), fit: { keep: 8, min: 8 } },
  {
    title: 'LAST ALERT SENT',
    cell: (l, c) =>
      l.officer.lastAlert
        ? `${ALERT_WORDS[l.officer.lastAlert.kind] ?? l.officer.lastAlert.kind} ${c.dayOf(l.officer.lastAlert.sentAt)}`
        : '',
  },
];

const tableCells = (l: ReportLine, c: CellContext): string[] =>
  TABLE_COLUMNS.map((col) => escapeControls(col.cell(l, c)));

/** The column widths: each column's widest cell, the elastic ones narrowed (widest first) until a line fits `total`. */
function fitWidths(natural: readonly number[], total: number): number[] {
  const widths = [...natural];
  let excess = widths.reduce((a, b) => a + b, 0) + GAP.length * (widths.length - 1) - total;
  const floors: ((fit: { keep: number; min: number }) => number)[] = [(f) => f.keep, (f) => f.min, () => 2];
  for (const floorOf of floors) {
    while (excess > 0) {
      let at = -1;
      for (let i = 0; i < widths.length; i++) {
        const fit = TABLE_COLUMNS[i]!.fit;
        if (!fit || widths[i]! <= Math.min(natural[i]!, floorOf(fit))) continue;
        if (at === -1 || widths[i]! >= widths[at]!) at = i;
      }
      if (at === -1) break;
      widths[at]! -= 1;
      excess -= 1;
    }
  }
  return widths;
}

/** `text` wrapped at ", " to lines of at most `width` columns, the continuation lines indented. */
function wrapList(text: string, width: number): string {
  if (displayWidth(text) <= width) return text;
  const lines: string[] = [];
  let line = '';
  for (const part of text.split(/(?<=, )/)) {
    if (line && displayWidth(line + part.trimEnd()) > width) {
      lines.push(line.trimEnd());
      line = `  ${part}`;
    } else line += part;
  }
  lines.push(line.trimEnd());
  return lines.map((l) => (displayWidth(l) > width ? fitCell(l, width).trimEnd() : l)).join('\n');
}

/**
 * What the table's first lines need from the whole table, gathered one row at a time: the
 * widest cell of each column, and how many officers of each status (listed in the order
 * each status first appears in the table, i.e. by its most urgent officer).
 */
export class TableStats {
  readonly natural = TABLE_COLUMNS.map((c) => c.title.length);
  readonly counts = new Map<OfficerStatusCode, { n: number; first: OfficerReportWithDelivery }>();
  total = 0;
  // The deadline block: the widest status with a due date, due date and days; the widest status without.
  private readonly deadline = { status: 'STATUS'.length, due: 'DUE'.length, days: 'DAYS'.length, alone: 0 };
  private widths: number[] | null = null;
  private readonly cells: CellContext;

  constructor(private readonly view: ReportView) {
    this.cells = cellContext(view);
  }

  add(l: ReportLine): void {
    this.total++;
    const cells = tableCells(l, this.cells);
    for (let i = 0; i < cells.length; i++) {
      const w = displayWidth(cells[i]!);
      if (w > this.natural[i]!) this.natural[i] = w;
    }
    const r = l.officer;
    const d = this.deadline;
    if (r.dueDate === null) d.alone = Math.max(d.alone, r.status.length);
    else {
      d.status = Math.max(d.status, r.status.length);
      d.due = Math.max(d.due, r.dueDate.length);
      d.days = Math.max(d.days, String(r.daysRemaining ?? '').length);
    }
    const c = this.counts.get(r.status);
    if (!c) this.counts.set(r.status, { n: 1, first: r });
    else {
      c.n++;
      if (byUrgency(r, c.first) < 0) c.first = r;
    }
  }

  /** STATUS, DUE and DAYS (right-aligned) in their block; a status alone may use the whole block. */
  private deadlineBlock(status: string, due: string, days: string): string {
    const d = this.deadline;
    if (!due && !days) return status;
    return `${status.padEnd(d.status)}${GAP}${due.padEnd(d.due)}${GAP}${days.padStart(d.days)}`;
  }

  private line(values: readonly string[]): string {
    if (!this.widths) {
      const d = this.deadline;
      this.natural[DEADLINE] = Math.max(d.status + GAP.length + d.due + GAP.length + d.days, d.alone);
      this.widths = fitWidths(this.natural, TABLE_WIDTH);
    }
    const widths = this.widths;
    return values
      .map((v, i) => fitCell(v, widths[i]!))
      .join(GAP)
      .trimEnd();
  }

  header(asOf: CivilDate): string {
    const summary = [...this.counts]
      .sort(([, a], [, b]) => byUrgency(a.first, b.first))
      .map(([s, c]) => `${c.n} ${s}`)
      .join(', ');
    const counts = wrapList(
      `Status as of ${asOf}: ${this.total} officers${summary ? ` (${summary})` : ''}`,
      TABLE_WIDTH,
    );
    const only = this.filterLine();
    const titles = TABLE_COLUMNS.map((c, i) =>
      i === DEADLINE ? this.deadlineBlock('STATUS', 'DUE', 'DAYS') : c.title,
    );
    return `${counts}\n${only ? `${only}\n` : ''}\n${this.line(titles)}\n`;
  }

  /** "Only agency MN0240100 (Albert Lea Police Department); status OVERDUE" for --agency, --district, --status. */
  private filterLine(): string {
    const parts: string[] = [];
    const { filter, names } = this.view;
    const named = (ids: readonly string[], of: ReadonlyMap<string, string>) =>
      [...new Set(ids)].map((id) => `${id} (${of.get(id) ?? '?'})`).join(', ');
    if (filter.agencies?.length) parts.push(`agency ${named(filter.agencies, names.agencies)}`);
    if (filter.districts?.length) parts.push(`district ${named(filter.districts, names.districts)}`);
    if (filter.statuses?.length) parts.push(`status ${[...new Set(filter.statuses)].join(', ')}`);
    return parts.length ? fitCell(escapeControls(`Only ${parts.join('; ')}`), TABLE_WIDTH).trimEnd() : '';
  }

  row(l: ReportLine): string {
    const cells = tableCells(l, this.cells);
    const r = l.officer;
    cells[DEADLINE] = this.deadlineBlock(
      r.status,
      r.dueDate ?? '',
      r.daysRemaining === null ? '' : String(r.daysRemaining),
    );
    return `${this.line(cells)}\n`;
  }
}

const NO_NAMES: ReportNames = { agencies: new Map(), districts: new Map() };

/** The whole table as one string (lines already sorted): for callers holding the lines in memory. */
export function formatReportTable(
  lines: readonly ReportLine[],
  asOf: CivilDate,
  view: Partial<ReportView> = {},
): string {
  const stats = new TableStats({
    names: view.names ?? NO_NAMES,
    filter: view.filter ?? {},
    timeZone: view.timeZone ?? DEFAULT_TIME_ZONE,
  });
  for (const l of lines) stats.add(l);
  let out = stats.header(asOf);
  for (const l of lines) out += stats.row(l);
  return out;
}
