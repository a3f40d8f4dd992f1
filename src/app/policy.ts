// Who may do what in the console: the one place it is decided (as Outline's server/policies).
// The route hook, the queue dashboard, the use cases and the pages all ask this module; none
// of them inspects a role itself, and a template only reads the flags `officerPermissions`
// gives it, so a form appears exactly when its request would be allowed.
//
// Pure: it takes the viewer (their roles, read from the roster on every request) and the
// subject (the officer as the database holds it today) and answers; it reads nothing itself.
// Scopes are INTERFACE.md "Console" ("Who sees what"); who may record what is RULES.md 7,
// acknowledgements RULES.md 6.
import type { RosterGrant, Scope } from '../db/identity.ts';

type ConsoleRole = 'ADMIN' | RosterGrant['role'];

export interface Grant extends Omit<RosterGrant, 'role'> {
  role: ConsoleRole;
}

/** A signed-in address and every role it holds today (roles add up). */
export interface Viewer {
  email: string;
  grants: Grant[];
  /** The roster version the grants were read on. */
  rosterVersion: string;
  /** The alert ledger's change counter when the request began; null when not read (no cache of last alerts). */
  ledgerVersion: string | null;
}

/** An officer as the rules of who may see and change them need it (read once per request). */
export interface OfficerSubject {
  license: string;
  agencyId: string;
  /** Every district the officer has an assignment in, ended ones included ("the district served"). */
  districtIds: readonly string[];
  /** The districts of the officer's assignments active today (a district contact's scope). */
  activeDistrictIds: readonly string[];
}

/** Contact days of an officer in one district. */
export interface DistrictSubject {
  officer: OfficerSubject;
  districtId: string;
}

/** An agency of the directory (RULES.md 11). */
interface AgencySubject {
  agencyId: string;
}

/** A school district or charter school of the directory (RULES.md 11). */
interface DistrictOfDirectory {
  districtId: string;
}

/**
 * What a compliance report covers (INTERFACE.md "Reports for the board and the auditor"): an
 * agency's officers, those with an assignment active on the as-of day in a district, or
 * everyone (admins).
 */
export type ReportScope = { agencyId: string } | { districtId: string } | { everything: true };

/** What a console user can ask for, and the subject each is decided on. */
export interface Subjects {
  /** Sign in and see one's own list (any role on file, or ADMIN_EMAILS). */
  'console.use': null;
  'audit.read': null;
  'roster.import': null;
  /** The queue dashboard (read-only). */
  'queues.read': null;
  'officer.read': OfficerSubject;
  'training.record': OfficerSubject;
  'training.delete': OfficerSubject;
  /** RULES.md 10: the officer submits their own training for the chief's review. */
  'training.submit': OfficerSubject;
  /** A training request of the route table: recorded (the chief, admins) or submitted (the officer). */
  'training.add': OfficerSubject;
  /** RULES.md 10: confirming or rejecting a submitted training. */
  'training.review': OfficerSubject;
  /** Reading back a certificate file (V.E: the chief holds the copy). */
  'certificate.read': OfficerSubject;
  'policyReview.record': OfficerSubject;
  'policyReview.delete': OfficerSubject;
  /** Recording a review of another agency's policy than the officer's own. */
  'policyReview.otherAgency': OfficerSubject;
  'contactDays.record': DistrictSubject;
  'contactDays.delete': DistrictSubject;
  /** `receivedOverdueNotice`: the viewer's address received the DEADLINE_MISSED notice of that deadline. */
  'deadline.acknowledge': { officer: OfficerSubject; receivedOverdueNotice: boolean };
  /** Correcting or withdrawing an acknowledgement made by `acknowledgedBy` (an address). */
  'acknowledgement.change': { officer: OfficerSubject; acknowledgedBy: string };
  // The directory kept in the console (RULES.md 11). `*.read` is the scope (out of it: 404).
  /** The directory's lists of agencies and districts (admins). */
  'directory.list': null;
  'agency.read': AgencySubject;
  /** The chief's name and e-mail, the escalation e-mails, the name. */
  'agency.update': AgencySubject;
  'district.read': DistrictOfDirectory;
  /** The contacts, the name, the district's days without school. */
  'district.update': DistrictOfDirectory;
  /** A new officer of this agency. */
  'officer.create': AgencySubject;
  /** An officer's name and e-mail. */
  'officer.update': OfficerSubject;
  /** A new assignment of the officer in this district. */
  'assignment.create': DistrictSubject;
  /** An assignment's dates, role, school and trainingUnavailable (the district is the assignment's). */
  'assignment.update': DistrictSubject;
  /** RULES.md 12: the abuse reports (complaints) recipients made about the service's e-mails. */
  'complaints.read': null;
  /** Uploading the agency's SRO policy PDF (RULES.md 10). */
  'agencyPolicy.update': AgencySubject;
  /** Downloading the SRO policy PDF of the officer's agency from the officer's page (RULES.md 10). */
  'agencyPolicy.read': OfficerSubject;
  /** The Reports page: who may make a report of some scope. */
  'report.list': null;
  /** The compliance report and the evidence packet of a scope (out of it: 404). */
  'report.read': ReportScope;
}

