// What the directory's pages show (RULES.md 11): an agency or a district with the one flag its
// form needs, and the links an officer's page offers to them, each exactly `can` of the
// request behind it (policy.ts decides; the templates only read these).
import type { OfficerSubject, Viewer } from '../policy.ts';
import { can } from '../policy.ts';
import { type AgencyAnswer, agencyFor } from './agencies.ts';
import type { DirectoryDeps } from './change.ts';
import { type DistrictAnswer, districtFor } from './districts.ts';
import { busyAware } from '../../db/directory/client.ts';
import { readOfficer } from '../../db/directory/officers.ts';
import type { ComplaintRow } from '../../db/directory/deliverability.ts';
import { complaintsFor } from './deliverability.ts';
import { type AgencyPolicyMeta, readAgencyPolicyMeta } from '../../db/agency-policy.ts';
import { nextPeopleOf } from '../../domain/recipients.ts';

/** Who receives a marked address's alerts meanwhile (RULES.md 12, nextPeopleOf): the escalation addresses, else the admins. */
type StandIns = 'ESCALATION' | 'ADMINS';

export interface AgencyPage {
  agency: AgencyAnswer;
  /** The change form is offered (`agency.update`). */
  mayChange: boolean;
  /** The new officer form is offered (`officer.create`). */
  mayAddOfficer: boolean;
  /** RULES.md 12: complaints from the chief's and escalation addresses, for admins (`complaints.read`); else null. */
  complaints: ComplaintRow[] | null;
  /** The agency's SRO policy file (RULES.md 10), or null when none was uploaded. */
  policyFile: AgencyPolicyMeta | null;
  /** The upload form is offered (`agencyPolicy.update`). */
  mayUploadPolicy: boolean;
  /** Who gets the chief's alerts while the chief's address is marked undeliverable. */
  chiefStandIns: StandIns;
}

export async function agencyPage(deps: DirectoryDeps, viewer: Viewer, id: string): Promise<AgencyPage> {
  const agency = await agencyFor(deps, viewer, id);
  return {
    agency,
    mayChange: can(viewer, 'agency.update', { agencyId: id }),
    mayAddOfficer: can(viewer, 'officer.create', { agencyId: id }),
    complaints: await complaintsFor(deps, viewer, [agency.chief.email, ...agency.escalationEmails]),
    policyFile: await readAgencyPolicyMeta(deps.pool, id),
    mayUploadPolicy: can(viewer, 'agencyPolicy.update', { agencyId: id }),
    // With no admin addresses given, the next people are only the agency's own escalation ones.
    chiefStandIns:
      nextPeopleOf({ kind: 'CHIEF', agency: { ...agency, chiefName: null, chiefEmail: null } }, []).length > 0
        ? 'ESCALATION'
        : 'ADMINS',
  };
}

export interface DistrictPage {
  district: DistrictAnswer;
  /** The change form is offered (`district.update`). */
  mayChange: boolean;
  /** RULES.md 12: complaints from the district's contacts, for admins (`complaints.read`); else null. */
  complaints: ComplaintRow[] | null;
  /** Who gets the district's alerts while a primary contact's address is marked undeliverable. */
  contactStandIns: StandIns;
}

export async function districtPage(deps: DirectoryDeps, viewer: Viewer, id: string): Promise<DistrictPage> {
  const district = await districtFor(deps, viewer, id);
  return {
    district,
    mayChange: can(viewer, 'district.update', { districtId: id }),
    complaints: await complaintsFor(
      deps,
      viewer,
      district.contacts.map((c) => c.email),
    ),
    contactStandIns: nextPeopleOf({ kind: 'DISTRICT_PRIMARY', district }, []).length > 0 ? 'ESCALATION' : 'ADMINS',
  };
}

/** The directory pages an officer's page links to: the agency's, and each district's, when the viewer may read it. */
export interface DirectoryLinks {
  agency: boolean;
  districts: string[];
}

export function directoryLinks(viewer: Viewer, officer: OfficerSubject): DirectoryLinks {
  return {
    agency: can(viewer, 'agency.read', { agencyId: officer.agencyId }),
    districts: officer.districtIds.filter((districtId) => can(viewer, 'district.read', { districtId })),
  };
}

/** The officer's name as the change form edits it (first and last); null when not on file. */
export async function officerNameFields(
  deps: DirectoryDeps,
  license: string,
): Promise<{ firstName: string; lastName: string } | null> {
  const o = await busyAware(readOfficer(deps.db, license));
  return o ? { firstName: o.firstName, lastName: o.lastName } : null;
}
