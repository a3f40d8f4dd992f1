// The e-mail a claimed ledger row becomes, built on the day of sending: the officer is
// re-evaluated as of the row's as-of date and the recipients resolved again, so a row that
// is no longer owed (RULES.md 5 "Never stale") is superseded with the reason instead.
import type pg from 'pg';
import type { CivilDate } from '../domain/civil-date.ts';
import type { Alert, Recipient, StandIn } from '../domain/alert-types.ts';
import { type AlertConfig, audienceFor, isStillDue } from '../domain/alerts.ts';
import { type AgencyInfo, resolveRecipients } from '../domain/recipients.ts';
import { evaluateOfficer } from '../domain/status.ts';
import type { RulesConfig } from '../domain/types.ts';
import type { Directory, OfficerRecord } from '../db/officer-reader.ts';
import type { LedgerRow } from '../db/ledger.ts';
import { readBounceOf, reasonOf } from '../db/bounces.ts';
import { type Acknowledgement, acknowledgementKey, readLatestAcknowledgements } from '../db/console-facts.ts';
import { renderAlert } from '../mail/render-alert.ts';
import { renderDigest } from '../mail/render-digest.ts';
import type { AcknowledgementNote } from '../mail/alerts/context.ts';
import type { OutgoingMail } from '../mail/transport.ts';
import { readDueDateMoves } from '../db/due-date-corrections.ts';
import type { DueDateCorrection } from '../mail/due-date-correction.ts';
import { correctionOf, recentDueDateCorrections } from './due-date-correction.ts';
import { digestEntries, parseDigestAlertKey } from './weekly-digest.ts';

export interface MailDeps {
  pool: pg.Pool;
  rules: RulesConfig;
  alerts: AlertConfig;
  mailFrom: string;
  /** Instant used in calendar stamps; the shell passes the clock. */
  now: () => Date;
  /** PUBLIC_URL: alert e-mails link to the officer's page, digests to each officer's; null or absent: no console links. */
  publicUrl?: string | null;
  /** TZ: the day a bounce came back, as an e-mail that stands in for it says, and the day a due date's correction was recorded (RULES.md 8); America/Chicago when absent. */
  timeZone?: string;
}

/** The message to send, or why the row is no longer owed. */
export type Built = { mail: OutgoingMail } | { supersede: string };

/** A calendar stamp (RFC 5545 DTSTAMP form, UTC): 20260302T140000Z. */
function icsStamp(d: Date): string {
  return d
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
}

