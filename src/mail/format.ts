// What alert and digest e-mails share: dates and day counts in words, the policy and
// statute sections each deadline rests on, and one document model rendered twice, as
// plain text and as HTML, so both parts always carry the same content; and the rendered
// e-mail with its tracing headers.
import { type CivilDate, addDays, isoDayOfWeek } from '../domain/civil-date.ts';
import { isBusinessDay, isLegalHoliday, lastBusinessDayOnOrBefore } from '../domain/holidays.ts';
import { plural } from '../domain/plural.ts';
import type { AlertKind } from '../domain/alert-types.ts';
import type { DeadlineBasis, OfficerStatusCode, TrainingKind } from '../domain/types.ts';
import { escapeHtml, headerSafe } from './escape.ts';

// ---------------------------------------------------------------------------------------
// Dates and day counts (civil dates only; no Date, no time zone: STYLE.md habit 4)

const WEEKDAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'] as const;
const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
] as const;

export function weekdayName(d: CivilDate): string {
  return WEEKDAYS[isoDayOfWeek(d) - 1] as string;
}

/** 'Monday, March 2, 2026'. */
export function longDate(d: CivilDate): string {
  const month = MONTHS[Number(d.slice(5, 7)) - 1] as string;
  return `${weekdayName(d)}, ${month} ${Number(d.slice(8, 10))}, ${Number(d.slice(0, 4))}`;
}

/** '2026-03-02 (Monday, March 2, 2026)': ISO for search and sorting, words for reading. */
export function isoAndLong(d: CivilDate): string {
  return `${d} (${longDate(d)})`;
}

export { plural };

/** daysRemaining (dueDate − D) in words: '44 days left', 'due today', '14 days overdue'. */
export function daysLeftPhrase(daysRemaining: number): string {
  if (daysRemaining > 0) return `${plural(daysRemaining, 'day')} left`;
  if (daysRemaining === 0) return 'due today';
  return `${plural(-daysRemaining, 'day')} overdue`;
}

/**
 * When the due date is not a business day (a weekend, or a legal holiday such as Memorial
 * Day 2027-05-31), the last business day on or before it, and why; null otherwise.
 * Completing the course on the due date itself is still on time (RULES.md 2), but offices
 * and course providers are closed, so messages name the business day before it.
 */
export function lastBusinessDayNote(due: CivilDate): { day: CivilDate; why: string } | null {
  if (isBusinessDay(due)) return null;
  const why =
    isLegalHoliday(due) && isoDayOfWeek(due) <= 5
      ? `${weekdayName(due)} ${due} is a Minnesota legal holiday`
      : `${due} is a ${weekdayName(due)}`;
  return { day: lastBusinessDayOnOrBefore(due), why };
}

/** 'Friday 2027-05-28; Monday 2027-05-31 is a Minnesota legal holiday'. */
export function lastBusinessDayText(due: CivilDate): string | null {
  const note = lastBusinessDayNote(due);
  return note ? `${weekdayName(note.day)} ${note.day}; ${note.why}` : null;
}

export function dayAfter(d: CivilDate): CivilDate {
  return addDays(d, 1);
}

// ---------------------------------------------------------------------------------------
// Dates and times in pages (INTERFACE.md "Pages for people"): the one place that words them.
// A civil date is ISO everywhere in the console ('2026-12-07', what a date input shows and a
// spreadsheet sorts); an instant is that date and the time of day in TZ, with the zone's
// abbreviation ('2026-12-07 08:35 CST'), never UTC.

/** A civil date as every page shows it: '2026-12-07'. */
export function dateText(d: CivilDate): string {
  return d;
}

const INSTANT_FORMATS = new Map<string, Intl.DateTimeFormat>();

/** '2026-12-07 08:35 CST': an instant (a Date, or an ISO string with its offset) in `timeZone`. */
export function instantText(at: Date | string, timeZone: string): string {
  let format = INSTANT_FORMATS.get(timeZone);
  if (format === undefined) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
      timeZoneName: 'short',
    });
    INSTANT_FORMATS.set(timeZone, format);
  }
  const parts: Record<string, string> = {};
  for (const p of format.formatToParts(typeof at === 'string' ? new Date(at) : at)) parts[p.type] = p.value;
  return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute} ${parts.timeZoneName}`;
}

// ---------------------------------------------------------------------------------------
// Who, what, which provision

export interface OfficerName {
  license: string;
  firstName: string;
  lastName: string;
}

/** 'Dana Larson (#12345)'. */
export function officerName(o: OfficerName): string {
  return `${o.firstName} ${o.lastName} (#${o.license})`;
}

