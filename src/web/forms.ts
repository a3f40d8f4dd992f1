// The officer page's forms (INTERFACE.md "Console": pages that work without JavaScript): the
// same use cases as the JSON API (src/app/record-fact.ts), answered as pages. Success is 303
// back to the officer's page with a confirmation (`?done=…`); bad input is the page again,
// 400, with each problem next to its field and the values kept; a role that may not gets a
// 403 page, a certificate too large or of another type a 413 or 415 page (all by the page
// plugin's one error handler, answers.ts). The route hook checked the scope and the row's
// action, the CSRF token before it.
import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import { type FieldProblem, InvalidInput } from '../errors.ts';
import { deletePolicyReview, deleteTraining, recordPolicyReview, recordTraining } from '../app/record-fact.ts';
import { NonSchoolDaysUnconfirmed, deleteContactDays, recordContactDays } from '../app/record-contact-days.ts';
import { acknowledgeDeadline, correctAcknowledgement, withdrawAcknowledgement } from '../app/acknowledge-deadline.ts';
import { can, reviewKindOf } from '../app/policy.ts';
import { answerTraining, submitTraining } from '../app/training-submission.ts';
import type { WebContext } from './context.ts';
import { type Registrar, officerOf, recorderOf, viewerOf } from './request.ts';
import {
  type DoneNotice,
  acknowledgementCorrectionForm,
  acknowledgementForm,
  contactDaysBody,
  contactDaysForm,
  emptyBody,
  factParams,
  officerParams,
  policyReviewForm,
  rejectionBody,
  trainingFields,
} from './schemas.ts';
import { readTrainingUpload } from './uploads.ts';

const noQuery = z.object({});

/** The contact-days form's box that records days without school anyway (RULES.md 9), and what it asks. */
export const CONFIRM_NON_SCHOOL_DAYS = 'confirmNonSchoolDays';
/** What the training form says of a field it needs that was left empty. */
const TRAINING_BLANK: Record<string, string> = {
  kind: 'choose the course',
  completedOn: 'enter the day the course was completed',
};
const NON_SCHOOL_DAYS_QUESTION = 'correct the days named, or tick the box below to record them as they are';

/** The form's `dates` as the use case takes them, and which input each came from (empty ones left out). */
function datesOf(v: string | string[] | undefined): { dates: string[]; inputOf: number[] } {
  const raw = v === undefined ? [] : Array.isArray(v) ? v : [v];
  const dates: string[] = [];
  const inputOf: number[] = [];
  raw.forEach((d, i) => {
    if (d.trim() === '') return;
    dates.push(d.trim());
    inputOf.push(i);
  });
  return { dates, inputOf };
}

