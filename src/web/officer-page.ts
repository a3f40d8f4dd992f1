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
import { MAX_REASON_LENGTH } from '../app/training-submission.ts';
import { alertConfigOf } from '../config.ts';
import { officerLadder } from '../mail/officer-ladder.ts';
import type { CivilDate } from '../domain/civil-date.ts';
import { STATUS_LABEL, TRAINING_LABEL, alertKindInWords, isoAndLong } from '../mail/format.ts';
import { deliveryText } from '../mail/bounce-words.ts';
import { STATUS_TONE, issueText, officerHeadline, officerStatusSection } from '../mail/officer-status.ts';
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
  acknowledgement: () => 'The acknowledgment was recorded. Every later e-mail about this deadline shows it.',
  'acknowledgement-corrected': () =>
    'The acknowledgment was corrected. Every later e-mail about this deadline shows it as it is now.',
  'acknowledgement-withdrawn': () =>
    'The acknowledgment was withdrawn. Later e-mails about this deadline no longer show it; the audit log keeps it.',
  'officer-saved': () => "The officer's name and e-mail were saved. Reminders from now on use them.",
  'assignment-added': () => 'The assignment was added. The status above takes it into account.',
  'assignment-ended': () => 'The assignment was ended. The status above takes it into account.',
  'officer-added': () => 'The officer was added. Add their assignment below: the reminders follow from it.',
  'training-submitted': () =>
    'Your training and its certificate were sent to your chief, who was e-mailed. It counts toward your compliance once your chief confirms it.',
  'submission-confirmed': () =>
    'The submitted training was confirmed and recorded. The status above takes it into account.',
  'submission-rejected': () => 'The submitted training was not confirmed. The officer is told, with your reason.',
};

/** The labels of each form's fields, as the page shows them: a problem is named by its field's label. */
const LABELS: Record<OfficerFormName, Record<string, string>> = {
  training: {
    kind: 'Course',
    completedOn: 'Completed on',
    courseNumber: 'Course number',
    provider: 'Provider',
    certificate: 'Certificate file',
  },
  review: { reviewedOn: 'Reviewed on', attest: 'Attestation', agencyId: 'Agency' },
  days: { districtId: 'District', dates: 'Days the officer served', [CONFIRM_NON_SCHOOL_DAYS]: 'Days without school' },
  ack: { dueDate: 'Missed deadline', note: 'Note', plannedCompletionOn: 'Planned completion' },
  ackEdit: { note: 'Note', plannedCompletionOn: 'Planned completion' },
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
  reject: { reason: 'Reason' },
};

/** A problem's field as the page names it: its label ('Day 2' for the second day), else 'This form'. */
const labelOf = (form: OfficerFormName, field: string) => {
  if (form === 'days') {
    const day = /^dates\.(\d+)$/.exec(field);
    if (day) return `Day ${Number(day[1]) + 1}`;
  }
  const name = form === 'end' ? field.replace(/^\d+\./, '') : field.split('.')[0]!;
  return LABELS[form]?.[name] ?? 'This form';
};

/**
 * A problem in a sentence that names its field by its label, never by its code: "Course:
 * choose the course", "Completed on is not a date", "Day 2: Saturday 2026-12-05 is not a school
 * day" (the error summary says every problem so).
 */
const problemText = (form: OfficerFormName, field: string, problem: string) => {
  const label = labelOf(form, field);
  return /^(is|are|must|lists|contains|has|was)\b/.test(problem) ? `${label} ${problem}` : `${label}: ${problem}`;
};

/**
 * A problem next to its field, under the field's label: a phrase gets the label ("Course:
 * choose the course"); a problem that names its value or is a sentence already stands alone.
 */
const fieldProblemText = (form: OfficerFormName, field: string, problem: string) =>
  /^[a-z]/.test(problem) ? problemText(form, field, problem) : problem;

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
  // The acknowledgement whose correction came back (its form's fields are named by its id).
  const editedAck = form?.form === 'ackEdit' ? String((req.params as { id?: unknown }).id ?? '') : null;
  const title = `${d.officer.name} (#${d.officer.license})`;
  // The name form edits first and last name apart (the page shows them joined).
  const names = p.permissions.updateOfficer ? await officerNameFields(web.directory, officer.license) : null;
  // RULES.md 10: the oldest submitted training still waiting for the chief's answer.
  const pending = d.submissions.findLast((x) => x.status === 'PENDING_REVIEW') ?? null;
  const headline = officerHeadline(d.status, d.officer.issues, {
    officerName: d.officer.name,
    self: p.self,
    recordsTraining: p.permissions.recordTraining,
    acknowledges: p.permissions.acknowledgeDueDate !== null,
    submitsTraining: p.permissions.submitTraining,
    pendingSubmission: pending,
    reviewsTraining: p.permissions.reviewTraining,
  });
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
        headline,
        self: p.self,
        /** A person by address: to the officer themself, their role ("your chief"), never the address. */
        personOf: p.personOf,
        /** RULES.md 12: for an e-mail carrying a bounced one's step to the next people, whose e-mail bounced; else null. */
        standInFor: (a: { standsInFor: string | null }) => {
          const bounced = a.standsInFor ? d.alerts.find((x) => x.key === a.standsInFor) : undefined;
          return bounced ? `in place of the e-mail to ${p.personOf(bounced.recipient)}, which bounced` : null;
        },
        section: officerStatusSection(d.status, d.officer.issues),
        words: { STATUS_LABEL, STATUS_TONE, TRAINING_LABEL, isoAndLong, alertKindInWords, issueText, deliveryText },
        agencyName: (id: string) => d.names.agencies.get(id) ?? id,
        districtName: (id: string) => d.names.districts.get(id) ?? id,
        base: `/officers/${encodeURIComponent(officer.license)}`,
        may: p.permissions,
        /** The agency's and districts' pages the viewer may open (RULES.md 11). */
        links: directoryLinks(viewer, officer),
        overdueDue: p.permissions.acknowledgeDueDate,
        /** RULES.md 8 "Say so": the sentence telling a recent correction of the due date, or null. */
        dueDateCorrection: p.dueDateCorrection ? dueDateCorrectionText(p.dueDateCorrection) : null,
        /** RULES.md 10: the agency's SRO policy file to read before attesting, or null. */
        policyFile: p.policyFile,
        /** RULES.md 10: the submitted training the chief answers first (the oldest waiting), or null. */
        pending,
        /** The officer's own deadline and the steps still ahead of it, by role (never an address). */
        ladder: p.self ? officerLadder(d.status, alertConfigOf(web.config), asOf) : [],
        maxReasonLength: MAX_REASON_LENGTH,
        trainingKinds: TRAINING_KINDS,
        maxNoteLength: MAX_NOTE_LENGTH,
        done: form ? null : (options.done ?? null),
        form,
        editedAck,
        /** Every problem of the form sent back, by its label, linked to its field. */
        problems: form
          ? form.errors.map((e) => ({
              href: `#${form.form}-${editedAck === null ? '' : `${editedAck}-`}${e.field.replace('.', '-')}`,
              text: problemText(form.form, e.field, e.problem),
            }))
          : [],
        contactDays: { unconfirmedNonSchoolDays: unconfirmedNonSchoolDays(form) },
        labelOf,
        names,
        /** The problem of a form's field, when that form came back, named by the field's label. */
        fieldError: (name: OfficerFormName, field: string) => {
          if (form?.form !== name) return null;
          const e = form.errors.find((x) => x.field === field);
          return e ? fieldProblemText(name, field, e.problem) : null;
        },
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