export const STATUS_LABEL: Record<OfficerStatusCode, string> = {
  COMPLIANT: 'Compliant',
  EXEMPT_SUBSTITUTE: 'Exempt substitute (V.D)',
  DUE: 'Due',
  IN_GRACE: 'In six-month grace period (V.C)',
  OVERDUE: 'Overdue',
  INACTIVE: 'Not currently assigned',
};

export const TRAINING_LABEL: Record<TrainingKind, string> = {
  SRO_MANDATED: 'the POST-approved SRO course',
  SRO_SUPPLEMENTAL: 'a board-approved supplemental SRO course',
  LEGACY_BASIC_SSC: 'the School Safety Center Basic SRO Training',
  LEGACY_BASIC_NASRO: 'the NASRO Basic SRO course',
};

/**
 * A provision of school-board policy 507.5 section V and the statute paragraph it restates.
 * The training requirements are Minn. Stat. § 626.8482 subd. 3, paragraphs (a)–(e), which
 * policy 507.5 V.A–V.E restate one for one; subd. 2(a) lists the duties, subd. 4 the
 * learning objectives, subd. 6 the agency policy an officer must review.
 */
const KIND_IN_WORDS: Record<AlertKind, string> = {
  DEADLINE_REMINDER: 'Deadline reminder',
  DEADLINE_MISSED: 'Deadline missed',
  SUBSTITUTE_NEARING_LIMIT: 'Substitute nearing the 60-day limit',
  CERTIFICATE_MISSING: 'Certificate missing',
  POLICY_REVIEW_MISSING: 'Policy review missing',
  RESOLVED: 'Resolved',
  WEEKLY_DIGEST: 'Weekly digest',
  TRAINING_SUBMITTED: 'Training submitted for review',
  TRAINING_REJECTED: 'Submitted training not confirmed',
};

/** An alert kind in words (the outbox's index.html, the officer page): 'Deadline missed (level 2)'; a kind it does not know as given. */
export function alertKindInWords(kind: string, level: number | null = null): string {
  const words = Object.hasOwn(KIND_IN_WORDS, kind) ? KIND_IN_WORDS[kind as AlertKind] : kind;
  return kind === 'DEADLINE_MISSED' && level !== null ? `${words} (level ${level})` : words;
}

export interface LegalBasis {
  policy: string;
  statute: string;
  /** One sentence: what the provision requires. */
  rule: string;
}

export function citation(b: LegalBasis): string {
  return `Policy 507.5 ${b.policy} / Minn. Stat. § 626.8482 ${b.statute}`;
}

// The one place that maps each deadline's basis to its section (RULES.md 2, rules 3 and 4).
export const DEADLINE_BASIS: Record<DeadlineBasis, LegalBasis> = {
  // RULES.md decision: a serving SRO without a basic course had to finish by 2025-09-01.
  PRE_MANDATE_UNTRAINED: {
    policy: 'V.A',
    statute: 'subd. 3(a)',
    rule: 'Beginning September 1, 2025, a school resource officer must complete a POST-approved SRO course; an officer already serving without a basic SRO course had to complete it by September 1, 2025.',
  },
  NO_TRAINING_BEFORE_DUTIES: {
    policy: 'V.A',
    statute: 'subd. 3(a)',
    rule: 'An officer assigned as a school resource officer must complete a POST-approved SRO course before assuming the duties of a school resource officer.',
  },
  LEGACY_DEADLINE_MISSED: {
    policy: 'V.B',
    statute: 'subd. 3(b)',
    rule: 'An officer who completed the School Safety Center or NASRO basic SRO course before September 1, 2025 must complete the mandated course (or a board-approved supplemental course) before June 1, 2027.',
  },
  GRACE_PERIOD_EXPIRED: {
    policy: 'V.C',
    statute: 'subd. 3(c)',
    rule: "When the officer's employer could not provide the course before the officer assumed SRO duties, the officer must complete it within six months of assuming those duties.",
  },
  // RULES.md decision: the exemption ends on the 60th contact day; from that day the
  // officer counts as assuming SRO duties.
  SUBSTITUTE_LIMIT_REACHED: {
    policy: 'V.D',
    statute: 'subd. 3(d)',
    rule: 'A substitute school resource officer is exempt from the course only while serving fewer than 60 student contact days in a school year; the 60th day counts as assuming SRO duties.',
  },
};