export type Action = keyof Subjects;

// ---- The viewer's roles ----

const holds = (v: Viewer, role: ConsoleRole, match: (g: Grant) => boolean = () => true) =>
  v.grants.some((g) => g.role === role && match(g));

/** An address of ADMIN_EMAILS: sees and may do everything. */
const isAdmin = (v: Viewer) => holds(v, 'ADMIN');
const isChiefOf = (v: Viewer, o: OfficerSubject) => holds(v, 'CHIEF', (g) => g.agencyId === o.agencyId);
const isEscalationOf = (v: Viewer, o: OfficerSubject) =>
  holds(v, 'AGENCY_ESCALATION', (g) => g.agencyId === o.agencyId);
const isTheOfficer = (v: Viewer, o: OfficerSubject) => holds(v, 'OFFICER', (g) => g.license === o.license);
const isContactOf = (v: Viewer, districtId: string) => holds(v, 'DISTRICT_CONTACT', (g) => g.districtId === districtId);

/**
 * The viewer's scope (INTERFACE.md "Who sees what"); null for an admin (everything). A chief
 * or an agency escalation address: the agency's officers; a district contact: the officers
 * with an assignment active today in the district; an officer: their own record.
 */
export function scopeOf(v: Viewer): Scope | null {
  if (isAdmin(v)) return null;
  const pick = (role: ConsoleRole, key: 'agencyId' | 'districtId' | 'license') =>
    v.grants.filter((g) => g.role === role && g[key] !== undefined).map((g) => g[key] as string);
  return {
    agencies: [...pick('CHIEF', 'agencyId'), ...pick('AGENCY_ESCALATION', 'agencyId')],
    districts: pick('DISTRICT_CONTACT', 'districtId'),
    licenses: pick('OFFICER', 'license'),
  };
}

// ---- The rules ----

type Rule<A extends Action> = (v: Viewer, subject: Subjects[A]) => boolean;

const inScope = (v: Viewer, o: OfficerSubject) =>
  isAdmin(v) ||
  isChiefOf(v, o) ||
  isEscalationOf(v, o) ||
  isTheOfficer(v, o) ||
  o.activeDistrictIds.some((d) => isContactOf(v, d));

// RULES.md 7: a training or a certificate, the officer's chief and admins.
const chiefOrAdmin = (v: Viewer, o: OfficerSubject) => isAdmin(v) || isChiefOf(v, o);
// RULES.md 7: a policy review, the chief, admins and the officer themself (an attestation).
const reviewer = (v: Viewer, o: OfficerSubject) => chiefOrAdmin(v, o) || isTheOfficer(v, o);
// RULES.md 7: contact days, the contacts of the district served, the chief and admins. (Whether
// the officer serves that district at all is the request's validity, checked by the use case.)
const contactDays = (v: Viewer, { officer, districtId }: DistrictSubject) =>
  chiefOrAdmin(v, officer) || isContactOf(v, districtId);

