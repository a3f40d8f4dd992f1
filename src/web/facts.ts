// The console's write side (INTERFACE.md "Console", RULES.md 6 and 7): recording trainings
// with their certificate files, policy reviews, contact days and acknowledgements, deleting
// CONSOLE facts, reading a certificate back, and the audit log. The scope was checked by the
// server's hook (routes.ts: access OFFICER, 404 out of scope); who may record what is the
// use case's (src/app/record-fact.ts, 403 with what would allow it). Handlers hold no SQL.
import type { FastifyReply, FastifyRequest } from 'fastify';
import {
  type CertificateFile,
  type CertificateType,
  FactConflict,
  FactNotFound,
  InvalidFact,
  MayNotRecord,
  acknowledgeDeadline,
  deleteContactDays,
  deletePolicyReview,
  deleteTraining,
  mayReadCertificate,
  recordContactDays,
  recordPolicyReview,
  recordTraining,
} from '../app/record-fact.ts';
import { readAuditEvents } from '../db/audit.ts';
import { readCertificate, readOfficerContext } from '../db/console-facts.ts';
import {
  MAX_CERTIFICATE_BYTES,
  checkMayRecordTraining,
  licenseOf,
  readTrainingParts,
  recordDepsOf,
  recorderOf,
} from './fact-requests.ts';
import type { WebContext } from './server.ts';

class HttpProblem extends Error {
  constructor(
    readonly statusCode: number,
    message: string,
  ) {
    super(message);
  }
}

type Handler = (req: FastifyRequest, reply: FastifyReply) => Promise<unknown>;

/** The answers of the use cases' errors: 400 with every field named, 403, 404, 409, 413, 415. */
function answering(handler: Handler): Handler {
  return async (req, reply) => {
    try {
      return await handler(req, reply);
    } catch (e) {
      reply.header('cache-control', 'no-store');
      if (e instanceof InvalidFact) return reply.code(400).send({ errors: e.errors });
      if (
        e instanceof MayNotRecord ||
        e instanceof FactConflict ||
        e instanceof FactNotFound ||
        e instanceof HttpProblem
      )
        return reply.code(e.statusCode).send({ error: e.message });
      throw e;
    }
  };
}

function idOf(req: FastifyRequest): number {
  const id = (req.params as { id?: string }).id ?? '';
  if (!/^\d{1,9}$/.test(id)) throw new FactNotFound(`no fact ${JSON.stringify(id)}`);
  return Number(id);
}

/** A JSON body (the API) or a form's fields (the pages), without the form's CSRF field. */
function bodyOf(req: FastifyRequest): Record<string, unknown> {
  const b = req.body;
  if (b === null || b === undefined) return {};
  if (typeof b !== 'object' || Array.isArray(b))
    throw new InvalidFact([{ field: '(body)', problem: 'must be a JSON object' }]);
  const { _csrf: _token, ...fields } = b as Record<string, unknown>;
  return fields;
}

/** Reads a multipart training: its text fields and its `certificate` file (fact-requests.ts). */
async function readTrainingForm(
  req: FastifyRequest,
): Promise<{ fields: Record<string, string>; certificate: CertificateFile | null }> {
  if (!req.isMultipart())
    throw new HttpProblem(
      415,
      'send the training as multipart/form-data (fields kind, completedOn, …; file certificate)',
    );
  const fields: Record<string, string> = {};
  const certificate = await readTrainingParts(req, fields, {
    tooLarge: () =>
      new HttpProblem(
        413,
        `the certificate is larger than ${MAX_CERTIFICATE_BYTES / 1024 / 1024} MB; nothing was stored`,
      ),
    notACertificate: (detected) =>
      new HttpProblem(
        415,
        `the certificate must be a PDF, PNG or JPEG file (recognised by its content: this one is ${detected ? detected.mime : 'of no known type'}); nothing was stored`,
      ),
    unexpectedFile: 'unexpected file: the only file field is certificate',
    oneFileOnly: 'one file only',
  });
  return { fields, certificate };
}

const EXTENSION: Record<CertificateType, string> = {
  'application/pdf': 'pdf',
  'image/png': 'png',
  'image/jpeg': 'jpg',
};

