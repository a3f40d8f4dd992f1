// What every alert e-mail starts from: the input, the checks on what goes into headers, and
// the parts all six kinds share (who, the common facts, greeting and footer).
import type { Alert, Recipient } from '../../domain/alert-types.ts';
import type { CivilDate } from '../../domain/civil-date.ts';
import type { DistrictKind, OfficerStatus } from '../../domain/types.ts';
import { PermanentError } from '../../errors.ts';
import { assertHeaderSafe } from '../escape.ts';
import type { DueDateCorrection } from '../due-date-correction.ts';
import { STATUS_LABEL, isoAndLong, officerName } from '../format.ts';

export interface AlertMailInput {
  alert: Alert;
  recipient: Recipient;
  officer: { license: string; firstName: string; lastName: string };
  agency: { id: string; name: string; chiefName: string | null };
  districts: { id: string; name: string; kind: DistrictKind }[];
  /** The officer's status as of `asOf` (re-evaluated on the day of sending). */
  status: OfficerStatus;
  asOf: CivilDate;
  /** RESOLVED: every address that received the DEADLINE_MISSED it closes. */
  previousRecipients?: string[];
  /** The ledger row's key (alert key + recipient): the X-SRO-Alert-Key header. */
  ledgerKey: string;
  /** DTSTAMP of the calendar entry: UTC, basic format 'YYYYMMDDTHHMMSSZ' (the shell reads the clock). */
  generatedAt: string;
  /** The console's address (PUBLIC_URL); null or absent: the e-mail carries no console link. */
  consoleUrl?: string | null;
  /**
   * DEADLINE_MISSED and RESOLVED: the latest acknowledgement of the deadline (RULES.md 6), which
   * every later e-mail about it shows; null or absent: none.
   */
  acknowledgement?: AcknowledgementNote | null;
  /** RULES.md 8 "Say so": the first alert about an obligation after its due date moved says from what, and why. */
  dueDateCorrection?: DueDateCorrection | null;
}

/** An acknowledgement as e-mails show it (RULES.md 6). */
export interface AcknowledgementNote {
  /** The roster's name for who acknowledged, else their address. */
  by: string;
  /** The civil day it was made (TZ). */
  on: CivilDate;
  note: string | null;
  plannedCompletionOn: CivilDate | null;
}

/** RULES.md 6: "Acknowledged by Chief Morgan Ellis on 2026-03-04: enrolled in the course of 2026-03-15; planned completion 2026-03-15." */
export function acknowledgementText(a: AcknowledgementNote): string {
  const note = a.note ? `: ${a.note.replace(/[.\s]+$/u, '')}` : '';
  const planned = a.plannedCompletionOn ? `; planned completion ${a.plannedCompletionOn}` : '';
  return `Acknowledged by ${a.by} on ${a.on}${note}${planned}.`;
}

/** The input cannot describe the alert (e.g. a reminder without a due date): a bug upstream, not worth a retry. */
export class AlertRenderError extends PermanentError {
  readonly code = 'ALERT_RENDER_INVALID';
}

/** A part of the subject, checked on its own so the error names it. */
export interface SubjectPart {
  label: string;
  value: string;
}

export interface AlertContext {
  input: AlertMailInput;
  /** 'Officer Dana Larson (#12345)'. */
  who: string;
  officerPart: SubjectPart[];
  commonFacts: [string, string][];
  greeting: string;
  footer: string[];
  /** The officer's page in the console, PUBLIC_URL/officers/<license>; null without PUBLIC_URL. */
  officerPage: string | null;
}

/** PUBLIC_URL/officers/<license>: the license is one path segment, so '/', ' ', '#' … are percent-encoded. */
export function officerPageUrl(consoleUrl: string, license: string): string {
  return `${consoleUrl.replace(/\/+$/, '')}/officers/${encodeURIComponent(license)}`;
}

