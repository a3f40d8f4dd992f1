// Acknowledging a missed deadline (RULES.md 6): a note and a planned completion date that every
// later e-mail about the deadline shows; it never holds an escalation back.
import { inTransaction } from '../db/transaction.ts';
import { type CivilDate, parseCivilDate } from '../domain/civil-date.ts';
import { evaluateOfficer } from '../domain/status.ts';
import { obligationOf } from '../domain/obligations.ts';
import { appendAuditEvent } from '../db/audit.ts';
import {
  type Acknowledgement,
  deleteAcknowledgement,
  insertAcknowledgement,
  lockAcknowledgement,
  readNameFor,
  receivedDeadlineMissed,
  updateAcknowledgement,
} from '../db/console-facts.ts';
import { readOfficerBatches } from '../db/officer-reader.ts';
import { Conflict, type FieldProblem, InvalidInput, NotFound } from '../errors.ts';
import { type RecordDeps, type Recorder, authorize, officerContext, optionalText } from './fact-change.ts';

// A note goes into e-mails: one paragraph of text, no control characters (line breaks
// included), no direction overrides, as the roster refuses them in names.
const NOTE_FORBIDDEN = /[\u0000-\u001F\u007F-\u009F\u2028\u2029\u202A-\u202E\u2066-\u2069]/;
export const MAX_NOTE_LENGTH = 500;

// ---- Acknowledgements (RULES.md 6) ----

/**
 * The note and planned completion of an acknowledgement as sent, each problem pushed onto
 * `problems` by its field. `kept`: the planned completion already on record, which a
 * correction may leave as it is even once it has passed.
 */
function noteAndPlan(
  body: { note?: unknown; plannedCompletionOn?: unknown },
  today: CivilDate,
  kept: CivilDate | null,
  problems: FieldProblem[],
): { note: string | null; planned: CivilDate | null } {
  const note = optionalText(body.note);
  if (body.note !== undefined && body.note !== null && typeof body.note !== 'string')
    problems.push({ field: 'note', problem: 'must be text' });
  else if (note !== null && [...note].length > MAX_NOTE_LENGTH)
    problems.push({ field: 'note', problem: `is longer than ${MAX_NOTE_LENGTH} characters` });
  else if (note !== null && NOTE_FORBIDDEN.test(note))
    problems.push({
      field: 'note',
      problem: 'contains a line break or another control character; write it as one paragraph',
    });
  const plannedText = optionalText(body.plannedCompletionOn);
  const planned = plannedText === null ? null : parseCivilDate(plannedText);
  if (plannedText !== null && !planned)
    problems.push({
      field: 'plannedCompletionOn',
      problem: `${JSON.stringify(plannedText)} is not a date (YYYY-MM-DD)`,
    });
  // Decision (RULES.md 6 is silent): a planned completion is a day still to come (today counts).
  else if (planned && planned < today && planned !== kept)
    problems.push({ field: 'plannedCompletionOn', problem: `${planned} is before today (${today})` });
  return { note, planned };
}

export async function acknowledgeDeadline(
  deps: RecordDeps,
  who: Recorder,
  license: string,
  body: { dueDate?: unknown; note?: unknown; plannedCompletionOn?: unknown },
): Promise<Acknowledgement> {
  const o = await officerContext(deps.pool, who, license);
  const problems: FieldProblem[] = [];
  const dueText = optionalText(body.dueDate);
  const dueDate = dueText === null ? null : parseCivilDate(dueText);
  if (!dueDate)
    problems.push({ field: 'dueDate', problem: `${JSON.stringify(body.dueDate ?? null)} is not a date (YYYY-MM-DD)` });
  const { note, planned } = noteAndPlan(body, who.today, null, problems);
  if (problems.length || !dueDate) throw new InvalidInput(problems);
  const v = who.viewer;
  let record = null;
  for await (const batch of readOfficerBatches(deps.pool, { licenses: [license] })) record = batch[0] ?? null;
  if (!record) throw new NotFound('not found');
  const status = evaluateOfficer(record, who.today, deps.rules);
  // RULES.md 8: an overdue notice sent for this obligation before its due date moved counts.
  const obligation = status.dueDate === dueDate ? obligationOf(status) : null;
  const receivedOverdueNotice = await receivedDeadlineMissed(deps.pool, license, dueDate, v.email, obligation);
  authorize(v, 'deadline.acknowledge', { officer: o, receivedOverdueNotice });
  // RULES.md 6: only a deadline OVERDUE today may be acknowledged.
  if (status.status !== 'OVERDUE' || status.dueDate !== dueDate)
    throw new Conflict(
      status.status === 'OVERDUE'
        ? `the deadline of ${dueDate} is not this officer's: the overdue deadline today is ${status.dueDate}`
        : `the deadline of ${dueDate} is not OVERDUE today (${who.today}): the officer is ${status.status}; only a missed deadline can be acknowledged (RULES.md 6)`,
    );
  // The name shown beside the acknowledgement: the roster's name for this address, if it has one.
  const name = await readNameFor(deps.pool, v.email, license);
  return inTransaction(deps.pool, async (client) => {
    const ack = await insertAcknowledgement(client, {
      license,
      dueDate,
      note,
      plannedCompletionOn: planned,
      acknowledgedBy: v.email,
      acknowledgedByName: name,
      acknowledgedOn: who.today,
    });
    await appendAuditEvent(client, {
      actor: who.actor,
      action: 'acknowledgement.record',
      license,
      before: null,
      after: ack,
    });
    return ack;
  });
}

/**
 * Corrects an acknowledgement's note and planned completion (INTERFACE.md "Pages for people"):
 * by who made it, the officer's chief or an admin (the policy's 'acknowledgement.change'); the
 * correction is in the audit log with the acknowledgement before and after, and every later
 * e-mail about the deadline shows the acknowledgement as it is now.
 */
export async function correctAcknowledgement(
  deps: RecordDeps,
  who: Recorder,
  license: string,
  id: string,
  body: { note?: unknown; plannedCompletionOn?: unknown },
): Promise<Acknowledgement> {
  const o = await officerContext(deps.pool, who, license);
  return inTransaction(deps.pool, async (client) => {
    const before = await lockAcknowledgement(client, license, id);
    if (!before) throw new NotFound('not found');
    authorize(who.viewer, 'acknowledgement.change', { officer: o, acknowledgedBy: before.acknowledgedBy });
    const problems: FieldProblem[] = [];
    const { note, planned } = noteAndPlan(body, who.today, before.plannedCompletionOn, problems);
    if (problems.length) throw new InvalidInput(problems);
    const after = await updateAcknowledgement(client, id, { note, plannedCompletionOn: planned });
    await appendAuditEvent(client, { actor: who.actor, action: 'acknowledgement.correct', license, before, after });
    return after;
  });
}

/**
 * Withdraws an acknowledgement (a deadline acknowledged by mistake): who may correct it may
 * withdraw it; the e-mails and pages no longer show it, the audit log keeps it.
 */
export async function withdrawAcknowledgement(
  deps: RecordDeps,
  who: Recorder,
  license: string,
  id: string,
): Promise<void> {
  const o = await officerContext(deps.pool, who, license);
  await inTransaction(deps.pool, async (client) => {
    const before = await lockAcknowledgement(client, license, id);
    if (!before) throw new NotFound('not found');
    authorize(who.viewer, 'acknowledgement.change', { officer: o, acknowledgedBy: before.acknowledgedBy });
    await deleteAcknowledgement(client, id);
    await appendAuditEvent(client, {
      actor: who.actor,
      action: 'acknowledgement.withdraw',
      license,
      before,
      after: null,
    });
  });
}
