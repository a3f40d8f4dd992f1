// One e-mail per alert kind (RULES.md 5): subject a chief can triage from the inbox, then
// who, what, when, the provision it rests on and what to do next, as text and HTML with the
// same content. Pure: the as-of date and the calendar stamp come in as data; nothing is sent.
import type { Alert, Recipient } from '../domain/alert-types.ts';
import { type CivilDate, daysBetween } from '../domain/civil-date.ts';
import type { DistrictKind, OfficerStatus } from '../domain/types.ts';
import { assertHeaderSafe, headerSafe } from './escape.ts';
import {
  CERTIFICATE_BASIS,
  DEADLINE_BASIS,
  type LegalBasis,
  type MailDocument,
  POLICY_REVIEW_IN_GRACE_BASIS,
  POLICY_REVIEW_SUBSTITUTE_BASIS,
  SUBSTITUTE_DAY_LIMIT,
  STATUS_LABEL,
  TRAINING_LABEL,
  TRAINING_REQUIREMENT_BASIS,
  citation,
  dayAfter,
  daysLeftPhrase,
  isoAndLong,
  lastBusinessDayNote,
  lastBusinessDayText,
  officerName,
  plural,
  renderHtml,
  renderText,
  restrictedDutiesText,
  weekdayName,
} from './format.ts';
import { deadlineEvent } from './ics.ts';
import { PermanentError } from '../errors.ts';

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
}

export interface RenderedMail {
  subject: string;
  text: string;
  html: string;
  headers: Record<string, string>;
  icalEvent: { filename: string; method: 'PUBLISH'; content: string } | null;
}

/** The input cannot describe the alert (e.g. a reminder without a due date): a bug upstream, not worth a retry. */
export class AlertRenderError extends PermanentError {
  readonly code = 'ALERT_RENDER_INVALID';
}

const SUBJECT_PREFIX = '[SRO training]';

/** Every part is checked before it is joined, so the error names the part that is bad. */
function subject(parts: { label: string; value: string }[], template: (v: string[]) => string): string {
  const values = parts.map((p) => headerSafe(`Subject (${p.label})`, p.value));
  return headerSafe('Subject', `${SUBJECT_PREFIX} ${template(values)}`);
}

interface Context {
  input: AlertMailInput;
  /** 'Officer Dana Larson (#12345)'. */
  who: string;
  officerPart: { label: string; value: string }[];
  commonFacts: [string, string][];
  greeting: string;
  footer: string[];
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
    default: {
      const _exhaustive: never = r.role;
      return _exhaustive;
    }
  }
}

function context(input: AlertMailInput): Context {
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
      `Status as of the end of ${isoAndLong(input.asOf)}. This message was generated automatically by the SRO compliance service; replies are not read.`,
      `Reference: ${input.ledgerKey}`,
    ],
  };
}

/** Officer + license for subjects: 'Officer Dana Larson (#12345)'. */
function subjectWho(c: Context, prefix = 'Officer'): { parts: { label: string; value: string }[]; text: (v: string[]) => string } {
  return { parts: c.officerPart, text: (v) => `${prefix} ${v[0]} ${v[1]} (#${v[2]})` };
}

function requireDueDate(c: Context): CivilDate {
  const due = c.input.alert.dueDate ?? c.input.status.dueDate;
  if (due === null) throw new AlertRenderError(`${c.input.alert.kind} for officer ${c.input.officer.license} has no due date (alert ${c.input.alert.key})`);
  return due;
}

function basisOf(status: OfficerStatus): LegalBasis {
  const basis = status.reason ?? status.basis;
  if (basis !== null) return DEADLINE_BASIS[basis];
  // A status without a deadline basis while in grace can only be V.C.
  return status.status === 'IN_GRACE' ? DEADLINE_BASIS.GRACE_PERIOD_EXPIRED : DEADLINE_BASIS.NO_TRAINING_BEFORE_DUTIES;
}

function chiefStep(c: Context): string {
  const chief = c.input.agency.chiefName ? `the chief, ${c.input.agency.chiefName}` : `the chief of ${c.input.agency.name}`;
  return c.input.recipient.role === 'CHIEF'
    ? 'When the course is completed, get the training certificate from the officer and keep a copy on file (V.E).'
    : `When the course is completed, make sure the officer sends the training certificate to ${chief}, who must keep a copy (V.E).`;
}

const RECORD_STEP = 'Record the completed course in the roster (a training record with the completion date and "certificate on file"), so the reminders stop.';

