// The roster (INTERFACE.md "Roster: JSON"; facts of RULES.md section 1) as one zod schema.
// The same schema validates JSON files and CSV folders (converted to this shape first) and
// generates the shipped JSON Schema (schema/roster.schema.json, `npm run schema`).
//
// Lenient where INTERFACE.md is silent: every section, and every optional field, may be
// absent or null; an agency may lack a chief or a chief e-mail (reported later as
// NO_CONTACT_ON_FILE); surrounding spaces in ids and names are dropped. Strict where a
// mistake would silently change what is sent: real calendar dates between 1900 and 2200,
// e-mail addresses, no control characters (line breaks, tabs, direction overrides) in ids,
// names or e-mails, only visible characters in ids (a zero-width space would make a second
// officer that looks like the first), no invisible format characters in names, bounded
// lengths, and unknown fields rejected so that a typo ("emial") is an error.
import { z } from 'zod';
import { type CivilDate, parseCivilDate } from '../domain/civil-date.ts';
import { calendarDateString } from '../domain/civil-date-schema.ts';
import { type DistrictCalendar, nonSchoolDayText, nonSchoolDays } from '../domain/school-days.ts';
import { codePointLabel, escapeCharacter, quote } from '../shell/quote.ts';

export const MAX_ID_LENGTH = 64;
export const MAX_NAME_LENGTH = 200;
/** RFC 5321: 64 (local part) + 1 + 255 (domain). */
export const MAX_EMAIL_LENGTH = 320;
export const MAX_ESCALATION_EMAILS = 20;
export const MAX_CONTACTS_PER_DISTRICT = 50;

const DISTRICT_KINDS = ['DISTRICT', 'CHARTER'] as const;
const CONTACT_ROLES = ['PRIMARY', 'ESCALATION'] as const;
const ASSIGNMENT_ROLES = ['REGULAR', 'SUBSTITUTE'] as const;
export const TRAINING_KINDS = ['SRO_MANDATED', 'SRO_SUPPLEMENTAL', 'LEGACY_BASIC_SSC', 'LEGACY_BASIC_NASRO'] as const;

/** The sections of a roster, in the order they are validated, reported and imported. */
export const ROSTER_SECTIONS = [
  'agencies',
  'districts',
  'officers',
  'assignments',
  'trainings',
  'policyReviews',
  'contactDays',
] as const;
export type RosterSection = (typeof ROSTER_SECTIONS)[number];

// C0 and C1 controls (CR, LF, TAB, ESC …), the Unicode line/paragraph separators, and the
// bidirectional overrides: any of them in a name could break an e-mail header, a CSV
// report or a terminal table, or make a name display as something else.
// Also an unpaired UTF-16 surrogate (only a JSON escape such as "\ud800" can produce one):
// it is not Unicode text, and PostgreSQL refuses it mid-import instead of naming the row.
const FORBIDDEN_CHARACTER =
  /[\u0000-\u001F\u007F-\u009F\u2028\u2029\u202A-\u202E\u2066-\u2069]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function forbiddenCharacterMessage(input: unknown): string {
  const text = String(input);
  const m = FORBIDDEN_CHARACTER.exec(text);
  const unit = m ? m[0].charCodeAt(0) : 0;
  const code = m ? `U+${unit.toString(16).toUpperCase().padStart(4, '0')}` : 'a control character';
  const where = `${code} at position ${(m?.index ?? 0) + 1}`;
  if (unit >= 0xd800 && unit <= 0xdfff)
    return `${quote(text)} contains an unpaired surrogate (${where}), which is not Unicode text; check the file's "\\u" escapes`;
  return `${quote(text)} contains a control character (${where}); line breaks, tabs and other control characters are not allowed`;
}

// Identifiers (license, agency and district ids, and the fields that reference them) are
// keys a person compares by eye, so they hold only characters that show: letters, digits,
// punctuation and symbols (Unicode categories L, N, P and S), except the few of those that
// render as nothing (the default-ignorable Hangul fillers U+115F, U+1160, U+3164, U+FFA0,
// and U+2800 BRAILLE PATTERN BLANK). Not allowed: spaces (Z), combining marks (M: a
// decomposed "é" would look like the precomposed one and be another key), controls (Cc),
// format characters (Cf: zero-width space, direction marks, soft hyphen), private-use (Co),
// unassigned (Cn) and surrogate (Cs) code points. The pattern, as shipped in the JSON Schema,
// allows the surrounding white space that is trimmed before it applies.
const ID_CHARACTER = '(?![\\p{Default_Ignorable_Code_Point}\\u2800])[\\p{L}\\p{N}\\p{P}\\p{S}]';
const ID_PATTERN = new RegExp(`^\\s*(?:${ID_CHARACTER})*\\s*$`, 'u');
const NOT_ID_CHARACTER = new RegExp(`(?!${ID_CHARACTER})[^]`, 'u');
const ID_RULE =
  'Visible characters only (letters, digits, punctuation, symbols): no spaces, no invisible, format or control characters.';

