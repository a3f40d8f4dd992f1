// The weekly digest (RULES.md 5): one e-mail per chief (their agency's officers) and per
// PRIMARY district contact (officers assigned there), with every officer in exactly one
// group, most urgent first, and a plain sentence when nothing needs attention. Pure.
import type { Recipient } from '../domain/alert-types.ts';
import { type CivilDate, daysBetween } from '../domain/civil-date.ts';
import { SUBSTITUTE_DAY_LIMIT } from '../domain/status.ts';
import type { MissingContact, UndeliverableContact } from '../domain/recipients.ts';
import { undeliverableSentences } from './digest-undeliverable.ts';
import type { OfficerIssue, OfficerStatus } from '../domain/types.ts';
import { assertHeaderSafe, headerSafe } from './escape.ts';
import { type AcknowledgementNote, acknowledgementText, officerPageUrl } from './alerts/context.ts';
import { type DueDateCorrection, dueDateCorrectionText } from './due-date-correction.ts';
import {
  CERTIFICATE_BASIS,
  DEADLINE_BASIS,
  type MailDocument,
  type MailSection,
  type OfficerName,
  type RenderedMail,
  STATUS_LABEL,
  alertHeaders,
  daysLeftPhrase,
  isoAndLong,
  lastBusinessDayText,
  longDate,
  officerName,
  plural,
  renderHtml,
  renderText,
  restrictedDutiesShort,
} from './format.ts';

export interface DigestOfficer {
  officer: OfficerName;
  status: OfficerStatus;
  /** The status's issues plus NO_CONTACT_ON_FILE (src/app/weekly-digest.ts digestEntries). */
  issues: OfficerIssue[];
  /** An OVERDUE officer's latest acknowledgement of the deadline (RULES.md 6); absent: none. */
  acknowledgement?: AcknowledgementNote | null;
  /** RULES.md 8: the due date's recent correction (30 days); absent: none. */
  dueDateCorrection?: DueDateCorrection | null;
  /** With NO_CONTACT_ON_FILE: whose address is missing (absent: not known, the digest words it generally). */
  missingContacts?: readonly MissingContact[];
  /** RULES.md 12: the addresses this officer's alerts go to that are marked undeliverable; absent: none. */
  undeliverableContacts?: readonly UndeliverableContact[];
}

export interface DigestMailInput {
  recipient: Recipient;
  scope: { kind: 'AGENCY' | 'DISTRICT'; id: string; name: string };
  asOf: CivilDate;
  /** Monday of the digest's week. */
  weekOf: CivilDate;
  ledgerKey: string;
  officers: DigestOfficer[];
  /** Served contact days from which a substitute is listed as near the limit: the first SUBSTITUTE_DAY_THRESHOLDS value (default 45). */
  substituteWatchFrom?: number;
  /** The console's address (PUBLIC_URL); null or absent: the e-mail carries no console links. */
  consoleUrl?: string | null;
}

export type DigestGroupId =
  'OVERDUE' | 'DUE_30' | 'DUE_90' | 'SUBSTITUTE_NEAR_LIMIT' | 'ISSUES' | 'DUE_LATER' | 'COMPLIANT' | 'INACTIVE';

export interface DigestGroup {
  id: DigestGroupId;
  heading: string;
  officers: DigestOfficer[];
}

/**
 * Display order, most urgent first. "Due later" (more than 90 days out) follows the groups
 * that need action this week: a substitute near day 60 or a missing certificate is more
 * pressing than a deadline months away.
 */
const DIGEST_GROUP_ORDER: readonly { id: DigestGroupId; heading: string }[] = [
  { id: 'OVERDUE', heading: 'Overdue' },
  { id: 'DUE_30', heading: 'Due within 30 days' },
  { id: 'DUE_90', heading: 'Due within 90 days' },
  { id: 'SUBSTITUTE_NEAR_LIMIT', heading: `Substitutes near the ${SUBSTITUTE_DAY_LIMIT}-day limit` },
  // Includes officers whose only issue is NO_CONTACT_ON_FILE, so it names that too.
  { id: 'ISSUES', heading: 'Missing certificate, policy review or contact' },
  { id: 'DUE_LATER', heading: 'Due later' },
  { id: 'COMPLIANT', heading: 'Compliant' },
  { id: 'INACTIVE', heading: 'Not currently assigned' },
];