export const CERTIFICATE_BASIS: LegalBasis = {
  policy: 'V.E',
  statute: 'subd. 3(e)',
  rule: "The chief law enforcement officer must keep a copy of the most recent training certificate issued to each of the agency's school resource officers.",
};

/** The review of the agency's SRO policy: due in the grace period (V.C) or from a substitute (V.D). */
export const POLICY_REVIEW_BASIS: Record<'IN_GRACE' | 'SUBSTITUTE', LegalBasis> = {
  IN_GRACE: {
    policy: 'V.C',
    statute: 'subd. 3(c) and subd. 6',
    rule: "An officer serving in the six-month grace period must review the employer's SRO policy (adopted under subd. 6) before assuming the other duties of a school resource officer, and comply with it.",
  },
  SUBSTITUTE: {
    policy: 'V.D',
    statute: 'subd. 3(d) and subd. 6',
    rule: 'A substitute school resource officer must review and comply with the SRO policy adopted under subd. 6 by the agency that employs the officer.',
  },
};

/** For RESOLVED, where the met deadline's provision is no longer on the status. */
export const TRAINING_REQUIREMENT_BASIS: LegalBasis = {
  policy: 'V.A–V.D',
  statute: 'subd. 3',
  rule: 'School resource officers must complete a POST-approved SRO course within the deadlines set by policy 507.5 V.A–V.D.',
};

// Minn. Stat. § 626.8482 subd. 2(a): the two duties V.C and V.D relieve an untrained officer of.
const DUTY_CLAUSES: Record<number, string> = {
  4: 'provide advice on safety drills',
  5: 'identify vulnerabilities in school facilities and safety protocols',
};
// The same duties in a few words, for table cells.
const DUTY_SHORT: Record<number, string> = {
  4: 'advising on safety drills',
  5: 'finding vulnerabilities',
};

/** The restricted duties in words, or null when there are none (RULES.md 2). */
export function restrictedDutiesText(clauses: readonly number[]): string | null {
  if (clauses.length === 0) return null;
  const parts = clauses.map((c) => DUTY_CLAUSES[c] ?? `perform duty (${c})`);
  const numbers = clauses.map((c) => `(${c})`).join(' and ');
  return `Until the course is completed, the officer is not required to ${parts.join(' or to ')} (${clauses.length === 1 ? 'duty' : 'duties'} ${numbers} of Minn. Stat. § 626.8482 subd. 2(a)).`;
}

/** For table cells: 'duties (4) advising on safety drills and (5) finding vulnerabilities are not required until trained'. */
export function restrictedDutiesShort(clauses: readonly number[]): string | null {
  if (clauses.length === 0) return null;
  const list = clauses.map((c) => `(${c}) ${DUTY_SHORT[c] ?? ''}`.trim());
  const joined = list.length > 1 ? `${list.slice(0, -1).join(', ')} and ${list.at(-1)}` : list[0];
  return `${clauses.length === 1 ? 'duty' : 'duties'} ${joined} ${clauses.length === 1 ? 'is' : 'are'} not required until trained`;
}

// ---------------------------------------------------------------------------------------
// One document, two renderings

export type Tone = 'info' | 'warning' | 'danger' | 'success';

interface MailTable {
  columns: string[];
  /** Cells as plain text; '' leaves a cell empty (and out of the text rendering). */
  rows: string[][];
}