/** What a character that may not be in an identifier is. */
function characterKind(c: string): string {
  if (/\p{Zs}/u.test(c)) return 'a space';
  if (/\p{Cf}/u.test(c)) return 'an invisible format character';
  if (/\p{M}/u.test(c)) return 'a combining mark';
  if (/\p{Co}/u.test(c)) return 'a private-use character';
  if (/\p{Cn}/u.test(c)) return 'an unassigned code point';
  return 'an invisible character';
}

function idCharacterMessage(input: unknown): string {
  const text = String(input);
  const chars = [...text];
  const i = chars.findIndex((c) => NOT_ID_CHARACTER.test(c));
  const c = chars[i] ?? '';
  // A combining mark shows only on the character before it (here the quote): escaped too.
  const shown = quote(text).replace(/\p{M}/gu, escapeCharacter);
  return `${shown} contains ${characterKind(c)} (${codePointLabel(c)} at position ${i + 1}); an identifier may hold only visible letters, digits, punctuation and symbols`;
}

// Names: no invisible format characters (Unicode category Cf: zero-width space, soft hyphen,
// word joiner, BOM, …), except ZERO WIDTH NON-JOINER and ZERO WIDTH JOINER (U+200C, U+200D)
// between two letters, where scripts such as Persian and Devanagari need them (the letter
// before may carry combining marks, e.g. a virama).
const NAME_RULE = 'No control characters, and no invisible format characters (ZWNJ and ZWJ only between letters).';

/** Position (0-based, in code points) of the first format character a name may not hold, or -1. */
function badFormatCharacter(text: string): number {
  const chars = [...text];
  return chars.findIndex((c, i) => {
    if (!/\p{Cf}/u.test(c)) return false;
    if (c !== '\u200C' && c !== '\u200D') return true;
    const before = chars[i - 1];
    const after = chars[i + 1];
    return !(before !== undefined && /[\p{L}\p{M}]/u.test(before) && after !== undefined && /\p{L}/u.test(after));
  });
}

function formatCharacterMessage(input: unknown): string {
  const text = String(input);
  const i = badFormatCharacter(text);
  const c = [...text][i] ?? '';
  const where = `${codePointLabel(c)} at position ${i + 1}`;
  if (c === '\u200C' || c === '\u200D')
    return `${quote(text)} contains an invisible joiner (${where}) that is not between two letters; remove it`;
  return `${quote(text)} contains an invisible format character (${where}); remove it`;
}

function text() {
  return z
    .string()
    .trim()
    .refine((v) => !FORBIDDEN_CHARACTER.test(v), { error: (iss) => forbiddenCharacterMessage(iss.input), abort: true });
}

const idSchema = (what: string) =>
  text()
    .regex(ID_PATTERN, { error: (iss) => idCharacterMessage(iss.input) })
    .min(1, { error: 'must not be empty' })
    .max(MAX_ID_LENGTH, { error: `is longer than ${MAX_ID_LENGTH} characters` })
    .meta({ description: `${what} ${ID_RULE}` });

const nameSchema = (what: string) =>
  text()
    .refine((v) => badFormatCharacter(v) < 0, { error: (iss) => formatCharacterMessage(iss.input), abort: true })
    .min(1, { error: 'must not be empty' })
    .max(MAX_NAME_LENGTH, { error: `is longer than ${MAX_NAME_LENGTH} characters` })
    .meta({ description: `${what} ${NAME_RULE}` });

// Not trimmed: an address with spaces around it is shown quoted in the error, so the
// mistake is visible (the CSV reader trims cells before this runs).
const emailSchema = z
  .email({ error: (iss) => `${quote(String(iss.input))} is not an e-mail address` })
  .max(MAX_EMAIL_LENGTH, { error: `is longer than ${MAX_EMAIL_LENGTH} characters` });

/** The first and last day a roster date may be: a year such as 9999 is a typo, and would give due dates past year 9999. */
export const MIN_ROSTER_DATE = '1900-01-01';
export const MAX_ROSTER_DATE = '2200-12-31';

/** A 'YYYY-MM-DD' day that exists on the calendar (2026-02-30 does not), from MIN_ROSTER_DATE to MAX_ROSTER_DATE. */
const civilDateSchema = calendarDateString((iss) => `${quote(String(iss.input))} is not a calendar date (YYYY-MM-DD)`)
  .refine((v) => v >= MIN_ROSTER_DATE && v <= MAX_ROSTER_DATE, {
    error: (iss) =>
      `${quote(String(iss.input))} is outside the dates a roster may hold (${MIN_ROSTER_DATE} to ${MAX_ROSTER_DATE}); check the year`,
  })
  .meta({ format: 'date', pattern: '^(?:19\\d{2}|2[01]\\d{2}|2200)-\\d{2}-\\d{2}$' })
  .transform((v) => v as CivilDate);