function dueFacts(due: CivilDate, daysRemaining: number): [string, string][] {
  const facts: [string, string][] = [
    ['Due date', isoAndLong(due)],
    [daysRemaining < 0 ? 'Days overdue' : 'Days left', daysRemaining < 0 ? String(-daysRemaining) : daysRemaining === 0 ? '0 (due today)' : String(daysRemaining)],
  ];
  const lbd = lastBusinessDayText(due);
  if (lbd) facts.push(['Last business day', lbd]);
  return facts;
}

function reminder(c: Context): { doc: MailDocument; ics: RenderedMail['icalEvent'] } {
  const { input } = c;
  const due = requireDueDate(c);
  const left = daysBetween(input.asOf, due);
  const basis = basisOf(input.status);
  const who = subjectWho(c);
  const when = left === 0 ? 'due today' : `${plural(left, 'day')} left`;
  const title = subject([...who.parts, { label: 'due date', value: due }], (v) => `${who.text(v)}: course due ${v[3]} — ${when}`);
  const lbd = lastBusinessDayNote(due);
  const restricted = restrictedDutiesText(input.status.restrictedDuties);
  const facts: [string, string][] = [...c.commonFacts];
  if (input.status.assumedDutiesOn) facts.push(['Assumed SRO duties on', isoAndLong(input.status.assumedDutiesOn)]);
  facts.push(...dueFacts(due, left));
  if (restricted) facts.push(['Restricted duties', restricted]);
  facts.push(['Rests on', citation(basis)]);

  const lead = [
    `${c.who} of ${input.agency.name} must complete a POST-approved school resource officer course by ${isoAndLong(due)}: ${daysLeftPhrase(left)} as of ${input.asOf}.`,
    basis.rule,
  ];
  if (lbd) lead.push(`The due date is not a business day (${lbd.why}). A course completed on the due date still counts, but plan for the last business day, ${weekdayName(lbd.day)} ${lbd.day}.`);
  if (restricted) lead.push(restricted);
  lead.push('A calendar entry for the due date is attached.');

  const steps = [
    `Enrol the officer in a POST-approved SRO course that finishes on or before ${lbd ? lbd.day : due}.`,
  ];
  if (input.status.basis === 'LEGACY_DEADLINE_MISSED') steps.push('A board-approved supplemental SRO course also satisfies this deadline for an officer with a legacy basic SRO course (V.B).');
  if (input.status.status === 'IN_GRACE') steps.push("Make sure the officer's review of the agency's SRO policy (adopted under Minn. Stat. § 626.8482 subd. 6) is on record (V.C).");
  steps.push(chiefStep(c), RECORD_STEP);

  const summary = `SRO training due: Officer ${officerName(input.officer)}`;
  const description = [
    `${c.who} must complete a POST-approved SRO course by ${isoAndLong(due)}.`,
    lbd ? `Last business day: ${lbd.day}.` : '',
    // ASCII ('Minn. Stat. 626.8482', no '§'): an all-ASCII part goes out as 7bit, readable as-is in the raw message.
    `Rests on: ${citation(basis).replace('§ ', '')}.`,
    `Reference: ${input.alert.key}`,
  ]
    .filter(Boolean)
    .join('\n');
  // One calendar entry per deadline: the UID comes from the alert key without its lead,
  // so the 90-, 60-, 30-… day reminders update the same entry.
  const uidSeed = input.alert.key.replace(/:lead=\d+$/, '');
  const ics = {
    filename: `sro-training-due-${input.officer.license.replace(/[^A-Za-z0-9-]/g, '_')}-${due}.ics`,
    method: 'PUBLISH' as const,
    content: deadlineEvent({ uidSeed, dueDate: due, stamp: input.generatedAt, summary, description }),
  };

  return {
    doc: {
      title,
      banner: `SRO training deadline: ${daysLeftPhrase(left)}`,
      tone: left <= 30 ? 'warning' : 'info',
      greeting: c.greeting,
      lead,
      sections: [
        { heading: 'Details', facts },
        { heading: 'What to do next', steps },
      ],
      footer: c.footer,
    },
    ics,
  };
}

const LEVEL_TEXT: Record<number, string> = {
  1: 'This is the first overdue notice (escalation level 1 of 3). It goes to the chief and the school district contacts.',
  2: "This is escalation level 2 of 3: the agency's and the school district's escalation contacts now receive it as well.",
  3: 'This is the final escalation (level 3 of 3). No further escalation will be sent for this deadline; the weekly digest lists the officer until the course is recorded.',
};

