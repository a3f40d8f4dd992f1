// One officer's page (INTERFACE.md "Console" pages): status with the rule and statute it rests
// on, facts, every alert, acknowledgements, and the forms the viewer may use, each shown
// exactly when the policy module allows its request (src/app/officer-page.ts gives the
// flags; the template only reads them). Also the page a form answers with its problems (400).
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FieldProblem } from '../errors.ts';
import { NotFound } from '../errors.ts';
import { directoryLinks, officerNameFields } from '../app/directory/pages.ts';
import { officerPage } from '../app/officer-page.ts';
import { MAX_NOTE_LENGTH } from '../app/acknowledge-deadline.ts';
import type { CivilDate } from '../domain/civil-date.ts';
import { STATUS_LABEL, TRAINING_LABEL, alertKindInWords, isoAndLong } from '../mail/format.ts';
import { STATUS_TONE, issueText, officerStatusSection } from '../mail/officer-status.ts';
import { dueDateCorrectionText } from '../mail/due-date-correction.ts';
import { TRAINING_KINDS } from '../roster/schema.ts';
import type { OfficerFormName, WebContext } from './context.ts';
import { CONFIRM_NON_SCHOOL_DAYS } from './forms.ts';
import { layoutData } from './pages.ts';
import { type Registrar, officerOf, viewerOf } from './request.ts';
import { type DoneNotice, officerPageQuery, officerParams } from './schemas.ts';

/** A form sent back with its problems (400): each next to its field, the values kept. */
export interface OfficerFormState {
  form: OfficerFormName;
  errors: FieldProblem[];
  values: Record<string, string | string[]>;
}

const days = (k: number) => `${k} contact ${k === 1 ? 'day' : 'days'}`;

/** The confirmations after a form's 303 (`?done=…`), shown as a status notice. */
const DONE: Record<DoneNotice, (n: { added: number; already: number }) => string> = {
  training: () => 'The training was recorded. The status above takes it into account.',
  'training-certificate': () =>
    'The training and its certificate were recorded. The status above takes them into account.',
  'training-deleted': () => 'The training recorded in the console was deleted.',
  review: () => 'The policy review was recorded.',
  'review-attested': () => 'Your attestation of the policy review was recorded.',
  'review-already': () => 'That policy review was already on record: nothing changed.',
  'review-deleted': () => 'The policy review recorded in the console was deleted.',
  'contact-days': ({ added, already }) =>
    `${added === 0 ? 'No contact day was added' : `Recorded ${days(added)}`}${already > 0 ? `; ${days(already)} ${already === 1 ? 'was' : 'were'} already recorded` : ''}.`,
  'contact-days-deleted': () => 'The contact day recorded in the console was deleted.',
  acknowledgement: () => 'The acknowledgement was recorded. Every later e-mail about this deadline shows it.',
  'officer-saved': () => "The officer's name and e-mail were saved. Reminders from now on use them.",
  'assignment-added': () => 'The assignment was added. The status above takes it into account.',
  'assignment-ended': () => 'The assignment was ended. The status above takes it into account.',
  'officer-added': () => 'The officer was added. Add their assignment below: the reminders follow from it.',
};

/** The labels of the directory forms' fields, as the error summary names them. */
const LABELS: Partial<Record<OfficerFormName, Record<string, string>>> = {
  officer: { firstName: 'First name', lastName: 'Last name', email: 'E-mail' },
  assignment: {
    districtId: 'District',
    school: 'School',
    role: 'Role',
    startDate: 'First day',
    endDate: 'Last day',
    trainingUnavailable: 'Course unavailable',
  },
  end: { endDate: 'Last day', startDate: 'First day' },
  days: { districtId: 'District', dates: 'Days the officer served', [CONFIRM_NON_SCHOOL_DAYS]: 'Days without school' },
};

/** A problem's field as the page names it: its label, else the field's name as before. */
const labelOf = (form: OfficerFormName, field: string) => {
  const day = form === 'days' ? /^dates\.(\d+)$/.exec(field) : null;
  if (day) return `Day ${Number(day[1]) + 1}`;
  const name = form === 'end' ? field.replace(/^\d+\./, '') : field.split('.')[0]!;
  return LABELS[form]?.[name] ?? name;
};