export function factRoutes(web: WebContext): void {
  const deps = recordDepsOf(web);
  const who = recorderOf(web);
  const created = (reply: FastifyReply, body: unknown) =>
    reply.code(201).header('cache-control', 'no-store').send(body);

  web.route(
    'apiRecordTraining',
    answering(async (req, reply) => {
      const license = licenseOf(req);
      await checkMayRecordTraining(deps, req, license, 'not found');
      const { fields, certificate } = await readTrainingForm(req);
      const r = await recordTraining(deps, who(req), license, fields, certificate);
      return created(reply, r.training);
    }),
  );

  web.route(
    'apiDeleteTraining',
    answering(async (req, reply) => {
      const row = await deleteTraining(deps, who(req), licenseOf(req), idOf(req));
      return reply.header('cache-control', 'no-store').send({ deleted: row });
    }),
  );

  web.route(
    'apiCertificate',
    answering(async (req, reply) => {
      const license = licenseOf(req);
      const hex = (req.params as { sha256: string }).sha256.toLowerCase();
      const o = await readOfficerContext(deps.pool, license);
      if (!o) throw new FactNotFound('not found');
      if (!mayReadCertificate(req.viewer!, o))
        throw new MayNotRecord("Only the officer's chief and admins may read a certificate (V.E, RULES.md 7).");
      const file = /^[0-9a-f]{64}$/.test(hex)
        ? await readCertificate(deps.pool, license, Buffer.from(hex, 'hex'))
        : null;
      if (!file) throw new FactNotFound('not found');
      const ext = EXTENSION[file.contentType as CertificateType] ?? 'bin';
      // Served as a download that never renders here: no sniffing, no active content.
      return reply
        .type(file.contentType)
        .header('content-disposition', `attachment; filename="certificate-${hex.slice(0, 16)}.${ext}"`)
        .header('x-content-type-options', 'nosniff')
        .header('content-security-policy', "default-src 'none'; sandbox")
        .header('cache-control', 'private, no-store')
        .header('etag', `"${hex}"`)
        .send(file.bytes);
    }),
  );

  web.route(
    'apiRecordPolicyReview',
    answering(async (req, reply) => {
      const r = await recordPolicyReview(deps, who(req), licenseOf(req), bodyOf(req));
      return created(reply, { ...r.policyReview, alreadyRecorded: r.alreadyRecorded });
    }),
  );

  web.route(
    'apiDeletePolicyReview',
    answering(async (req, reply) => {
      const row = await deletePolicyReview(deps, who(req), licenseOf(req), idOf(req));
      return reply.header('cache-control', 'no-store').send({ deleted: row });
    }),
  );

  web.route(
    'apiRecordContactDays',
    answering(async (req, reply) => {
      const r = await recordContactDays(deps, who(req), licenseOf(req), bodyOf(req));
      return created(reply, { added: r.added, alreadyRecorded: r.alreadyRecorded });
    }),
  );

  web.route(
    'apiDeleteContactDays',
    answering(async (req, reply) => {
      const r = await deleteContactDays(deps, who(req), licenseOf(req), bodyOf(req));
      return reply.header('cache-control', 'no-store').send(r);
    }),
  );

  web.route(
    'apiAcknowledge',
    answering(async (req, reply) =>
      created(reply, await acknowledgeDeadline(deps, who(req), licenseOf(req), bodyOf(req))),
    ),
  );

  web.route(
    'apiAudit',
    answering(async (req, reply) => {
      const since = (req.query as Record<string, unknown>).since;
      let sinceAt: Date | null = null;
      if (since !== undefined && since !== '') {
        sinceAt = typeof since === 'string' ? new Date(since) : new Date(Number.NaN);
        if (Number.isNaN(sinceAt.getTime()))
          throw new InvalidFact([
            { field: 'since', problem: `must be an instant (ISO 8601), got ${JSON.stringify(since)}` },
          ]);
      }
      const events = await readAuditEvents(deps.pool, { since: sinceAt });
      return reply.header('cache-control', 'no-store').send({
        events: events.map((e) => ({
          at: e.at,
          actor: e.actor,
          action: e.action,
          ...(e.license !== null ? { license: e.license } : {}),
          before: e.before,
          after: e.after,
          clientAddress: e.clientAddress,
          userAgent: e.userAgent,
        })),
      });
    }),
  );
}
