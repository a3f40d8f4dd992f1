// Assignments in the console (RULES.md 11; INTERFACE.md "Keeping the directory in the
// console"): a new assignment, and an assignment's dates, role, school and
// trainingUnavailable, by the officer's chief, the contacts of the assignment's district and
// admins. A change re-evaluates the officer at once: a new assignment today of an untrained
// officer is owed its reminder or escalation now, not after the next daily scan.
import {
  type AssignmentKey,
  type AssignmentRow,
  createAssignment,
  districtExists,
  readAssignment,
  updateAssignment,
} from '../../db/directory/officers.ts';
import { ROW_SCHEMAS } from '../../roster/schema.ts';
import { Conflict, type FieldProblem, NotAllowed, NotFound } from '../../errors.ts';
import { type Recorder, authorize, officerContext } from '../fact-change.ts';
import { can, refusalOf } from '../policy.ts';
import {
  type Body,
  type DirectoryDeps,
  asRosterRow,
  directoryChange,
  has,
  refuseProblems,
  sameFields,
  unknownFields,
} from './change.ts';

/** An assignment as the officer's facts list it, with its officer. */
export interface AssignmentAnswer {
  license: string;
  districtId: string;
  school: string | null;
  role: 'REGULAR' | 'SUBSTITUTE';
  startDate: string;
  endDate: string | null;
  trainingUnavailable: boolean;
  source: 'ROSTER' | 'CONSOLE';
}

const assignmentAnswer = (a: AssignmentRow): AssignmentAnswer => ({
  license: a.license,
  districtId: a.districtId,
  school: a.school,
  role: a.role,
  startDate: a.startDate,
  endDate: a.endDate,
  trainingUnavailable: a.trainingUnavailable,
  source: a.source,
});

const taken = (k: AssignmentKey) =>
  new Conflict(`Officer ${k.license} has an assignment in ${k.districtId} from ${k.startDate} already.`, [
    {
      field: 'startDate',
      problem: `an assignment of this officer in ${k.districtId} starts on ${k.startDate} already; change that one instead`,
    },
  ]);

const NEW_FIELDS = ['districtId', 'school', 'role', 'startDate', 'endDate', 'trainingUnavailable'] as const;

/**
 * `POST /api/officers/:license/assignments`. Who may depends on the body's district: the
 * officer's chief and admins anywhere, a district's contacts in their district, even for an
 * officer not yet theirs to see (policy.ts's decision). To a viewer who may neither see the
 * officer nor add them to that district it answers as for a license that does not exist (404);
 * to one who sees the officer but may not, 403. 409 when the officer has an assignment there
 * from that day already.
 */
export async function createAssignmentOf(
  deps: DirectoryDeps,
  who: Recorder,
  license: string,
  body: Body,
): Promise<AssignmentAnswer> {
  const officer = await officerContext(deps.pool, who, license);
  const seen = can(who.viewer, 'officer.read', officer);
  return directoryChange(deps, who, async (tx) => {
    const problems: FieldProblem[] = unknownFields(body, NEW_FIELDS);
    const fields = Object.fromEntries(NEW_FIELDS.filter((f) => has(body, f)).map((f) => [f, body[f]]));
    const row = asRosterRow(ROW_SCHEMAS.assignments, { ...fields, license }, problems);
    const districtId = typeof body.districtId === 'string' ? body.districtId.trim() : null;
    const district = districtId !== null && districtId !== '' && (await districtExists(tx, districtId));
    if (district) {
      if (!can(who.viewer, 'assignment.create', { officer, districtId })) {
        if (!seen) throw new NotFound('not found');
        throw new NotAllowed(refusalOf('assignment.create', { officer, districtId }));
      }
    } else {
      if (!seen) throw new NotFound('not found');
      if (districtId && !problems.some((p) => p.field === 'districtId'))
        problems.push({ field: 'districtId', problem: `no district ${districtId} on file` });
    }
    refuseProblems(problems);
    const a = row!;
    if (await readAssignment(tx, { license, districtId: a.districtId, startDate: a.startDate })) throw taken(a);
    const created = await createAssignment(
      tx,
      license,
      {
        districtId: a.districtId,
        school: a.school,
        role: a.role,
        startDate: a.startDate,
        endDate: a.endDate,
        trainingUnavailable: a.trainingUnavailable,
      },
      who.viewer.email,
    );
    return {
      result: assignmentAnswer(created),
      audit: {
        action: 'assignment.create',
        license,
        districtId: created.districtId,
        before: null,
        after: assignmentAnswer(created),
      },
      licenses: [license],
    };
  });
}

const FIELDS = ['endDate', 'startDate', 'role', 'school', 'trainingUnavailable'] as const;

/**
 * `PATCH /api/officers/:license/assignments/:districtId/:startDate`: any of `endDate`,
 * `startDate`, `role`, `school`, `trainingUnavailable` (null clears the end date or the
 * school). 404 for an assignment that is not there; 409 when a new start date is that of
 * another assignment of the officer in the district.
 */
export async function changeAssignment(
  deps: DirectoryDeps,
  who: Recorder,
  key: AssignmentKey,
  body: Body,
): Promise<AssignmentAnswer> {
  const officer = await officerContext(deps.pool, who, key.license);
  authorize(who.viewer, 'assignment.update', { officer, districtId: key.districtId });
  return directoryChange(deps, who, async (tx) => {
    const before = await readAssignment(tx, key);
    if (!before) throw new NotFound('not found');
    const problems: FieldProblem[] = unknownFields(body, FIELDS);
    const pick = <F extends (typeof FIELDS)[number]>(f: F) => (has(body, f) ? body[f] : before[f]);
    const row = asRosterRow(
      ROW_SCHEMAS.assignments,
      {
        license: key.license,
        districtId: key.districtId,
        school: pick('school'),
        role: pick('role'),
        startDate: pick('startDate'),
        endDate: pick('endDate'),
        trainingUnavailable: pick('trainingUnavailable'),
      },
      problems,
    );
    refuseProblems(problems);
    const fields = {
      school: row!.school,
      role: row!.role,
      startDate: row!.startDate,
      endDate: row!.endDate,
      trainingUnavailable: row!.trainingUnavailable,
    };
    const was = {
      school: before.school,
      role: before.role,
      startDate: before.startDate,
      endDate: before.endDate,
      trainingUnavailable: before.trainingUnavailable,
    };
    if (sameFields(was, fields)) return { result: assignmentAnswer(before), audit: null, licenses: [] };
    const moved = { ...key, startDate: fields.startDate };
    if (fields.startDate !== key.startDate && (await readAssignment(tx, moved))) throw taken(moved);
    const after = await updateAssignment(tx, key, fields, who.viewer.email);
    return {
      result: assignmentAnswer(after),
      audit: {
        action: 'assignment.update',
        license: key.license,
        districtId: key.districtId,
        before: assignmentAnswer(before),
        after: assignmentAnswer(after),
      },
      licenses: [key.license],
    };
  });
}
