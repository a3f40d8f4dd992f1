// Weekly digests (RULES.md 5): one e-mail per chief (their agency's officers) and per PRIMARY
// district contact (officers assigned there), keyed by the week, so a digest goes out once a week.
import type pg from 'pg';
import { type CivilDate, addDays, isoDayOfWeek } from '../domain/civil-date.ts';
import type { Recipient } from '../domain/alert-types.ts';
import { NO_CONTACT_RECIPIENT, ledgerKey } from '../domain/alerts.ts';
import {
  type MissingContact,
  type UndeliverableContact,
  missingContacts,
  undeliverableContacts,
} from '../domain/recipients.ts';
import { officerEvaluator, isActiveOn } from '../domain/status.ts';
import type { OfficerIssue, OfficerStatus, RulesConfig } from '../domain/types.ts';
import { type Directory, type OfficerRecord, readDirectory, readOfficerBatches } from '../db/officer-reader.ts';
import { type LedgerRowInput, insertLedgerRows, markRequeued, readPending } from '../db/ledger.ts';
import { type Queryable, openSnapshot } from '../db/snapshot.ts';
import { digestScopes, scopeLicenses } from '../db/digest-scopes.ts';
import type { WorkQueue } from './ports.ts';

export type DigestScopeKind = 'AGENCY' | 'DISTRICT';

export interface DigestTarget {
  scope: { kind: DigestScopeKind; id: string; name: string };
  recipient: Recipient | null;
  alertKey: string;
  key: string;
  /** Why nobody can receive it (NO_CONTACT_ON_FILE). */
  missing: string | null;
}

/** Monday of the ISO week containing D: digests are once per week. */
export function weekOf(d: CivilDate): CivilDate {
  return addDays(d, 1 - isoDayOfWeek(d));
}

function digestAlertKey(week: CivilDate, kind: DigestScopeKind, id: string): string {
  return `WEEKLY_DIGEST:${week}:${kind}:${id}`;
}

export function parseDigestAlertKey(alertKey: string): { week: CivilDate; kind: DigestScopeKind; id: string } | null {
  const m = /^WEEKLY_DIGEST:(\d{4}-\d{2}-\d{2}):(AGENCY|DISTRICT):(.+)$/.exec(alertKey);
  return m ? { week: m[1] as CivilDate, kind: m[2] as DigestScopeKind, id: m[3] as string } : null;
}

/** Every digest owed for the week of D: scopes with at least one officer (agency) or active assignment (district). */
export async function digestTargets(pool: Queryable, asOf: CivilDate, directory?: Directory): Promise<DigestTarget[]> {
  const dir = directory ?? (await readDirectory(pool));
  const week = weekOf(asOf);
  const { agencyIds, districtIds } = await digestScopes(pool, asOf);
  const targets: DigestTarget[] = [];
  for (const id of [...agencyIds].sort()) {
    const agency = dir.agencies.get(id);
    const alertKey = digestAlertKey(week, 'AGENCY', id);
    const scope = { kind: 'AGENCY' as const, id, name: agency?.name ?? id };
    if (agency?.chiefEmail) {
      targets.push({
        scope,
        alertKey,
        key: ledgerKey(alertKey, agency.chiefEmail),
        recipient: { email: agency.chiefEmail, name: agency.chiefName, role: 'CHIEF', districtId: null },
        missing: null,
      });
    } else {
      targets.push({
        scope,
        alertKey,
        key: ledgerKey(alertKey, NO_CONTACT_RECIPIENT),
        recipient: null,
        missing: `agency ${id} has no chief e-mail on file`,
      });
    }
  }
  for (const id of [...districtIds].sort()) {
    const district = dir.districts.get(id);
    const alertKey = digestAlertKey(week, 'DISTRICT', id);
    const scope = { kind: 'DISTRICT' as const, id, name: district?.name ?? id };
    const primary = (district?.contacts ?? []).filter((c) => c.role === 'PRIMARY');
    if (primary.length === 0)
      targets.push({
        scope,
        alertKey,
        key: ledgerKey(alertKey, NO_CONTACT_RECIPIENT),
        recipient: null,
        missing: `district ${id} has no PRIMARY contact on file`,
      });
    for (const c of primary) {
      targets.push({
        scope,
        alertKey,
        key: ledgerKey(alertKey, c.email),
        recipient: { email: c.email, name: c.name, role: 'DISTRICT_PRIMARY', districtId: id },
        missing: null,
      });
    }
  }
  return targets;
}