const NEEDS_ATTENTION: ReadonlySet<DigestGroupId> = new Set([
  'OVERDUE',
  'DUE_30',
  'DUE_90',
  'SUBSTITUTE_NEAR_LIMIT',
  'ISSUES',
]);

function daysRemainingOf(s: OfficerStatus, asOf: CivilDate): number | null {
  if (s.daysRemaining !== null) return s.daysRemaining;
  return s.dueDate ? daysBetween(asOf, s.dueDate) : null;
}

/** The one group an officer belongs to: the most urgent that applies. */
export function digestGroupOf(e: DigestOfficer, asOf: CivilDate, substituteWatchFrom = 45): DigestGroupId {
  const s = e.status;
  switch (s.status) {
    case 'INACTIVE':
      return 'INACTIVE';
    case 'OVERDUE':
      return 'OVERDUE';
    case 'DUE':
    case 'IN_GRACE': {
      const left = daysRemainingOf(s, asOf) ?? 0;
      if (left <= 30) return 'DUE_30';
      return left <= 90 ? 'DUE_90' : 'DUE_LATER';
    }
    case 'EXEMPT_SUBSTITUTE':
      if (s.contactDays >= substituteWatchFrom) return 'SUBSTITUTE_NEAR_LIMIT';
      return e.issues.length > 0 ? 'ISSUES' : 'COMPLIANT';
    case 'COMPLIANT':
      return e.issues.length > 0 ? 'ISSUES' : 'COMPLIANT';
    default: {
      const _exhaustive: never = s.status;
      return _exhaustive;
    }
  }
}

// Within a group: fewest days remaining first (for substitutes, fewest days left before
// day 60, i.e. most days served), then by name, then license so the order is total.
function sortKey(e: DigestOfficer, asOf: CivilDate): number {
  if (e.status.status === 'EXEMPT_SUBSTITUTE') return SUBSTITUTE_DAY_LIMIT - e.status.contactDays;
  return daysRemainingOf(e.status, asOf) ?? Number.POSITIVE_INFINITY;
}

function compareOfficers(a: DigestOfficer, b: DigestOfficer, asOf: CivilDate): number {
  const ka = sortKey(a, asOf);
  const kb = sortKey(b, asOf);
  if (ka !== kb) return ka < kb ? -1 : 1;
  const byName = (x: DigestOfficer) => `${x.officer.lastName}\u0000${x.officer.firstName}`;
  return (
    byName(a).localeCompare(byName(b), 'en', { sensitivity: 'base' }) ||
    (a.officer.license < b.officer.license ? -1 : a.officer.license > b.officer.license ? 1 : 0)
  );
}

/** Every group in display order, empty ones included, each sorted. */
export function groupDigest(
  officers: readonly DigestOfficer[],
  asOf: CivilDate,
  substituteWatchFrom = 45,
): DigestGroup[] {
  const groups = DIGEST_GROUP_ORDER.map((g) => ({ ...g, officers: [] as DigestOfficer[] }));
  for (const e of officers) groups.find((g) => g.id === digestGroupOf(e, asOf, substituteWatchFrom))?.officers.push(e);
  for (const g of groups) g.officers.sort((a, b) => compareOfficers(a, b, asOf));
  return groups;
}

function issueText(issue: OfficerIssue, s: OfficerStatus): string {
  switch (issue) {
    case 'CERTIFICATE_MISSING':
      return `training certificate not on file (${CERTIFICATE_BASIS.policy})`;
    case 'POLICY_REVIEW_MISSING':
      return `SRO policy review not recorded (${s.status === 'EXEMPT_SUBSTITUTE' ? 'V.D' : s.status === 'IN_GRACE' ? 'V.C' : 'V.C, V.D'})`;
    case 'NO_CONTACT_ON_FILE':
      return 'no e-mail address on file for alerts about this officer';
    case 'ADDRESS_UNDELIVERABLE':
      return 'an address alerts about this officer go to bounced';
    default: {
      const _exhaustive: never = issue;
      return _exhaustive;
    }
  }
}

