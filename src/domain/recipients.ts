// Who gets an alert (RULES.md section 5): the chief of the officer's agency and the
// PRIMARY contacts of every district where the officer has an active assignment;
// from escalation level 2, also ESCALATION contacts and the agency's escalation e-mails.
// Recipients are resolved on the day of sending. A missing address is reported, never dropped.
import type { CivilDate } from './civil-date.ts';
import type { Recipient } from './alert-types.ts';
import type { ContactRole, DistrictKind, OfficerFacts } from './types.ts';
import { isActiveOn } from './status.ts';

/** RULES.md 12: an address that bounced in its role, marked until the directory changes it. */
export interface UndeliverableMark {
  /** Lower-cased. */
  email: string;
  /** The day it was marked (TZ). */
  since: CivilDate;
  /** The status code and diagnostic, in the remote server's words ('5.1.1 user unknown'). */
  reason: string;
  /** The enhanced status code alone ('5.1.1'), for words that say what it means; absent or null: none given. */
  status?: string | null;
}

export interface AgencyInfo {
  id: string;
  name: string;
  chiefName: string | null;
  chiefEmail: string | null;
  escalationEmails: readonly string[];
  /** The chief's address bounced (RULES.md 12); absent or null: not marked. */
  chiefUndeliverable?: UndeliverableMark | null;
}

export interface DistrictInfo {
  id: string;
  name: string;
  kind: DistrictKind;
  contacts: readonly { name: string; email: string; role: ContactRole }[];
  /** Its PRIMARY contacts' addresses that bounced (RULES.md 12); absent: none. */
  undeliverable?: readonly UndeliverableMark[];
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

/**
 * RULES.md 12: the next people of an address that bounced. A chief's are the agency's
 * escalation e-mails; a district PRIMARY contact's, the district's ESCALATION contacts; where
 * there are none, the admins (ADMIN_EMAILS). The same people the bounce of one e-mail is owed
 * to at once, and who receive every alert for that role while the address stays marked.
 */
export function nextPeopleOf(
  side:
    | { kind: 'CHIEF'; agency: AgencyInfo | undefined }
    | { kind: 'DISTRICT_PRIMARY'; district: DistrictInfo | undefined },
  adminEmails: readonly string[],
): { email: string; name: string | null; role: Recipient['role']; districtId: string | null }[] {
  if (side.kind === 'CHIEF') {
    const list = side.agency?.escalationEmails ?? [];
    if (list.length > 0)
      return list.map((email) => ({ email, name: null, role: 'AGENCY_ESCALATION' as const, districtId: null }));
  } else {
    const d = side.district;
    const list = (d?.contacts ?? []).filter((c) => c.role === 'ESCALATION');
    if (list.length > 0)
      return list.map((c) => ({
        email: c.email,
        name: c.name,
        role: 'DISTRICT_ESCALATION' as const,
        districtId: d?.id ?? null,
      }));
  }
  return adminEmails.map((email) => ({ email, name: null, role: 'ADMIN' as const, districtId: null }));
}

export function resolveRecipients(
  facts: OfficerFacts,
  d: CivilDate,
  agency: AgencyInfo | undefined,
  districts: ReadonlyMap<string, DistrictInfo>,
  audience: Audience,
  adminEmails: readonly string[] = [],
): RecipientSet {
  const byEmail = new Map<string, Recipient>();
  const missing: string[] = [];
  const add = (r: Recipient) => {
    const key = r.email.toLowerCase();
    if (!byEmail.has(key)) byEmail.set(key, r);
  };
  /** RULES.md 12: while an address is marked undeliverable, its role's alerts also go to the next people. */
  const standIns = (
    mark: UndeliverableMark,
    role: 'CHIEF' | 'DISTRICT_PRIMARY',
    people: ReturnType<typeof nextPeopleOf>,
  ) => {
    for (const p of people)
      add({ ...p, standInFor: { email: mark.email, role, since: mark.since, reason: mark.reason } });
  };
  if (audience.chief) {
    if (agency?.chiefEmail) {
      add({ email: agency.chiefEmail, name: agency.chiefName, role: 'CHIEF', districtId: null });
      const mark = agency.chiefUndeliverable;
      if (mark && mark.email === agency.chiefEmail.toLowerCase())
        standIns(mark, 'CHIEF', nextPeopleOf({ kind: 'CHIEF', agency }, adminEmails));
    } else missing.push(`agency ${facts.agencyId} has no chief e-mail on file`);
  }
  for (const id of activeDistrictIds(facts, d)) {
    const district = districts.get(id);
    const contacts = district?.contacts ?? [];
    if (audience.districtPrimary) {
      const primary = contacts.filter((c) => c.role === 'PRIMARY');
      if (primary.length === 0) missing.push(`district ${id} has no PRIMARY contact on file`);
      for (const c of primary) {
        add({ email: c.email, name: c.name, role: 'DISTRICT_PRIMARY', districtId: id });
        const mark = district?.undeliverable?.find((m) => m.email === c.email.toLowerCase());
        if (mark) standIns(mark, 'DISTRICT_PRIMARY', nextPeopleOf({ kind: 'DISTRICT_PRIMARY', district }, adminEmails));
      }
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

/** RULES.md 12: an address of the standard audience marked undeliverable, and whose it is. */
export type UndeliverableContact =
  | { kind: 'CHIEF'; agencyId: string; agencyName: string; mark: UndeliverableMark }
  | {
      kind: 'DISTRICT_PRIMARY';
      districtId: string;
      districtName: string;
      districtKind: DistrictKind;
      mark: UndeliverableMark;
    };

/**
 * The addresses the officer's alerts go to (RULES.md 5's standard audience: the chief, the
 * PRIMARY contacts of the districts where the officer serves on D) that are marked
 * undeliverable (RULES.md 12), chief first: ADDRESS_UNDELIVERABLE in reports and digests.
 */
export function undeliverableContacts(
  facts: OfficerFacts,
  d: CivilDate,
  agency: AgencyInfo | undefined,
  districts: ReadonlyMap<string, DistrictInfo>,
): UndeliverableContact[] {
  const out: UndeliverableContact[] = [];
  const chiefMark = agency?.chiefUndeliverable;
  if (agency?.chiefEmail && chiefMark && chiefMark.email === agency.chiefEmail.toLowerCase())
    out.push({ kind: 'CHIEF', agencyId: agency.id, agencyName: agency.name, mark: chiefMark });
  for (const id of activeDistrictIds(facts, d)) {
    const district = districts.get(id);
    for (const c of district?.contacts ?? []) {
      if (c.role !== 'PRIMARY') continue;
      const mark = district?.undeliverable?.find((m) => m.email === c.email.toLowerCase());
      if (district && mark)
        out.push({
          kind: 'DISTRICT_PRIMARY',
          districtId: id,
          districtName: district.name,
          districtKind: district.kind,
          mark,
        });
    }
  }
  return out;
}