function missed(c: Context): MailDocument {
  const { input } = c;
  const due = requireDueDate(c);
  const remaining = daysBetween(input.asOf, due);
  // Days past the due date, as a reader counts them (1 on the day after). The escalation
  // ladder counts from 0 on that day (RULES.md 5); the message uses calendar days late.
  const overdue = Math.max(-remaining, 0);
  const level = input.alert.level ?? 1;
  const basis = basisOf(input.status);
  const who = subjectWho(c);
  const title = subject([...who.parts, { label: 'due date', value: due }], (v) => `OVERDUE ${plural(overdue, 'day')}: ${who.text(v)}, course due ${v[3]} — escalation level ${level}`);
  const facts: [string, string][] = [...c.commonFacts];
  if (input.status.assumedDutiesOn) facts.push(['Assumed SRO duties on', isoAndLong(input.status.assumedDutiesOn)]);
  facts.push(...dueFacts(due, remaining), ['Overdue since', isoAndLong(dayAfter(due))], ['Escalation level', `${level} of 3`], ['Rests on', citation(basis)]);
  const lead = [
    `${c.who} of ${input.agency.name} has not completed the required school resource officer course. It was due ${isoAndLong(due)}; as of ${input.asOf} it is ${plural(overdue, 'day')} overdue.`,
    basis.rule,
    LEVEL_TEXT[level] ?? `Escalation level ${level}.`,
  ];
  if (input.status.basis === 'GRACE_PERIOD_EXPIRED' || input.status.reason === 'GRACE_PERIOD_EXPIRED') {
    lead.push('The six-month grace period (V.C) has ended, and with it the relief from duties (4) and (5).');
  }
  const steps = [
    'Enrol the officer in the next available POST-approved SRO course, and note the course date.',
    'Review the officer\'s SRO assignment with the school district until the course is completed.',
    chiefStep(c),
    `${RECORD_STEP} Everyone who received this notice is told when it is resolved.`,
  ];
  return {
    title,
    banner: `SRO training OVERDUE ${plural(overdue, 'day')} — escalation level ${level}`,
    tone: 'danger',
    greeting: c.greeting,
    lead,
    sections: [
      { heading: 'Details', facts },
      { heading: 'What to do next', steps },
    ],
    footer: c.footer,
  };
}

function substituteNearingLimit(c: Context): MailDocument {
  const { input } = c;
  const served = input.status.contactDays;
  const allowed = SUBSTITUTE_DAY_LIMIT - 1;
  const left = Math.max(allowed - served, 0);
  const year = input.alert.schoolYear ?? input.status.schoolYear.label;
  const basis = DEADLINE_BASIS.SUBSTITUTE_LIMIT_REACHED;
  const who = subjectWho(c, 'Substitute Officer');
  const title = subject([...who.parts, { label: 'school year', value: year }], (v) => `${who.text(v)}: ${plural(served, 'contact day')} served in ${v[3]} — ${plural(left, 'day')} left before day ${SUBSTITUTE_DAY_LIMIT}`);
  const restricted = restrictedDutiesText(input.status.restrictedDuties);
  const facts: [string, string][] = [
    ...c.commonFacts,
    ['School year', `${year} (${input.status.schoolYear.start} to ${input.status.schoolYear.end})`],
    ['Contact days served', `${served} as of ${input.asOf}`],
  ];
  if (input.alert.threshold !== null) facts.push(['Threshold reached', plural(input.alert.threshold, 'day')]);
  facts.push(['Limit without the course', `fewer than ${SUBSTITUTE_DAY_LIMIT} contact days (at most ${allowed}); ${plural(left, 'day')} left`]);
  if (input.status.projected60thDay) facts.push([`Scheduled ${SUBSTITUTE_DAY_LIMIT}th day`, isoAndLong(input.status.projected60thDay)]);
  if (input.status.firstServedDay) facts.push(['First contact day this year', isoAndLong(input.status.firstServedDay)]);
  if (restricted) facts.push(['Restricted duties', restricted]);
  facts.push(['Rests on', citation(basis)]);
  const lead = [
    `Substitute ${c.who} of ${input.agency.name} has served ${plural(served, 'student contact day')} in school year ${year} without the SRO course. ${plural(left, 'more day')} can be served before the ${SUBSTITUTE_DAY_LIMIT}-day limit.`,
    basis.rule,
  ];
  if (input.status.projected60thDay) lead.push(`On the current schedule, the officer's ${SUBSTITUTE_DAY_LIMIT}th contact day is ${isoAndLong(input.status.projected60thDay)}.`);
  if (restricted) lead.push(restricted);
  const steps = [
    `The officer may not serve a ${SUBSTITUTE_DAY_LIMIT}th contact day in ${year} untrained: enrol the officer in a POST-approved SRO course that finishes before that day, or schedule a trained officer for the remaining days.`,
    "Keep the officer's review of the agency's SRO policy on record (V.D).",
    chiefStep(c),
    'Keep the contact days in the roster up to date, so the count above stays right.',
  ];
  return {
    title,
    banner: `Substitute SRO nearing the ${SUBSTITUTE_DAY_LIMIT}-day limit: ${served} days served`,
    tone: 'warning',
    greeting: c.greeting,
    lead,
    sections: [
      { heading: 'Details', facts },
      { heading: 'What to do next', steps },
    ],
    footer: c.footer,
  };
}

