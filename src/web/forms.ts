// The officer page's forms (INTERFACE.md "Console": pages that work without JavaScript):
// the same use cases as the JSON API (src/app/record-fact.ts), answered as pages. Success is
// 303 back to the officer's page with a confirmation (`?done=…`); bad input is the page
// again, 400, with each problem next to its field and the values kept; a role that may not
// gets a 403 page, a certificate too large or of another type a 413 or 415 page. The scope
// was checked by the server's hook (routes.ts), the CSRF token in preValidation.
import type { FastifyReply, FastifyRequest } from 'fastify';
import {
  type CertificateFile,
  FactConflict,
  FactNotFound,
  type FieldProblem,
  InvalidFact,
  MayNotRecord,
  acknowledgeDeadline,
  deleteContactDays,
  deletePolicyReview,
  deleteTraining,
  mayRecordPolicyReview,
  mayRecordTraining,
  recordContactDays,
  recordPolicyReview,
  recordTraining,
} from '../app/record-fact.ts';
import { readOfficerContext } from '../db/console-facts.ts';
import {
  MAX_CERTIFICATE_BYTES,
  checkMayRecordTraining,
  licenseOf,
  readTrainingParts,
  recordDepsOf,
  recorderOf,
} from './fact-requests.ts';
import { type OfficerFormName, officerPage } from './officers.ts';
import { type WebContext, layoutData } from './server.ts';

/** How many date inputs the contact days form has (views/officer-forms.eta). */
export const CONTACT_DAY_INPUTS = 5;

/** A problem the page answers with its status and a sentence (403, 404, 409, 413, 415). */
class PageProblem extends Error {
  constructor(
    readonly statusCode: number,
    message: string,
  ) {
    super(message);
  }
}

type Values = Record<string, string | string[]>;
type FormHandler = (req: FastifyRequest, reply: FastifyReply, kept: { values: Values }) => Promise<unknown>;

const officerUrl = (license: string) => `/officers/${encodeURIComponent(license)}`;

function idOf(req: FastifyRequest): number {
  const id = (req.params as { id?: string }).id ?? '';
  if (!/^\d{1,9}$/.test(id)) throw new FactNotFound(`There is no fact ${JSON.stringify(id)} of this officer.`);
  return Number(id);
}

/** A form's text fields (urlencoded), without its CSRF field; repeated fields stay lists. */
function fieldsOf(req: FastifyRequest): Values {
  const b = req.body;
  const out: Values = {};
  if (b === null || typeof b !== 'object' || Array.isArray(b)) return out;
  for (const [k, v] of Object.entries(b as Record<string, unknown>)) {
    if (k === '_csrf') continue;
    if (typeof v === 'string') out[k] = v;
    else if (Array.isArray(v)) out[k] = v.map(String);
  }
  return out;
}

const text = (v: Values, name: string) => {
  const x = v[name];
  return typeof x === 'string' ? x.trim() : Array.isArray(x) ? (x[0] ?? '').trim() : '';
};

/** The problems of required fields left empty, in the page's words (before the use case's own checks). */
function required(v: Values, fields: [string, string][]): void {
  const problems = fields.filter(([name]) => text(v, name) === '').map(([field, problem]) => ({ field, problem }));
  if (problems.length) throw new InvalidFact(problems);
}

/**
 * The training form (multipart): its text fields, and the `certificate` file as the API
 * reads it (fact-requests.ts). The text fields are kept in `kept` as they arrive, so that a
 * page sent back shows them.
 */