function digestLedgerRow(t: DigestTarget, asOf: CivilDate, runId: string | null = null): LedgerRowInput {
  return {
    key: t.key,
    alertKey: t.alertKey,
    kind: 'WEEKLY_DIGEST',
    license: null,
    recipient: t.recipient?.email ?? NO_CONTACT_RECIPIENT,
    dueDate: null,
    lead: null,
    level: null,
    threshold: null,
    schoolYear: null,
    asOf,
    status: t.recipient ? 'PENDING' : 'FAILED',
    lastError: t.missing ? `NO_CONTACT_ON_FILE: ${t.missing}` : null,
    runId,
  };
}

export interface DigestEntry {
  officer: { license: string; firstName: string; lastName: string };
  status: OfficerStatus;
  issues: OfficerIssue[];
  /** With NO_CONTACT_ON_FILE: whose address is missing. */
  missingContacts?: MissingContact[];
  /** RULES.md 12: the addresses its alerts go to that are marked undeliverable (the digest says so at its top). */
  undeliverableContacts?: UndeliverableContact[];
}

/** The officers a digest covers, evaluated as of D. */
export async function digestEntries(
  pool: pg.Pool,
  scope: { kind: DigestScopeKind; id: string },
  asOf: CivilDate,
  rules: RulesConfig,
  dir: Directory,
): Promise<DigestEntry[]> {
  const licenses = await scopeLicenses(pool, scope);
  const out: DigestEntry[] = [];
  if (licenses.length === 0) return out;
  const evaluate = officerEvaluator(asOf, rules);
  for await (const batch of readOfficerBatches(pool, { licenses })) {
    for (const facts of batch as OfficerRecord[]) {
      if (scope.kind === 'DISTRICT' && !facts.assignments.some((a) => a.districtId === scope.id && isActiveOn(a, asOf)))
        continue;
      const status = evaluate(facts);
      const issues = [...status.issues];
      // The same test as hasNoContactOnFile, keeping whose address is missing for the words.
      const active = status.status !== 'INACTIVE';
      const agency = dir.agencies.get(facts.agencyId);
      const missing = active ? missingContacts(facts, asOf, agency, dir.districts) : [];
      if (missing.length > 0) issues.push('NO_CONTACT_ON_FILE');
      // RULES.md 12: not an issue of the officer's (it would move every officer of a chief whose
      // address bounced into the "missing" group); the digest says it once at its top.
      const undeliverable = active ? undeliverableContacts(facts, asOf, agency, dir.districts) : [];
      out.push({
        officer: { license: facts.license, firstName: facts.firstName, lastName: facts.lastName },
        status,
        issues: issues.sort(),
        ...(missing.length > 0 ? { missingContacts: missing } : {}),
        ...(undeliverable.length > 0 ? { undeliverableContacts: undeliverable } : {}),
      });
    }
  }
  return out;
}

export interface DigestSummary {
  asOf: string;
  digests: number;
  noContact: number;
  enqueued: number;
}

/**
 * The week's digests as of D: a ledger row per target (FAILED with NO_CONTACT_ON_FILE when
 * nobody can receive it), then every digest still owed handed to the send queue, including
 * ones an earlier run wrote whose job Redis lost. `runId` is the run the rows are counted for.
 */
export async function enqueueWeeklyDigests(
  deps: { pool: pg.Pool; work: Pick<WorkQueue, 'sendAlerts'> },
  asOf: CivilDate,
  runId: string | null,
): Promise<DigestSummary> {
  // Directory and officers from one snapshot: an import committing meanwhile is seen whole or not at all.
  const snapshot = await openSnapshot(deps.pool, 1);
  let targets: DigestTarget[];
  try {
    targets = await digestTargets(snapshot, asOf);
  } finally {
    await snapshot.release();
  }
  await insertLedgerRows(
    deps.pool,
    targets.map((t) => digestLedgerRow(t, asOf, runId)),
  );
  const pending = await readPending(deps.pool, { digestsOnly: true, limit: 1_000_000 });
  if (runId !== null)
    await markRequeued(
      deps.pool,
      pending.map((p) => p.key),
      runId,
    );
  const enqueued = await deps.work.sendAlerts(pending.map((p) => ({ key: p.key, asOf, runId })));
  return {
    asOf,
    digests: targets.filter((t) => t.recipient).length,
    noContact: targets.filter((t) => !t.recipient).length,
    enqueued,
  };
}
