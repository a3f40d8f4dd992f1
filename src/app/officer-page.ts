// What the console's pages read besides the lists of src/app/console.ts: one officer's page
// with the forms the viewer may use (the policy module's flags, so the template never decides
// and a form appears exactly when its request would be allowed and can apply), the names the
// officer list shows beside ids, and, for the officer themself, the other people on the page
// by their role, never their address (INTERFACE.md "Pages for people").
import type { CivilDate } from '../domain/civil-date.ts';
import { receivedDeadlineMissed } from '../db/console-facts.ts';
import { obligationOf } from '../domain/obligations.ts';
import { readNames } from '../db/officer-facts.ts';
import { type AgencyPolicyMeta, readAgencyPolicyMeta } from '../db/agency-policy.ts';
import type { Directory } from '../db/officer-reader.ts';
import { type ConsoleContext, type OfficerDetail, type officerSubject, officerDetail } from './console.ts';
import { type DueDateCorrection, recentDueDateCorrections } from './due-date-correction.ts';
import { type OfficerPermissions, type Viewer, officerPermissions, reviewKindOf } from './policy.ts';

/** The officer as the request's scope check read them (src/app/console.ts officerSubject). */
export type Officer = NonNullable<Awaited<ReturnType<typeof officerSubject>>>;

export interface OfficerPage {
  detail: OfficerDetail;
  /** The forms and links the viewer is offered. */
  permissions: OfficerPermissions;
  /** The deadline OVERDUE today (the acknowledgement form's), or null; only when the page is of today. */
  overdueDue: CivilDate | null;
  /** The viewer is the officer themself (not also their chief or an admin): the page speaks to them. */
  self: boolean;
  /**
   * How the page names a person by address: to the officer themself, by role ("your chief",
   * "the contacts of Albert Lea Area Schools"); to anyone else, the address itself.
   */
  personOf: (email: string) => string;
  /** RULES.md 8 "Say so": the due date's correction while it is recent (30 days before `asOf`), else null. */
  dueDateCorrection: DueDateCorrection | null;
  /** RULES.md 10: the SRO policy file of the officer's agency, when the viewer may read it and one was uploaded. */
  policyFile: AgencyPolicyMeta | null;
}

/** One officer's page as of `asOf` for the viewer; null when there is no such officer. */
export async function officerPage(
  c: ConsoleContext,
  viewer: Viewer,
  officer: Officer,
  asOf: CivilDate,
  today: CivilDate,
): Promise<OfficerPage | null> {
  const detail = await officerDetail(c, officer.license, asOf);
  if (!detail) return null;
  // RULES.md 6: only a deadline OVERDUE today is acknowledged, by whoever may (the policy says who).
  const overdueDue = asOf === today && detail.status.status === 'OVERDUE' ? detail.status.dueDate : null;
  const overdue =
    overdueDue === null
      ? null
      : {
          dueDate: overdueDue,
          receivedOverdueNotice: await receivedDeadlineMissed(
            c.pool,
            officer.license,
            overdueDue,
            viewer.email,
            obligationOf(detail.status),
          ),
        };
  const permissions = officerPermissions(viewer, officer, overdue, {
    substituteDistrictIds: [
      ...new Set(detail.facts.assignments.filter((a) => a.role === 'SUBSTITUTE').map((a) => a.districtId)),
    ],
    acknowledgements: detail.acknowledgements.map((a) => ({ id: a.id, acknowledgedBy: a.acknowledgedBy })),
  });
  const self = reviewKindOf(viewer, officer) === 'attestation';
  const roles = self ? rolesByAddress(await c.directory(), officer) : null;
  // To the officer, people by their role; to everyone else, the address, and the officer's own
  // address with their name (a submission "by Dana Olson (dolson@…)").
  const ownEmail = detail.email?.toLowerCase() ?? null;
  const personOf = (email: string) =>
    roles
      ? (roles.get(email.toLowerCase()) ?? 'someone else on file')
      : email.toLowerCase() === ownEmail
        ? `${detail.officer.name} (${email})`
        : email;
  const corrections = await recentDueDateCorrections(c.pool, [detail.status], asOf, {
    timeZone: c.timeZone,
    districtName: (id) => detail.names.districts.get(id) ?? id,
  });
  return {
    detail,
    permissions,
    overdueDue,
    self,
    personOf,
    dueDateCorrection: corrections.get(officer.license) ?? null,
    policyFile: permissions.readAgencyPolicy ? await readAgencyPolicyMeta(c.pool, officer.agencyId) : null,
  };
}

/** The roles of the people an officer's alerts go to, by lower-cased address, as the officer reads them. */
function rolesByAddress(directory: Directory, officer: Officer): Map<string, string> {
  const roles = new Map<string, string>();
  const add = (email: string | null, role: string) => {
    if (email && !roles.has(email.toLowerCase())) roles.set(email.toLowerCase(), role);
  };
  const agency = directory.agencies.get(officer.agencyId);
  add(agency?.chiefEmail ?? null, 'your chief');
  for (const e of agency?.escalationEmails ?? []) add(e, "your agency's escalation contacts");
  for (const id of officer.districtIds) {
    const district = directory.districts.get(id);
    for (const contact of district?.contacts ?? [])
      add(contact.email, `the contacts of ${district?.name ?? `district ${id}`}`);
  }
  return roles;
}

/** The names of these agencies by id (an id without an agency is left out). */
export async function agencyNames(
  c: Pick<ConsoleContext, 'pool'>,
  ids: readonly string[],
): Promise<Map<string, string>> {
  return (await readNames(c.pool, [...new Set(ids)], [])).agencies;
}