const isCivil = (v: unknown): v is string => typeof v === 'string' && parseCivilDate(v) !== null;

/** An optional field: absent and null both mean "not known", and come out as null. */
function optional<T extends z.ZodType>(schema: T) {
  return schema.nullish().transform((v) => (v ?? null) as z.output<T> | null);
}

function flag(what: string) {
  return z
    .boolean()
    .nullish()
    .transform((v) => v ?? false)
    .meta({ description: `${what} Absent or null means false.` });
}

function section<T extends z.ZodType>(row: T, what: string) {
  return z
    .array(row)
    .nullish()
    .transform((v) => v ?? [])
    .meta({ description: `${what} Absent or null is an empty section.` });
}

const chiefSchema = z
  .strictObject({
    name: optional(nameSchema('Name of the chief law enforcement officer.')),
    email: optional(emailSchema),
  })
  .meta({
    description:
      'The chief law enforcement officer. Without an e-mail, the officers of this agency are reported as NO_CONTACT_ON_FILE.',
  });

const agencySchema = z
  .strictObject({
    id: idSchema('Agency identifier, e.g. the ORI (MN0240100). Natural key.'),
    name: nameSchema('Agency name.'),
    chief: optional(chiefSchema),
    escalationEmails: z
      .array(emailSchema)
      .max(MAX_ESCALATION_EMAILS, { error: `has more than ${MAX_ESCALATION_EMAILS} addresses` })
      .nullish()
      .transform((v) => v ?? []),
  })
  .meta({ id: 'Agency', description: 'A law-enforcement agency: the officers\u2019 employer.' });

export const districtContactSchema = z
  .strictObject({
    name: nameSchema('Contact name.'),
    email: emailSchema,
    role: z.enum(CONTACT_ROLES),
  })
  .meta({ id: 'DistrictContact', description: 'Natural key: (district id, email, role).' });

export const districtSchema = z
  .strictObject({
    id: idSchema('District or charter school identifier, e.g. ISD241. Natural key.'),
    name: nameSchema('District or charter school name.'),
    kind: z.enum(DISTRICT_KINDS),
    contacts: z
      .array(districtContactSchema)
      .max(MAX_CONTACTS_PER_DISTRICT, { error: `has more than ${MAX_CONTACTS_PER_DISTRICT} contacts` })
      .nullish()
      .transform((v) => v ?? []),
  })
  .meta({ id: 'District', description: 'A school district or charter school.' });

export const officerSchema = z
  .strictObject({
    license: idSchema('POST license number. Natural key.'),
    firstName: nameSchema('First name.'),
    lastName: nameSchema('Last name.'),
    email: optional(emailSchema),
    agencyId: idSchema('The employing agency (agencies[].id).'),
  })
  .meta({ id: 'Officer', description: 'A peace officer, keyed by POST license number.' });

const assignmentSchema = z
  .strictObject({
    license: idSchema('The officer (officers[].license).'),
    districtId: idSchema('The district served (districts[].id).'),
    school: optional(nameSchema('School or building.')),
    role: z.enum(ASSIGNMENT_ROLES),
    startDate: civilDateSchema.meta({ description: 'The day the officer assumed SRO duties there.' }),
    endDate: optional(civilDateSchema).meta({ description: 'Last day served, inclusive; null while ongoing.' }),
    trainingUnavailable: flag(
      'The employer could not provide the course before the officer assumed duties (policy 507.5 V.C).',
    ),
  })
  .refine((a) => !isCivil(a.startDate) || !isCivil(a.endDate) || a.endDate >= a.startDate, {
    path: ['endDate'],
    // Also when other fields of the row are invalid, so that every error is listed at once;
    // the dates themselves are checked above (isCivil skips those that failed).
    when: (payload) => typeof payload.value === 'object' && payload.value !== null,
    error: (iss) => {
      const a = iss.input as { startDate: string; endDate: string };
      return `${a.endDate} is before the start date ${a.startDate}`;
    },
  })
  .meta({ id: 'Assignment', description: 'Natural key: (license, districtId, startDate).' });

export const trainingSchema = z
  .strictObject({
    license: idSchema('The officer (officers[].license).'),
    kind: z.enum(TRAINING_KINDS),
    completedOn: civilDateSchema,
    certificateOnFile: flag('The chief holds a copy of the certificate (policy 507.5 V.E).'),
    courseNumber: optional(nameSchema('POST course number.')),
    provider: optional(nameSchema('Course provider.')),
  })
  .meta({ id: 'Training', description: 'One completed course. Natural key: (license, kind, completedOn).' });