export async function buildAlertMail(
  deps: MailDeps,
  row: LedgerRow,
  facts: OfficerRecord | null,
  asOf: CivilDate,
  dir: Directory,
): Promise<Built> {
  if (!facts) return { supersede: `officer ${row.license} is no longer on the roster` };
  const status = evaluateOfficer(facts, asOf, deps.rules);
  // RULES.md 8: a step of an obligation whose due date moved after it was planned is still
  // owed when it is due by the new date; it tells the new date, and says it was corrected.
  const moved =
    row.obligation != null && status.dueDate !== null && row.dueDate !== null && status.dueDate !== row.dueDate;
  const alert: Alert = {
    kind: row.kind as Alert['kind'],
    license: row.license as string,
    dueDate: moved ? status.dueDate : row.dueDate,
    obligation: (row.obligation ?? null) as Alert['obligation'],
    lead: row.lead,
    level: row.level,
    threshold: row.threshold,
    schoolYear: row.schoolYear,
    key: row.alertKey,
    recipients: [],
  };
  // RULES.md 5 "Never stale": no reminder for a met deadline, no escalation once not OVERDUE.
  if (!isStillDue(alert, status, deps.alerts))
    return { supersede: `no longer due as of ${asOf}: officer is ${status.status}` };
  const agency = dir.agencies.get(facts.agencyId);
  let recipient: Recipient | undefined;
  if (row.standsInFor) {
    // RULES.md 12: the bounced row's step, owed at once to the next people it names.
    recipient = await standInRecipient(deps, row, row.standsInFor, agency, dir);
    if (!recipient) return { supersede: `the bounced e-mail ${row.standsInFor} is no longer in the ledger` };
  } else if (alert.kind === 'RESOLVED') {
    recipient = { email: row.recipient, name: null, role: 'PREVIOUS_RECIPIENT', districtId: null };
  } else {
    // Recipients are resolved on the day of sending.
    const set = resolveRecipients(facts, asOf, agency, dir.districts, audienceFor(alert), deps.alerts.adminEmails);
    recipient = set.recipients.find((r) => r.email.toLowerCase() === row.recipient.toLowerCase());
    if (!recipient) return { supersede: `${row.recipient} is no longer a recipient for this officer as of ${asOf}` };
  }
  const districtIds = new Set(facts.assignments.map((a) => a.districtId));
  // RULES.md 6: later e-mails about a missed deadline show its latest acknowledgement.
  const acknowledgement =
    (alert.kind === 'DEADLINE_MISSED' || alert.kind === 'RESOLVED') && alert.dueDate
      ? await latestAcknowledgement(deps.pool, alert.license, alert.dueDate)
      : null;
  const dueDateCorrection = await correctionToTell(deps, row, alert, moved, dir);
  const rendered = renderAlert({
    alert: { ...alert, recipients: [recipient] },
    recipient,
    officer: { license: facts.license, firstName: facts.firstName, lastName: facts.lastName },
    agency: { id: facts.agencyId, name: agency?.name ?? facts.agencyId, chiefName: agency?.chiefName ?? null },
    districts: [...districtIds].sort().map((id) => {
      const d = dir.districts.get(id);
      return { id, name: d?.name ?? id, kind: d?.kind ?? 'DISTRICT' };
    }),
    status,
    asOf,
    ledgerKey: row.key,
    generatedAt: icsStamp(deps.now()),
    consoleUrl: deps.publicUrl ?? null,
    acknowledgement,
    dueDateCorrection,
  });
  return { mail: { from: deps.mailFrom, to: recipient.email, ...rendered } };
}

/**
 * RULES.md 8 "Say so": the correction this step tells, when it is the first about its
 * obligation since the due date moved (the planner's `corrected_from`), or the date moved
 * after it was planned; with the recorded change that moved it (the audit log). Else null.
 */
async function correctionToTell(
  deps: MailDeps,
  row: LedgerRow,
  alert: Alert,
  moved: boolean,
  dir: Directory,
): Promise<DueDateCorrection | null> {
  if (alert.kind !== 'DEADLINE_REMINDER' && alert.kind !== 'DEADLINE_MISSED') return null;
  const to = alert.dueDate;
  const from = moved ? (row.correctedFrom ?? row.dueDate) : (row.correctedFrom ?? null);
  if (!alert.obligation || to === null || from === null || from === to) return null;
  const moves = await readDueDateMoves(deps.pool, [
    { license: alert.license, obligation: alert.obligation, dueDate: to },
  ]);
  return correctionOf(
    { from, to, cause: moves.get(alert.license)?.cause ?? null },
    { timeZone: deps.timeZone ?? 'America/Chicago', districtName: (id) => dir.districts.get(id)?.name ?? id },
  );
}

/** The recipient of a row standing in for a bounced one: who they are, and whose bounce they receive. */
async function standInRecipient(
  deps: MailDeps,
  row: LedgerRow,
  bouncedKey: string,
  agency: AgencyInfo | undefined,
  dir: Directory,
): Promise<Recipient | undefined> {
  const bounce = await readBounceOf(deps.pool, bouncedKey, deps.timeZone ?? 'America/Chicago');
  if (!bounce) return undefined;
  const bounced = bounce.recipient.toLowerCase();
  const email = row.recipient.toLowerCase();
  let role: StandIn['role'] = 'OTHER';
  let districtId: string | null = null;
  if (agency?.chiefEmail?.toLowerCase() === bounced) role = 'CHIEF';
  for (const d of dir.districts.values()) {
    if (role === 'OTHER' && d.contacts.some((c) => c.role === 'PRIMARY' && c.email.toLowerCase() === bounced)) {
      role = 'DISTRICT_PRIMARY';
      districtId = d.id;
    }
  }
  const contact = districtId
    ? dir.districts.get(districtId)?.contacts.find((c) => c.email.toLowerCase() === email)
    : undefined;
  const who: Recipient['role'] = agency?.escalationEmails.some((e) => e.toLowerCase() === email)
    ? 'AGENCY_ESCALATION'
    : contact
      ? 'DISTRICT_ESCALATION'
      : 'ADMIN';
  return {
    email: row.recipient,
    name: contact?.name ?? null,
    role: who,
    districtId,
    standInFor: {
      email: bounce.recipient,
      role,
      since: bounce.on,
      reason: reasonOf(bounce.status, bounce.diagnostic),
      thisAlert: true,
    },
  };
}

