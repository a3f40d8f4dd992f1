// The console's requests as zod schemas (fastify-type-provider-zod validates each before its
// handler runs): every param, query and body of the route table. They hold the shape (text
// where text is expected, a date where a date is, a number where a number is) and the words
// a person reads when it is not; what the input means is the use cases' to check. Params that
// fail answer 404 (no such page), queries and bodies 400 with every problem by field
// (src/web/answers.ts).
import { z } from 'zod';
import { LIST_SORTS } from '../app/officer-list.ts';
import { TEMPLATE_SECTIONS } from '../app/import-templates.ts';
import type { ReportScope } from '../app/policy.ts';
import { type CivilDate, parseCivilDate } from '../domain/civil-date.ts';
import { OFFICER_STATUSES, parseOfficerStatus } from '../domain/report.ts';
import { MAX_ROSTER_DATE, MIN_ROSTER_DATE, officerSchema } from '../roster/schema.ts';

// ---- Pieces ----

/** A field a form may leave empty: '' (and absent) is undefined. */
const blank = <T extends z.ZodType>(schema: T) => z.preprocess((v) => (v === '' ? undefined : v), schema.optional());

/** Text given once (a field repeated in a query string arrives as a list). */
const once = (max = 320) =>
  z
    .string({ error: 'give it once, as text' })
    .max(max, { error: `is longer than ${max} characters` })
    .trim();

/** A civil date a roster may hold (YYYY-MM-DD, 1900 to 2200): dates outside are typos. */
const civilDay = z
  .string({ error: 'must be a date as YYYY-MM-DD' })
  .trim()
  .refine((v) => parseCivilDate(v) !== null, { error: (i) => `${JSON.stringify(i.input)} is not a date (YYYY-MM-DD)` })
  .refine((v) => v >= MIN_ROSTER_DATE && v <= MAX_ROSTER_DATE, {
    error: `must be a day from ${MIN_ROSTER_DATE} to ${MAX_ROSTER_DATE}`,
  })
  .transform((v) => v as CivilDate);

/** An instant as ISO 8601 (a date, or a date and time with its offset), years 1900 to 2200. */
const instant = z
  .string({ error: 'must be an instant (ISO 8601), such as 2026-09-01T00:00:00Z' })
  .trim()
  .refine(
    (v) =>
      /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/i.test(v) &&
      !Number.isNaN(Date.parse(v)) &&
      v.slice(0, 10) >= MIN_ROSTER_DATE &&
      v.slice(0, 10) <= MAX_ROSTER_DATE,
    { error: (i) => `${JSON.stringify(i.input)} is not an instant (ISO 8601) from 1900 to 2200` },
  )
  .transform((v) => new Date(v));

/** A page number from 1. */
const pageNumber = blank(
  z
    .string({ error: 'must be a page number from 1' })
    .regex(/^\d{1,6}$/, { error: 'must be a page number from 1' })
    .transform(Number)
    .refine((n) => n >= 1, { error: 'must be a page number from 1' }),
).transform((n) => n ?? 1);

/** A license as the roster writes them (visible characters, at most 64); anything else is no officer. */
const license = z
  .string()
  .refine((v) => v.trim() === v && officerSchema.shape.license.safeParse(v).success, { error: 'is no license' });

/** A JSON body or a form's fields: absent is empty. */
const body = <T extends z.ZodRawShape>(shape: T) => z.preprocess((v) => v ?? {}, z.object(shape));

/** Text of a JSON body or a form, null and absent alike. */
const optionalText = () =>
  z
    .string({ error: 'must be text' })
    .nullish()
    .transform((v) => v ?? undefined);

/** A list of days: the API's array, a form's repeated `dates`, or one field with several (commas or spaces). */
const dates = z
  .preprocess(
    (v) => (typeof v === 'string' ? v.split(/[\s,]+/).filter((d) => d !== '') : v),
    z.array(z.string({ error: 'must be a date as YYYY-MM-DD' }), { error: 'must list dates as YYYY-MM-DD' }),
  )
  .optional();

// ---- Params (a param that fails is 404: there is no such page) ----

export const officerParams = z.object({ license });
export const factParams = z.object({
  license,
  id: z
    .string()
    .regex(/^\d{1,9}$/)
    .transform(Number),
});
export const certificateParams = z.object({ license, sha256: z.string().regex(/^[0-9a-fA-F]{64}$/) });
/** An agency's or a district's id, as the roster writes ids (the same rule as a license). */
export const directoryParams = z.object({ id: license });
/** A roster section's CSV template, named as its file without `.csv` (officers, policy_reviews). */
export const templateParams = z.object({ section: z.enum(TEMPLATE_SECTIONS) });
/** An assignment: its officer, its district and the day it starts (its natural key). */
export const assignmentParams = z.object({
  license,
  districtId: license,
  startDate: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/)
    .refine((v) => parseCivilDate(v) !== null)
    .transform((v) => v as CivilDate),
});