const RULES: { [A in Action]: Rule<A> } = {
  'console.use': (v) => v.grants.length > 0,
  'audit.read': (v) => isAdmin(v),
  'roster.import': (v) => isAdmin(v),
  'queues.read': (v) => isAdmin(v),
  'officer.read': inScope,
  'training.record': chiefOrAdmin,
  'training.delete': chiefOrAdmin,
  // RULES.md 10: the officer submits (PENDING_REVIEW); the chief or an admin confirms or rejects.
  'training.submit': (v, o) => isTheOfficer(v, o),
  'training.add': (v, o) => chiefOrAdmin(v, o) || isTheOfficer(v, o),
  'training.review': chiefOrAdmin,
  'certificate.read': chiefOrAdmin,
  'policyReview.record': reviewer,
  'policyReview.delete': reviewer,
  // Decision (RULES.md 7 is silent): a chief or an officer attests a review of the officer's
  // current agency's policy only; an admin may record one of any agency on file.
  'policyReview.otherAgency': (v) => isAdmin(v),
  'contactDays.record': contactDays,
  'contactDays.delete': contactDays,
  // RULES.md 6: the chief, admins, and whoever received the overdue notice of that deadline.
  'deadline.acknowledge': (v, { officer, receivedOverdueNotice }) => chiefOrAdmin(v, officer) || receivedOverdueNotice,
  // Decision (RULES.md 6 is silent): an acknowledgement is corrected or withdrawn by whoever
  // made it, the officer's chief and admins; each change is audited, before and after.
  'acknowledgement.change': (v, { officer, acknowledgedBy }) =>
    chiefOrAdmin(v, officer) || v.email.toLowerCase() === acknowledgedBy.toLowerCase(),
  // RULES.md 11's table: admins any row; a chief their agency, its officers and their
  // assignments; a district's contacts their district's contacts and the assignments in it.
  'directory.list': (v) => isAdmin(v),
  // RULES.md 12: "a complaint is recorded and shown to admins".
  'complaints.read': (v) => isAdmin(v),
  // Decision (RULES.md 11 is silent on reading): an agency is seen by those it gives a scope
  // (admins, its chief, its escalation addresses), a district by admins and its contacts.
  'agency.read': (v, { agencyId }) =>
    isAdmin(v) ||
    holds(v, 'CHIEF', (g) => g.agencyId === agencyId) ||
    holds(v, 'AGENCY_ESCALATION', (g) => g.agencyId === agencyId),
  'agency.update': (v, { agencyId }) => isAdmin(v) || holds(v, 'CHIEF', (g) => g.agencyId === agencyId),
  'district.read': (v, { districtId }) => isAdmin(v) || isContactOf(v, districtId),
  'district.update': (v, { districtId }) => isAdmin(v) || isContactOf(v, districtId),
  'officer.create': (v, { agencyId }) => isAdmin(v) || holds(v, 'CHIEF', (g) => g.agencyId === agencyId),
  // RULES.md 10 (the policy the officer reviews): an admin or the chief uploads it per agency.
  'agencyPolicy.update': (v, { agencyId }) => isAdmin(v) || holds(v, 'CHIEF', (g) => g.agencyId === agencyId),
  // Decision (RULES.md 10 is silent): the agency's people read it (admins, the chief, the
  // agency's escalation addresses, the officer); a district contact is not the agency's.
  'agencyPolicy.read': (v, o) => chiefOrAdmin(v, o) || isEscalationOf(v, o) || isTheOfficer(v, o),
  'officer.update': chiefOrAdmin,
  'assignment.create': (v, { officer, districtId }) => chiefOrAdmin(v, officer) || isContactOf(v, districtId),
  'assignment.update': (v, { officer, districtId }) => chiefOrAdmin(v, officer) || isContactOf(v, districtId),
  // INTERFACE.md "Reports for the board and the auditor": admins any scope, a chief their
  // agency, a district contact their district. Decision (the contract names no one else): an
  // agency's escalation addresses and officers get none, since the packet holds certificates
  // (V.E: the chief's copies, which only the chief and admins may read).
  'report.list': (v) => reportChoices(v) !== null,
  'report.read': (v, scope) =>
    isAdmin(v) ||
    ('agencyId' in scope && holds(v, 'CHIEF', (g) => g.agencyId === scope.agencyId)) ||
    ('districtId' in scope && isContactOf(v, scope.districtId)),
};

/**
 * INTERFACE.md "Pages for people": an officer's `/` is their own record. The license when the
 * viewer's only role is the officer of one record (no chief, contact or admin role besides);
 * null otherwise (the list).
 */
export function ownRecordOf(v: Viewer): string | null {
  const licenses = [...new Set(v.grants.filter((g) => g.role === 'OFFICER').map((g) => g.license))];
  return licenses.length === 1 && licenses[0] && v.grants.every((g) => g.role === 'OFFICER') ? licenses[0] : null;
}

/** The scopes the Reports page offers the viewer; null when they may make none. */
export function reportChoices(v: Viewer): { everything: boolean; agencies: string[]; districts: string[] } | null {
  const pick = (role: ConsoleRole, key: 'agencyId' | 'districtId') => [
    ...new Set(v.grants.filter((g) => g.role === role && g[key] !== undefined).map((g) => g[key] as string)),
  ];
  const choices = {
    everything: isAdmin(v),
    agencies: pick('CHIEF', 'agencyId'),
    districts: pick('DISTRICT_CONTACT', 'districtId'),
  };
  return choices.everything || choices.agencies.length > 0 || choices.districts.length > 0 ? choices : null;
}