const noteOf = (a: Acknowledgement): AcknowledgementNote => ({
  by: a.acknowledgedByName ?? a.acknowledgedBy,
  on: a.acknowledgedOn,
  note: a.note,
  plannedCompletionOn: a.plannedCompletionOn,
});

async function latestAcknowledgement(
  pool: pg.Pool,
  license: string,
  dueDate: CivilDate,
): Promise<AcknowledgementNote | null> {
  const found = await readLatestAcknowledgements(pool, [{ license, dueDate }]);
  const a = found.get(acknowledgementKey(license, dueDate));
  return a ? noteOf(a) : null;
}

export async function buildDigestMail(deps: MailDeps, row: LedgerRow, asOf: CivilDate, dir: Directory): Promise<Built> {
  const parsed = parseDigestAlertKey(row.alertKey);
  if (!parsed) return { supersede: `unreadable digest key ${row.alertKey}` };
  const name = parsed.kind === 'AGENCY' ? dir.agencies.get(parsed.id)?.name : dir.districts.get(parsed.id)?.name;
  if (name === undefined) return { supersede: `${parsed.kind.toLowerCase()} ${parsed.id} is no longer on the roster` };
  const entries = await digestEntries(deps.pool, parsed, asOf, deps.rules, dir);
  // RULES.md 6: a digest shows the latest acknowledgement of each missed deadline.
  const overdue = entries
    .filter((e) => e.status.status === 'OVERDUE' && e.status.dueDate !== null)
    .map((e) => ({ license: e.officer.license, dueDate: e.status.dueDate! }));
  const acks = await readLatestAcknowledgements(deps.pool, overdue);
  // RULES.md 8: each entry says so while its due date's correction is recent (30 days).
  const corrections = await recentDueDateCorrections(
    deps.pool,
    entries.map((e) => e.status),
    asOf,
    { timeZone: deps.timeZone ?? 'America/Chicago', districtName: (id) => dir.districts.get(id)?.name ?? id },
  );
  const officers = entries.map((e) => {
    const a = e.status.dueDate ? acks.get(acknowledgementKey(e.officer.license, e.status.dueDate)) : undefined;
    const c = corrections.get(e.officer.license);
    return { ...e, ...(a ? { acknowledgement: noteOf(a) } : {}), ...(c ? { dueDateCorrection: c } : {}) };
  });
  const recipient: Recipient = {
    email: row.recipient,
    name:
      parsed.kind === 'AGENCY'
        ? (dir.agencies.get(parsed.id)?.chiefName ?? null)
        : (dir.districts.get(parsed.id)?.contacts.find((c) => c.email === row.recipient)?.name ?? null),
    role: parsed.kind === 'AGENCY' ? 'CHIEF' : 'DISTRICT_PRIMARY',
    districtId: parsed.kind === 'DISTRICT' ? parsed.id : null,
  };
  const rendered = renderDigest({
    recipient,
    scope: { kind: parsed.kind, id: parsed.id, name },
    asOf,
    weekOf: parsed.week,
    ledgerKey: row.key,
    officers,
    consoleUrl: deps.publicUrl ?? null,
  });
  return { mail: { from: deps.mailFrom, to: recipient.email, ...rendered } };
}