export const policyReviewSchema = z
  .strictObject({
    license: idSchema('The officer (officers[].license).'),
    agencyId: idSchema('The agency whose policy was reviewed (agencies[].id).'),
    reviewedOn: civilDateSchema,
  })
  .meta({ id: 'PolicyReview', description: 'Natural key: (license, agencyId, reviewedOn).' });

export const contactDaySchema = z
  .strictObject({
    license: idSchema('The substitute officer (officers[].license).'),
    districtId: idSchema('The district (districts[].id).'),
    date: civilDateSchema,
    nonSchoolDay: flag(
      'The officer served on this day although it is a Saturday, Sunday, Minnesota legal holiday or a day without school of the district (without it, such a row is refused as a likely typing error).',
    ),
  })
  .meta({
    id: 'ContactDay',
    description:
      'One student contact day served (or scheduled) by a substitute SRO. Natural key: (license, districtId, date).',
  });

/**
 * A roster's contact day (RULES.md 9): one on a Saturday, Sunday or legal holiday is refused
 * unless the row says `nonSchoolDay` (CSV `non_school_day`) true. The district's own days
 * without school are the database's: the import checks those over its staging table
 * (import-checks.ts). Checked also when other fields fail, so every problem is listed at once.
 */
const rosterContactDaySchema = contactDaySchema.refine(
  (c) => c.nonSchoolDay || !isCivil(c.date) || nonSchoolDays([c.date as CivilDate], null).length === 0,
  {
    path: ['date'],
    when: (payload) => {
      const v = payload.value as { date?: unknown; nonSchoolDay?: unknown } | null;
      return typeof v === 'object' && v !== null && isCivil(v.date) && v.nonSchoolDay !== true;
    },
    error: (iss) => nonSchoolDayRowMessage((iss.input as { date: CivilDate }).date),
  },
);

/** What a roster row on a day without school is told: the day in words, and how to keep it. */
export function nonSchoolDayRowMessage(date: CivilDate, districtDays: DistrictCalendar | null = null): string {
  const [day] = nonSchoolDays([date], districtDays);
  return `${day ? nonSchoolDayText(day) : `${date} is not a school day`}; if the officer did serve that day, set non_school_day to true in the row (JSON: "nonSchoolDay": true)`;
}

/** Each section's row schema, for the importers that check one row at a time (csv-stream.ts, json-stream.ts). */
export const ROW_SCHEMAS = {
  agencies: agencySchema,
  districts: districtSchema,
  officers: officerSchema,
  assignments: assignmentSchema,
  trainings: trainingSchema,
  policyReviews: policyReviewSchema,
  contactDays: rosterContactDaySchema,
} as const;

export const rosterSchema = z
  .strictObject({
    // Lets an editor find this schema; ignored by the importer.
    $schema: z.string().optional(),
    agencies: section(agencySchema, 'Law-enforcement agencies.'),
    districts: section(districtSchema, 'School districts and charter schools, with their contacts.'),
    officers: section(officerSchema, 'Peace officers.'),
    assignments: section(assignmentSchema, 'SRO assignments.'),
    trainings: section(trainingSchema, 'Completed courses.'),
    policyReviews: section(policyReviewSchema, 'Reviews of the employer\u2019s SRO policy.'),
    contactDays: section(rosterContactDaySchema, 'Student contact days of substitute SROs.'),
  })
  .meta({
    title: 'SRO compliance roster',
    description:
      'The facts the SRO compliance worker keeps (Minn. Stat. \u00a7 626.8482, policy 507.5). Imported with `sro import FILE.json [--replace]`. Dates are YYYY-MM-DD calendar days from 1900-01-01 to 2200-12-31. Identifiers (license, agency and district ids, and the fields that reference them) hold only visible characters: letters, digits, punctuation and symbols (Unicode categories L, N, P, S, without the default-ignorable fillers), no spaces, combining marks, control or format characters. Names hold no control characters and no invisible format characters (Unicode category Cf), except ZWNJ and ZWJ between two letters.',
  });

/** A validated roster: every section present (possibly empty), absent optionals as null, dates as CivilDate. */
export type Roster = z.output<typeof rosterSchema>;
export type RosterAgency = Roster['agencies'][number];
export type RosterDistrict = Roster['districts'][number];
export type RosterOfficer = Roster['officers'][number];
export type RosterAssignment = Roster['assignments'][number];
export type RosterTraining = Roster['trainings'][number];
export type RosterContactDay = Roster['contactDays'][number];

/** The JSON Schema of a roster file (the input side: defaults and nulls allowed). */
function rosterJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(rosterSchema, { io: 'input', target: 'draft-2020-12' }) as Record<string, unknown>;
}

/** The exact text of schema/roster.schema.json. */
export function renderRosterJsonSchema(): string {
  return `${JSON.stringify(rosterJsonSchema(), null, 2)}\n`;
}
