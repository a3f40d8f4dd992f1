// An agency in the console (RULES.md 11; INTERFACE.md "Keeping the directory in the
// console"): read by those it gives a scope, changed (name, chief, escalation e-mails) by its
// chief and admins. Losing the chief e-mail needs the confirmation (RULES.md 5 "Nobody to send
// to"). A change re-evaluates every officer of the agency: the chief and the escalation
// addresses are who their alerts go to.
import { type AgencyRow, licensesOfAgency, readAgency, updateAgency } from '../../db/directory/agencies.ts';
import { type UndeliverableRow, readUndeliverableOf } from '../../db/directory/deliverability.ts';
import { ROW_SCHEMAS } from '../../roster/schema.ts';
import { Conflict, type FieldProblem, NotFound } from '../../errors.ts';
import { type Recorder, authorize } from '../fact-change.ts';
import type { Viewer } from '../policy.ts';
import {
  type Body,
  type DirectoryDeps,
  asRosterRow,
  confirmationProblems,
  directoryChange,
  has,
  refuseProblems,
  sameFields,
  unknownFields,
} from './change.ts';
import { type UndeliverableAnswer, markOf } from './deliverability.ts';

/** `GET /api/agencies/:id` (INTERFACE.md). */
export interface AgencyAnswer {
  id: string;
  name: string;
  /** `undeliverable`: the chief's address bounced (RULES.md 12); absent when it is not marked. */
  chief: { name: string | null; email: string | null; undeliverable?: UndeliverableAnswer };
  escalationEmails: string[];
  source: 'ROSTER' | 'CONSOLE';
}

/** The agency as the directory holds it; with `marks`, the chief's address marked undeliverable. */
export function agencyAnswer(a: AgencyRow, marks: readonly UndeliverableRow[] = []): AgencyAnswer {
  const undeliverable = markOf(marks, a.chiefEmail);
  return {
    id: a.id,
    name: a.name,
    chief: { name: a.chiefName, email: a.chiefEmail, ...(undeliverable ? { undeliverable } : {}) },
    escalationEmails: a.escalationEmails,
    source: a.source,
  };
}

/** The agency, for a viewer who may read it (the route hook asked; asked again here). */
export async function agencyFor(deps: DirectoryDeps, viewer: Viewer, id: string): Promise<AgencyAnswer> {
  authorize(viewer, 'agency.read', { agencyId: id });
  const a = await readAgency(deps.db, id);
  if (!a) throw new NotFound('not found');
  return agencyAnswer(a, await readUndeliverableOf(deps.db, 'AGENCY', id));
}

const FIELDS = ['name', 'chief', 'escalationEmails', 'confirmNoContact'] as const;

/**
 * `PATCH /api/agencies/:id`: any of `name`, `chief` (the chief as a whole: `{ name, email }`,
 * or null for none) and `escalationEmails` (the whole list). Every problem at once (400); an
 * agency that had a chief e-mail and would have none: 409 unless `confirmNoContact` is true.
 * A request that changes nothing writes nothing (no audit event).
 */
export async function changeAgency(deps: DirectoryDeps, who: Recorder, id: string, body: Body): Promise<AgencyAnswer> {
  authorize(who.viewer, 'agency.update', { agencyId: id });
  return directoryChange(deps, who, async (tx) => {
    const before = await readAgency(tx, id);
    if (!before) throw new NotFound('not found');
    const problems: FieldProblem[] = [...unknownFields(body, FIELDS), ...confirmationProblems(body)];
    const row = asRosterRow(
      ROW_SCHEMAS.agencies,
      {
        id,
        name: has(body, 'name') ? body.name : before.name,
        chief: has(body, 'chief') ? body.chief : { name: before.chiefName, email: before.chiefEmail },
        escalationEmails: has(body, 'escalationEmails') ? body.escalationEmails : before.escalationEmails,
      },
      problems,
    );
    refuseProblems(problems);
    const fields = {
      name: row!.name,
      chiefName: row!.chief?.name ?? null,
      chiefEmail: row!.chief?.email ?? null,
      escalationEmails: row!.escalationEmails,
    };
    const was = { name: before.name, chiefName: before.chiefName, chiefEmail: before.chiefEmail };
    // The marks as the transaction reads them: one of an address this change replaces goes at
    // commit (migration 20261211000000's deferred trigger), and markOf shows only the chief's own.
    const marks = await readUndeliverableOf(tx, 'AGENCY', id);
    if (sameFields({ ...was, escalationEmails: before.escalationEmails }, fields))
      return { result: agencyAnswer(before, marks), audit: null, licenses: [] };
    // RULES.md 11, 5 "Nobody to send to": the chief's alerts would reach nobody.
    if (before.chiefEmail !== null && fields.chiefEmail === null && body.confirmNoContact !== true)
      throw new Conflict('The agency would have no chief e-mail: nothing was changed.', [
        {
          field: 'chief.email',
          problem:
            'the agency would have no chief e-mail, so the alerts owed to its chief would reach nobody; send "confirmNoContact": true to remove it anyway',
        },
      ]);
    const after = await updateAgency(tx, id, fields, who.viewer.email);
    return {
      result: agencyAnswer(after, marks),
      audit: { action: 'agency.update', agencyId: id, before: agencyAnswer(before), after: agencyAnswer(after) },
      licenses: await licensesOfAgency(tx, id),
    };
  });
}
