// Officers in the console (RULES.md 11; INTERFACE.md "Keeping the directory in the
// console"): a new officer of an agency, and an officer's name and e-mail, by the agency's
// chief and admins. The agency of a new officer is in the body: one the viewer may not see is
// named like one that does not exist (400, by field), so the answer tells nobody what another
// agency holds; one they see but may not add to is 403.
import { type AgencyRow, readAgency } from '../../db/directory/agencies.ts';
import { type OfficerRow, createOfficer, readOfficer, updateOfficer } from '../../db/directory/officers.ts';
import { ROW_SCHEMAS } from '../../roster/schema.ts';
import { Conflict, type FieldProblem, NotFound } from '../../errors.ts';
import { type Recorder, authorize, officerContext } from '../fact-change.ts';
import { can } from '../policy.ts';
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

/** An officer as `POST /api/officers` and `PATCH /api/officers/:license` answer. */
export interface OfficerAnswer {
  license: string;
  firstName: string;
  lastName: string;
  email: string | null;
  agencyId: string;
  source: 'ROSTER' | 'CONSOLE';
}

const officerAnswer = (o: OfficerRow): OfficerAnswer => ({
  license: o.license,
  firstName: o.firstName,
  lastName: o.lastName,
  email: o.email,
  agencyId: o.agencyId,
  source: o.source,
});

const NEW_FIELDS = ['license', 'firstName', 'lastName', 'email', 'agencyId'] as const;

/**
 * `POST /api/officers`: `{ license, firstName, lastName, email?, agencyId }` → the new CONSOLE
 * officer. 403 when the viewer sees the agency but may not add to it; 400 with every problem
 * (an agency not on file, or not the viewer's to see, among them); 409 when the license is on
 * file already.
 */
export async function createOfficerOf(deps: DirectoryDeps, who: Recorder, body: Body): Promise<OfficerAnswer> {
  return directoryChange(deps, who, async (tx) => {
    const problems: FieldProblem[] = unknownFields(body, NEW_FIELDS);
    const fields = Object.fromEntries(NEW_FIELDS.filter((f) => has(body, f)).map((f) => [f, body[f]]));
    const row = asRosterRow(ROW_SCHEMAS.officers, fields, problems);
    const agencyId = typeof body.agencyId === 'string' ? body.agencyId.trim() : null;
    let agency: AgencyRow | null = null;
    if (agencyId && can(who.viewer, 'agency.read', { agencyId })) agency = await readAgency(tx, agencyId);
    // Who may is asked before the rest is looked at: a viewer who may not add to it learns no more.
    if (agency) authorize(who.viewer, 'officer.create', { agencyId: agency.id });
    else if (agencyId && !problems.some((p) => p.field === 'agencyId'))
      problems.push({ field: 'agencyId', problem: `no agency ${agencyId} on file that you may add officers to` });
    refuseProblems(problems);
    if (await readOfficer(tx, row!.license))
      throw new Conflict(`An officer with license ${row!.license} is on file already: nothing was changed.`, [
        { field: 'license', problem: `${row!.license} is on file already; change that officer instead` },
      ]);
    const created = await createOfficer(
      tx,
      {
        license: row!.license,
        firstName: row!.firstName,
        lastName: row!.lastName,
        email: row!.email,
        agencyId: agency!.id,
      },
      who.viewer.email,
    );
    return {
      result: officerAnswer(created),
      audit: {
        action: 'officer.create',
        license: created.license,
        agencyId: created.agencyId,
        before: null,
        after: officerAnswer(created),
      },
      licenses: [created.license],
    };
  });
}

const FIELDS = ['firstName', 'lastName', 'email'] as const;

/** `PATCH /api/officers/:license`: any of `firstName`, `lastName`, `email` (null removes it). */
export async function changeOfficer(
  deps: DirectoryDeps,
  who: Recorder,
  license: string,
  body: Body,
): Promise<OfficerAnswer> {
  authorize(who.viewer, 'officer.update', await officerContext(deps.pool, who, license));
  return directoryChange(deps, who, async (tx) => {
    const before = await readOfficer(tx, license);
    if (!before) throw new NotFound('not found');
    const problems: FieldProblem[] = unknownFields(body, FIELDS);
    const row = asRosterRow(
      ROW_SCHEMAS.officers,
      {
        license,
        agencyId: before.agencyId,
        firstName: has(body, 'firstName') ? body.firstName : before.firstName,
        lastName: has(body, 'lastName') ? body.lastName : before.lastName,
        email: has(body, 'email') ? body.email : before.email,
      },
      problems,
    );
    refuseProblems(problems);
    const fields = { firstName: row!.firstName, lastName: row!.lastName, email: row!.email };
    if (sameFields({ firstName: before.firstName, lastName: before.lastName, email: before.email }, fields))
      return { result: officerAnswer(before), audit: null, licenses: [] };
    const after = await updateOfficer(tx, license, fields, who.viewer.email);
    return {
      result: officerAnswer(after),
      audit: {
        action: 'officer.update',
        license,
        agencyId: after.agencyId,
        before: officerAnswer(before),
        after: officerAnswer(after),
      },
      licenses: [license],
    };
  });
}