async function readTrainingForm(
  req: FastifyRequest,
  kept: { values: Values },
): Promise<{ fields: Record<string, string>; certificate: CertificateFile | null }> {
  if (!req.isMultipart()) {
    const fields = fieldsOf(req);
    kept.values = fields;
    return { fields: Object.fromEntries(Object.keys(fields).map((k) => [k, text(fields, k)])), certificate: null };
  }
  const fields: Record<string, string> = {};
  kept.values = fields;
  let certificate: CertificateFile | null = null;
  const tooLarge = () =>
    new PageProblem(
      413,
      `The certificate file is larger than ${MAX_CERTIFICATE_BYTES / 1024 / 1024} MB, the most the console keeps: nothing was recorded. Scan it at a lower resolution or save it as a smaller PDF, then record the training again.`,
    );
  try {
    certificate = await readTrainingParts(req, fields, {
      tooLarge,
      notACertificate: (detected) =>
        new PageProblem(
          415,
          `The certificate must be a PDF, PNG or JPEG file, and this one is ${detected ? `a ${detected.ext.toUpperCase()} file (${detected.mime})` : 'of no type the console recognises'}, whatever its name says: nothing was recorded. Save or scan the certificate as a PDF, PNG or JPEG and record the training again.`,
        ),
      unexpectedFile: 'is not a file of this form',
      oneFileOnly: 'choose one file only',
    });
  } catch (e) {
    if ((e as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE') throw tooLarge();
    throw e;
  }
  return { fields, certificate };
}

/** Dates as the form sends them: up to CONTACT_DAY_INPUTS date inputs named `dates`, empty ones left out. */
function datesOf(v: Values): { dates: string[]; inputOf: number[] } {
  const raw = v.dates === undefined ? [] : Array.isArray(v.dates) ? v.dates : [v.dates];
  const dates: string[] = [];
  const inputOf: number[] = [];
  raw.forEach((d, i) => {
    if (d.trim() === '') return;
    dates.push(d.trim());
    inputOf.push(i);
  });
  return { dates, inputOf };
}

export function formRoutes(web: WebContext): void {
  const deps = recordDepsOf(web);
  const who = recorderOf(web);

  const back = (reply: FastifyReply, license: string, done: string, extra: Record<string, string> = {}) =>
    reply.redirect(`${officerUrl(license)}?${new URLSearchParams({ done, ...extra }).toString()}`, 303);

  const problemPage = (req: FastifyRequest, reply: FastifyReply, status: number, message: string) =>
    reply
      .code(status)
      .type('text/html; charset=utf-8')
      .header('cache-control', 'no-store')
      .send(
        web.views.render('error', {
          title: status === 403 ? 'Not allowed' : status === 413 ? 'File too large' : `Error ${status}`,
          status,
          message,
          back: { href: officerUrl(licenseOf(req)), text: 'Back to the officer' },
          ...layoutData(req, reply),
        }),
      );

  /** A form's route: the use case's errors answered as pages. */
  const form =
    (name: OfficerFormName | null, handler: FormHandler) => async (req: FastifyRequest, reply: FastifyReply) => {
      const kept = { values: {} as Values };
      try {
        return await handler(req, reply, kept);
      } catch (e) {
        if (e instanceof InvalidFact && name)
          return officerPage(web, req, reply, {
            status: 400,
            form: { form: name, errors: e.errors, values: kept.values },
          });
        if (e instanceof InvalidFact) return problemPage(req, reply, 400, e.message);
        if (e instanceof MayNotRecord) return problemPage(req, reply, 403, e.message);
        if (e instanceof FactConflict || e instanceof FactNotFound || e instanceof PageProblem)
          return problemPage(req, reply, e.statusCode, e.message);
        throw e;
      }
    };

  web.route(
    'formTraining',
    form('training', async (req, reply, kept) => {
      const license = licenseOf(req);
      await checkMayRecordTraining(deps, req, license, 'There is no such officer.');
      const { fields, certificate } = await readTrainingForm(req, kept);
      required(kept.values, [
        ['kind', 'choose the course'],
        ['completedOn', 'enter the day the course was completed'],
      ]);
      await recordTraining(deps, who(req), license, fields, certificate);
      return back(reply, license, certificate ? 'training-certificate' : 'training');
    }),
  );

  web.route(
    'formDeleteTraining',
    form(null, async (req, reply) => {
      await deleteTraining(deps, who(req), licenseOf(req), idOf(req));
      return back(reply, licenseOf(req), 'training-deleted');
    }),
  );

  web.route(
    'formPolicyReview',
    form('review', async (req, reply, kept) => {
      const license = licenseOf(req);
      const v = (kept.values = fieldsOf(req));
      const o = await readOfficerContext(deps.pool, license);
      if (!o) throw new FactNotFound('There is no such officer.');
      // The officer records their own review as an attestation (V.C/V.D, RULES.md 7): the page
      // asks them to tick its sentence, and a form without the tick records nothing.
      const attesting = mayRecordPolicyReview(req.viewer!, o) && !mayRecordTraining(req.viewer!, o);
      const problems: FieldProblem[] = [];
      if (text(v, 'reviewedOn') === '')
        problems.push({ field: 'reviewedOn', problem: 'enter the day the policy was reviewed' });
      if (attesting && text(v, 'attest') !== 'yes')
        problems.push({
          field: 'attest',
          problem: 'tick the box to attest that you reviewed the policy and will comply',
        });
      if (problems.length) throw new InvalidFact(problems);
      const r = await recordPolicyReview(deps, who(req), license, { reviewedOn: text(v, 'reviewedOn') });
      return back(reply, license, r.alreadyRecorded ? 'review-already' : attesting ? 'review-attested' : 'review');
    }),
  );

  web.route(
    'formDeletePolicyReview',
    form(null, async (req, reply) => {
      await deletePolicyReview(deps, who(req), licenseOf(req), idOf(req));
      return back(reply, licenseOf(req), 'review-deleted');
    }),
  );

  web.route(
    'formContactDays',
    form('days', async (req, reply, kept) => {
      const license = licenseOf(req);
      const v = (kept.values = fieldsOf(req));
      const { dates, inputOf } = datesOf(v);
      required(v, [['districtId', 'choose the district']]);
      if (dates.length === 0)
        throw new InvalidFact([{ field: 'dates.0', problem: 'enter at least one day the officer served' }]);
      try {
        const r = await recordContactDays(deps, who(req), license, { districtId: text(v, 'districtId'), dates });
        return back(reply, license, 'contact-days', {
          added: String(r.added.length),
          already: String(r.alreadyRecorded.length),
        });
      } catch (e) {
        // The use case numbers the dates it was given; the page names the input each came from.
        if (e instanceof InvalidFact)
          throw new InvalidFact(
            e.errors.map((p) => {
              const m = /^dates\.(\d+)$/.exec(p.field);
              return m ? { ...p, field: `dates.${inputOf[Number(m[1])] ?? 0}` } : p;
            }),
          );
        throw e;
      }
    }),
  );

  web.route(
    'formDeleteContactDays',
    form(null, async (req, reply) => {
      const v = fieldsOf(req);
      await deleteContactDays(deps, who(req), licenseOf(req), { districtId: text(v, 'districtId'), dates: v.dates });
      return back(reply, licenseOf(req), 'contact-days-deleted');
    }),
  );

  web.route(
    'formAcknowledge',
    form('ack', async (req, reply, kept) => {
      const license = licenseOf(req);
      const v = (kept.values = fieldsOf(req));
      // A textarea lets a person press Enter; the note is one paragraph in the e-mails
      // (the use case refuses line breaks), so the page joins its lines with a space.
      const note = text(v, 'note').replace(/\s*[\r\n]+\s*/g, ' ');
      await acknowledgeDeadline(deps, who(req), license, {
        dueDate: text(v, 'dueDate'),
        note,
        plannedCompletionOn: text(v, 'plannedCompletionOn'),
      });
      return back(reply, license, 'acknowledgement');
    }),
  );
}
