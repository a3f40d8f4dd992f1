// The agency's SRO policy PDF (RULES.md 10): the agency page's upload form, and the file's
// download from the agency's page and from an officer's page (the officer reads it before
// attesting a review). The route hook checked the scope and the row's action.
import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import { agencyPolicyFile, uploadAgencyPolicy } from '../app/agency-policy.ts';
import type { WebContext } from './context.ts';
import { type Registrar, changerOf, officerOf } from './request.ts';
import { directoryParams, officerParams } from './schemas.ts';
import { readPolicyUpload } from './uploads.ts';

const noQuery = z.object({});

/** The PDF as a download that never renders here (as a certificate is served). */
function sendPdf(reply: FastifyReply, file: { bytes: Buffer; fileName: string; sha256: string }) {
  return reply
    .type('application/pdf')
    .header('content-disposition', `attachment; filename="${file.fileName}"`)
    .header('x-content-type-options', 'nosniff')
    .header('content-security-policy', "default-src 'none'; sandbox")
    .header('cache-control', 'private, no-store')
    .header('etag', `"${file.sha256}"`)
    .send(file.bytes);
}

export function agencyPolicyPages(r: Registrar, web: WebContext): void {
  r.route(
    'formAgencyPolicy',
    { params: directoryParams, querystring: noQuery },
    async (req, reply) => {
      const bytes = await readPolicyUpload(web, req);
      await uploadAgencyPolicy(web.deps.pool, changerOf(web, req), req.params.id, bytes);
      return reply.redirect(`/agencies/${encodeURIComponent(req.params.id)}?done=policy`, 303);
    },
    { multipart: true },
  );

  r.route('agencyPolicyPdf', { params: directoryParams, querystring: noQuery }, async (req, reply) =>
    sendPdf(reply, await agencyPolicyFile(web.deps.pool, req.params.id)),
  );

  r.route('officerPolicyPdf', { params: officerParams, querystring: noQuery }, async (req, reply) =>
    sendPdf(reply, await agencyPolicyFile(web.deps.pool, officerOf(req).agencyId)),
  );
}