export interface MailSection {
  heading: string;
  paragraphs?: string[];
  /** Label → value, shown as a two-column table. */
  facts?: [string, string][];
  /** Numbered steps ("What to do next"). */
  steps?: string[];
  /** Bullets. */
  list?: string[];
  table?: MailTable;
  /** Links to follow, after the rest of the section: buttons in HTML, 'Label: address' lines in text. */
  buttons?: MailButton[];
}

/** A web address with what it opens ('Open the officer's page'), the words on the button. */
export interface MailButton {
  label: string;
  href: string;
}

export interface MailDocument {
  /** The subject, also the HTML <title>. */
  title: string;
  /** Top bar of the HTML part, first line of the text part. */
  banner: string;
  tone: Tone;
  greeting: string;
  lead: string[];
  sections: MailSection[];
  footer: string[];
}

// Text is not hard-wrapped: a wrapped "44 days\nleft" would hide a phrase a reader (or a
// filter) looks for, and every mail client wraps plain text for display.
export function renderText(doc: MailDocument): string {
  const out: string[] = [doc.banner, '='.repeat(Math.min(doc.banner.length, 72)), '', doc.greeting, ''];
  for (const p of doc.lead) out.push(p, '');
  for (const s of doc.sections) {
    out.push(s.heading, '-'.repeat(Math.min(s.heading.length, 72)));
    for (const p of s.paragraphs ?? []) out.push(p, '');
    if (s.facts?.length) {
      const width = Math.max(...s.facts.map(([label]) => label.length)) + 2;
      for (const [label, value] of s.facts) out.push(`${`${label}:`.padEnd(width)}${value}`);
      out.push('');
    }
    if (s.steps?.length) {
      s.steps.forEach((step, i) => out.push(`${i + 1}. ${step}`));
      out.push('');
    }
    if (s.list?.length) {
      for (const item of s.list) out.push(`- ${item}`);
      out.push('');
    }
    if (s.table?.rows.length) {
      for (const row of s.table.rows) {
        out.push(`- ${row[0] ?? ''}`);
        row.slice(1).forEach((cell, i) => {
          if (cell !== '') out.push(`    ${s.table?.columns[i + 1] ?? ''}: ${cell}`);
        });
      }
      out.push('');
    }
    if (s.buttons?.length) {
      for (const b of s.buttons) out.push(`${b.label}: ${b.href}`);
      out.push('');
    }
  }
  out.push('-- ', ...doc.footer, '');
  return out.join('\n');
}

const TONE_COLOR: Record<Tone, string> = {
  info: '#1f4e79',
  warning: '#8a4b00',
  danger: '#a4262c',
  success: '#2e6b30',
};

const FONT = 'font-family:Arial,Helvetica,sans-serif;';
const P = `margin:0 0 12px 0;${FONT}font-size:15px;line-height:1.5;color:#222222;`;
const CELL = `padding:6px 8px;border:1px solid #d0d0d0;${FONT}font-size:14px;line-height:1.4;color:#222222;vertical-align:top;text-align:left;`;

