// `sro report`: evaluates every officer as of D, reading the database in batches.
import type pg from 'pg';
import type { CivilDate } from './domain/civil-date.ts';
import { hasNoContactOnFile } from './domain/recipients.ts';
import { type OfficerReport, byUrgency, officerReport } from './domain/report.ts';
import { officerEvaluator } from './domain/status.ts';
import type { RulesConfig } from './domain/types.ts';
import { readDirectory, readOfficerBatches } from './db/officer-reader.ts';
import { type LastAlert, readLastAlerts } from './db/ledger.ts';

export async function buildReport(pool: pg.Pool, asOf: CivilDate, rules: RulesConfig, licenses: readonly string[] | null = null): Promise<OfficerReport[]> {
  const directory = await readDirectory(pool);
  const evaluate = officerEvaluator(asOf, rules);
  const out: OfficerReport[] = [];
  for await (const batch of readOfficerBatches(pool, { licenses })) {
    for (const facts of batch) {
      const status = evaluate(facts);
      const noContact = status.status !== 'INACTIVE' && hasNoContactOnFile(facts, asOf, directory.agencies.get(facts.agencyId), directory.districts);
      out.push(officerReport(facts, status, noContact));
    }
  }
  return out.sort(byUrgency);
}

/** A report row with the delivery log's last word on the officer (null: nothing sent yet). */
export interface OfficerReportWithDelivery extends OfficerReport {
  lastAlert: LastAlert | null;
}

/** Adds each officer's last alert sent (from the ledger, whatever the as-of date). */
export async function withLastAlerts(pool: pg.Pool, rows: readonly OfficerReport[]): Promise<OfficerReportWithDelivery[]> {
  const last = await readLastAlerts(pool, rows.map((r) => r.license));
  return rows.map((r) => ({ ...r, lastAlert: last.get(r.license) ?? null }));
}

const COLUMNS: { title: string; get: (r: OfficerReportWithDelivery) => string }[] = [
  { title: 'LICENSE', get: (r) => r.license },
  { title: 'NAME', get: (r) => r.name },
  { title: 'AGENCY', get: (r) => r.agencyId },
  { title: 'STATUS', get: (r) => r.status },
  { title: 'DUE', get: (r) => r.dueDate ?? '' },
  { title: 'DAYS', get: (r) => (r.daysRemaining === null ? '' : String(r.daysRemaining)) },
  { title: 'REASON', get: (r) => r.reason ?? '' },
  { title: 'CONTACT DAYS', get: (r) => (r.contactDays ? String(r.contactDays) + (r.projected60thDay ? ` (60th ${r.projected60thDay})` : '') : '') },
  { title: 'RESTRICTED', get: (r) => (r.restrictedDuties.length ? `cl. ${r.restrictedDuties.join(',')}` : '') },
  { title: 'ISSUES', get: (r) => [...r.issues, ...(r.completedLate ? ['COMPLETED_LATE'] : [])].join(',') },
  { title: 'LAST ALERT SENT', get: (r) => (r.lastAlert ? `${r.lastAlert.kind} ${r.lastAlert.sentAt.slice(0, 10)}` : '') },
];

/** A fixed-width table; control characters in names are shown as '?', so a roster cannot move the cursor. */
export function formatReportTable(rows: readonly OfficerReportWithDelivery[], asOf: CivilDate): string {
  const cells = rows.map((r) => COLUMNS.map((c) => c.get(r).replace(/[\u0000-\u001f\u007f]/g, '?')));
  const widths = COLUMNS.map((c, i) => Math.max(c.title.length, ...cells.map((row) => (row[i] as string).length)));
  const line = (values: string[]) => values.map((v, i) => v.padEnd(widths[i] as number)).join('  ').trimEnd();
  const counts = new Map<string, number>();
  for (const r of rows) counts.set(r.status, (counts.get(r.status) ?? 0) + 1);
  const summary = [...counts].map(([s, n]) => `${n} ${s}`).join(', ');
  return [`Status as of ${asOf}: ${rows.length} officers${summary ? ` (${summary})` : ''}`, '', line(COLUMNS.map((c) => c.title)), ...cells.map(line)].join('\n') + '\n';
}