/**
 * Actions on an officer that do not need the officer in the viewer's scope first. Decision
 * (RULES.md 11 "assignments in their district"): a district contact brings an officer into
 * their district with a new assignment, though the officer is not yet theirs to see, and
 * corrects an assignment in their district that has not started yet (or has ended).
 */
const OUTSIDE_SCOPE: ReadonlySet<Action> = new Set<Action>(['assignment.create', 'assignment.update']);

/** Whether the viewer may do `action` on `subject`. Every action needs the subject in scope. */
export function can<A extends Action>(v: Viewer, action: A, subject: Subjects[A]): boolean {
  const officer = officerOf(subject);
  if (officer && !OUTSIDE_SCOPE.has(action) && !inScope(v, officer)) return false;
  return RULES[action](v, subject);
}

function officerOf(subject: Subjects[Action]): OfficerSubject | null {
  if (subject === null) return null;
  if ('officer' in subject) return subject.officer;
  return 'license' in subject ? subject : null;
}

/** Why a refused action is refused, in the words of the person who asked (pages and the API show it). */
export function refusalOf(action: Action, subject?: Subjects[Action]): string {
  switch (action) {
    case 'console.use':
      return 'This address has no role in the roster.';
    case 'audit.read':
    case 'roster.import':
    case 'queues.read':
      return 'Only admins may do this.';
    case 'officer.read':
      return 'There is nothing here, or nothing you may see.';
    case 'training.record':
    case 'training.delete':
      return "Only the officer's chief and admins may record or delete a training or a certificate.";
    case 'certificate.read':
      return "Only the officer's chief and admins may read a certificate.";
    case 'training.submit':
    case 'training.add':
      return "Only the officer's chief and admins may record a training, and the officer submit their own.";
    case 'training.review':
      return "Only the officer's chief and admins may confirm or reject a submitted training.";
    case 'policyReview.record':
    case 'policyReview.delete':
      return "Only the officer's chief, admins and the officer themself may record or delete a policy review.";
    case 'policyReview.otherAgency':
      return "A policy review is of the officer's own agency's policy; only admins may record one of another agency.";
    case 'contactDays.record':
    case 'contactDays.delete': {
      const d = subject && 'districtId' in subject ? subject.districtId : 'the district';
      return `Only the contacts of district ${d}, the officer's chief and admins may record or delete contact days there.`;
    }
    case 'directory.list':
      return 'Only admins may list the whole directory.';
    case 'complaints.read':
      return 'Only admins may see the complaints about e-mails.';
    case 'agency.read':
    case 'district.read':
      return 'There is nothing here, or nothing you may see.';
    case 'agency.update':
      return "Only the agency's chief and admins may change the agency's chief or escalation e-mails.";
    case 'district.update':
      return "Only the district's contacts and admins may change the district's contacts.";
    case 'officer.create':
      return "Only the agency's chief and admins may add an officer to the agency.";
    case 'officer.update':
      return "Only the officer's chief and admins may change the officer's name or e-mail.";
    case 'agencyPolicy.update':
      return "Only the agency's chief and admins may upload the agency's SRO policy.";
    case 'agencyPolicy.read':
      return "Only the agency's chief, its escalation contacts, its officers and admins may read the agency's SRO policy.";
    case 'assignment.create':
    case 'assignment.update': {
      const d = subject && 'districtId' in subject ? subject.districtId : 'the district';
      return `Only the officer's chief, the contacts of district ${d} and admins may add or change the officer's assignments there.`;
    }
    case 'deadline.acknowledge':
      return "Only the officer's chief, admins and those who received the overdue notice for this deadline may acknowledge it.";
    case 'acknowledgement.change':
      return "Only the person who made the acknowledgment, the officer's chief and admins may correct or withdraw it.";
    case 'report.list':
    case 'report.read':
      return 'There is nothing here, or nothing you may see.';
    default: {
      const never: never = action;
      return never;
    }
  }
}

/**
 * The policy review the viewer records: an officer recording their own (and neither their
 * chief nor an admin) attests it, and the page asks them to tick its sentence (V.C/V.D).
 */
export function reviewKindOf(v: Viewer, o: OfficerSubject): 'attestation' | 'record' {
  return isTheOfficer(v, o) && !chiefOrAdmin(v, o) ? 'attestation' : 'record';
}

