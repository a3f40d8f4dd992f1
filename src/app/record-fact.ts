// Facts recorded in the console (RULES.md 7) and acknowledgements (RULES.md 6): who may
// record what, the same validation as a roster row, one transaction per change with its
// audit event, and then the officer re-evaluated at once: a scan job limited to the officer,
// with an id derived from the change, so what is owed (RESOLVED, a reminder no longer due
// superseded) goes out through the queue and the ledger within a minute, exactly once.
//
// Who may do each is asked of the policy module (src/app/policy.ts), never decided here. The
// console's API and pages call these; none of them holds SQL.
import { createHash } from 'node:crypto';
import type pg from 'pg';
import { inTransaction } from '../db/transaction.ts';
import type { z } from 'zod';
import { type CivilDate, parseCivilDate } from '../domain/civil-date.ts';
import { evaluateOfficer } from '../domain/status.ts';
import type { RulesConfig, TrainingKind } from '../domain/types.ts';
import { type AuditActor, appendAuditEvent } from '../db/audit.ts';
import {
  type Acknowledgement,
  type DeleteOutcome,
  agencyExists,
  deleteConsoleContactDays,
  deleteConsolePolicyReview,
  deleteConsoleTraining,
  insertAcknowledgement,
  insertCertificate,
  insertContactDays,
  insertPolicyReview,
  lockRosterVersion,
  readNameFor,
  receivedDeadlineMissed,
  replaceSnapshotRow,
  upsertTraining,
} from '../db/console-facts.ts';
import type { ContactDayRow, PolicyReviewRow, TrainingRow } from '../db/officer-facts.ts';
import { readDirectory, readOfficerBatches } from '../db/officer-reader.ts';
import { urgencyRank } from '../domain/report.ts';
import { reportBatches } from './status-report.ts';
import { contactDaySchema, policyReviewSchema, trainingSchema } from '../roster/schema.ts';
import type { Logger } from '../shell/log.ts';
import type { WorkQueue } from './ports.ts';
import { type Action, type Subjects, type Viewer, can, refusalOf, reviewKindOf } from './policy.ts';
import { Conflict, type FieldProblem, InvalidInput, NotAllowed, NotFound } from './errors.ts';
import { type OfficerSubjectRow, readOfficerSubject } from '../db/officer-subject.ts';

export interface RecordDeps {
  pool: pg.Pool;
  work: Pick<WorkQueue, 'officerScan'>;
  rules: RulesConfig;
  log: Logger;
}

/** Who is recording, from where, and today in TZ (the shell reads the clock). */
export interface Recorder {
  viewer: Viewer;
  actor: AuditActor;
  today: CivilDate;
  /** The officer as the request's scope check read them (read again when absent or of another license). */
  officer?: OfficerSubjectRow | null;
}

/** Refuses unless the policy module allows `action` (NotAllowed, with why, in the asker's words). */
function authorize<A extends Action>(v: Viewer, action: A, subject: Subjects[A]): void {
  if (!can(v, action, subject)) throw new NotAllowed(refusalOf(action, subject));
}

// ---- Validation (the roster's own field schemas, src/roster/schema.ts) ----

function problemsOf(error: z.ZodError, rename: Record<string, string> = {}): FieldProblem[] {
  return error.issues.map((i) => {
    const path = i.path.map(String).join('.');
    return { field: rename[path] ?? (path || '(body)'), problem: i.message };
  });
}

const notAfterToday = (field: string, d: string | null, today: CivilDate): FieldProblem[] =>
  d !== null && d > today ? [{ field, problem: `${d} is after today (${today})` }] : [];

function optionalText(v: unknown): string | null {
  if (v === undefined || v === null) return null;
  const s = String(v).trim();
  return s === '' ? null : s;
}

// A note goes into e-mails: one paragraph of text, no control characters (line breaks
// included), no direction overrides, as the roster refuses them in names.
const NOTE_FORBIDDEN = /[\u0000-\u001F\u007F-\u009F\u2028\u2029\u202A-\u202E\u2066-\u2069]/;
export const MAX_NOTE_LENGTH = 500;