// ---- Queries ----

export const asOfQuery = z.object({ asOf: blank(civilDay) });

/**
 * The scope of a report (INTERFACE.md "Reports for the board and the auditor"): `agency=A`,
 * `district=D`, or the Reports page's choice `scope=agency:A|district:D|everything`; none of
 * them is the whole roster. Read as it arrives (the access hook asks the policy before the
 * query is validated), so a value it cannot read is the whole roster, which only admins may
 * ask for; the schema below then answers 400.
 */
export function reportScopeOf(query: unknown): ReportScope {
  const q = (query ?? {}) as Record<string, unknown>;
  const text = (v: unknown) => (typeof v === 'string' && v.trim() !== '' ? v.trim() : null);
  const choice = text(q.scope);
  const agency = text(q.agency) ?? (choice?.startsWith('agency:') ? choice.slice(7) : null);
  const district = text(q.district) ?? (choice?.startsWith('district:') ? choice.slice(9) : null);
  if (agency !== null) return { agencyId: agency };
  if (district !== null) return { districtId: district };
  return { everything: true };
}

export const reportQuery = z
  .object({
    asOf: blank(civilDay),
    agency: blank(once(64)),
    district: blank(once(64)),
    scope: blank(
      once(80).refine((v) => v === 'everything' || /^(agency|district):.+$/.test(v), {
        error: 'must be one of the choices offered',
      }),
    ),
  })
  .superRefine((q, ctx) => {
    const given = [q.agency, q.district, q.scope].filter((v) => v !== undefined).length;
    if (given > 1)
      ctx.addIssue({ code: 'custom', path: ['district'], message: 'give an agency or a district, not both' });
  })
  .transform((q) => ({ asOf: q.asOf, scope: reportScopeOf(q) }));

export const officerListQuery = z.object({
  asOf: blank(civilDay),
  status: blank(
    once(40).transform((v, ctx) => {
      const s = parseOfficerStatus(v);
      if (s) return s;
      ctx.addIssue({ code: 'custom', message: `must be one of ${OFFICER_STATUSES.join(', ')}` });
      return z.NEVER;
    }),
  ),
  agency: blank(once(64)),
  district: blank(once(64)),
  q: blank(once(200)),
  page: pageNumber,
  /** The column the list is sorted by (a column heading's link); absent: by urgency. */
  sort: blank(z.enum(LIST_SORTS, { error: `is not a column the list sorts by (${LIST_SORTS.join(', ')})` })),
  order: blank(z.enum(['asc', 'desc'], { error: 'must be asc or desc' })),
  /** The confirmation after a chief handed their agency over (its page is no longer theirs). */
  done: blank(z.enum(['handed-over'], { error: 'is not a confirmation this page shows' })),
});

/** The confirmations a form's 303 asks the officer page to show (`?done=…`). */
const DONE_NOTICES = [
  'training',
  'training-certificate',
  'training-deleted',
  'review',
  'review-attested',
  'review-already',
  'review-deleted',
  'contact-days',
  'contact-days-deleted',
  'acknowledgement',
  'acknowledgement-corrected',
  'acknowledgement-withdrawn',
  'officer-saved',
  'assignment-added',
  'assignment-ended',
  'officer-added',
  'training-submitted',
  'submission-confirmed',
  'submission-rejected',
] as const;
export type DoneNotice = (typeof DONE_NOTICES)[number];

const count = blank(
  z
    .string()
    .regex(/^\d{1,4}$/, { error: 'must be a whole number' })
    .transform(Number),
);

export const officerPageQuery = z.object({
  asOf: blank(civilDay),
  done: blank(z.enum(DONE_NOTICES, { error: 'is not a confirmation this page shows' })),
  added: count,
  already: count,
});

export const auditPageQuery = z.object({
  license: blank(once()),
  actor: blank(once()),
  action: blank(once()),
  since: blank(civilDay),
  page: pageNumber,
});

export const auditApiQuery = z.object({
  since: blank(instant),
  cursor: blank(once(200)),
});

export const verifyQuery = z.object({ token: blank(once(200)) });

// ---- Bodies ----

export const loginBody = body({ email: z.string({ error: 'give one e-mail address' }).optional() });

export const verifyBody = body({
  token: optionalText(),
  email: optionalText(),
  code: optionalText(),
});

/** A body the route reads nothing from (a delete button, sign-out): only its CSRF token. */
export const emptyBody = body({});

export const policyReviewBody = body({
  reviewedOn: optionalText(),
  agencyId: optionalText(),
});

export const contactDaysBody = body({
  districtId: optionalText(),
  dates,
});