/** What an officer's page offers the viewer: each flag is exactly `can` of the action behind the form. */
export interface OfficerPermissions {
  recordTraining: boolean;
  /** RULES.md 10: the officer's own form, which submits a training for the chief's review. */
  submitTraining: boolean;
  /** RULES.md 10: the confirm and reject forms of a submitted training. */
  reviewTraining: boolean;
  deleteTraining: boolean;
  readCertificate: boolean;
  recordPolicyReview: boolean;
  deletePolicyReview: boolean;
  /** The review form asks for the attestation (the officer themself). */
  attestPolicyReview: boolean;
  /**
   * The districts the contact-days form offers: those where the officer serves as a substitute
   * (the days count for nobody else, V.D), and the viewer may record days.
   */
  contactDayDistricts: string[];
  /** The districts whose CONSOLE contact days the viewer may delete (any assignment's). */
  deleteContactDayDistricts: string[];
  /** The overdue deadline the viewer may acknowledge today, or null. */
  acknowledgeDueDate: string | null;
  /** The acknowledgements (by id) the viewer may correct or withdraw. */
  changeAcknowledgements: string[];
  /** The officer's name and e-mail form (`officer.update`). */
  updateOfficer: boolean;
  /** The link to the agency's SRO policy file (`agencyPolicy.read`), when one was uploaded. */
  readAgencyPolicy: boolean;
  /**
   * The new-assignment form: the districts it may name, or 'any' (the chief and admins, who
   * add the officer to any district); [] offers no form.
   */
  createAssignment: 'any' | string[];
  /** The districts whose assignments of the officer the viewer may end (`assignment.update`). */
  updateAssignmentDistricts: string[];
}

/** What the page knows of the officer beyond the subject: what decides which forms can apply. */
export interface OfficerFormFacts {
  /** The districts where the officer has a SUBSTITUTE assignment (ended ones included). */
  substituteDistrictIds: readonly string[];
  /** The acknowledgements on the page: their id and who made them. */
  acknowledgements: readonly { id: string; acknowledgedBy: string }[];
}

/**
 * The page's flags for one officer (Outline's presentPolicies): `overdue` is today's missed
 * deadline and whether this viewer received its notice, or null when nothing is overdue.
 * A form that cannot apply is not offered though its request would be allowed: contact days
 * only where the officer is a substitute (INTERFACE.md "Pages for people").
 */
export function officerPermissions(
  v: Viewer,
  o: OfficerSubject,
  overdue: { dueDate: string; receivedOverdueNotice: boolean } | null,
  facts: OfficerFormFacts,
): OfficerPermissions {
  const review = can(v, 'policyReview.record', o);
  const dayDistricts = o.districtIds.filter((districtId) => can(v, 'contactDays.record', { officer: o, districtId }));
  return {
    recordTraining: can(v, 'training.record', o),
    submitTraining: !can(v, 'training.record', o) && can(v, 'training.submit', o),
    reviewTraining: can(v, 'training.review', o),
    deleteTraining: can(v, 'training.delete', o),
    readCertificate: can(v, 'certificate.read', o),
    recordPolicyReview: review,
    deletePolicyReview: can(v, 'policyReview.delete', o),
    attestPolicyReview: review && reviewKindOf(v, o) === 'attestation',
    contactDayDistricts: dayDistricts.filter((d) => facts.substituteDistrictIds.includes(d)),
    deleteContactDayDistricts: o.districtIds.filter((districtId) =>
      can(v, 'contactDays.delete', { officer: o, districtId }),
    ),
    changeAcknowledgements: facts.acknowledgements
      .filter((a) => can(v, 'acknowledgement.change', { officer: o, acknowledgedBy: a.acknowledgedBy }))
      .map((a) => a.id),
    acknowledgeDueDate:
      overdue && can(v, 'deadline.acknowledge', { officer: o, receivedOverdueNotice: overdue.receivedOverdueNotice })
        ? overdue.dueDate
        : null,
    updateOfficer: can(v, 'officer.update', o),
    readAgencyPolicy: can(v, 'agencyPolicy.read', o),
    // RULES.md 11: the chief and admins add an assignment anywhere, a contact in their district.
    createAssignment: chiefOrAdmin(v, o)
      ? 'any'
      : v.grants
          .filter((g) => g.role === 'DISTRICT_CONTACT' && g.districtId !== undefined)
          .map((g) => g.districtId!)
          .filter((districtId) => can(v, 'assignment.create', { officer: o, districtId })),
    updateAssignmentDistricts: o.districtIds.filter((districtId) =>
      can(v, 'assignment.update', { officer: o, districtId }),
    ),
  };
}
