// `sro report`'s rows and the console's lists: every officer the filter passes, evaluated as
// of D and read from the database in batches, with the delivery log's last word on each.
// How the rows are shown lives beside this: the table (report-table.ts), the CSV
// (report-csv.ts), and the streamed writer that sorts any number of them (report-writer.ts).
import type pg from 'pg';
import type { CivilDate } from '../domain/civil-date.ts';
import { activeDistrictIds, hasNoContactOnFile, undeliverableContacts } from '../domain/recipients.ts';
import { type OfficerReport, byUrgency, officerReport } from '../domain/report.ts';
import { officerEvaluator } from '../domain/status.ts';
import type { DeadlineBasis, OfficerStatusCode, RulesConfig, TrainingFact } from '../domain/types.ts';
import { type Directory, readDirectory, readOfficerBatches } from '../db/officer-reader.ts';
import type { Queryable } from '../db/snapshot.ts';
import { type LastAlert, readLastAlerts } from '../db/ledger.ts';
import { quote } from '../shell/quote.ts';
import { endOfCivilDay } from '../shell/clock.ts';

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
  /** What the compliance report shows beside the status (reportBatches with `evidence`). */
  evidence?: LineEvidence;
}

/** The facts behind a status, for the compliance report (INTERFACE.md "Reports for the board and the auditor"). */
export interface LineEvidence {
  /** The provision behind the due date (RULES.md 2), null without one. */
  basis: DeadlineBasis | null;
  /** The training that satisfies the rule (the most recent qualifying one), or null. */
  training: TrainingFact | null;
  /** The latest review of the officer's agency's SRO policy, or null. */
  latestPolicyReview: CivilDate | null;
  /** A substitute: an active SUBSTITUTE assignment on the as-of day, or contact days served. */
  substitute: boolean;
}

/** Most urgent first (the table's order, and the CSV's and --json's). */
export const byLineUrgency = (a: ReportLine, b: ReportLine) => byUrgency(a.officer, b.officer);

/** TZ's default (INTERFACE.md), for callers that give no time zone. */
export const DEFAULT_TIME_ZONE = 'America/Chicago';

/** Agency and district names by id (from the directory), for the table and the CSV. */
export interface ReportNames {
  agencies: ReadonlyMap<string, string>;
  districts: ReadonlyMap<string, string>;
}

/** The names of `ids` (an id without one stands for itself). */
export const namesOf = (ids: readonly string[], names: ReadonlyMap<string, string>) =>
  ids.map((id) => names.get(id) ?? id);

export function reportNames(directory: Directory): ReportNames {
  return {
    agencies: new Map([...directory.agencies].map(([id, a]) => [id, a.name])),
    districts: new Map([...directory.districts].map(([id, d]) => [id, d.name])),
  };
}

/** Throws UnknownFilterIdError naming every --agency and --district id the directory does not have. */
export function checkFilter(filter: ReportFilter, directory: Directory): void {
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
  evidence = false,
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
      const active = status.status !== 'INACTIVE';
      const agency = directory.agencies.get(facts.agencyId);
      const noContact = active && hasNoContactOnFile(facts, asOf, agency, directory.districts);
      const undeliverable = active && undeliverableContacts(facts, asOf, agency, directory.districts).length > 0;
      const line: ReportLine = {
        officer: { ...officerReport(facts, status, noContact, undeliverable), lastAlert: null },
        districtIds,
      };
      if (evidence) {
        let latest: CivilDate | null = null;
        for (const p of facts.policyReviews)
          if (p.agencyId === facts.agencyId && (latest === null || p.reviewedOn > latest)) latest = p.reviewedOn;
        const substitute =
          status.contactDays > 0 ||
          facts.assignments.some(
            (a) => a.role === 'SUBSTITUTE' && a.startDate <= asOf && (a.endDate === null || a.endDate >= asOf),
          );
        line.evidence = {
          basis: status.basis,
          training: status.qualifyingTraining,
          latestPolicyReview: latest,
          substitute,
        };
      }
      out.push(line);
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
export async function addLastAlerts(pool: pg.Pool, batch: readonly ReportLine[], sentBefore: Date): Promise<void> {
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
