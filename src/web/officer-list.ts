// The officers in scope (INTERFACE.md "Console"): the home page with its counts and filters,
// and its API twins, `GET /api/session`, `GET /api/officers` and `GET /api/officers/:license`.
// The scope was checked by the route hook (access.ts); what is shown is src/app/console.ts's.
import { Readable } from 'node:stream';
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { filterChoices, officerDetail, officersInScope, snapshotOfficers, snapshotView } from '../app/console.ts';
import { InvalidInput, NotFound } from '../errors.ts';
import { agencyNames } from '../app/officer-page.ts';
import { can, ownRecordOf } from '../app/policy.ts';
import {
  type ListSort,
  STATUSES_BY_URGENCY,
  type SortOrder,
  type SortedListQuery,
  exportOfficers,
  listOfficersSorted,
} from '../app/officer-list.ts';
import type { OfficerReport } from '../domain/report.ts';
import { SUBSTITUTE_DAY_LIMIT } from '../domain/status.ts';
import { STATUS_LABEL, dateText, daysLeftPhrase, restrictedDutiesShort } from '../mail/format.ts';
import { csvLine } from './csv.ts';
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
      submissions: d.submissions,
    });
  });
}

/** What the list and its CSV share: the query read, the filters checked against the viewer's choices. */
async function listRequest(web: WebContext, req: FastifyRequest<{ Querystring: z.output<typeof officerListQuery> }>) {
  const viewer = viewerOf(req);
  const today = web.today();
  const asOf = req.query.asOf ?? today;
  const { status, agency, district, q, page } = req.query;
  const query: SortedListQuery = {
    status: status ?? null,
    agency: agency ?? null,
    district: district ?? null,
    search: q ?? null,
    page,
    sort: req.query.sort ?? 'urgency',
    order: req.query.order ?? 'asc',
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
  // A column a viewer's every officer shares says nothing: a chief's own agency, a one-district contact's district.
  const columns = {
    agency: scoped === null || choices.agencies.length > 1,
    district: scoped === null || choices.districts.length > 1,
  };
  const agencyNameOf = async (ids: readonly string[]) =>
    scoped ? new Map(choices.agencies.map((a) => [a.id, a.name])) : await agencyNames(web.console, ids);
  return { viewer, today, asOf, query, scoped, choices, columns, agencyNameOf };
}

/** The list's URL with these parameters (the filters, the order, the page). */
function listHref(
  path: string,
  q: SortedListQuery,
  asOf: string | null,
  over: { status?: string | null; page?: number; sort?: ListSort; order?: SortOrder } = {},
): string {
  const params = new URLSearchParams();
  const s = over.status === undefined ? q.status : over.status;
  const sort = over.sort ?? q.sort;
  const order = over.order ?? (over.sort !== undefined ? 'asc' : q.order);
  for (const [k, v] of Object.entries({
    asOf,
    status: s,
    agency: q.agency,
    district: q.district,
    q: q.search,
    sort: sort === 'urgency' && order === 'asc' ? null : sort,
    order: order === 'asc' ? null : order,
  }))
    if (v) params.set(k, v);
  const p = over.page ?? 1;
  if (p > 1) params.set('page', String(p));
  const text = params.toString();
  return text ? `${path}?${text}` : path;
}

const ISSUE_WORDS: Record<string, string> = {
  CERTIFICATE_MISSING: 'certificate missing',
  POLICY_REVIEW_MISSING: 'policy review missing',
  NO_CONTACT_ON_FILE: 'no contact on file',
  ADDRESS_UNDELIVERABLE: 'an alert address bounced',
};

/** A substitute's days: '47 of 59 days served' (the 60th day ends the exemption, RULES.md 2 V.D). */
function servedText(o: OfficerReport): string {
  return `${o.contactDays} of ${SUBSTITUTE_DAY_LIMIT - 1} days served`;
}

export function officerListPages(r: Registrar, web: WebContext): void {
  r.route('home', { querystring: officerListQuery }, async (req, reply) => {
    // INTERFACE.md "Pages for people": an officer's `/` is their own record.
    const own = ownRecordOf(viewerOf(req));
    if (own !== null) return reply.redirect(`/officers/${encodeURIComponent(own)}`, 303);
    const { viewer, today, asOf, query, scoped, choices, columns, agencyNameOf } = await listRequest(web, req);
    // A list of another day keeps its day in its links (the counts, the sort, the pages, the CSV).
    const asOfParam = req.query.asOf ?? null;
    const list = await listOfficersSorted(web.console, viewer, asOf, today, query);
    const agencyName = await agencyNameOf(list.officers.map((o) => o.agencyId));
    const sortLink = (sort: ListSort) => {
      const current = query.sort === sort;
      const order: SortOrder = current && query.order === 'asc' ? 'desc' : 'asc';
      return {
        href: listHref('/', query, asOfParam, { sort, order }),
        current: current ? (query.order === 'asc' ? 'ascending' : 'descending') : null,
      };
    };
    return sendPage(web, req, reply, 'officers', {
      title: 'Officers',
      list,
      query: { ...query, search: query.search },
      choices,
      columns,
      statuses: STATUSES_BY_URGENCY,
      words: { STATUS_LABEL, STATUS_TONE, daysLeftPhrase, restrictedDutiesShort, servedText, ISSUE_WORDS },
      agencyName,
      noRole: !can(viewer, 'console.use', null),
      handedOver:
        req.query.done === 'handed-over'
          ? 'The agency was saved and handed over: its page and officers are now the new chief’s.'
          : null,
      freeTextFilters: scoped === null,
      sortLink,
      csvHref: listHref('/officers.csv', query, asOfParam),
      link: (over: { status?: string | null; page?: number }) => listHref('/', query, asOfParam, over),
    });
  });

  r.route('officersCsv', { querystring: officerListQuery }, async (req, reply) => {
    const { viewer, today, asOf, query, columns, agencyNameOf } = await listRequest(web, req);
    const header = [
      'Officer',
      'License',
      ...(columns.agency ? ['Agency'] : []),
      ...(columns.district ? ['District'] : []),
      'School',
      'Status',
      'Due date',
      'Days left or served',
      `Scheduled ${SUBSTITUTE_DAY_LIMIT}th day`,
      'Open issues',
    ];
    const body = Readable.from(
      (async function* () {
        yield csvLine(header);
        for await (const batch of exportOfficers(web.console, viewer, asOf, today, query)) {
          const names = columns.agency ? await agencyNameOf(batch.officers.map((o) => o.agencyId)) : null;
          yield batch.officers
            .map((o) => {
              const places = batch.placements.get(o.license) ?? [];
              return csvLine([
                o.name,
                o.license,
                ...(names ? [names.get(o.agencyId) ?? o.agencyId] : []),
                ...(columns.district ? [[...new Set(places.map((p) => p.districtName))].join('; ')] : []),
                places
                  .map((p) => p.school ?? '')
                  .filter(Boolean)
                  .join('; '),
                STATUS_LABEL[o.status],
                o.dueDate ? dateText(o.dueDate) : '',
                o.status === 'EXEMPT_SUBSTITUTE'
                  ? servedText(o)
                  : o.daysRemaining === null
                    ? ''
                    : daysLeftPhrase(o.daysRemaining),
                o.projected60thDay ? dateText(o.projected60thDay) : '',
                o.issues.map((i) => ISSUE_WORDS[i] ?? i).join(', '),
              ]);
            })
            .join('');
        }
      })(),
    );
    return reply
      .type('text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="officers-${asOf}.csv"`)
      .header('cache-control', 'no-store')
      .header('x-content-type-options', 'nosniff')
      .send(body);
  });
}