const COLUMNS = ['Officer', 'Status', 'Due date', 'When', 'Notes'];

function row(e: DigestOfficer, asOf: CivilDate): string[] {
  const s = e.status;
  const left = daysRemainingOf(s, asOf);
  let when = '';
  if (s.status === 'EXEMPT_SUBSTITUTE') {
    when = `${plural(s.contactDays, 'contact day')} served; ${plural(Math.max(SUBSTITUTE_DAY_LIMIT - 1 - s.contactDays, 0), 'day')} left before day ${SUBSTITUTE_DAY_LIMIT}`;
  } else if (left !== null && s.dueDate) {
    when = daysLeftPhrase(left);
  }
  const notes: string[] = [];
  const basis = s.reason ?? s.basis;
  if (basis && s.dueDate) notes.push(`Policy 507.5 ${DEADLINE_BASIS[basis].policy}`);
  if (s.dueDate && s.status !== 'OVERDUE') {
    const lbd = lastBusinessDayText(s.dueDate);
    if (lbd) notes.push(`last business day ${lbd}`);
  }
  const restricted = restrictedDutiesShort(s.restrictedDuties);
  if (restricted) notes.push(restricted);
  if (s.status === 'EXEMPT_SUBSTITUTE' && s.projected60thDay)
    notes.push(`scheduled ${SUBSTITUTE_DAY_LIMIT}th day ${s.projected60thDay}`);
  if (s.status === 'COMPLIANT' && s.qualifyingTraining)
    notes.push(`trained ${s.qualifyingTraining.completedOn}${s.completedLate ? ' (completed late)' : ''}`);
  for (const issue of e.issues) notes.push(issueText(issue, s));
  // RULES.md 6: digests show the latest acknowledgement of a missed deadline.
  if (e.acknowledgement && s.status === 'OVERDUE')
    notes.push(acknowledgementText(e.acknowledgement).replace(/\.$/, ''));
  // RULES.md 8 "Say so": a due date corrected in the last 30 days.
  if (e.dueDateCorrection) notes.push(dueDateCorrectionText(e.dueDateCorrection).replace(/\.$/, ''));
  return [
    officerName(e.officer),
    STATUS_LABEL[s.status],
    s.dueDate ? isoAndLong(s.dueDate) : '',
    when,
    notes.join('; '),
  ];
}

function groupIntro(id: DigestGroupId, asOf: CivilDate): string {
  switch (id) {
    case 'OVERDUE':
      return 'The course deadline has passed. Escalation notices go out separately; enroll these officers in a POST-approved SRO course now.';
    case 'DUE_30':
      return 'Make sure each officer is enrolled in a POST-approved SRO course that finishes by the due date.';
    case 'DUE_90':
      return 'Enroll these officers in a POST-approved SRO course that finishes by the due date.';
    case 'SUBSTITUTE_NEAR_LIMIT':
      return `A substitute may serve fewer than ${SUBSTITUTE_DAY_LIMIT} student contact days in a school year without the course (V.D): the officer may not serve a ${SUBSTITUTE_DAY_LIMIT}th day untrained.`;
    case 'ISSUES':
      return "Trained or exempt officers with a record to complete: the certificate copy the chief keeps (V.E), the review of the agency's SRO policy (V.C, V.D), or an e-mail address for alerts.";
    case 'DUE_LATER':
      return 'No action needed yet: reminders start 90 days before the due date.';
    case 'COMPLIANT':
      return `Trained, or substitutes well under the ${SUBSTITUTE_DAY_LIMIT}-day limit (V.D). Nothing to do.`;
    case 'INACTIVE':
      return `No active SRO assignment as of ${asOf}. Listed so you can check the roster.`;
    default: {
      const _exhaustive: never = id;
      return _exhaustive;
    }
  }
}