/**
 * The contact-days form sent back with days without school (RULES.md 9): each day in words,
 * for the box that records them anyway; empty when it did not come back for that.
 */
function unconfirmedNonSchoolDays(form: OfficerFormState | null): string[] {
  if (form?.form !== 'days' || !form.errors.some((e) => e.field === CONFIRM_NON_SCHOOL_DAYS)) return [];
  return form.errors.filter((e) => /^dates\.\d+$/.test(e.field)).map((e) => e.problem);
}

export function officerPages(r: Registrar, web: WebContext): void {
  r.route('officer', { params: officerParams, querystring: officerPageQuery }, async (req, reply) => {
    const q = req.query;
    const done = q.done ? DONE[q.done]({ added: q.added ?? 0, already: q.already ?? 0 }) : null;
    return renderOfficerPage(web, req, reply, { asOf: q.asOf, done });
  });
}

/**
 * The officer page as of `asOf` (today by default; a form sent back is always of today), with
 * a confirmation or a form's problems.
 */
export async function renderOfficerPage(
  web: WebContext,
  req: FastifyRequest,
  reply: FastifyReply,
  options: { asOf?: CivilDate; done?: string | null; form?: OfficerFormState; status?: number },
) {
  const viewer = viewerOf(req);
  const officer = officerOf(req);
  const today = web.today();
  const asOf = options.form ? today : (options.asOf ?? today);
  const p = await officerPage(web.console, viewer, officer, asOf, today);
  if (!p) throw new NotFound('not found');
  const d = p.detail;
  const form = options.form ?? null;
  const title = `${d.officer.name} (#${d.officer.license})`;
  // The name form edits first and last name apart (the page shows them joined).
  const names = p.permissions.updateOfficer ? await officerNameFields(web.directory, officer.license) : null;
  return reply
    .code(options.status ?? 200)
    .type('text/html; charset=utf-8')
    .header('cache-control', 'no-store')
    .send(
      web.views.render('officer', {
        ...layoutData(web, req, reply),
        title: form ? `Error: ${title}` : title,
        d,
        asOf,
        today,
        section: officerStatusSection(d.status, d.officer.issues, asOf),
        words: { STATUS_LABEL, STATUS_TONE, TRAINING_LABEL, isoAndLong, alertKindInWords, issueText },
        agencyName: (id: string) => d.names.agencies.get(id) ?? id,
        districtName: (id: string) => d.names.districts.get(id) ?? id,
        base: `/officers/${encodeURIComponent(officer.license)}`,
        may: p.permissions,
        /** The agency's and districts' pages the viewer may open (RULES.md 11). */
        links: directoryLinks(viewer, officer),
        overdueDue: p.permissions.acknowledgeDueDate,
        /** RULES.md 8 "Say so": the sentence telling a recent correction of the due date, or null. */
        dueDateCorrection: p.dueDateCorrection ? dueDateCorrectionText(p.dueDateCorrection) : null,
        trainingKinds: TRAINING_KINDS,
        maxNoteLength: MAX_NOTE_LENGTH,
        done: form ? null : (options.done ?? null),
        form,
        contactDays: { unconfirmedNonSchoolDays: unconfirmedNonSchoolDays(form) },
        labelOf,
        names,
        /** The problem of a form's field, when that form came back. */
        fieldError: (name: OfficerFormName, field: string) =>
          form?.form === name ? (form.errors.find((e) => e.field === field)?.problem ?? null) : null,
        /** A form's kept value (the one sent), else the default. */
        value: (name: OfficerFormName, field: string, fallback = '') => {
          const v = form?.form === name ? form.values[field] : undefined;
          return typeof v === 'string' ? v : fallback;
        },
        values: (name: OfficerFormName, field: string): string[] => {
          const v = form?.form === name ? form.values[field] : undefined;
          return Array.isArray(v) ? v : typeof v === 'string' ? [v] : [];
        },
      }),
    );
}