// ---- The shell around every change ----

/**
 * One change's transaction: roster_version locked first (so the status snapshot's label is
 * read before anything moves), then the work. When the snapshot was current before it (of
 * today, of the roster version the change started from), the officer's row of it is then
 * replaced, so an admin's snapshot view shows the change at once instead of after a refresh
 * of everyone.
 */
async function inChange<T>(
  deps: RecordDeps,
  license: string,
  today: CivilDate,
  work: (client: pg.PoolClient) => Promise<T>,
): Promise<T> {
  const { out, before, after } = await inTransaction(deps.pool, async (client) => {
    const before = await lockRosterVersion(client);
    const out = await work(client);
    return { out, before, after: (await lockRosterVersion(client)).version };
  });
  if (before.snapshotAsOf === today && before.snapshotVersion === before.version && after !== before.version)
    await followInSnapshot(deps, license, today, { from: before.version, to: after }).catch((e: Error) =>
      deps.log.warn('could not bring the status snapshot up to date after a change; the next refresh will', {
        license,
        error: e.message,
      }),
    );
  return out;
}

/**
 * Replaces the officer's row of the status snapshot, evaluated on the committed roster of
 * version `to`, provided nothing else changed since `from` (the snapshot's label): else the
 * snapshot keeper's refresh takes over, as for any roster change.
 */
async function followInSnapshot(
  deps: RecordDeps,
  license: string,
  today: CivilDate,
  versions: { from: string; to: string },
): Promise<void> {
  const rows: Parameters<typeof replaceSnapshotRow>[1][] = [];
  for await (const lines of reportBatches(deps.pool, await readDirectory(deps.pool), today, deps.rules, {
    licenses: [license],
  }))
    for (const l of lines) {
      const { lastAlert: _alert, ...report } = l.officer;
      rows.push({ report, districtIds: l.districtIds, rank: urgencyRank(report.status) });
    }
  await inTransaction(deps.pool, async (client) => {
    const now = await lockRosterVersion(client);
    if (now.version !== versions.to || now.snapshotAsOf !== today || now.snapshotVersion !== versions.from) return;
    for (const row of rows) await replaceSnapshotRow(client, row);
  });
}

/** The officer the change is about: the one the request's scope check read, else read now. */
async function officerContext(pool: pg.Pool, who: Recorder, license: string): Promise<OfficerSubjectRow> {
  const o = who.officer?.license === license ? who.officer : await readOfficerSubject(pool, license, who.today);
  if (!o) throw new NotFound('not found');
  return o;
}

/**
 * RULES.md 7 "re-evaluated at once": a scan of this officer as of today, through the scan
 * queue and the ledger (whose keys make every send exactly-once). The job id is derived from
 * the change, so a change enqueued twice is one job. A failure to enqueue does not undo the
 * change: it is logged, and the next daily scan catches up.
 */
export async function reevaluateOfficer(
  deps: RecordDeps,
  license: string,
  changeId: string,
  today: CivilDate,
): Promise<string | null> {
  try {
    return await deps.work.officerScan(today, license, changeId);
  } catch (e) {
    deps.log.warn('could not enqueue the re-evaluation of an officer; the daily scan will catch up', {
      license,
      changeId,
      error: (e as Error).message,
    });
    return null;
  }
}

// ---- Trainings and certificates ----

export const CERTIFICATE_TYPES = ['application/pdf', 'image/png', 'image/jpeg'] as const;
export type CertificateType = (typeof CERTIFICATE_TYPES)[number];

export interface CertificateFile {
  bytes: Buffer;
  /** Recognised from the bytes (file-type), never the name or the declared type. */
  contentType: CertificateType;
}

export interface TrainingFields {
  kind?: unknown;
  completedOn?: unknown;
  courseNumber?: unknown;
  provider?: unknown;
}

export const sha256Of = (bytes: Buffer) => createHash('sha256').update(bytes).digest();

