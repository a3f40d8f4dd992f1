// The console's write API (INTERFACE.md "Console", RULES.md 6 and 7): recording trainings
// with their certificate files, policy reviews, contact days and acknowledgements, deleting
// CONSOLE facts, and reading a certificate back. The route hook checked the scope and the
// row's action (access.ts); the use cases (src/app/record-fact.ts) ask the policy module for
// the rest. Errors are answered by the API plugin's one handler (answers.ts).
import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import { certificateFile } from '../app/certificate.ts';
import { deletePolicyReview, deleteTraining, recordPolicyReview, recordTraining } from '../app/record-fact.ts';
import { deleteContactDays, recordContactDays } from '../app/record-contact-days.ts';
import { acknowledgeDeadline } from '../app/acknowledge-deadline.ts';
import { answerTraining, submitTraining } from '../app/training-submission.ts';
import { can } from '../app/policy.ts';
import type { WebContext } from './context.ts';
import { type Registrar, officerOf, recorderOf } from './request.ts';
import {
  acknowledgementBody,
  certificateParams,
  contactDaysBody,
  emptyBody,
  factParams,
  officerParams,
  policyReviewBody,
  recordContactDaysBody,
  rejectionBody,
  trainingFields,
} from './schemas.ts';
import { readTrainingUpload } from './uploads.ts';

const noQuery = z.object({});

export function factApi(r: Registrar, web: WebContext): void {
  const deps = web.record;
  const created = (reply: FastifyReply, body: unknown) =>
    reply.code(201).header('cache-control', 'no-store').send(body);
  const ok = (reply: FastifyReply, body: unknown) => reply.header('cache-control', 'no-store').send(body);

  r.route(
    'apiRecordTraining',
    { params: officerParams, querystring: noQuery },
    async (req, reply) => {
      // Who may record was asked before the upload is read (the row's action): a refused role sends nothing to store.
      const { fields, certificate } = await readTrainingUpload(web, req, trainingFields);
      const who = recorderOf(web, req);
      // RULES.md 10: the officer's own training waits for the chief's review (202).
      if (!can(who.viewer, 'training.record', officerOf(req))) {
        const s = await submitTraining(deps, who, officerOf(req).license, fields, certificate);
        return reply.code(202).header('cache-control', 'no-store').send(s);
      }
      const r = await recordTraining(deps, who, officerOf(req).license, fields, certificate);
      return created(reply, r.training);
    },
    { multipart: true },
  );

  r.route('apiConfirmTraining', { params: factParams, querystring: noQuery, body: emptyBody }, async (req, reply) => {
    const r = await answerTraining(deps, recorderOf(web, req), officerOf(req).license, req.params.id, {
      confirm: true,
    });
    return ok(reply, { ...r.submission, training: r.training });
  });

  r.route(
    'apiRejectTraining',
    { params: factParams, querystring: noQuery, body: rejectionBody },
    async (req, reply) => {
      const r = await answerTraining(deps, recorderOf(web, req), officerOf(req).license, req.params.id, {
        confirm: false,
        reason: req.body.reason,
      });
      return ok(reply, r.submission);
    },
  );

  r.route('apiDeleteTraining', { params: factParams, querystring: noQuery, body: emptyBody }, async (req, reply) =>
    ok(reply, { deleted: await deleteTraining(deps, recorderOf(web, req), officerOf(req).license, req.params.id) }),
  );

  r.route('apiCertificate', { params: certificateParams, querystring: noQuery }, async (req, reply) => {
    const hex = req.params.sha256.toLowerCase();
    const file = await certificateFile(web.deps.pool, officerOf(req).license, hex);
    // Served as a download that never renders here: no sniffing, no active content. The name
    // (LICENSE-LASTNAME-KIND-DATE.ext, ASCII) is the evidence packet's, so both copies match.
    return reply
      .type(file.contentType)
      .header('content-disposition', `attachment; filename="${file.fileName}"`)
      .header('x-content-type-options', 'nosniff')
      .header('content-security-policy', "default-src 'none'; sandbox")
      .header('cache-control', 'private, no-store')
      .header('etag', `"${hex}"`)
      .send(file.bytes);
  });

  r.route(
    'apiRecordPolicyReview',
    { params: officerParams, querystring: noQuery, body: policyReviewBody },
    async (req, reply) => {
      const r = await recordPolicyReview(deps, recorderOf(web, req), officerOf(req).license, req.body);
      return created(reply, { ...r.policyReview, alreadyRecorded: r.alreadyRecorded });
    },
  );

  r.route('apiDeletePolicyReview', { params: factParams, querystring: noQuery, body: emptyBody }, async (req, reply) =>
    ok(reply, {
      deleted: await deletePolicyReview(deps, recorderOf(web, req), officerOf(req).license, req.params.id),
    }),
  );

  r.route(
    'apiRecordContactDays',
    { params: officerParams, querystring: noQuery, body: recordContactDaysBody },
    async (req, reply) => {
      const r = await recordContactDays(deps, recorderOf(web, req), officerOf(req).license, req.body);
      return created(reply, { added: r.added, alreadyRecorded: r.alreadyRecorded });
    },
  );

  r.route(
    'apiDeleteContactDays',
    { params: officerParams, querystring: noQuery, body: contactDaysBody },
    async (req, reply) =>
      ok(reply, await deleteContactDays(deps, recorderOf(web, req), officerOf(req).license, req.body)),
  );

  r.route(
    'apiAcknowledge',
    { params: officerParams, querystring: noQuery, body: acknowledgementBody },
    async (req, reply) =>
      created(reply, await acknowledgeDeadline(deps, recorderOf(web, req), officerOf(req).license, req.body)),
  );
}
