// `sro report`: evaluates every officer as of D, reading the database in batches, and writes
// the table, the CSV or the JSON document in bounded memory, however many officers there are.
//
// The table is sorted by urgency over the whole roster, and its first line counts every
// status, so nothing can be printed before the last officer is read. The rows are sorted
// the way a database sorts what does not fit in memory: runs of `runSize` rows are sorted
// and spilled to a private temporary directory as NDJSON, then merged (at most `fanIn`
// files open at once, in several passes if need be). Memory holds one batch of officers
// and one run; the disk holds the rows as compact JSON (about 2/3 of the --json output).
// A roster that fits in one run never touches the disk. Everything the database is asked
// for is read (from one snapshot) before the first byte is written, so a database failure
// leaves nothing on stdout.
//
// The table fits 120 columns: agencies and districts by name, long cells cut with an
// ellipsis (the widths are known before the first row is printed, from the whole table),
// codes in short words. The CSV has every field, uncut, ids beside names. Names come from
// the roster, so neither output passes a control character through (escaped as \u009b),
// and no CSV cell can start a spreadsheet formula.
import { randomBytes } from 'node:crypto';
import { type FileHandle, mkdtemp, open, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type pg from 'pg';
import type { CivilDate } from '../domain/civil-date.ts';
import { activeDistrictIds, hasNoContactOnFile } from '../domain/recipients.ts';
import { type OfficerReport, byUrgency, officerReport } from '../domain/report.ts';
import { officerEvaluator } from '../domain/status.ts';
import type { AlertKind } from '../domain/alert-types.ts';
import type { OfficerIssue, OfficerStatusCode, OverdueReason, RulesConfig } from '../domain/types.ts';
import { type Directory, readDirectory, readOfficerBatches } from '../db/officer-reader.ts';
import { type Queryable, openSnapshot } from '../db/snapshot.ts';
import { type LastAlert, readLastAlerts } from '../db/ledger.ts';
import { escapeCharacter, quote } from '../shell/quote.ts';
import { civilDateFormatter, endOfCivilDay } from '../shell/clock.ts';

/** Which officers a report shows: each filter given must match; a filter's values are alternatives. */
export interface ReportFilter {
  /** Only these officers (`--officer`). */
  licenses?: readonly string[] | null;
  /** Only the officers of these agencies (`--agency`). */
  agencies?: readonly string[] | null;
  /** Only the officers with an assignment active on the as-of day in one of these districts (`--district`). */
  districts?: readonly string[] | null;
  /** Only the officers with one of these statuses (`--status`). */
  statuses?: readonly OfficerStatusCode[] | null;
}

/** An `--agency` or `--district` id the roster does not have: nothing was printed. */
export class UnknownFilterIdError extends Error {
  constructor(
    readonly ids: readonly string[],
    message: string,
  ) {
    super(message);
    this.name = 'UnknownFilterIdError';
  }
}

/** A report row and what the table and the CSV show beside it. */
export interface ReportLine {
  /** Exactly the officer of `report --json`. */
  officer: OfficerReportWithDelivery;
  /** The districts of the officer's assignments active on the as-of day, sorted. */
  districtIds: string[];
}

const byLineUrgency = (a: ReportLine, b: ReportLine) => byUrgency(a.officer, b.officer);

/** TZ's default (INTERFACE.md), for callers that give no time zone. */
const DEFAULT_TIME_ZONE = 'America/Chicago';

/** Agency and district names by id (from the directory), for the table and the CSV. */
export interface ReportNames {
  agencies: ReadonlyMap<string, string>;
  districts: ReadonlyMap<string, string>;
}

const NO_NAMES: ReportNames = { agencies: new Map(), districts: new Map() };

export function reportNames(directory: Directory): ReportNames {
  return {
    agencies: new Map([...directory.agencies].map(([id, a]) => [id, a.name])),
    districts: new Map([...directory.districts].map(([id, d]) => [id, d.name])),
  };
}

/** Throws UnknownFilterIdError naming every --agency and --district id the directory does not have. */
function checkFilter(filter: ReportFilter, directory: Directory): void {
  const problems: string[] = [];
  const unknown: string[] = [];
  const check = (
    option: 'agency' | 'district',
    ids: readonly string[] | null | undefined,
    known: ReadonlyMap<string, unknown>,
    other: ReadonlyMap<string, unknown>,
  ) => {
    const missing = [...new Set(ids ?? [])].filter((id) => !known.has(id));
    if (missing.length === 0) return;
    unknown.push(...missing);
    const hints = missing.map((id) => {
      const sameLetters = [...known.keys()].find((k) => k.toLowerCase() === id.toLowerCase());
      if (sameLetters !== undefined) return `${quote(id)} (did you mean ${quote(sameLetters)}?)`;
      if (other.has(id))
        return `${quote(id)} (${option === 'agency' ? 'a district: use --district' : 'an agency: use --agency'})`;
      return quote(id);
    });
    const all = [...known.keys()].sort();
    const list =
      all.length === 0
        ? 'the roster has none'
        : `known: ${all
            .slice(0, 20)
            .map((id) => quote(id))
            .join(', ')}${all.length > 20 ? `, and ${all.length - 20} more` : ''}`;
    problems.push(`--${option}: no ${option} ${hints.join(', ')} in the roster (${list})`);
  };
  check('agency', filter.agencies, directory.agencies, directory.districts);
  check('district', filter.districts, directory.districts, directory.agencies);
  if (problems.length) throw new UnknownFilterIdError(unknown, problems.join('; '));
}

/** The report lines of each batch of officers that pass the filter, in license order (unsorted across batches). */
export async function* reportBatches(
  source: Queryable,
  directory: Directory,
  asOf: CivilDate,
  rules: RulesConfig,
  filter: ReportFilter,
): AsyncGenerator<ReportLine[]> {
  const evaluate = officerEvaluator(asOf, rules);
  const agencies = filter.agencies?.length ? new Set(filter.agencies) : null;
  const districts = filter.districts?.length ? new Set(filter.districts) : null;
  const statuses = filter.statuses?.length ? new Set(filter.statuses) : null;
  for await (const batch of readOfficerBatches(source, { licenses: filter.licenses ?? null })) {
    const out: ReportLine[] = [];
    for (const facts of batch) {
      if (agencies && !agencies.has(facts.agencyId)) continue;
      const districtIds = activeDistrictIds(facts, asOf);
      if (districts && !districtIds.some((d) => districts.has(d))) continue;
      const status = evaluate(facts);
      if (statuses && !statuses.has(status.status)) continue;
      const noContact =
        status.status !== 'INACTIVE' &&
        hasNoContactOnFile(facts, asOf, directory.agencies.get(facts.agencyId), directory.districts);
      out.push({ officer: { ...officerReport(facts, status, noContact), lastAlert: null }, districtIds });
    }
    if (out.length) yield out;
  }
}

/** Every officer's report, sorted by urgency, in memory (tests, small rosters; `sro report` streams with writeReport). */
export async function buildReport(
  pool: pg.Pool,
  asOf: CivilDate,
  rules: RulesConfig,
  licenses: readonly string[] | null = null,
): Promise<OfficerReport[]> {
  const directory = await readDirectory(pool);
  const out: OfficerReport[] = [];
  for await (const batch of reportBatches(pool, directory, asOf, rules, { licenses })) {
    for (const { officer } of batch) {
      const { lastAlert: _none, ...report } = officer;
      out.push(report);
    }
  }
  return out.sort(byUrgency);
}

/** A report row with the delivery log's last word on the officer (null: nothing sent yet). */
export interface OfficerReportWithDelivery extends OfficerReport {
  lastAlert: LastAlert | null;
}

/**
 * Adds each officer's last alert sent: with `until`, the last one sent by the end of that
 * day in its time zone (what `sro report --as-of` shows); without, the last one whatever the date.
 */
export async function withLastAlerts(
  pool: pg.Pool,
  rows: readonly OfficerReport[],
  until: { asOf: CivilDate; timeZone: string } | null = null,
): Promise<OfficerReportWithDelivery[]> {
  const last = await readLastAlerts(
    pool,
    rows.map((r) => r.license),
    until ? endOfCivilDay(until.asOf, until.timeZone) : null,
  );
  return rows.map((r) => ({ ...r, lastAlert: last.get(r.license) ?? null }));
}

/** Sets each line's last alert: the last one sent before `sentBefore`. */
async function addLastAlerts(pool: pg.Pool, batch: readonly ReportLine[], sentBefore: Date): Promise<void> {
  const last = await readLastAlerts(
    pool,
    batch.map((l) => l.officer.license),
    sentBefore,
  );
  for (const l of batch) l.officer.lastAlert = last.get(l.officer.license) ?? null;
}

export interface ReportOptions {
  filter?: ReportFilter;
  /** The time zone whose end of the as-of day bounds LAST ALERT SENT (default America/Chicago, TZ's default). */
  timeZone?: string;
  /** The directory, when the caller holds a current one (the console caches it by directory_version). */
  directory?: Directory;
}

/** How the table and the CSV show the lines: the names, the filter (named in the table), the time zone of their days. */
export interface ReportView {
  names: ReportNames;
  filter: ReportFilter;
  timeZone: string;
}

/** What `sro report` prints, in memory: the lines by urgency and how to show them (tests, small rosters). */
export async function buildReportLines(
  pool: pg.Pool,
  asOf: CivilDate,
  rules: RulesConfig,
  options: ReportOptions = {},
): Promise<ReportView & { lines: ReportLine[] }> {
  const directory = options.directory ?? (await readDirectory(pool));
  const filter = options.filter ?? {};
  checkFilter(filter, directory);
  const lines: ReportLine[] = [];
  const sentBefore = endOfCivilDay(asOf, options.timeZone ?? DEFAULT_TIME_ZONE);
  for await (const batch of reportBatches(pool, directory, asOf, rules, filter)) {
    await addLastAlerts(pool, batch, sentBefore);
    for (const l of batch) lines.push(l);
  }
  return {
    lines: lines.sort(byLineUrgency),
    names: reportNames(directory),
    filter,
    timeZone: options.timeZone ?? DEFAULT_TIME_ZONE,
  };
}

// ---------------------------------------------------------------------------------------
// Text that reaches a terminal or a spreadsheet.

// Controls (C0, DEL, C1: ESC and CSI move the cursor or recolour a terminal), the line and
// paragraph separators, and the bidirectional marks, embeddings, overrides and isolates
// (they make a name display as another): the roster refuses them all (src/roster/schema.ts),
// but a name written to the database behind the import's back may still hold one.
const UNSAFE_CHARACTER = /[\p{Cc}\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/gu;

/** `text` with every control character written as its escape, `\u009b`. */
export function escapeControls(text: string): string {
  return text.replace(UNSAFE_CHARACTER, escapeCharacter);
}

const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;
const segmenter = new Intl.Segmenter('en', { granularity: 'grapheme' });
// East Asian Wide and Fullwidth blocks, and emoji shown as pictures: two terminal columns.
const WIDE =
  /^(?:[\u1100-\u115f\u231a\u231b\u2329\u232a\u23e9-\u23ec\u23f0\u23f3\u25fd\u25fe\u2614\u2615\u2648-\u2653\u267f\u2693\u26a1\u26aa\u26ab\u26bd\u26be\u26c4\u26c5\u26ce\u26d4\u26ea\u26f2\u26f3\u26f5\u26fa\u26fd\u2705\u270a\u270b\u2728\u274c\u274e\u2753-\u2755\u2757\u2795-\u2797\u27b0\u27bf\u2b1b\u2b1c\u2b50\u2b55\u2e80-\u303e\u3041-\u33ff\u3400-\u4dbf\u4e00-\u9fff\ua000-\ua4cf\ua960-\ua97f\uac00-\ud7a3\uf900-\ufaff\ufe10-\ufe19\ufe30-\ufe6f\uff00-\uff60\uffe0-\uffe6]|[\u{16fe0}-\u{18aff}\u{1b000}-\u{1b2ff}\u{1f004}\u{1f0cf}\u{1f18e}\u{1f191}-\u{1f19a}\u{1f200}-\u{1f64f}\u{1f680}-\u{1f6ff}\u{1f7e0}-\u{1f7eb}\u{1f90c}-\u{1f9ff}\u{1fa70}-\u{1faff}\u{20000}-\u{3fffd}])/u;

function graphemeWidth(g: string): number {
  if (WIDE.test(g) || g.includes('\ufe0f')) return 2;
  // A cluster of marks or format characters only (a lone combining accent, ZWJ): nothing of its own.
  return /^[\p{M}\p{Cf}]+$/u.test(g) ? 0 : 1;
}

/** How many terminal columns `text` takes (escaped text: no control characters). */
export function displayWidth(text: string): number {
  if (PRINTABLE_ASCII.test(text)) return text.length;
  let w = 0;
  for (const { segment } of segmenter.segment(text)) w += graphemeWidth(segment);
  return w;
}

/** `text` in exactly `width` columns: padded with spaces, or cut at a character boundary and ended with '…'. */
function fitCell(text: string, width: number): string {
  const w = displayWidth(text);
  if (w <= width) return text + ' '.repeat(width - w);
  if (width <= 0) return '';
  let out = '';
  let used = 0;
  if (PRINTABLE_ASCII.test(text)) {
    out = text.slice(0, width - 1);
    used = out.length;
  } else {
    for (const { segment } of segmenter.segment(text)) {
      const gw = graphemeWidth(segment);
      if (used + gw > width - 1) break;
      out += segment;
      used += gw;
    }
  }
  return `${out}…${' '.repeat(width - 1 - used)}`;
}

// ---------------------------------------------------------------------------------------
// The table: 120 columns.

/** The widest line the table prints. */
export const TABLE_WIDTH = 120;
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
};
const ALERT_WORDS: Record<AlertKind, string> = {
  DEADLINE_REMINDER: 'reminder',
  DEADLINE_MISSED: 'missed',
  SUBSTITUTE_NEARING_LIMIT: 'nearing 60',
  CERTIFICATE_MISSING: 'no cert',
  POLICY_REVIEW_MISSING: 'no review',
  RESOLVED: 'resolved',
  WEEKLY_DIGEST: 'digest',
};

/** The short words of the table, for `sro report --help`. */
export const TABLE_WORDS = { reasons: REASON_WORDS, issues: ISSUE_WORDS, alerts: ALERT_WORDS };

const namesOf = (ids: readonly string[], names: ReadonlyMap<string, string>) => ids.map((id) => names.get(id) ?? id);

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
class TableStats {
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

// ---------------------------------------------------------------------------------------
// CSV (RFC 4180): every field of --json, uncut, with the names beside the ids.

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
const CSV_HEADER = csvRecord(CSV_COLUMNS.map((c) => c.title));

function csvRow(l: ReportLine, names: ReportNames): string {
  // Numbers are the report's integers: "-5" is a number to a spreadsheet, not a formula.
  return csvRecord(
    CSV_COLUMNS.map((c) => {
      const v = c.cell(l, names);
      return v === null ? '' : typeof v === 'number' ? String(v) : csvTextField(v);
    }),
  );
}

export type ReportFormat = 'table' | 'json' | 'csv';

export interface WriteReportOptions extends ReportOptions {
  /** Only these officers (`--officer`); the same as filter.licenses. */
  licenses?: readonly string[] | null;
  /** Rows sorted in memory before a run is spilled to disk (default 10,000). */
  runSize?: number;
  /** Runs merged at once (default 64; more runs take several passes). */
  fanIn?: number;
  /** Where the private spill directory is made (default os.tmpdir(), i.e. TMPDIR). */
  tmpDir?: string;
  /** Stops between batches and between output chunks (SIGINT): the spill files are removed. */
  signal?: AbortSignal;
}

/**
 * Writes `sro report` (the table; with format 'json' exactly the bytes of
 * `JSON.stringify({ asOf, officers }, null, 2)` and a newline; with 'csv' a header record and
 * one record per officer) through `out`, in chunks of about 64 KiB; `out` may return a
 * promise to hold the next chunk back (a slow reader). An `--agency` or `--district` id the
 * roster does not have throws UnknownFilterIdError before anything is written.
 */
export async function writeReport(
  pool: pg.Pool,
  asOf: CivilDate,
  rules: RulesConfig,
  format: ReportFormat,
  out: (chunk: string) => void | Promise<void>,
  options: WriteReportOptions = {},
): Promise<{ officers: number }> {
  const filter: ReportFilter = { ...options.filter, licenses: options.licenses ?? options.filter?.licenses ?? null };
  const sentBefore = endOfCivilDay(asOf, options.timeZone ?? DEFAULT_TIME_ZONE);
  const sorter = new ExternalSort<ReportLine>(
    byLineUrgency,
    options.runSize ?? 10_000,
    options.fanIn ?? 64,
    options.tmpDir ?? tmpdir(),
  );
  try {
    let stats: TableStats;
    let names: ReportNames;
    // The directory and every batch from one snapshot, as the scan reads them: an import
    // committing meanwhile is seen whole or not at all. The ledger is read outside it.
    const snapshot = await openSnapshot(pool);
    try {
      const directory = await readDirectory(snapshot);
      checkFilter(filter, directory);
      names = reportNames(directory);
      stats = new TableStats({ names, filter, timeZone: options.timeZone ?? DEFAULT_TIME_ZONE });
      for await (const batch of reportBatches(snapshot, directory, asOf, rules, filter)) {
        options.signal?.throwIfAborted();
        await addLastAlerts(pool, batch, sentBefore);
        for (const l of batch) {
          stats.add(l);
          await sorter.add(l);
        }
      }
    } finally {
      await snapshot.release();
    }
    const output = new ChunkedOutput(out, options.signal);
    if (format === 'table') {
      await output.write(stats.header(asOf));
      for await (const l of sorter.sorted()) await output.write(stats.row(l));
    } else if (format === 'csv') {
      await output.write(CSV_HEADER);
      for await (const l of sorter.sorted()) await output.write(csvRow(l, names));
    } else {
      // JSON.stringify(…, null, 2) of the document, one officer at a time: each officer is
      // its own stringify, indented two levels (a JSON string holds no raw newline).
      await output.write(`{\n  "asOf": ${JSON.stringify(asOf)},\n  "officers": [`);
      let first = true;
      for await (const l of sorter.sorted()) {
        await output.write(`${first ? '\n' : ',\n'}    ${JSON.stringify(l.officer, null, 2).replace(/\n/g, '\n    ')}`);
        first = false;
      }
      await output.write(first ? ']\n}\n' : '\n  ]\n}\n');
    }
    await output.flush();
    return { officers: stats.total };
  } finally {
    await sorter.dispose();
  }
}

/** Gathers small strings into writes of about 64 KiB, awaiting `out` for each. */
class ChunkedOutput {
  private parts: string[] = [];
  private size = 0;
  constructor(
    private readonly out: (chunk: string) => void | Promise<void>,
    private readonly signal: AbortSignal | undefined,
  ) {}

  async write(text: string): Promise<void> {
    this.parts.push(text);
    this.size += text.length;
    if (this.size >= 65_536) await this.flush();
  }

  async flush(): Promise<void> {
    if (this.size === 0) return;
    this.signal?.throwIfAborted();
    const chunk = this.parts.join('');
    this.parts = [];
    this.size = 0;
    await this.out(chunk);
  }
}

/**
 * Sorts any number of items in bounded memory: `runSize` items at a time are sorted and
 * written to a file (one JSON value a line), and the files are merged `fanIn` at a time.
 * Items must survive JSON (plain data); `compare` must be a total order for a stable result.
 */
export class ExternalSort<T> {
  private buffer: T[] = [];
  private runs: string[] = [];
  private dir: string | null = null;
  private files = 0;

  constructor(
    private readonly compare: (a: T, b: T) => number,
    private readonly runSize: number,
    private readonly fanIn: number,
    private readonly tmpRoot: string,
  ) {
    if (!(runSize >= 1) || !(fanIn >= 2)) throw new RangeError('runSize must be at least 1 and fanIn at least 2');
  }

  async add(item: T): Promise<void> {
    this.buffer.push(item);
    if (this.buffer.length >= this.runSize) await this.spill();
  }

  /** How many files were written (spilled runs and merge passes): 0 when everything fit in memory. */
  get filesWritten(): number {
    return this.files;
  }

  /** The items in order. Call once, after the last add. */
  async *sorted(): AsyncGenerator<T> {
    if (this.runs.length === 0) {
      const items = this.buffer.sort(this.compare);
      this.buffer = [];
      yield* items;
      return;
    }
    if (this.buffer.length) await this.spill();
    while (this.runs.length > this.fanIn) {
      const next: string[] = [];
      for (let i = 0; i < this.runs.length; i += this.fanIn) {
        const group = this.runs.slice(i, i + this.fanIn);
        if (group.length === 1) {
          next.push(group[0] as string);
          continue;
        }
        const writer = await this.newRun();
        for await (const item of this.merge(group)) await writer.write(`${JSON.stringify(item)}\n`);
        await writer.close();
        next.push(writer.path);
        for (const path of group) await rm(path, { force: true });
      }
      this.runs = next;
    }
    yield* this.merge(this.runs);
  }

  async dispose(): Promise<void> {
    this.buffer = [];
    if (this.dir) await rm(this.dir, { recursive: true, force: true });
    this.dir = null;
  }

  private async spill(): Promise<void> {
    this.buffer.sort(this.compare);
    const writer = await this.newRun();
    for (const item of this.buffer) await writer.write(`${JSON.stringify(item)}\n`);
    await writer.close();
    this.runs.push(writer.path);
    this.buffer = [];
  }

  private async newRun(): Promise<RunWriter> {
    // mkdtemp makes the directory 0700: the rows name officers; no other user reads them.
    this.dir ??= await mkdtemp(join(this.tmpRoot, 'sro-report-'));
    const path = join(this.dir, `run-${this.files++}-${randomBytes(4).toString('hex')}.ndjson`);
    return new RunWriter(path, await open(path, 'wx', 0o600));
  }

  /** A k-way merge of sorted run files through a binary heap of their current items. */
  private async *merge(paths: readonly string[]): AsyncGenerator<T> {
    const readers = paths.map((p) => new LineReader(p));
    try {
      const heap: { item: T; reader: LineReader }[] = [];
      const less = (i: number, j: number) => this.compare(heap[i]!.item, heap[j]!.item) < 0;
      const swap = (i: number, j: number) => {
        const t = heap[i]!;
        heap[i] = heap[j]!;
        heap[j] = t;
      };
      const down = (start: number) => {
        for (let i = start; ;) {
          const l = 2 * i + 1;
          const r = l + 1;
          let m = i;
          if (l < heap.length && less(l, m)) m = l;
          if (r < heap.length && less(r, m)) m = r;
          if (m === i) return;
          swap(i, m);
          i = m;
        }
      };
      for (const reader of readers) {
        const line = await reader.next();
        if (line !== null) heap.push({ item: JSON.parse(line) as T, reader });
      }
      for (let i = (heap.length >> 1) - 1; i >= 0; i--) down(i);
      while (heap.length) {
        const top = heap[0]!;
        yield top.item;
        const line = await top.reader.next();
        if (line !== null) top.item = JSON.parse(line) as T;
        else {
          const last = heap.pop()!;
          if (heap.length) heap[0] = last;
        }
        down(0);
      }
    } finally {
      for (const r of readers) await r.close();
    }
  }
}

/** Appends to a run file in writes of about 64 KiB. */
class RunWriter {
  private parts: string[] = [];
  private size = 0;
  constructor(
    readonly path: string,
    private readonly file: FileHandle,
  ) {}

  async write(text: string): Promise<void> {
    this.parts.push(text);
    this.size += text.length;
    if (this.size >= 65_536) await this.flush();
  }

  private async flush(): Promise<void> {
    if (this.size === 0) return;
    const chunk = this.parts.join('');
    this.parts = [];
    this.size = 0;
    await this.file.write(chunk);
  }

  async close(): Promise<void> {
    try {
      await this.flush();
    } finally {
      await this.file.close();
    }
  }
}

/** Reads a file line by line ('\n' never occurs inside a UTF-8 sequence, nor in JSON text). */
class LineReader {
  private file: Promise<FileHandle> | null;
  private lines: string[] = [];
  private at = 0;
  private rest: Buffer = Buffer.alloc(0);
  private done = false;
  private readonly chunk = Buffer.allocUnsafe(65_536);

  constructor(path: string) {
    this.file = open(path, 'r');
    this.file.catch(() => undefined);
  }

  async next(): Promise<string | null> {
    while (this.at >= this.lines.length) {
      if (this.done) return null;
      await this.fill();
    }
    return this.lines[this.at++] as string;
  }

  private async fill(): Promise<void> {
    const { bytesRead } = await (await this.file!).read(this.chunk, 0, this.chunk.length, null);
    this.lines = [];
    this.at = 0;
    if (bytesRead === 0) {
      this.done = true;
      if (this.rest.length) this.lines.push(this.rest.toString('utf8'));
      this.rest = Buffer.alloc(0);
      return;
    }
    const data = this.rest.length
      ? Buffer.concat([this.rest, this.chunk.subarray(0, bytesRead)])
      : this.chunk.subarray(0, bytesRead);
    let start = 0;
    for (let nl = data.indexOf(10, start); nl !== -1; nl = data.indexOf(10, start)) {
      this.lines.push(data.toString('utf8', start, nl));
      start = nl + 1;
    }
    // Copied: `chunk` is reused by the next read.
    this.rest = Buffer.from(data.subarray(start));
  }

  async close(): Promise<void> {
    const file = this.file;
    this.file = null;
    if (file) await (await file.catch(() => null))?.close();
  }
}