/** Recording contact days: a day without school is refused unless `confirmNonSchoolDays` is true (RULES.md 9). */
export const recordContactDaysBody = body({
  districtId: optionalText(),
  dates,
  confirmNonSchoolDays: z
    .boolean({ error: 'must be true or false' })
    .optional()
    .meta({ description: 'true records a Saturday, Sunday, legal holiday or day without school of the district.' }),
});

export const acknowledgementBody = body({
  dueDate: optionalText(),
  note: optionalText(),
  plannedCompletionOn: optionalText(),
});

// ---- The directory (RULES.md 11): JSON bodies ----
// Each names the fields its request takes and passes them on unchecked, with any other: the
// use case validates them with the roster's own row schemas (src/roster/schema.ts), unknown
// fields included, so that every problem is listed in one answer.

/** A JSON object body whose named fields are documented here and checked by the use case. */
const directoryBody = (fields: readonly string[]) =>
  z
    .record(z.string(), z.unknown(), { error: 'must be a JSON object' })
    .meta({ description: `Any of: ${fields.join(', ')}.` });

export const agencyBody = directoryBody(['name', 'chief { name, email }', 'escalationEmails', 'confirmNoContact']);
export const districtBody = directoryBody([
  'name',
  'contacts [ { name, email, role } ]',
  'nonSchoolDays',
  'confirmNoContact',
]);
export const newOfficerBody = directoryBody(['license', 'firstName', 'lastName', 'email', 'agencyId']);
export const officerBody = directoryBody(['firstName', 'lastName', 'email']);
export const newAssignmentBody = directoryBody([
  'districtId',
  'school',
  'role',
  'startDate',
  'endDate',
  'trainingUnavailable',
]);
export const assignmentBody = directoryBody(['endDate', 'startDate', 'role', 'school', 'trainingUnavailable']);

// ---- The directory's pages and forms (urlencoded) ----

export const directoryPageQuery = z.object({
  done: blank(z.enum(['saved', 'policy'], { error: 'is not a confirmation this page shows' })),
});

/** A field a form may repeat (one per row): absent is none, once is one. */
const repeated = z
  .preprocess((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]), z.array(z.string({ error: 'must be text' })))
  .optional();

export const agencyForm = body({
  name: optionalText(),
  chiefName: optionalText(),
  chiefEmail: optionalText(),
  escalationEmails: optionalText(),
  confirmNoContact: optionalText(),
});

/** A district's form: its contacts as rows of repeated fields (a row left blank is no contact). */
export const districtForm = body({
  name: optionalText(),
  contactName: repeated,
  contactEmail: repeated,
  contactRole: repeated,
  nonSchoolDays: optionalText(),
  confirmNoContact: optionalText(),
});

/** The agency page's new officer form (the agency is the page's). */
export const newOfficerForm = body({
  license: optionalText(),
  firstName: optionalText(),
  lastName: optionalText(),
  email: optionalText(),
});

/** The officer page's name and e-mail form (an e-mail left empty removes it). */
export const officerDetailsForm = body({
  firstName: optionalText(),
  lastName: optionalText(),
  email: optionalText(),
});

/** The officer page's new assignment form (the use case checks each field with the roster's rules). */
export const newAssignmentForm = body({
  districtId: optionalText(),
  school: optionalText(),
  role: optionalText(),
  startDate: optionalText(),
  endDate: optionalText(),
  trainingUnavailable: optionalText(),
});

/** An assignment's end date, and its row on the officer page (where its problem is shown). */
export const endAssignmentForm = body({ endDate: optionalText(), row: optionalText() });

// ---- The officer page's forms (urlencoded; the training form's multipart fields) ----

/** A form field that must be filled in, with the words its problem is named in. */
const required = (problem: string) =>
  z.string({ error: problem }).trim().min(1, { error: problem }).max(500, { error: 'is longer than 500 characters' });

/** The API's multipart training: text fields (what they mean is the use case's to check). */
export const trainingFields = z.object({
  kind: optionalText(),
  completedOn: optionalText(),
  courseNumber: optionalText(),
  provider: optionalText(),
});

/** The policy review form: whether the day is there and the box ticked are checked together, by the route. */
export const policyReviewForm = body({
  reviewedOn: optionalText(),
  attest: optionalText(),
});

export const contactDaysForm = body({
  districtId: required('choose the district'),
  dates,
  /** The box the form shows once it named days without school (RULES.md 9): "yes" when ticked. */
  confirmNonSchoolDays: optionalText(),
});

/** RULES.md 10: the reason a submitted training is rejected (the API's body and the page's form). */
export const rejectionBody = body({ reason: optionalText() });

export const acknowledgementForm = body({
  dueDate: required('the missed deadline is missing: reload the page'),
  note: optionalText(),
  plannedCompletionOn: optionalText(),
});

/** The correction of an acknowledgement: its note and planned completion (who made it, and when, stay). */
export const acknowledgementCorrectionForm = body({
  note: optionalText(),
  plannedCompletionOn: optionalText(),
});
