// The compliance report's data (INTERFACE.md "Reports for the board and the auditor"): the rows
// of `sro report` for one scope (the same report function, filter and snapshot, so the same
// as-of date and data give the same rows), with what the board and the auditor read beside the
// status: the training that satisfies the rule with its course number and provider, the latest
// policy review, an open acknowledgement, and (for the evidence packet) the certificate files
// held. Rows are sorted by urgency through the report's external sort, in bounded memory.
import { tmpdir } from 'node:os';
import type pg from 'pg';
import type { CivilDate } from '../domain/civil-date.ts';
import { OFFICER_STATUSES } from '../domain/report.ts';
import type { OfficerStatusCode, RulesConfig } from '../domain/types.ts';
import { acknowledgementKey, readLatestAcknowledgements } from '../db/console-facts.ts';
import { readDirectory } from '../db/officer-reader.ts';
import { type HeldCertificate, courseKey, readCourseDetails, readHeldCertificates } from '../db/report-evidence.ts';
import { openSnapshot } from '../db/snapshot.ts';
import { endOfCivilDay } from '../shell/clock.ts';
import { ExternalSort } from '../shell/external-sort.ts';
import type { ReportScope } from './policy.ts';
import {
  type LineEvidence,
  type ReportFilter,
  type ReportLine,
  type ReportNames,
  addLastAlerts,
  byLineUrgency,
  checkFilter,
  reportBatches,
  reportNames,
} from './status-report.ts';

/** An open acknowledgement of the missed deadline the officer is overdue on (RULES.md 6). */
interface OpenAcknowledgement {
  acknowledgedOn: CivilDate;
  /** The roster's name of who acknowledged it, else their address. */
  by: string;
  plannedCompletionOn: CivilDate | null;
  note: string | null;
}

/** A row of the compliance report: `sro report`'s line and its evidence. */
export interface EvidenceLine extends ReportLine {
  evidence: LineEvidence & {
    courseNumber: string | null;
    provider: string | null;
    acknowledgement: OpenAcknowledgement | null;
  };
}

export interface ComplianceReport {
  scope: ReportScope;
  /** The agency's or district's name (null for everything). */
  scopeName: string | null;
  asOf: CivilDate;
  /** When it was made (the caller's clock). */
  generatedAt: Date;
  /** Who made it: the signed-in address, or the command line's user. */
  generatedBy: string;
  /** TZ: the time zone of `generatedAt` as shown. */
  timeZone: string;
  counts: Record<OfficerStatusCode, number>;
  total: number;
  names: ReportNames;
  /** The certificate files held for the officers in scope (with `certificates`), by license. */
  certificates: HeldCertificate[];
  /** The rows by urgency. Call once. */
  lines(): AsyncGenerator<EvidenceLine>;
  /** Removes the sort's spill files (after lines(), or instead of it). */
  dispose(): Promise<void>;
}

export interface ComplianceOptions {
  asOf: CivilDate;
  rules: RulesConfig;
  timeZone: string;
  scope: ReportScope;
  generatedBy: string;
  now: Date;
  /** Read the certificate files held (the evidence packet). */
  certificates?: boolean;
  /** Rows sorted in memory before a run is spilled (default 10,000). */
  runSize?: number;
  tmpDir?: string;
}

/** The report's filter for a scope: `--agency A`, `--district D`, or none. */
function scopeFilter(scope: ReportScope): ReportFilter {
  if ('agencyId' in scope) return { agencies: [scope.agencyId] };
  if ('districtId' in scope) return { districts: [scope.districtId] };
  return {};
}

/**
 * Reads the report of one scope from one snapshot, as `sro report` does. An agency or district
 * the roster does not have throws UnknownFilterIdError before anything is read.
 */
export async function readComplianceReport(pool: pg.Pool, o: ComplianceOptions): Promise<ComplianceReport> {
  const filter = scopeFilter(o.scope);
  const sentBefore = endOfCivilDay(o.asOf, o.timeZone);
  const sorter = new ExternalSort<EvidenceLine>(byLineUrgency, o.runSize ?? 10_000, 64, o.tmpDir ?? tmpdir());
  const counts = Object.fromEntries(OFFICER_STATUSES.map((s) => [s, 0])) as Record<OfficerStatusCode, number>;
  const certificates: HeldCertificate[] = [];
  let total = 0;
  let names: ReportNames;
  let scopeName: string | null = null;
  try {
    const snapshot = await openSnapshot(pool);
    try {
      const directory = await readDirectory(snapshot);
      checkFilter(filter, directory);
      names = reportNames(directory);
      if ('agencyId' in o.scope) scopeName = names.agencies.get(o.scope.agencyId) ?? null;
      if ('districtId' in o.scope) scopeName = names.districts.get(o.scope.districtId) ?? null;
      for await (const batch of reportBatches(snapshot, directory, o.asOf, o.rules, filter, true)) {
        const licenses = batch.map((l) => l.officer.license);
        const overdue = batch
          .filter((l) => l.officer.status === 'OVERDUE' && l.officer.dueDate !== null)
          .map((l) => ({ license: l.officer.license, dueDate: l.officer.dueDate! }));
        const [courses, acks, held] = await Promise.all([
          readCourseDetails(snapshot, licenses),
          readLatestAcknowledgements(snapshot as Pick<pg.PoolClient, 'query'>, overdue),
          o.certificates ? readHeldCertificates(snapshot, licenses) : Promise.resolve([]),
          addLastAlerts(pool, batch, sentBefore),
        ]);
        for (const c of held) certificates.push(c);
        for (const l of batch) {
          const e = l.evidence!;
          const t = e.training;
          const course = t ? courses.get(courseKey(l.officer.license, t.kind, t.completedOn)) : undefined;
          const ack = l.officer.dueDate
            ? acks.get(acknowledgementKey(l.officer.license, l.officer.dueDate))
            : undefined;
          const line: EvidenceLine = {
            ...l,
            evidence: {
              ...e,
              courseNumber: course?.courseNumber ?? null,
              provider: course?.provider ?? null,
              acknowledgement: ack
                ? {
                    acknowledgedOn: ack.acknowledgedOn,
                    by: ack.acknowledgedByName ?? ack.acknowledgedBy,
                    plannedCompletionOn: ack.plannedCompletionOn,
                    note: ack.note,
                  }
                : null,
            },
          };
          counts[l.officer.status] += 1;
          total += 1;
          await sorter.add(line);
        }
      }
    } finally {
      await snapshot.release();
    }
  } catch (e) {
    await sorter.dispose();
    throw e;
  }
  return {
    scope: o.scope,
    scopeName,
    asOf: o.asOf,
    generatedAt: o.now,
    generatedBy: o.generatedBy,
    timeZone: o.timeZone,
    counts,
    total,
    names: names!,
    certificates,
    lines: () => sorter.sorted(),
    dispose: () => sorter.dispose(),
  };
}
