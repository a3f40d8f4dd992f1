// RULES.md 10: the e-mails about a submitted training, planned when it happens (the officer
// submits; the chief rejects) rather than by a scan, and sent through the same ledger and
// send jobs as every alert, so each is sent once: one ledger row per (submission, recipient).
// A row whose submission was answered before it went out is superseded (RULES.md 5 "Never
// stale": the chief is not asked to review what is already confirmed).
import type pg from 'pg';
import type { CivilDate } from '../domain/civil-date.ts';
import type { SubmissionAlertKind } from '../domain/alert-types.ts';
import { NO_CONTACT_RECIPIENT, ledgerKey } from '../domain/alerts.ts';
import type { Directory, OfficerRecord } from '../db/officer-reader.ts';
import { type LedgerRow, type LedgerRowInput, insertLedgerRows } from '../db/ledger.ts';
import { readSubmission } from '../db/training-submissions.ts';
import { renderSubmissionMail } from '../mail/render-submission.ts';
import { civilDateIn } from '../shell/clock.ts';
import type { Built, MailDeps } from './alert-mail.ts';

export const isSubmissionKind = (kind: string): kind is SubmissionAlertKind =>
  kind === 'TRAINING_SUBMITTED' || kind === 'TRAINING_REJECTED';

const alertKeyOf = (kind: SubmissionAlertKind, license: string, id: number) => `${kind}:${license}:submission=${id}`;

/**
 * Writes the ledger row of one submission e-mail in the caller's transaction: PENDING to
 * `recipient`, or NO_CONTACT_ON_FILE (FAILED, with why) when there is no address. Returns the
 * key of the row to send, or null.
 */
export async function planSubmissionMail(
  client: Pick<pg.PoolClient, 'query'>,
  m: { kind: SubmissionAlertKind; license: string; submissionId: number; recipient: string | null; asOf: CivilDate },
): Promise<string | null> {
  const alertKey = alertKeyOf(m.kind, m.license, m.submissionId);
  const row: LedgerRowInput = {
    key: ledgerKey(alertKey, m.recipient ?? NO_CONTACT_RECIPIENT),
    alertKey,
    kind: m.kind,
    license: m.license,
    recipient: m.recipient ?? NO_CONTACT_RECIPIENT,
    dueDate: null,
    lead: null,
    level: null,
    threshold: null,
    schoolYear: null,
    asOf: m.asOf,
    status: m.recipient ? 'PENDING' : 'FAILED',
    lastError: m.recipient
      ? null
      : `NO_CONTACT_ON_FILE: ${m.kind === 'TRAINING_SUBMITTED' ? "the agency's chief e-mail" : "the officer's e-mail"}`,
  };
  await insertLedgerRows(client, [row]);
  return m.recipient ? row.key : null;
}

/** The e-mail a claimed submission row becomes, or why it is no longer owed. */
export async function buildSubmissionMail(
  deps: MailDeps,
  row: LedgerRow,
  officer: OfficerRecord | null,
  dir: Directory,
): Promise<Built> {
  const kind = row.kind as SubmissionAlertKind;
  const id = Number(/:submission=(\d+)$/.exec(row.alertKey)?.[1] ?? NaN);
  if (!officer || !row.license || !Number.isInteger(id))
    return { supersede: `officer ${row.license} or the submission is no longer on file` };
  const s = await readSubmission(deps.pool, row.license, id);
  if (!s) return { supersede: `submission ${id} of officer ${row.license} is no longer on file` };
  if (kind === 'TRAINING_SUBMITTED' && s.status !== 'PENDING_REVIEW')
    return { supersede: `submission ${id} was already answered (${s.status})` };
  if (kind === 'TRAINING_REJECTED' && s.status !== 'REJECTED')
    return { supersede: `submission ${id} is ${s.status}, not rejected` };
  const agency = dir.agencies.get(officer.agencyId);
  const timeZone = deps.timeZone ?? 'America/Chicago';
  const rendered = renderSubmissionMail({
    kind,
    recipient: {
      email: row.recipient,
      name:
        kind === 'TRAINING_SUBMITTED' && agency?.chiefEmail?.toLowerCase() === row.recipient.toLowerCase()
          ? agency.chiefName
          : null,
    },
    officer: { license: officer.license, firstName: officer.firstName, lastName: officer.lastName },
    agencyName: agency?.name ?? officer.agencyId,
    submission: { ...s, submittedOn: civilDateIn(timeZone, new Date(s.submittedAt)) },
    consoleUrl: deps.publicUrl ?? null,
    ledgerKey: row.key,
  });
  return { mail: { from: deps.mailFrom, to: row.recipient, ...rendered } };
}