/** Validates a training as a roster row would be (plus: not after today); throws InvalidFact. */
export function validateTraining(license: string, fields: TrainingFields, today: CivilDate) {
  const parsed = trainingSchema.safeParse({
    license,
    kind: optionalText(fields.kind) ?? undefined,
    completedOn: optionalText(fields.completedOn) ?? undefined,
    courseNumber: optionalText(fields.courseNumber),
    provider: optionalText(fields.provider),
  });
  if (!parsed.success) throw new InvalidInput(problemsOf(parsed.error));
  const late = notAfterToday('completedOn', parsed.data.completedOn, today);
  if (late.length)
    throw new InvalidInput(late.map((p) => ({ ...p, problem: `${p.problem}: record a course once completed` })));
  return parsed.data;
}

export async function recordTraining(
  deps: RecordDeps,
  who: Recorder,
  license: string,
  fields: TrainingFields,
  certificate: CertificateFile | null,
): Promise<{ training: TrainingRow; certificateStored: boolean }> {
  const o = await officerContext(deps.pool, who, license);
  authorize(who.viewer, 'training.record', o);
  const t = validateTraining(license, fields, who.today);
  const sha256 = certificate ? sha256Of(certificate.bytes) : null;
  const { changeId, training, stored } = await inChange(deps, license, who.today, async (client) => {
    const stored = certificate
      ? await insertCertificate(client, {
          sha256: sha256!,
          contentType: certificate.contentType,
          bytes: certificate.bytes,
        })
      : false;
    const { before, after } = await upsertTraining(client, {
      license,
      kind: t.kind as TrainingKind,
      completedOn: t.completedOn,
      courseNumber: t.courseNumber,
      provider: t.provider,
      certificateSha256: sha256,
      recordedBy: who.viewer.email,
    });
    const changeId = await appendAuditEvent(client, {
      actor: who.actor,
      action: 'training.record',
      license,
      before,
      after: {
        ...after,
        ...(certificate
          ? {
              certificate: {
                sha256: sha256!.toString('hex'),
                contentType: certificate.contentType,
                size: certificate.bytes.length,
                newFile: stored,
              },
            }
          : {}),
      },
    });
    return { changeId, training: after, stored };
  });
  await reevaluateOfficer(deps, license, changeId, who.today);
  return { training, certificateStored: stored };
}

/** A CONSOLE fact's deletion: who may, the row's delete (a ROSTER row refused), its audit action. */
interface ConsoleFactDeletion<T> {
  /** The action the policy module is asked about. */
  action: 'training.delete' | 'policyReview.delete';
  remove: (client: pg.PoolClient, license: string, id: number) => Promise<DeleteOutcome<T>>;
  /** The fact in the messages: 'training', 'policy review'. */
  noun: string;
  /** The rule the refusal of a ROSTER row cites. */
  rosterRule: string;
  auditAction: string;
}

/** Deletes a CONSOLE fact of the officer, audited, and re-evaluates the officer (RULES.md 7). */
async function deleteConsoleFact<T>(
  deps: RecordDeps,
  who: Recorder,
  license: string,
  id: number,
  fact: ConsoleFactDeletion<T>,
): Promise<T> {
  const o = await officerContext(deps.pool, who, license);
  authorize(who.viewer, fact.action, o);
  const { changeId, row } = await inChange(deps, license, who.today, async (client) => {
    const r = await fact.remove(client, license, id);
    if ('refused' in r) {
      if (r.refused === 'MISSING') throw new NotFound(`no ${fact.noun} ${id} of officer ${license}`);
      throw new Conflict(
        `${fact.noun} ${id} came from the roster: correct or remove it in the roster (${fact.rosterRule})`,
      );
    }
    const changeId = await appendAuditEvent(client, {
      actor: who.actor,
      action: fact.auditAction,
      license,
      before: r.deleted,
      after: null,
    });
    return { changeId, row: r.deleted };
  });
  await reevaluateOfficer(deps, license, changeId, who.today);
  return row;
}

export async function deleteTraining(
  deps: RecordDeps,
  who: Recorder,
  license: string,
  id: number,
): Promise<TrainingRow> {
  return deleteConsoleFact(deps, who, license, id, {
    action: 'training.delete',
    remove: deleteConsoleTraining,
    noun: 'training',
    rosterRule: 'RULES.md 7: the console deletes only CONSOLE facts',
    auditAction: 'training.delete',
  });
}

