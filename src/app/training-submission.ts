// Facts that come from the officer (RULES.md 10): an officer submits a completed training with
// its certificate; it is recorded PENDING_REVIEW and counts in no rule until the chief (or an
// admin) confirms it, and the chief is e-mailed at once (TRAINING_SUBMITTED, once per
// submission). Confirmed, it is a CONSOLE training recorded by the officer (section 7);
// rejected, it stays with the reason and the officer is told (TRAINING_REJECTED). Each step
// is an audit event. Decision (V.E): the officer's own word does not make them compliant.
import { createHash } from 'node:crypto';
import type { TrainingKind } from '../domain/types.ts';
import { appendAuditEvent } from '../db/audit.ts';
import { insertCertificate, upsertTraining } from '../db/console-facts.ts';
import type { TrainingRow } from '../db/officer-facts.ts';
import {
  type SubmissionRow,
  answerSubmission,
  insertSubmission,
  readSubmission,
  readSubmissionAddresses,
} from '../db/training-submissions.ts';
import { Conflict, type FieldProblem, InvalidInput, NotFound } from '../errors.ts';
import type { WorkQueue } from './ports.ts';
import {
  type RecordDeps,
  type Recorder,
  authorize,
  inChange,
  officerContext,
  reevaluateOfficer,
} from './fact-change.ts';
import { type CertificateFile, type TrainingFields, validateTraining } from './record-fact.ts';
import { planSubmissionMail } from './submission-mail.ts';

/** What a submission needs beyond a recorded fact: the e-mail it sends at once. */
export interface SubmissionDeps extends RecordDeps {
  work: Pick<WorkQueue, 'officerScan' | 'sendAlerts'>;
}

/** The longest reason a rejection keeps (as an acknowledgement's note). */
export const MAX_REASON_LENGTH = 500;

/** Hands the planned e-mail to the send queue; a failure leaves the row PENDING for the worker's sweep. */
async function sendNow(deps: SubmissionDeps, key: string | null, who: Recorder): Promise<void> {
  if (key === null) return;
  try {
    await deps.work.sendAlerts([{ key, asOf: who.today, runId: null }]);
  } catch (e) {
    deps.log.warn("could not enqueue a submission's e-mail; the worker's sweep sends it", {
      key,
      error: (e as Error).message,
    });
  }
}

/** RULES.md 10: the officer's submission, PENDING_REVIEW, and the chief's e-mail. */
export async function submitTraining(
  deps: SubmissionDeps,
  who: Recorder,
  license: string,
  fields: TrainingFields,
  certificate: CertificateFile | null,
): Promise<SubmissionRow> {
  const o = await officerContext(deps.pool, who, license);
  authorize(who.viewer, 'training.submit', o);
  // V.E: the chief confirms the training from its certificate, so a submission carries one;
  // every problem is named at once.
  const problems: FieldProblem[] = [];
  let t: ReturnType<typeof validateTraining> | null = null;
  try {
    t = validateTraining(license, fields, who.today);
  } catch (e) {
    if (!(e instanceof InvalidInput)) throw e;
    problems.push(...e.errors);
  }
  if (!certificate)
    problems.push({
      field: 'certificate',
      problem: 'choose the certificate file: your chief confirms the training from it',
    });
  if (!t || !certificate || problems.length > 0) throw new InvalidInput(problems);
  const sha256 = createHash('sha256').update(certificate.bytes).digest();
  const { submission, key } = await inChange(deps, license, who.today, async (client) => {
    const stored = await insertCertificate(client, {
      sha256,
      contentType: certificate.contentType,
      bytes: certificate.bytes,
    });
    const submission = await insertSubmission(client, {
      license,
      kind: t.kind as TrainingKind,
      completedOn: t.completedOn,
      courseNumber: t.courseNumber,
      provider: t.provider,
      certificateSha256: sha256,
      submittedBy: who.viewer.email,
    });
    await appendAuditEvent(client, {
      actor: who.actor,
      action: 'training.submit',
      license,
      before: null,
      after: {
        ...submission,
        certificate: {
          sha256: sha256.toString('hex'),
          contentType: certificate.contentType,
          size: certificate.bytes.length,
          newFile: stored,
        },
      },
    });
    const addresses = await readSubmissionAddresses(client, license);
    const key = await planSubmissionMail(client, {
      kind: 'TRAINING_SUBMITTED',
      license,
      submissionId: submission.id,
      recipient: addresses?.chiefEmail ?? null,
      asOf: who.today,
    });
    return { submission, key };
  });
  await sendNow(deps, key, who);
  return submission;
}