function districtLabel(d: { id: string; name: string; kind: DistrictKind }): string {
  return `${d.name} (${d.kind === 'CHARTER' ? 'charter school' : 'school district'} ${d.id})`;
}

function whyYouReceiveThis(input: AlertMailInput): string {
  const r = input.recipient;
  const district = input.districts.find((d) => d.id === r.districtId);
  const districtName = district ? district.name : (r.districtId ?? 'the school district');
  switch (r.role) {
    case 'CHIEF':
      return `You receive this as the chief law enforcement officer of ${input.agency.name}.`;
    case 'DISTRICT_PRIMARY':
      return `You receive this as the SRO contact of ${districtName}, where the officer is assigned.`;
    case 'DISTRICT_ESCALATION':
      return `You receive this as an escalation contact of ${districtName}, where the officer is assigned.`;
    case 'AGENCY_ESCALATION':
      return `You receive this as an escalation contact of ${input.agency.name}.`;
    case 'PREVIOUS_RECIPIENT':
      return 'You receive this because you received the overdue notice for this officer.';
    case 'ADMIN':
      return 'You receive this as an administrator of the SRO compliance service: no one else is on file to receive it.';
    default: {
      const _exhaustive: never = r.role;
      return _exhaustive;
    }
  }
}

/**
 * RULES.md 12: an e-mail sent because an address bounced opens by saying so: what could not be
 * delivered, to whom, and why (the receiving server's words). Null for the recipient's own alert.
 */
export function standInLead(input: AlertMailInput): string | null {
  const s = input.recipient.standInFor;
  if (!s) return null;
  const district = input.districts.find((d) => d.id === input.recipient.districtId);
  const whose =
    s.role === 'CHIEF'
      ? ` (the chief law enforcement officer of ${input.agency.name})`
      : s.role === 'DISTRICT_PRIMARY'
        ? ` (the SRO contact of ${district?.name ?? 'the school district'})`
        : '';
  if (s.thisAlert)
    return `This alert could not be delivered to ${s.email}${whose}. On ${s.since} the receiving mail server answered: "${s.reason}". It comes to you as the next contact, so that it reaches someone who can act on it; please pass it on and have the address corrected in the console.`;
  return `The address ${s.email}${whose} has been undeliverable since ${s.since} (the receiving mail server answered: "${s.reason}"), so this alert also comes to you until the address is corrected in the console.`;
}

export function alertContext(input: AlertMailInput): AlertContext {
  // Addresses and names go into To/Subject: refuse CR/LF before anything is built.
  assertHeaderSafe('To (recipient address)', input.recipient.email);
  if (input.recipient.name !== null) assertHeaderSafe('To (recipient name)', input.recipient.name);
  assertHeaderSafe('X-SRO-Alert-Key', input.ledgerKey);
  const { officer, agency, districts } = input;
  const commonFacts: [string, string][] = [
    ['Officer', officerName(officer)],
    ['Agency', agency.name],
  ];
  if (districts.length > 0) commonFacts.push(['Assigned to', districts.map(districtLabel).join('; ')]);
  commonFacts.push([`Status as of ${input.asOf}`, STATUS_LABEL[input.status.status]]);
  return {
    input,
    who: `Officer ${officerName(officer)}`,
    officerPart: [
      { label: 'officer first name', value: officer.firstName },
      { label: 'officer last name', value: officer.lastName },
      { label: 'officer license', value: officer.license },
    ],
    commonFacts,
    greeting: input.recipient.name ? `Dear ${input.recipient.name},` : 'Hello,',
    footer: [
      whyYouReceiveThis(input),
      // The ledger key travels in the X-SRO-Alert-Key header, not in the words people read.
      `Status as of the end of ${isoAndLong(input.asOf)}. This message was generated automatically by the SRO compliance service; replies are not read.`,
    ],
    officerPage: input.consoleUrl ? officerPageUrl(input.consoleUrl, officer.license) : null,
  };
}