const SUBJECT_COUNT: Partial<Record<DigestGroupId, string>> = {
  OVERDUE: 'overdue',
  DUE_30: 'due within 30 days',
  DUE_90: 'due within 90 days',
  SUBSTITUTE_NEAR_LIMIT: `near the ${SUBSTITUTE_DAY_LIMIT}-day substitute limit`,
  ISSUES: 'missing certificate, review or contact',
};

/**
 * With PUBLIC_URL: each listed officer's page in the digest's order, as facts (links in the
 * HTML part: table cells are plain text), then the console's home as a button.
 */
function consoleSection(consoleUrl: string, groups: readonly DigestGroup[]): MailSection {
  const home = `${consoleUrl.replace(/\/+$/, '')}/`;
  const facts: [string, string][] = [];
  for (const g of groups)
    for (const e of g.officers) facts.push([officerName(e.officer), officerPageUrl(consoleUrl, e.officer.license)]);
  return {
    heading: 'In the console',
    paragraphs: [
      "Each officer's page shows the status, the facts on record and every alert sent; a training, a policy review or contact days can be recorded there.",
    ],
    facts,
    buttons: [{ label: 'See all your officers', href: home }],
  };
}

/** A party whose address is missing, in words: 'the chief of Albert Lea Police Department'. */
function partyOf(m: MissingContact): {
  key: string;
  sentence: (officers: string, where: 'console' | 'roster') => string;
} {
  if (m.kind === 'CHIEF') {
    const agency = m.agencyName ?? `agency ${m.agencyId}`;
    return {
      key: `CHIEF:${m.agencyId}`,
      sentence: (officers, where) =>
        `The chief of ${agency} has no e-mail address on file, so alerts about ${officers} reach no chief: add the chief's e-mail ${where === 'console' ? "on the agency's page in the console" : 'to the SRO roster'}.`,
    };
  }
  const charter = m.districtKind === 'CHARTER';
  const name = m.districtName ?? m.districtId;
  const what = charter ? 'charter school' : 'school district';
  return {
    key: `DISTRICT:${m.districtId}`,
    sentence: (officers, where) =>
      `${name} (${what}) has no primary SRO contact on file, so alerts about ${officers} reach nobody there: add the ${charter ? "school's" : "district's"} contact ${where === 'console' ? `on the ${charter ? "school's" : "district's"} page in the console` : 'to the SRO roster'}.`,
  };
}

/** NO_CONTACT_ON_FILE in the lead: one sentence per party whose address is missing, naming it. */
function noContactSentences(officers: readonly DigestOfficer[], where: 'console' | 'roster'): string[] {
  const byParty = new Map<string, { sentence: (o: string, w: 'console' | 'roster') => string; officers: string[] }>();
  const unknown: string[] = [];
  for (const e of officers) {
    if (!e.issues.includes('NO_CONTACT_ON_FILE')) continue;
    const who = `Officer ${officerName(e.officer)}`;
    if (!e.missingContacts?.length) {
      unknown.push(who);
      continue;
    }
    for (const m of e.missingContacts) {
      const p = partyOf(m);
      const entry = byParty.get(p.key) ?? { sentence: p.sentence, officers: [] };
      entry.officers.push(who);
      byParty.set(p.key, entry);
    }
  }
  const out = [...byParty.values()].map((p) => p.sentence(p.officers.join(', '), where));
  if (unknown.length > 0)
    out.push(
      `No e-mail address is on file for someone the alerts about ${unknown.join(', ')} go to: add the chief's e-mail or the school district's primary SRO contact ${where === 'console' ? 'in the console' : 'to the SRO roster'}, so these alerts reach someone.`,
    );
  return out;
}