function certificateMissing(c: Context): MailDocument {
  const { input } = c;
  const training = input.status.qualifyingTraining;
  const who = subjectWho(c);
  const completedPart = training ? [{ label: 'completion date', value: training.completedOn }] : [];
  const title = subject([...who.parts, ...completedPart], (v) => `${who.text(v)}: training certificate not on file${v[3] ? ` — course completed ${v[3]}` : ''}`);
  const facts: [string, string][] = [...c.commonFacts];
  if (training) facts.push(['Course', TRAINING_LABEL[training.kind]], ['Completed on', isoAndLong(training.completedOn)]);
  facts.push(['Certificate on file', 'No'], ['Rests on', citation(CERTIFICATE_BASIS)]);
  const lead = [
    training
      ? `${c.who} completed ${TRAINING_LABEL[training.kind]} on ${isoAndLong(training.completedOn)}, but the roster shows no copy of the training certificate on file.`
      : `${c.who} is trained, but the roster shows no copy of the training certificate on file.`,
    CERTIFICATE_BASIS.rule,
  ];
  const steps = [
    'Get the training certificate from the officer or from the course provider.',
    "Keep a copy with the officer's training records at the agency (V.E).",
    'Mark the training record as "certificate on file" in the roster, so this notice is closed.',
  ];
  return {
    title,
    banner: 'SRO training certificate not on file',
    tone: 'info',
    greeting: c.greeting,
    lead,
    sections: [
      { heading: 'Details', facts },
      { heading: 'What to do next', steps },
    ],
    footer: c.footer,
  };
}

function policyReviewMissing(c: Context): MailDocument {
  const { input } = c;
  const s = input.status;
  // RULES.md 4: in grace the review is due before S (V.C); a substitute's before the first
  // served day of the school year (V.D).
  const substitute = s.status === 'EXEMPT_SUBSTITUTE' || (s.status !== 'IN_GRACE' && input.alert.schoolYear !== null);
  const basis = substitute ? POLICY_REVIEW_SUBSTITUTE_BASIS : POLICY_REVIEW_IN_GRACE_BASIS;
  const since = substitute ? s.firstServedDay : s.assumedDutiesOn;
  const who = subjectWho(c, substitute ? 'Substitute Officer' : 'Officer');
  const sincePart = since ? [{ label: 'since', value: since }] : [];
  const title = subject([...who.parts, ...sincePart], (v) =>
    `${who.text(v)}: SRO policy review not recorded${v[3] ? (substitute ? ` — serving since ${v[3]}` : ` — was due before duties began ${v[3]}`) : ''}`,
  );
  const facts: [string, string][] = [...c.commonFacts];
  if (since) facts.push([substitute ? 'First contact day this year' : 'Assumed SRO duties on', isoAndLong(since)]);
  if (!substitute && s.dueDate) facts.push(['Course due date', isoAndLong(s.dueDate)]);
  facts.push(['Policy review on record', `None for ${input.agency.name}${since ? ` on or before ${since}` : ''}`], ['Rests on', citation(basis)]);
  const lead = [
    `The roster has no record that ${c.who} reviewed the school resource officer policy of ${input.agency.name}${since ? ` on or before ${isoAndLong(since)}` : ''}.`,
    basis.rule,
  ];
  const steps = [
    `Have the officer review ${input.agency.name}'s SRO policy (adopted under Minn. Stat. § 626.8482 subd. 6), if not done yet.`,
    'Record the review date in the roster (policy review: officer license, agency, reviewed on), so this notice is closed.',
  ];
  if (!substitute) steps.push('The officer still has to complete the SRO course by the course due date above (V.C).');
  return {
    title,
    banner: 'SRO policy review not recorded',
    tone: 'info',
    greeting: c.greeting,
    lead,
    sections: [
      { heading: 'Details', facts },
      { heading: 'What to do next', steps },
    ],
    footer: c.footer,
  };
}

