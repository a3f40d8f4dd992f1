// A district in the console (RULES.md 11; INTERFACE.md "Keeping the directory in the
// console"): read and changed (name, the whole contact list, its own days without school,
// RULES.md 9) by its contacts and admins. Losing the last PRIMARY contact needs the
// confirmation (RULES.md 5 "Nobody to send to"). A change re-evaluates the officers assigned
// there: its contacts are who their alerts go to.
import {
  type ContactRow,
  type DistrictRow,
  licensesServingDistrict,
  readDistrict,
  updateDistrict,
} from '../../db/directory/districts.ts';
import { type UndeliverableRow, readUndeliverableOf } from '../../db/directory/deliverability.ts';
import type { CivilDate } from '../../domain/civil-date.ts';
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

/** `GET /api/districts/:id` (INTERFACE.md). */
export interface DistrictAnswer {
  id: string;
  name: string;
  kind: 'DISTRICT' | 'CHARTER';
  /** `undeliverable`: a PRIMARY contact's address bounced (RULES.md 12); absent when it is not marked. */
  contacts: (ContactRow & { undeliverable?: UndeliverableAnswer })[];
  nonSchoolDays: CivilDate[];
  source: 'ROSTER' | 'CONSOLE';
}

/** The district as the directory holds it; with `marks`, its PRIMARY contacts' addresses marked undeliverable. */
export function districtAnswer(d: DistrictRow, marks: readonly UndeliverableRow[] = []): DistrictAnswer {
  return {
    id: d.id,
    name: d.name,
    kind: d.kind,
    contacts: d.contacts.map((c) => {
      // A mark is of the PRIMARY role it bounced in (an ESCALATION row of the same address is not marked).
      const undeliverable = c.role === 'PRIMARY' ? markOf(marks, c.email) : undefined;
      return { name: c.name, email: c.email, role: c.role, ...(undeliverable ? { undeliverable } : {}) };
    }),
    nonSchoolDays: d.nonSchoolDays,
    source: d.source,
  };
}

/** The district, for a viewer who may read it (the route hook asked; asked again here). */
export async function districtFor(deps: DirectoryDeps, viewer: Viewer, id: string): Promise<DistrictAnswer> {
  authorize(viewer, 'district.read', { districtId: id });
  const d = await readDistrict(deps.db, id);
  if (!d) throw new NotFound('not found');
  return districtAnswer(d, await readUndeliverableOf(deps.db, 'DISTRICT', id));
}

const FIELDS = ['name', 'contacts', 'nonSchoolDays', 'confirmNoContact'] as const;
/** A school year's worth and more; a longer list is a mistake. */
const MAX_NON_SCHOOL_DAYS = 400;

/**
 * A contact listed twice (the same address in the same role, in any case): the later one's
 * problem. Read from the list as sent, so that it is named beside the other problems.
 */
function repeatedContacts(contacts: unknown): FieldProblem[] {
  if (!Array.isArray(contacts)) return [];
  const seen = new Map<string, number>();
  const problems: FieldProblem[] = [];
  contacts.forEach((c: Partial<Record<keyof ContactRow, unknown>> | null, i) => {
    if (typeof c?.email !== 'string' || typeof c.role !== 'string') return;
    const key = `${c.role}\0${c.email.trim().toLowerCase()}`;
    const first = seen.get(key);
    if (first === undefined) seen.set(key, i);
    else
      problems.push({
        field: `contacts.${i}.email`,
        problem: `${c.email} is listed as ${c.role} already (contacts.${first}); list each contact once per role`,
      });
  });
  return problems;
}

/** The district's days without school: calendar days as a roster writes them, each once, sorted. */
function nonSchoolDaysOf(value: unknown, problems: FieldProblem[]): CivilDate[] | null {
  if (!Array.isArray(value)) {
    problems.push({ field: 'nonSchoolDays', problem: 'must be a list of dates (YYYY-MM-DD)' });
    return null;
  }
  if (value.length > MAX_NON_SCHOOL_DAYS) {
    problems.push({ field: 'nonSchoolDays', problem: `has more than ${MAX_NON_SCHOOL_DAYS} days` });
    return null;
  }
  const day = ROW_SCHEMAS.contactDays.shape.date;
  const days = new Set<CivilDate>();
  value.forEach((v, i) => {
    const parsed = day.safeParse(v);
    if (parsed.success) days.add(parsed.data);
    else problems.push({ field: `nonSchoolDays.${i}`, problem: parsed.error.issues[0]?.message ?? 'is not a date' });
  });
  return [...days].sort();
}

/**
 * `PATCH /api/districts/:id`: any of `name`, `contacts` (the whole list) and `nonSchoolDays`
 * (the whole list). Every problem at once (400); a district that had a PRIMARY contact and
 * would have none: 409 unless `confirmNoContact` is true. A request that changes nothing
 * writes nothing.
 */
export async function changeDistrict(
  deps: DirectoryDeps,
  who: Recorder,
  id: string,
  body: Body,
): Promise<DistrictAnswer> {
  authorize(who.viewer, 'district.update', { districtId: id });
  return directoryChange(deps, who, async (tx) => {
    const before = await readDistrict(tx, id);
    if (!before) throw new NotFound('not found');
    const problems: FieldProblem[] = [...unknownFields(body, FIELDS), ...confirmationProblems(body)];
    const row = asRosterRow(
      ROW_SCHEMAS.districts,
      {
        id,
        name: has(body, 'name') ? body.name : before.name,
        kind: before.kind,
        contacts: has(body, 'contacts') ? body.contacts : before.contacts,
      },
      problems,
    );
    problems.push(...repeatedContacts(has(body, 'contacts') ? body.contacts : []));
    const nonSchoolDays = has(body, 'nonSchoolDays') ? nonSchoolDaysOf(body.nonSchoolDays, problems) : null;
    refuseProblems(problems);
    const contacts = row!.contacts.map((c) => ({ name: c.name, email: c.email, role: c.role }));
    const fields = {
      name: row!.name,
      contacts: sameFields(contacts, before.contacts) ? null : contacts,
      nonSchoolDays: nonSchoolDays && !sameFields(nonSchoolDays, before.nonSchoolDays) ? nonSchoolDays : null,
    };
    // As the transaction reads them; markOf shows only those of a PRIMARY contact still on the list.
    const marks = await readUndeliverableOf(tx, 'DISTRICT', id);
    if (fields.name === before.name && fields.contacts === null && fields.nonSchoolDays === null)
      return { result: districtAnswer(before, marks), audit: null, licenses: [] };
    // RULES.md 11, 5 "Nobody to send to": the district's alerts would reach nobody.
    const primary = (list: readonly ContactRow[]) => list.some((c) => c.role === 'PRIMARY');
    if (fields.contacts && primary(before.contacts) && !primary(fields.contacts) && body.confirmNoContact !== true)
      throw new Conflict('The district would have no PRIMARY contact: nothing was changed.', [
        {
          field: 'contacts',
          problem:
            'the district would have no PRIMARY contact, so the alerts owed to the district would reach nobody; send "confirmNoContact": true to do it anyway',
        },
      ]);
    const after = await updateDistrict(tx, id, fields, who.viewer.email);
    return {
      result: districtAnswer(after, marks),
      audit: {
        action: 'district.update',
        districtId: id,
        before: districtAnswer(before),
        after: districtAnswer(after),
      },
      licenses: await licensesServingDistrict(tx, id, who.today),
    };
  });
}