export function formPages(r: Registrar, web: WebContext): void {
  const deps = web.record;
  const back = (reply: FastifyReply, license: string, done: DoneNotice, extra: Record<string, string> = {}) =>
    reply.redirect(
      `/officers/${encodeURIComponent(license)}?${new URLSearchParams({ done, ...extra }).toString()}`,
      303,
    );

  r.route(
    'formTraining',
    { params: officerParams, querystring: noQuery },
    async (req, reply) => {
      const { fields, certificate } = await readTrainingUpload(web, req, trainingFields);
      const license = officerOf(req).license;
      const who = recorderOf(web, req);
      // RULES.md 10: the officer's own training is submitted for the chief's review.
      const submits = !can(who.viewer, 'training.record', officerOf(req));
      try {
        if (submits) await submitTraining(deps, who, license, fields, certificate);
        else await recordTraining(deps, who, license, fields, certificate);
      } catch (e) {
        // Every problem at once, a field left empty in the form's words ("choose the course").
        if (e instanceof InvalidInput)
          throw new InvalidInput(
            e.errors.map((p) => {
              const blank = TRAINING_BLANK[p.field];
              const value = (fields as Record<string, string | undefined>)[p.field];
              return blank && !value?.trim() ? { field: p.field, problem: blank } : p;
            }),
          );
        throw e;
      }
      if (submits) return back(reply, license, 'training-submitted');
      return back(reply, license, certificate ? 'training-certificate' : 'training');
    },
    { form: 'training', multipart: true },
  );

  r.route('formConfirmTraining', { params: factParams, querystring: noQuery, body: emptyBody }, async (req, reply) => {
    await answerTraining(deps, recorderOf(web, req), officerOf(req).license, req.params.id, { confirm: true });
    return back(reply, officerOf(req).license, 'submission-confirmed');
  });

  r.route(
    'formRejectTraining',
    { params: factParams, querystring: noQuery, body: rejectionBody },
    async (req, reply) => {
      await answerTraining(deps, recorderOf(web, req), officerOf(req).license, req.params.id, {
        confirm: false,
        reason: req.body.reason,
      });
      return back(reply, officerOf(req).license, 'submission-rejected');
    },
    { form: 'reject' },
  );

  r.route('formDeleteTraining', { params: factParams, querystring: noQuery, body: emptyBody }, async (req, reply) => {
    await deleteTraining(deps, recorderOf(web, req), officerOf(req).license, req.params.id);
    return back(reply, officerOf(req).license, 'training-deleted');
  });

  r.route(
    'formPolicyReview',
    { params: officerParams, querystring: noQuery, body: policyReviewForm },
    async (req, reply) => {
      const officer = officerOf(req);
      // The officer records their own review as an attestation (V.C/V.D, RULES.md 7): the page
      // asks them to tick its sentence, and a form without the tick records nothing.
      const attesting = reviewKindOf(viewerOf(req), officer) === 'attestation';
      const problems: FieldProblem[] = [];
      if (!req.body.reviewedOn?.trim())
        problems.push({ field: 'reviewedOn', problem: 'enter the day the policy was reviewed' });
      if (attesting && req.body.attest !== 'yes')
        problems.push({
          field: 'attest',
          problem: 'tick the box to attest that you reviewed the policy and will comply',
        });
      if (problems.length) throw new InvalidInput(problems);
      const r = await recordPolicyReview(deps, recorderOf(web, req), officer.license, {
        reviewedOn: req.body.reviewedOn,
      });
      return back(
        reply,
        officer.license,
        r.alreadyRecorded ? 'review-already' : attesting ? 'review-attested' : 'review',
      );
    },
    { form: 'review' },
  );

  r.route(
    'formDeletePolicyReview',
    { params: factParams, querystring: noQuery, body: emptyBody },
    async (req, reply) => {
      await deletePolicyReview(deps, recorderOf(web, req), officerOf(req).license, req.params.id);
      return back(reply, officerOf(req).license, 'review-deleted');
    },
  );

  r.route(
    'formContactDays',
    { params: officerParams, querystring: noQuery, body: contactDaysForm },
    async (req, reply) => {
      const license = officerOf(req).license;
      const { dates, inputOf } = datesOf(req.body.dates);
      if (dates.length === 0)
        throw new InvalidInput([{ field: 'dates.0', problem: 'enter at least one day the officer served' }]);
      try {
        const r = await recordContactDays(deps, recorderOf(web, req), license, {
          districtId: req.body.districtId,
          dates,
          confirmNonSchoolDays: req.body.confirmNonSchoolDays === 'yes',
        });
        return back(reply, license, 'contact-days', {
          added: String(r.added.length),
          already: String(r.alreadyRecorded.length),
        });
      } catch (e) {
        // RULES.md 9: each day without school named next to its input, and the form asks again
        // with a box to tick (the page shows it when the confirmation's problem is there).
        if (e instanceof NonSchoolDaysUnconfirmed)
          throw new InvalidInput([
            ...e.days.map((d) => ({ field: `dates.${inputOf[d.index] ?? 0}`, problem: d.text })),
            { field: CONFIRM_NON_SCHOOL_DAYS, problem: NON_SCHOOL_DAYS_QUESTION },
          ]);
        // The use case numbers the dates it was given; the page names the input each came from.
        if (e instanceof InvalidInput)
          throw new InvalidInput(
            e.errors.map((p) => {
              const m = /^dates\.(\d+)$/.exec(p.field);
              return m ? { ...p, field: `dates.${inputOf[Number(m[1])] ?? 0}` } : p;
            }),
          );
        throw e;
      }
    },
    { form: 'days' },
  );

  r.route(
    'formDeleteContactDays',
    { params: officerParams, querystring: noQuery, body: contactDaysBody },
    async (req, reply) => {
      await deleteContactDays(deps, recorderOf(web, req), officerOf(req).license, req.body);
      return back(reply, officerOf(req).license, 'contact-days-deleted');
    },
  );

  r.route(
    'formAcknowledge',
    { params: officerParams, querystring: noQuery, body: acknowledgementForm },
    async (req, reply) => {
      const license = officerOf(req).license;
      // A textarea lets a person press Enter; the note is one paragraph in the e-mails
      // (the use case refuses line breaks), so the page joins its lines with a space.
      const note = (req.body.note ?? '').trim().replace(/\s*[\r\n]+\s*/g, ' ');
      await acknowledgeDeadline(deps, recorderOf(web, req), license, {
        dueDate: req.body.dueDate,
        note,
        plannedCompletionOn: req.body.plannedCompletionOn,
      });
      return back(reply, license, 'acknowledgement');
    },
    { form: 'ack' },
  );

  r.route(
    'formCorrectAcknowledgement',
    { params: factParams, querystring: noQuery, body: acknowledgementCorrectionForm },
    async (req, reply) => {
      const license = officerOf(req).license;
      const note = (req.body.note ?? '').trim().replace(/\s*[\r\n]+\s*/g, ' ');
      await correctAcknowledgement(deps, recorderOf(web, req), license, String(req.params.id), {
        note,
        plannedCompletionOn: req.body.plannedCompletionOn,
      });
      return back(reply, license, 'acknowledgement-corrected');
    },
    { form: 'ackEdit' },
  );

  r.route(
    'formWithdrawAcknowledgement',
    { params: factParams, querystring: noQuery, body: emptyBody },
    async (req, reply) => {
      await withdrawAcknowledgement(deps, recorderOf(web, req), officerOf(req).license, String(req.params.id));
      return back(reply, officerOf(req).license, 'acknowledgement-withdrawn');
    },
  );
}
