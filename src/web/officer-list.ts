// The officers in scope (INTERFACE.md "Console"): the home page with its counts and filters,
// and its API twins, `GET /api/session`, `GET /api/officers` and `GET /api/officers/:license`.
// The scope was checked by the route hook (access.ts); what is shown is src/app/console.ts's.
import { Readable } from 'node:stream';
import { z } from 'zod';
import {
  filterChoices,
  listOfficers,
  officerDetail,
  officersInScope,
  snapshotOfficers,
  snapshotView,
} from '../app/console.ts';
import { InvalidInput, NotFound } from '../errors.ts';
import { agencyNames } from '../app/officer-page.ts';
import { can } from '../app/policy.ts';
import { OFFICER_STATUSES } from '../domain/report.ts';
import { STATUS_LABEL, daysLeftPhrase, restrictedDutiesShort } from '../mail/format.ts';
import { STATUS_TONE } from '../mail/officer-status.ts';
import type { WebContext } from './context.ts';
import { csrfTokenOf, sendPage } from './pages.ts';
import { type Registrar, officerOf, viewerOf } from './request.ts';
import { asOfQuery, officerListQuery, officerParams } from './schemas.ts';

const serialized = new WeakMap<object, string>();

/** JSON of a list of officers, once per list object (the console's caches hand out the same list). */
function serializedList(officers: readonly object[]): string {
  let text = serialized.get(officers);
  if (text === undefined) serialized.set(officers, (text = JSON.stringify(officers)));
  return text;
}

export function officerListApi(r: Registrar, web: WebContext): void {
  r.route('apiSession', { querystring: z.object({}) }, async (req, reply) => {
    const viewer = viewerOf(req);
    return reply
      .header('cache-control', 'no-store')
      .send({ email: viewer.email, roles: viewer.grants, csrfToken: csrfTokenOf(web, req, reply) });
  });

  r.route('apiOfficers', { querystring: asOfQuery }, async (req, reply) => {
    const viewer = viewerOf(req);
    const asOf = req.query.asOf ?? web.today();
    reply.header('cache-control', 'no-store');
    const view = await snapshotView(web.console, viewer, asOf);
    if (!view.snapshot) {
      const officers = await officersInScope(web.console, viewer, asOf, web.today());
      // The same bytes as reply.send({ asOf, officers }); a cached list is serialized once.
      return reply
        .type('application/json; charset=utf-8')
        .send(`{"asOf":${JSON.stringify(asOf)},"officers":${serializedList(officers)}}`);
    }
    // An admin's view of a large roster: streamed from the status snapshot, by urgency.
    if (!view.ofAsOf)
      return reply
        .code(503)
        .header('retry-after', '30')
        .send({
          error: `the statuses of ${asOf} are not computed yet: retry in a minute (the snapshot covers today only; for another day use sro report --as-of)`,
        });
    // The cursor's connection is taken before the answer starts (none free in time: 503), and
    // given back when the answer ends, however it ends (a reader gone before the first batch too).
    const batches = await snapshotOfficers(web.console, asOf);
    reply.raw.once('close', () => void batches.return?.());
    const body = Readable.from(
      (async function* () {
        yield `{"asOf":${JSON.stringify(asOf)},"officers":[`;
        let first = true;
        for await (const batch of batches) {
          let chunk = '';
          for (const o of batch) {
            chunk += `${first ? '' : ','}${JSON.stringify(o)}`;
            first = false;
          }
          yield chunk;
        }
        yield ']}';
      })(),
    );
    return reply.type('application/json; charset=utf-8').send(body);
  });

  r.route('apiOfficer', { params: officerParams, querystring: asOfQuery }, async (req, reply) => {
    const d = await officerDetail(web.console, officerOf(req).license, req.query.asOf ?? web.today());
    if (!d) throw new NotFound('not found');
    return reply.header('cache-control', 'no-store').send({
      ...d.officer,
      facts: d.facts,
      alerts: d.alerts,
      acknowledgements: d.acknowledgements,
    });
  });
}

export function officerListPages(r: Registrar, web: WebContext): void {
  r.route('home', { querystring: officerListQuery }, async (req, reply) => {
    const viewer = viewerOf(req);
    const today = web.today();
    const asOf = req.query.asOf ?? today;
    const { status, agency, district, q, page } = req.query;
    const query = {
      status: status ?? null,
      agency: agency ?? null,
      district: district ?? null,
      search: q ?? null,
      page,
    };
    const scoped = await filterChoices(web.console, viewer, today);
    const choices = scoped ?? { agencies: [], districts: [] };
    // The filters name an agency and a district among the viewer's (an admin's: on the roster).
    const directory = scoped ? null : await web.console.directory();
    const known = (id: string | null, among: { id: string }[], all: ReadonlyMap<string, unknown> | undefined) =>
      id === null || (all ? all.has(id) : among.some((c) => c.id === id));
    const where = scoped ? 'among your officers' : 'on the roster';
    const problems = [
      ...(known(query.agency, choices.agencies, directory?.agencies)
        ? []
        : [{ field: 'agency', problem: `no such agency ${where}` }]),
      ...(known(query.district, choices.districts, directory?.districts)
        ? []
        : [{ field: 'district', problem: `no such district ${where}` }]),
    ];
    if (problems.length) throw new InvalidInput(problems);
    const list = await listOfficers(web.console, viewer, asOf, today, query);
    const agencyName = scoped
      ? new Map(choices.agencies.map((a) => [a.id, a.name]))
      : await agencyNames(
          web.console,
          list.officers.map((o) => o.agencyId),
        );
    return sendPage(web, req, reply, 'officers', {
      title: 'Officers',
      list,
      query,
      choices,
      statuses: OFFICER_STATUSES,
      words: { STATUS_LABEL, STATUS_TONE, daysLeftPhrase, restrictedDutiesShort },
      agencyName,
      noRole: !can(viewer, 'console.use', null),
      handedOver:
        req.query.done === 'handed-over'
          ? 'The agency was saved and handed over: its page and officers are now the new chief’s.'
          : null,
      freeTextFilters: scoped === null,
      link: (over: { status?: string | null; page?: number }) => {
        const params = new URLSearchParams();
        const s = over.status === undefined ? query.status : over.status;
        for (const [k, v] of Object.entries({
          status: s,
          agency: query.agency,
          district: query.district,
          q: query.search,
        }))
          if (v) params.set(k, v);
        const p = over.page ?? 1;
        if (p > 1) params.set('page', String(p));
        const text = params.toString();
        return text ? `/?${text}` : '/';
      },
    });
  });
}