function resolved(c: Context): MailDocument {
  const { input } = c;
  const due = input.alert.dueDate ?? input.status.dueDate;
  const training = input.status.qualifyingTraining;
  const who = subjectWho(c);
  const completedPart = training ? [{ label: 'completion date', value: training.completedOn }] : [];
  const title = subject([...who.parts, ...completedPart], (v) => `Resolved: ${who.text(v)} completed SRO training${v[3] ? ` on ${v[3]}` : ''}`);
  const facts: [string, string][] = [...c.commonFacts];
  if (training) facts.push(['Course', TRAINING_LABEL[training.kind]], ['Completed on', isoAndLong(training.completedOn)]);
  if (due) facts.push(['Was due', isoAndLong(due)]);
  if (due && training && training.completedOn > due) facts.push(['Completed late by', plural(daysBetween(due, training.completedOn), 'day')]);
  facts.push(['Rests on', citation(TRAINING_REQUIREMENT_BASIS)]);
  const lead = [
    `Thank you. ${c.who} completed ${training ? `${TRAINING_LABEL[training.kind]} on ${isoAndLong(training.completedOn)}` : 'the required SRO training'}. The training requirement${due ? ` that was due ${due}` : ''} is now met, and no further overdue notices will be sent for it.`,
    'Thank you to everyone who followed up on the overdue notices.',
  ];
  if (input.previousRecipients?.length) lead.push(`This confirmation goes to everyone who received the overdue notice: ${[...input.previousRecipients].sort().join(', ')}.`);
  const steps = training && !training.certificateOnFile
    ? ['The roster shows no training certificate on file yet: the chief must keep a copy of it (V.E). Send it to the chief and mark it "certificate on file" in the roster.']
    : ['Nothing else is needed. The chief keeps a copy of the training certificate on file (V.E).'];
  return {
    title,
    banner: 'Resolved: SRO training completed',
    tone: 'success',
    greeting: c.greeting,
    lead,
    sections: [
      { heading: 'Details', facts },
      { heading: 'What to do next', steps },
    ],
    footer: c.footer,
  };
}

/** The e-mail for one (alert, recipient). Throws HeaderInjectionError (code HEADER_INJECTION) for CR/LF in a name or address. */
export function renderAlert(input: AlertMailInput): RenderedMail {
  const c = context(input);
  const kind = input.alert.kind;
  let doc: MailDocument;
  let icalEvent: RenderedMail['icalEvent'] = null;
  switch (kind) {
    case 'DEADLINE_REMINDER': {
      const r = reminder(c);
      doc = r.doc;
      icalEvent = r.ics;
      break;
    }
    case 'DEADLINE_MISSED':
      doc = missed(c);
      break;
    case 'SUBSTITUTE_NEARING_LIMIT':
      doc = substituteNearingLimit(c);
      break;
    case 'CERTIFICATE_MISSING':
      doc = certificateMissing(c);
      break;
    case 'POLICY_REVIEW_MISSING':
      doc = policyReviewMissing(c);
      break;
    case 'RESOLVED':
      doc = resolved(c);
      break;
    default: {
      const _exhaustive: never = kind;
      throw new AlertRenderError(`no template for alert kind ${String(_exhaustive)}`);
    }
  }
  return {
    subject: doc.title,
    text: renderText(doc),
    html: renderHtml(doc),
    headers: alertHeaders(input.ledgerKey, kind),
    icalEvent,
  };
}

/** The tracing headers (INTERFACE.md) plus RFC 3834 marks so auto-responders stay quiet. */
export function alertHeaders(ledgerKey: string, kind: string): Record<string, string> {
  return {
    'X-SRO-Alert-Key': headerSafe('X-SRO-Alert-Key', ledgerKey),
    'X-SRO-Alert-Kind': headerSafe('X-SRO-Alert-Kind', kind),
    'Auto-Submitted': 'auto-generated',
    'X-Auto-Response-Suppress': 'OOF, AutoReply',
  };
}