/** The weekly digest for one recipient. Throws HeaderInjectionError (code HEADER_INJECTION) for CR/LF in the scope name or address. */
export function renderDigest(input: DigestMailInput): RenderedMail {
  assertHeaderSafe('To (recipient address)', input.recipient.email);
  if (input.recipient.name !== null) assertHeaderSafe('To (recipient name)', input.recipient.name);
  const scopeName = headerSafe('Subject (scope name)', input.scope.name);
  const groups = groupDigest(input.officers, input.asOf, input.substituteWatchFrom ?? 45);
  const count = (id: DigestGroupId) => groups.find((g) => g.id === id)?.officers.length ?? 0;
  const attention = groups.filter((g) => NEEDS_ATTENTION.has(g.id) && g.officers.length > 0);
  const active = input.officers.filter((e) => e.status.status !== 'INACTIVE').length;
  const allCompliant = attention.length === 0 && active > 0 && count('COMPLIANT') === active;

  let headline: string;
  let subjectTail: string;
  if (attention.length > 0) {
    subjectTail = attention.map((g) => `${g.officers.length} ${SUBJECT_COUNT[g.id]}`).join(', ');
    const n = attention.reduce((sum, g) => sum + g.officers.length, 0);
    headline = `${plural(n, 'officer')} ${n === 1 ? 'needs' : 'need'} your attention this week: ${subjectTail}.`;
  } else if (allCompliant) {
    subjectTail = active === 1 ? 'the 1 officer is compliant' : `all ${active} officers compliant`;
    headline =
      active === 1
        ? 'The 1 officer is compliant; nothing needs your attention this week.'
        : `All ${active} officers are compliant; nothing needs your attention this week.`;
  } else if (active > 0) {
    subjectTail = 'nothing due within 90 days';
    headline = `Nothing needs your attention this week: no officer is overdue or due within 90 days. ${plural(count('DUE_LATER'), 'officer')} ${count('DUE_LATER') === 1 ? 'is' : 'are'} due later.`;
  } else {
    subjectTail = 'no officers currently assigned';
    headline =
      'No officer is currently assigned as a school resource officer here; nothing needs your attention this week.';
  }
  const title = headerSafe('Subject', `[SRO training] Weekly digest for ${scopeName} — ${subjectTail}`);

  const lead = [headline];
  lead.push(...noContactSentences(input.officers, input.consoleUrl ? 'console' : 'roster'));
  lead.push(...undeliverableSentences(input.officers, input.scope, input.consoleUrl ? 'console' : 'roster'));

  const sections: MailSection[] = [
    {
      heading: 'At a glance',
      facts: groups.map((g) => [g.heading, String(g.officers.length)] as [string, string]),
    },
  ];
  for (const g of groups) {
    if (g.officers.length === 0) continue;
    sections.push({
      heading: `${g.heading} (${g.officers.length})`,
      paragraphs: [groupIntro(g.id, input.asOf)],
      table: { columns: COLUMNS, rows: g.officers.map((e) => row(e, input.asOf)) },
    });
  }

  if (input.consoleUrl) sections.push(consoleSection(input.consoleUrl, groups));

  const doc: MailDocument = {
    title,
    banner: `SRO training weekly digest — week of ${longDate(input.weekOf)}`,
    tone: count('OVERDUE') > 0 ? 'danger' : attention.length > 0 ? 'warning' : 'success',
    greeting: input.recipient.name ? `Dear ${input.recipient.name},` : 'Hello,',
    lead,
    sections,
    footer: [
      input.scope.kind === 'AGENCY'
        ? `You receive this as the chief law enforcement officer of ${input.scope.name}: it lists the agency's officers.`
        : `You receive this as the SRO contact of ${input.scope.name}: it lists the officers assigned there.`,
      // The ledger key travels in the X-SRO-Alert-Key header, not in the words people read.
      `Status as of the end of ${isoAndLong(input.asOf)}, under school-board policy 507.5 V.A–V.E and Minn. Stat. § 626.8482 subd. 3. This message was generated automatically by the SRO compliance service; replies are not read.`,
    ],
  };
  return {
    subject: title,
    text: renderText(doc),
    html: renderHtml(doc),
    headers: alertHeaders(input.ledgerKey, 'WEEKLY_DIGEST'),
    icalEvent: null,
  };
}
