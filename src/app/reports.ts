// Making the compliance report and the evidence packet (INTERFACE.md "Reports for the board
// and the auditor"), for `sro report --format pdf`, `sro evidence` and the console's Reports
// page alike: the rows are read first (a scope the roster does not have fails here, before a
// byte is written), the report is recorded in the audit log (who, the scope, as of), then
// written. Who may ask for which scope is the policy's (policy.ts 'report.read').
import type { Writable } from 'node:stream';
import type pg from 'pg';
import type { CivilDate } from '../domain/civil-date.ts';
import type { RulesConfig } from '../domain/types.ts';
import { type AuditActor, appendAuditEvent } from '../db/audit.ts';
import { writeCompliancePdf } from './compliance-pdf.ts';
import { type ComplianceReport, readComplianceReport } from './compliance-report.ts';
import { type Manifest, writeEvidencePacket } from './evidence-packet.ts';
import type { ReportScope } from './policy.ts';

export interface ReportDeps {
  pool: pg.Pool;
  rules: RulesConfig;
  /** TZ: when the report was made is shown in it. */
  timeZone: string;
  tmpDir?: string;
}

export interface ReportRequest {
  scope: ReportScope;
  asOf: CivilDate;
  actor: AuditActor;
  /** The clock's reading: when the report is made. */
  now: Date;
}

export type ReportKind = 'pdf' | 'evidence';

export interface PreparedReport {
  /** The download's file name: `sro-compliance-MN0240100-2026-03-02.pdf`, `sro-evidence-….zip`. */
  fileName: string;
  officers: number;
  /** Writes the PDF or the ZIP into `out` (ended at the end); call once. */
  write(out: Writable): Promise<Manifest | null>;
  /** Drops what was read without writing (spill files). */
  discard(): Promise<void>;
}

function scopeSlug(scope: ReportScope): string {
  const id = 'agencyId' in scope ? scope.agencyId : 'districtId' in scope ? scope.districtId : 'all';
  return id.replace(/[^A-Za-z0-9_-]+/g, '_') || 'scope';
}

/** The audit event's scope: what a report covered, as the audit log lists it. */
const auditScope = (scope: ReportScope) =>
  'agencyId' in scope
    ? { agency: scope.agencyId }
    : 'districtId' in scope
      ? { district: scope.districtId }
      : { everything: true };

/**
 * Reads the report of `request.scope` as of its date and records it in the audit log; an
 * `UnknownFilterIdError` when the roster has no such agency or district.
 */
export async function prepareReport(
  deps: ReportDeps,
  kind: ReportKind,
  request: ReportRequest,
): Promise<PreparedReport> {
  const report: ComplianceReport = await readComplianceReport(deps.pool, {
    asOf: request.asOf,
    rules: deps.rules,
    timeZone: deps.timeZone,
    scope: request.scope,
    generatedBy: request.actor.email,
    now: request.now,
    certificates: kind === 'evidence',
    ...(deps.tmpDir ? { tmpDir: deps.tmpDir } : {}),
  });
  try {
    await appendAuditEvent(deps.pool, {
      actor: request.actor,
      action: kind === 'pdf' ? 'report.pdf' : 'report.evidence',
      license: null,
      agencyId: 'agencyId' in request.scope ? request.scope.agencyId : null,
      districtId: 'districtId' in request.scope ? request.scope.districtId : null,
      before: null,
      after: {
        scope: auditScope(request.scope),
        asOf: request.asOf,
        officers: report.total,
        ...(kind === 'evidence' ? { certificates: report.certificates.length } : {}),
      },
    });
  } catch (e) {
    await report.dispose();
    throw e;
  }
  const slug = `${scopeSlug(request.scope)}-${request.asOf}`;
  return {
    fileName: kind === 'pdf' ? `sro-compliance-${slug}.pdf` : `sro-evidence-${slug}.zip`,
    officers: report.total,
    async write(out) {
      try {
        if (kind === 'pdf') {
          await writeCompliancePdf(report, out);
          return null;
        }
        return await writeEvidencePacket(deps.pool, report, out, deps.tmpDir ? { tmpDir: deps.tmpDir } : {});
      } finally {
        await report.dispose();
      }
    },
    discard: () => report.dispose(),
  };
}
