// Who gets an alert (RULES.md section 5): the chief of the officer's agency and the
// PRIMARY contacts of every district where the officer has an active assignment;
// from escalation level 2, also ESCALATION contacts and the agency's escalation e-mails.
// Recipients are resolved on the day of sending. A missing address is reported, never dropped.
import type { CivilDate } from './civil-date.ts';
import type { Recipient } from './alert-types.ts';
import type { ContactRole, DistrictKind, OfficerFacts } from './types.ts';
import { isActiveOn } from './status.ts';

export interface AgencyInfo {
  id: string;
  name: string;
  chiefName: string | null;
  chiefEmail: string | null;
  escalationEmails: readonly string[];
}

export interface DistrictInfo {
  id: string;
  name: string;
  kind: DistrictKind;
  contacts: readonly { name: string; email: string; role: ContactRole }[];
}

export interface RecipientSet {
  recipients: Recipient[];
  /** Human-readable gaps: "agency MN0240100 has no chief e-mail". Non-empty means NO_CONTACT_ON_FILE. */
  missing: string[];
}

export interface Audience {
  chief: boolean;
  districtPrimary: boolean;
  escalation: boolean;
}

export const STANDARD_AUDIENCE: Audience = { chief: true, districtPrimary: true, escalation: false };
export const ESCALATED_AUDIENCE: Audience = { chief: true, districtPrimary: true, escalation: true };
export const CHIEF_ONLY: Audience = { chief: true, districtPrimary: false, escalation: false };

export function activeDistrictIds(facts: OfficerFacts, d: CivilDate): string[] {
  const ids = new Set<string>();
  for (const a of facts.assignments) if (isActiveOn(a, d)) ids.add(a.districtId);
  return [...ids].sort();
}

export function resolveRecipients(
  facts: OfficerFacts,
  d: CivilDate,
  agency: AgencyInfo | undefined,
  districts: ReadonlyMap<string, DistrictInfo>,
  audience: Audience,
): RecipientSet {
  const byEmail = new Map<string, Recipient>();
  const missing: string[] = [];
  const add = (r: Recipient) => {
    const key = r.email.toLowerCase();
    if (!byEmail.has(key)) byEmail.set(key, r);
  };
  if (audience.chief) {
    if (agency?.chiefEmail) add({ email: agency.chiefEmail, name: agency.chiefName, role: 'CHIEF', districtId: null });
    else missing.push(`agency ${facts.agencyId} has no chief e-mail on file`);
  }
  for (const id of activeDistrictIds(facts, d)) {
    const district = districts.get(id);
    const contacts = district?.contacts ?? [];
    if (audience.districtPrimary) {
      const primary = contacts.filter((c) => c.role === 'PRIMARY');
      if (primary.length === 0) missing.push(`district ${id} has no PRIMARY contact on file`);
      for (const c of primary) add({ email: c.email, name: c.name, role: 'DISTRICT_PRIMARY', districtId: id });
    }
    if (audience.escalation) {
      for (const c of contacts)
        if (c.role === 'ESCALATION') add({ email: c.email, name: c.name, role: 'DISTRICT_ESCALATION', districtId: id });
    }
  }
  if (audience.escalation && agency) {
    for (const email of agency.escalationEmails)
      add({ email, name: null, role: 'AGENCY_ESCALATION', districtId: null });
  }
  return { recipients: [...byEmail.values()], missing };
}

/**
 * NO_CONTACT_ON_FILE (RULES.md 4). Decision: shown whenever an officer who is not INACTIVE
 * lacks an address the standard audience needs (chief e-mail, or a PRIMARY contact of a
 * district where the officer serves), since any alert for that officer would miss someone.
 */
export function hasNoContactOnFile(
  facts: OfficerFacts,
  d: CivilDate,
  agency: AgencyInfo | undefined,
  districts: ReadonlyMap<string, DistrictInfo>,
): boolean {
  return resolveRecipients(facts, d, agency, districts, STANDARD_AUDIENCE).missing.length > 0;
}

/** Whose address is missing (NO_CONTACT_ON_FILE), for words that name that party. */
export type MissingContact =
  | { kind: 'CHIEF'; agencyId: string; agencyName: string | null }
  | { kind: 'DISTRICT_PRIMARY'; districtId: string; districtName: string | null; districtKind: DistrictKind | null };

/** The parties of the standard audience (RULES.md 5) with no address on file, chief first. */
export function missingContacts(
  facts: OfficerFacts,
  d: CivilDate,
  agency: AgencyInfo | undefined,
  districts: ReadonlyMap<string, DistrictInfo>,
): MissingContact[] {
  const out: MissingContact[] = [];
  if (!agency?.chiefEmail) out.push({ kind: 'CHIEF', agencyId: facts.agencyId, agencyName: agency?.name ?? null });
  for (const id of activeDistrictIds(facts, d)) {
    const district = districts.get(id);
    if (!(district?.contacts ?? []).some((c) => c.role === 'PRIMARY'))
      out.push({
        kind: 'DISTRICT_PRIMARY',
        districtId: id,
        districtName: district?.name ?? null,
        districtKind: district?.kind ?? null,
      });
  }
  return out;
}
