// The officer page's directory forms (RULES.md 11; INTERFACE.md "Keeping the directory in the
// console"): the officer's name and e-mail, a new assignment, and an assignment's end date.
// Each calls the very use case of the API (src/app/directory/): success is 303 back to the
// officer's page with a confirmation; bad input (400) or a key on file already (409) is the
// officer page again with each problem next to its field and what was typed kept. The route
// hook checked the scope and the row's action, the CSRF token before it. A district's contact
// may add or end an assignment in their district of an officer not yet theirs to see
// (policy.ts OUTSIDE_SCOPE): such a form's problems are the error page's, never the officer's.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { changeAssignment, createAssignmentOf } from '../app/directory/assignments.ts';
import { changeOfficer } from '../app/directory/officers.ts';
import { Conflict, type FieldProblem, InvalidInput } from '../errors.ts';
import { can } from '../app/policy.ts';
import type { OfficerFormName, WebContext } from './context.ts';
import { renderOfficerPage } from './officer-page.ts';
import { type Registrar, changerOf, officerOf, viewerOf } from './request.ts';
import {
  type DoneNotice,
  assignmentParams,
  endAssignmentForm,
  newAssignmentForm,
  officerDetailsForm,
  officerParams,
} from './schemas.ts';

const noQuery = z.object({});

/** A form's fields as typed (for the page sent back). */
function typed(body: Record<string, unknown>): Record<string, string> {
  const kept: Record<string, string> = {};
  for (const [k, v] of Object.entries(body)) if (typeof v === 'string') kept[k] = v;
  return kept;
}

/**
 * Runs a form's use case: 303 back with `done`, or the officer page again (400 or 409) with its
 * problems under `form`, each field renamed by `fieldOf`.
 */
async function sent(
  web: WebContext,
  req: FastifyRequest,
  reply: FastifyReply,
  form: OfficerFormName,
  done: DoneNotice,
  work: () => Promise<unknown>,
  fieldOf: (field: string) => string = (f) => f,
) {
  const license = officerOf(req).license;
  try {
    await work();
  } catch (e) {
    const problems: FieldProblem[] | null =
      e instanceof InvalidInput ? e.errors : e instanceof Conflict && e.errors.length > 0 ? e.errors : null;
    if (!problems || !can(viewerOf(req), 'officer.read', officerOf(req))) throw e;
    return renderOfficerPage(web, req, reply, {
      status: e instanceof Conflict ? 409 : 400,
      form: {
        form,
        errors: problems.map((p) => ({ ...p, field: fieldOf(p.field) })),
        values: typed(req.body as Record<string, unknown>),
      },
    });
  }
  return reply.redirect(`/officers/${encodeURIComponent(license)}?done=${done}`, 303);
}

const orNull = (v: string | undefined) => (v === undefined || v.trim() === '' ? null : v.trim());

export function officerDirectoryForms(r: Registrar, web: WebContext): void {
  const deps = web.directory;

  r.route(
    'formChangeOfficer',
    { params: officerParams, querystring: noQuery, body: officerDetailsForm },
    async (req, reply) =>
      sent(web, req, reply, 'officer', 'officer-saved', () =>
        changeOfficer(deps, changerOf(web, req), officerOf(req).license, {
          // The fields the form sent (the page sends all three); an e-mail left empty is none.
          ...(req.body.firstName !== undefined ? { firstName: req.body.firstName } : {}),
          ...(req.body.lastName !== undefined ? { lastName: req.body.lastName } : {}),
          ...(req.body.email !== undefined ? { email: orNull(req.body.email) } : {}),
        }),
      ),
  );

  r.route(
    'formCreateAssignment',
    { params: officerParams, querystring: noQuery, body: newAssignmentForm },
    async (req, reply) => {
      const f = req.body;
      return sent(web, req, reply, 'assignment', 'assignment-added', () =>
        createAssignmentOf(deps, changerOf(web, req), officerOf(req).license, {
          districtId: f.districtId ?? '',
          school: orNull(f.school),
          role: f.role || 'REGULAR',
          startDate: f.startDate ?? '',
          endDate: orNull(f.endDate),
          trainingUnavailable: f.trainingUnavailable === 'yes',
        }),
      );
    },
  );

  r.route(
    'formEndAssignment',
    { params: assignmentParams, querystring: noQuery, body: endAssignmentForm },
    async (req, reply) => {
      const { districtId, startDate } = req.params;
      // Each assignment's form has inputs of its own: a problem goes to that row's.
      const row = /^\d{1,4}$/.test(req.body.row ?? '') ? req.body.row! : '0';
      return sent(
        web,
        req,
        reply,
        'end',
        'assignment-ended',
        async () => {
          if (!req.body.endDate?.trim())
            throw new InvalidInput([{ field: 'endDate', problem: 'enter the last day of the assignment' }]);
          return changeAssignment(
            deps,
            changerOf(web, req),
            { license: officerOf(req).license, districtId, startDate },
            { endDate: req.body.endDate.trim() },
          );
        },
        (field) => `${row}.${field}`,
      );
    },
  );
}