export type SubmissionAnswer = { confirm: true } | { confirm: false; reason?: unknown };

/**
 * RULES.md 10: the chief's (or an admin's) answer to a PENDING_REVIEW submission. Confirmed,
 * the training is recorded (recorded by the officer who submitted it) and the officer is
 * re-evaluated at once (RESOLVED follows through the ledger); rejected, the reason is kept and
 * the officer is e-mailed. A submission already answered is a Conflict.
 */
export async function answerTraining(
  deps: SubmissionDeps,
  who: Recorder,
  license: string,
  id: number,
  answer: SubmissionAnswer,
): Promise<{ submission: SubmissionRow; training: TrainingRow | null }> {
  const o = await officerContext(deps.pool, who, license);
  authorize(who.viewer, 'training.review', o);
  const reason = answer.confirm ? null : typeof answer.reason === 'string' ? answer.reason.trim() : '';
  if (reason !== null && reason === '')
    throw new InvalidInput([
      { field: 'reason', problem: 'say why the training is not confirmed: the officer is told' },
    ]);
  if (reason !== null && reason.length > MAX_REASON_LENGTH)
    throw new InvalidInput([{ field: 'reason', problem: `is longer than ${MAX_REASON_LENGTH} characters` }]);
  const out = await inChange(deps, license, who.today, async (client) => {
    const s = await readSubmission(client, license, id, true);
    if (!s) throw new NotFound(`no submitted training ${id} of officer ${license}`);
    if (s.status !== 'PENDING_REVIEW')
      throw new Conflict(
        `This training was already ${s.status === 'CONFIRMED' ? 'confirmed' : 'rejected'}: nothing changed.`,
      );
    if (answer.confirm) {
      const { before, after: training } = await upsertTraining(client, {
        license,
        kind: s.kind,
        completedOn: s.completedOn,
        courseNumber: s.courseNumber,
        provider: s.provider,
        certificateSha256: Buffer.from(s.certificateSha256, 'hex'),
        recordedBy: s.submittedBy,
      });
      const submission = await answerSubmission(client, id, {
        status: 'CONFIRMED',
        reviewedBy: who.viewer.email,
        reason: null,
        trainingId: training.id,
      });
      const changeId = await appendAuditEvent(client, {
        actor: who.actor,
        action: 'training.confirm',
        license,
        // One shape before and after, so the audit log lists the fields that changed.
        before: { ...s, training: before },
        after: { ...submission, training },
      });
      return { submission, training, changeId, key: null };
    }
    const submission = await answerSubmission(client, id, {
      status: 'REJECTED',
      reviewedBy: who.viewer.email,
      reason,
      trainingId: null,
    });
    await appendAuditEvent(client, {
      actor: who.actor,
      action: 'training.reject',
      license,
      before: s,
      after: submission,
    });
    const key = await planSubmissionMail(client, {
      kind: 'TRAINING_REJECTED',
      license,
      submissionId: id,
      recipient: (await readSubmissionAddresses(client, license))?.officerEmail ?? null,
      asOf: who.today,
    });
    return { submission, training: null, changeId: null, key };
  });
  if (out.changeId) await reevaluateOfficer(deps, license, out.changeId, who.today);
  await sendNow(deps, out.key, who);
  return { submission: out.submission, training: out.training };
}