// ---- Policy reviews ----

export async function recordPolicyReview(
  deps: RecordDeps,
  who: Recorder,
  license: string,
  body: { reviewedOn?: unknown; agencyId?: unknown },
): Promise<{ policyReview: PolicyReviewRow; alreadyRecorded: boolean }> {
  const o = await officerContext(deps.pool, who, license);
  authorize(who.viewer, 'policyReview.record', o);
  const parsed = policyReviewSchema.safeParse({
    license,
    agencyId: optionalText(body.agencyId) ?? o.agencyId,
    reviewedOn: optionalText(body.reviewedOn) ?? undefined,
  });
  if (!parsed.success) throw new InvalidInput(problemsOf(parsed.error));
  const p = parsed.data;
  const problems = notAfterToday('reviewedOn', p.reviewedOn, who.today);
  if (p.agencyId !== o.agencyId && !can(who.viewer, 'policyReview.otherAgency', o))
    problems.push({ field: 'agencyId', problem: `must be the officer's agency ${o.agencyId}` });
  else if (p.agencyId !== o.agencyId && !(await agencyExists(deps.pool, p.agencyId)))
    problems.push({ field: 'agencyId', problem: `no agency ${p.agencyId} on file` });
  if (problems.length) throw new InvalidInput(problems);
  const { changeId, result } = await inChange(deps, license, who.today, async (client) => {
    const result = await insertPolicyReview(client, {
      license,
      agencyId: p.agencyId,
      reviewedOn: p.reviewedOn,
      recordedBy: who.viewer.email,
    });
    const changeId = await appendAuditEvent(client, {
      actor: who.actor,
      action: reviewKindOf(who.viewer, o) === 'attestation' ? 'policy-review.attest' : 'policy-review.record',
      license,
      before: result.created ? null : result.row,
      after: result.row,
    });
    return { changeId, result };
  });
  if (result.created) await reevaluateOfficer(deps, license, changeId, who.today);
  return { policyReview: result.row, alreadyRecorded: !result.created };
}

export async function deletePolicyReview(
  deps: RecordDeps,
  who: Recorder,
  license: string,
  id: number,
): Promise<PolicyReviewRow> {
  return deleteConsoleFact(deps, who, license, id, {
    action: 'policyReview.delete',
    remove: deleteConsolePolicyReview,
    noun: 'policy review',
    rosterRule: 'RULES.md 7',
    auditAction: 'policy-review.delete',
  });
}

// ---- Contact days ----

/** Most dates one request may carry: a school year's worth. */
export const MAX_CONTACT_DAYS_PER_REQUEST = 366;

/** `dates` as JSON (an array) or a form (repeated fields, or one field separated by commas or spaces). */
function datesOf(v: unknown): unknown[] | null {
  if (Array.isArray(v)) return v;
  if (typeof v === 'string') return v.split(/[\s,]+/).filter((s) => s !== '');
  return null;
}

function validateContactDays(license: string, body: { districtId?: unknown; dates?: unknown }) {
  const problems: FieldProblem[] = [];
  const districtId = optionalText(body.districtId) ?? '';
  const dates = datesOf(body.dates);
  if (dates === null || dates.length === 0)
    problems.push({ field: 'dates', problem: 'must list one date or more (YYYY-MM-DD)' });
  else if (dates.length > MAX_CONTACT_DAYS_PER_REQUEST)
    problems.push({ field: 'dates', problem: `lists more than ${MAX_CONTACT_DAYS_PER_REQUEST} dates` });
  const valid: CivilDate[] = [];
  const first = contactDaySchema.safeParse({ license, districtId, date: '2000-01-01' });
  if (!first.success) problems.push(...problemsOf(first.error).filter((p) => p.field === 'districtId'));
  (dates ?? []).slice(0, MAX_CONTACT_DAYS_PER_REQUEST).forEach((d, i) => {
    const r = contactDaySchema.shape.date.safeParse(typeof d === 'string' ? d.trim() : d);
    if (r.success) valid.push(r.data);
    else problems.push({ field: `dates.${i}`, problem: r.error.issues[0]?.message ?? 'is not a date' });
  });
  if (problems.length) throw new InvalidInput(problems);
  return { districtId: first.success ? first.data.districtId : districtId, dates: [...new Set(valid)].sort() };
}

