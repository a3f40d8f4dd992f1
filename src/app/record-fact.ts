// Trainings with their certificate files, and policy reviews, recorded or deleted in the
// console (RULES.md 7): the chief and admins record a training; the chief, admins and the
// officer (an attestation) a policy review. A deletion removes CONSOLE facts only.
import { createHash } from 'node:crypto';
import type pg from 'pg';
import { type CivilDate, parseCivilDate } from '../domain/civil-date.ts';
import type { TrainingKind } from '../domain/types.ts';
import { appendAuditEvent } from '../db/audit.ts';
import {
  type DeleteOutcome,
  agencyExists,
  deleteConsolePolicyReview,
  deleteConsoleTraining,
  insertCertificate,
  insertPolicyReview,
  upsertTraining,
} from '../db/console-facts.ts';
import type { PolicyReviewRow, TrainingRow } from '../db/officer-facts.ts';
import { policyReviewSchema, trainingSchema } from '../roster/schema.ts';
import { can, reviewKindOf } from './policy.ts';
import { Conflict, InvalidInput, NotFound } from '../errors.ts';
import {
  type RecordDeps,
  type Recorder,
  authorize,
  inChange,
  notAfterToday,
  officerContext,
  optionalText,
  problemsOf,
  reevaluateOfficer,
} from './fact-change.ts';

// ---- Trainings and certificates ----

export const CERTIFICATE_TYPES = ['application/pdf', 'image/png', 'image/jpeg'] as const;
export type CertificateType = (typeof CERTIFICATE_TYPES)[number];

export interface CertificateFile {
  bytes: Buffer;
  /** Recognized from the bytes (file-type), never the name or the declared type. */
  contentType: CertificateType;
}

export interface TrainingFields {
  kind?: unknown;
  completedOn?: unknown;
  courseNumber?: unknown;
  provider?: unknown;
}

const sha256Of = (bytes: Buffer) => createHash('sha256').update(bytes).digest();

/** The training's fields in the order the form shows them (its problems are listed so). */
const TRAINING_FIELD_ORDER = ['kind', 'completedOn', 'courseNumber', 'provider'];

/**
 * Validates a training as a roster row would be (plus: not after today); throws InvalidInput
 * with every problem at once (INTERFACE.md "Pages for people"): a day after today is named
 * beside a course not chosen.
 */
export function validateTraining(license: string, fields: TrainingFields, today: CivilDate) {
  const parsed = trainingSchema.safeParse({
    license,
    kind: optionalText(fields.kind) ?? undefined,
    completedOn: optionalText(fields.completedOn) ?? undefined,
    courseNumber: optionalText(fields.courseNumber),
    provider: optionalText(fields.provider),
  });
  const problems = parsed.success ? [] : problemsOf(parsed.error);
  const day = parseCivilDate(optionalText(fields.completedOn) ?? '');
  if (!problems.some((p) => p.field === 'completedOn'))
    for (const p of notAfterToday('completedOn', day, today))
      problems.push({ ...p, problem: `${p.problem}: record a course once completed` });
  if (!parsed.success || problems.length > 0) {
    const rank = (field: string) => {
      const i = TRAINING_FIELD_ORDER.indexOf(field);
      return i < 0 ? TRAINING_FIELD_ORDER.length : i;
    };
    throw new InvalidInput(problems.sort((a, b) => rank(a.field) - rank(b.field)));
  }
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