// Tables and inline styles only: Outlook's Word engine ignores <style> blocks, flexbox and
// most CSS; no images or links to fetch, so nothing external loads.
// A fact that is a web address alone (a sign-in link, the officer's console page) is a link.
const WEB_ADDRESS = /^https?:\/\/[^\s"<>]+$/;

function factValueHtml(value: string): string {
  return WEB_ADDRESS.test(value) ? `<a href="${escapeHtml(value)}">${escapeHtml(value)}</a>` : escapeHtml(value);
}

const BUTTON_COLOR = '#1f4e79';

/**
 * A "bulletproof" button: a one-cell table whose cell carries the color (Outlook's Word engine
 * ignores padding and background on <a>), the link inside it with its own padding and color for
 * every other client. A real link with its words as its name, so a screen reader reads it.
 */
function buttonHtml(b: MailButton): string {
  const e = escapeHtml;
  return `<table role="presentation" cellpadding="0" cellspacing="0" border="0" style="margin:0 0 12px 0;border-collapse:separate;">
<tr><td align="center" bgcolor="${BUTTON_COLOR}" style="background-color:${BUTTON_COLOR};border-radius:4px;padding:0;"><a href="${e(b.href)}" target="_blank" style="display:inline-block;padding:10px 20px;border:1px solid ${BUTTON_COLOR};border-radius:4px;${FONT}font-size:15px;font-weight:bold;line-height:1.3;color:#ffffff;text-decoration:none;">${e(b.label)}</a></td></tr>
</table>`;
}

export function renderHtml(doc: MailDocument): string {
  const e = escapeHtml;
  const color = TONE_COLOR[doc.tone];
  const body: string[] = [];
  body.push(`<p style="${P}">${e(doc.greeting)}</p>`);
  for (const p of doc.lead) body.push(`<p style="${P}">${e(p)}</p>`);
  for (const s of doc.sections) {
    body.push(
      `<h2 style="margin:20px 0 8px 0;${FONT}font-size:17px;line-height:1.3;color:${color};">${e(s.heading)}</h2>`,
    );
    for (const p of s.paragraphs ?? []) body.push(`<p style="${P}">${e(p)}</p>`);
    if (s.facts?.length) {
      const rows = s.facts
        .map(
          ([label, value]) =>
            `<tr><th scope="row" style="${CELL}background-color:#f3f3f3;font-weight:bold;width:34%;">${e(label)}</th><td style="${CELL}">${factValueHtml(value)}</td></tr>`,
        )
        .join('\n');
      body.push(
        `<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="border-collapse:collapse;margin:0 0 12px 0;">\n${rows}\n</table>`,
      );
    }
    if (s.steps?.length) {
      body.push(
        `<ol style="margin:0 0 12px 0;padding-left:24px;">\n${s.steps.map((x) => `<li style="margin:0 0 6px 0;${FONT}font-size:15px;line-height:1.5;color:#222222;">${e(x)}</li>`).join('\n')}\n</ol>`,
      );
    }
    if (s.list?.length) {
      body.push(
        `<ul style="margin:0 0 12px 0;padding-left:24px;">\n${s.list.map((x) => `<li style="margin:0 0 6px 0;${FONT}font-size:15px;line-height:1.5;color:#222222;">${e(x)}</li>`).join('\n')}\n</ul>`,
      );
    }
    if (s.table?.rows.length) {
      const head = s.table.columns
        .map((c) => `<th scope="col" style="${CELL}background-color:#f3f3f3;font-weight:bold;">${e(c)}</th>`)
        .join('');
      const rows = s.table.rows
        .map((r) => `<tr>${r.map((c) => `<td style="${CELL}">${e(c)}</td>`).join('')}</tr>`)
        .join('\n');
      body.push(
        `<table width="100%" cellpadding="0" cellspacing="0" border="0" style="border-collapse:collapse;margin:0 0 12px 0;">\n<thead><tr>${head}</tr></thead>\n<tbody>\n${rows}\n</tbody>\n</table>`,
      );
    }
    for (const b of s.buttons ?? []) body.push(buttonHtml(b));
  }
  const footer = doc.footer
    .map((f) => `<p style="margin:0 0 6px 0;${FONT}font-size:12px;line-height:1.4;color:#666666;">${e(f)}</p>`)
    .join('\n');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${e(doc.title)}</title>
</head>
<body style="margin:0;padding:0;background-color:#f4f4f4;">
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="background-color:#f4f4f4;">
<tr><td align="center" style="padding:16px 8px;">
<table role="presentation" width="640" cellpadding="0" cellspacing="0" border="0" style="width:100%;max-width:640px;background-color:#ffffff;border:1px solid #d0d0d0;border-collapse:collapse;">
<tr><td style="background-color:${color};padding:12px 20px;${FONT}font-size:16px;font-weight:bold;line-height:1.4;color:#ffffff;">${e(doc.banner)}</td></tr>
<tr><td style="padding:20px;">
${body.join('\n')}
</td></tr>
<tr><td style="padding:12px 20px;border-top:1px solid #d0d0d0;background-color:#fafafa;">
${footer}
</td></tr>
</table>
</td></tr>
</table>
</body>
</html>
`;
}

// ---------------------------------------------------------------------------------------
// What goes out: an alert or digest e-mail, ready for the transport

export interface RenderedMail {
  subject: string;
  text: string;
  html: string;
  headers: Record<string, string>;
  icalEvent: { filename: string; method: 'PUBLISH'; content: string } | null;
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