export async function recordContactDays(
  deps: RecordDeps,
  who: Recorder,
  license: string,
  body: { districtId?: unknown; dates?: unknown },
): Promise<{ added: CivilDate[]; alreadyRecorded: CivilDate[]; contactDays: ContactDayRow[] }> {
  const o = await officerContext(deps.pool, who, license);
  const d = validateContactDays(license, body);
  authorize(who.viewer, 'contactDays.record', { officer: o, districtId: d.districtId });
  // Decision (RULES.md 7 "the district served"): a district the officer has an assignment in, ended or not.
  if (!o.districtIds.includes(d.districtId))
    throw new InvalidInput([
      { field: 'districtId', problem: `officer ${license} has no assignment in district ${d.districtId}` },
    ]);
  const { changeId, added } = await inChange(deps, license, who.today, async (client) => {
    const added = await insertContactDays(client, { license, ...d, recordedBy: who.viewer.email });
    const addedDates = new Set(added.map((a) => a.date));
    const changeId = await appendAuditEvent(client, {
      actor: who.actor,
      action: 'contact-days.record',
      license,
      before: null,
      after: {
        districtId: d.districtId,
        added: [...addedDates],
        alreadyRecorded: d.dates.filter((x) => !addedDates.has(x)),
      },
    });
    return { changeId, added };
  });
  if (added.length > 0) await reevaluateOfficer(deps, license, changeId, who.today);
  const addedDates = new Set(added.map((a) => a.date));
  return {
    added: [...addedDates],
    alreadyRecorded: d.dates.filter((x) => !addedDates.has(x)),
    contactDays: added,
  };
}

export async function deleteContactDays(
  deps: RecordDeps,
  who: Recorder,
  license: string,
  body: { districtId?: unknown; dates?: unknown },
): Promise<{ deleted: CivilDate[]; fromRoster: CivilDate[]; notOnFile: CivilDate[] }> {
  const o = await officerContext(deps.pool, who, license);
  const d = validateContactDays(license, body);
  authorize(who.viewer, 'contactDays.delete', { officer: o, districtId: d.districtId });
  const { changeId, result } = await inChange(deps, license, who.today, async (client) => {
    const result = await deleteConsoleContactDays(client, { license, ...d });
    const changeId = await appendAuditEvent(client, {
      actor: who.actor,
      action: 'contact-days.delete',
      license,
      before: { districtId: d.districtId, dates: result.deleted.map((x) => x.date) },
      after: null,
    });
    return { changeId, result };
  });
  if (result.deleted.length > 0) await reevaluateOfficer(deps, license, changeId, who.today);
  const gone = new Set(result.deleted.map((x) => x.date));
  const roster = new Set(result.roster);
  return {
    deleted: [...gone],
    fromRoster: result.roster,
    notOnFile: d.dates.filter((x) => !gone.has(x) && !roster.has(x)),
  };
}

// ---- Acknowledgements (RULES.md 6) ----

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
  else if (planned && planned < who.today)
    problems.push({ field: 'plannedCompletionOn', problem: `${planned} is before today (${who.today})` });
  if (problems.length || !dueDate) throw new InvalidInput(problems);
  const v = who.viewer;
  const receivedOverdueNotice = await receivedDeadlineMissed(deps.pool, license, dueDate, v.email);
  authorize(v, 'deadline.acknowledge', { officer: o, receivedOverdueNotice });
  // RULES.md 6: only a deadline OVERDUE today may be acknowledged.
  let record = null;
  for await (const batch of readOfficerBatches(deps.pool, { licenses: [license] })) record = batch[0] ?? null;
  if (!record) throw new NotFound('not found');
  const status = evaluateOfficer(record, who.today, deps.rules);
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
