// The directory's API (INTERFACE.md "Keeping the directory in the console", RULES.md 11):
// agencies, districts, new officers and their names and e-mails, assignments. The route hook
// checked the scope and the row's action (access.ts); the use cases (src/app/directory/) ask
// the policy module again and for the rest, validate, write with one audit event and
// re-evaluate the officers touched. Errors are answered by the API plugin's one handler
// (answers.ts): 400 every problem by field, 404 out of scope, 403 not allowed, 409 a
// confirmation or a key on file.
import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import { agencyFor, changeAgency } from '../app/directory/agencies.ts';
import { changeAssignment, createAssignmentOf } from '../app/directory/assignments.ts';
import { changeDistrict, districtFor } from '../app/directory/districts.ts';
import { directoryFor } from '../app/directory/list.ts';
import { changeOfficer, createOfficerOf } from '../app/directory/officers.ts';
import type { WebContext } from './context.ts';
import { type Registrar, changerOf, officerOf, viewerOf } from './request.ts';
import {
  agencyBody,
  assignmentBody,
  assignmentParams,
  directoryParams,
  districtBody,
  newAssignmentBody,
  newOfficerBody,
  officerBody,
  officerParams,
} from './schemas.ts';

const noQuery = z.object({});

export function directoryApi(r: Registrar, web: WebContext): void {
  const deps = web.directory;
  const ok = (reply: FastifyReply, body: unknown) => reply.header('cache-control', 'no-store').send(body);
  const created = (reply: FastifyReply, body: unknown) => ok(reply.code(201), body);

  r.route('apiDirectory', { querystring: noQuery }, async (req, reply) =>
    ok(reply, await directoryFor(deps, viewerOf(req))),
  );

  r.route('apiAgency', { params: directoryParams, querystring: noQuery }, async (req, reply) =>
    ok(reply, await agencyFor(deps, viewerOf(req), req.params.id)),
  );
  r.route('apiChangeAgency', { params: directoryParams, querystring: noQuery, body: agencyBody }, async (req, reply) =>
    ok(reply, await changeAgency(deps, changerOf(web, req), req.params.id, req.body)),
  );

  r.route('apiDistrict', { params: directoryParams, querystring: noQuery }, async (req, reply) =>
    ok(reply, await districtFor(deps, viewerOf(req), req.params.id)),
  );
  r.route(
    'apiChangeDistrict',
    { params: directoryParams, querystring: noQuery, body: districtBody },
    async (req, reply) => ok(reply, await changeDistrict(deps, changerOf(web, req), req.params.id, req.body)),
  );

  r.route('apiCreateOfficer', { querystring: noQuery, body: newOfficerBody }, async (req, reply) =>
    created(reply, await createOfficerOf(deps, changerOf(web, req), req.body)),
  );
  r.route('apiChangeOfficer', { params: officerParams, querystring: noQuery, body: officerBody }, async (req, reply) =>
    ok(reply, await changeOfficer(deps, changerOf(web, req), officerOf(req).license, req.body)),
  );

  r.route(
    'apiCreateAssignment',
    { params: officerParams, querystring: noQuery, body: newAssignmentBody },
    async (req, reply) =>
      created(reply, await createAssignmentOf(deps, changerOf(web, req), officerOf(req).license, req.body)),
  );
  r.route(
    'apiChangeAssignment',
    { params: assignmentParams, querystring: noQuery, body: assignmentBody },
    async (req, reply) => ok(reply, await changeAssignment(deps, changerOf(web, req), req.params, req.body)),
  );
}
