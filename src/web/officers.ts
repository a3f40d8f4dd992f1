// The read side of the console: the officer list and one officer, as pages and as the JSON
// API (INTERFACE.md "Console"). The scope was checked by the server's hook (routes.ts).
import type { FastifyReply, FastifyRequest } from 'fastify';
import {
  type ListQuery,
  type Viewer,
  isAdmin,
  listOfficers,
  officerDetail,
  filterChoices,
  officersInScope,
  snapshotOfficers,
  snapshotView,
} from '../app/console.ts';
import { Readable } from 'node:stream';
import { type CivilDate, parseCivilDate } from '../domain/civil-date.ts';
import { OFFICER_STATUSES, parseOfficerStatus } from '../domain/report.ts';
import { readNames } from '../db/officer-facts.ts';
import { STATUS_LABEL, TRAINING_LABEL, daysLeftPhrase, isoAndLong, restrictedDutiesShort } from '../mail/format.ts';
import { alertKindInWords } from '../mail/transport.ts';
import { STATUS_TONE, issueText, officerStatusSection } from '../mail/officer-status.ts';
import {
  type FieldProblem,
  MAX_NOTE_LENGTH,
  mayReadCertificate,
  mayRecordContactDays,
  mayRecordPolicyReview,
  mayRecordTraining,
} from '../app/record-fact.ts';
import { readOfficerContext, receivedDeadlineMissed } from '../db/console-facts.ts';
import { TRAINING_KINDS } from '../roster/schema.ts';
import { type WebContext, layoutData, notFound } from './server.ts';

class BadQuery extends Error {
  readonly statusCode = 400;
  constructor(
    readonly field: string,
    problem: string,
  ) {
    super(`${field}: ${problem}`);
  }
}

function asOfOf(req: FastifyRequest, today: string): CivilDate {
  const v = (req.query as Record<string, unknown>).asOf;
  if (v === undefined || v === '') return today as CivilDate;
  const d = typeof v === 'string' ? parseCivilDate(v) : null;
  if (!d) throw new BadQuery('asOf', `must be a date as YYYY-MM-DD, got ${JSON.stringify(v)}`);
  return d;
}

function listQueryOf(req: FastifyRequest): ListQuery {
  const q = req.query as Record<string, unknown>;
  const text = (name: string) => (typeof q[name] === 'string' && q[name] !== '' ? (q[name] as string) : null);
  const statusText = text('status');
  const status = statusText ? parseOfficerStatus(statusText) : null;
  if (statusText && !status) throw new BadQuery('status', `must be one of ${OFFICER_STATUSES.join(', ')}`);
  const pageText = text('page') ?? '1';
  if (!/^\d{1,6}$/.test(pageText) || Number(pageText) < 1) throw new BadQuery('page', 'must be a page number from 1');
  return { status, agency: text('agency'), district: text('district'), search: text('q'), page: Number(pageText) };
}

const serialized = new WeakMap<object, string>();

/** JSON of a list of officers, once per list object (the console's caches hand out the same list). */
function serializedList(officers: readonly object[]): string {
  let text = serialized.get(officers);
  if (text === undefined) serialized.set(officers, (text = JSON.stringify(officers)));
  return text;
}

export function sessionJson(viewer: Viewer, csrfToken: string) {
  return { email: viewer.email, roles: viewer.grants, csrfToken };
}

export function officerRoutes(web: WebContext): void {
  const { views } = web;
  const page = (req: FastifyRequest, reply: FastifyReply, name: string, data: Record<string, unknown>) =>
    reply
      .type('text/html; charset=utf-8')
      .header('cache-control', 'no-store')
      .send(
        views.render(name, { viewer: req.viewer, admin: isAdmin(req.viewer!), csrf: reply.generateCsrf(), ...data }),
      );

  web.route('apiSession', async (req, reply) =>
    reply.header('cache-control', 'no-store').send(sessionJson(req.viewer!, reply.generateCsrf())),
  );

  web.route('apiOfficers', async (req, reply) => {
    const asOf = asOfOf(req, web.today());
    reply.header('cache-control', 'no-store');
    const view = await snapshotView(web.console, req.viewer!, asOf);
    if (!view.snapshot) {
      const officers = await officersInScope(web.console, req.viewer!, asOf, web.today());
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
    const c = web.console;
    const body = Readable.from(
      (async function* () {
        yield `{"asOf":${JSON.stringify(asOf)},"officers":[`;
        let first = true;
        for await (const batch of snapshotOfficers(c, asOf)) {
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

  web.route('apiOfficer', async (req, reply) => {
    const asOf = asOfOf(req, web.today());
    const d = await officerDetail(web.console, (req.params as { license: string }).license, asOf);
    if (!d) return reply.code(404).send({ error: 'not found' });
    return reply.header('cache-control', 'no-store').send({
      ...d.officer,
      facts: d.facts,
      alerts: d.alerts,
      acknowledgements: d.acknowledgements,
    });
  });

  web.route('home', async (req, reply) => {
    const viewer = req.viewer!;
    const asOf = asOfOf(req, web.today());
    const today = web.today();
    const query = listQueryOf(req);
    const [list, scoped] = await Promise.all([
      listOfficers(web.console, viewer, asOf, today, query),
      filterChoices(web.console, viewer, today),
    ]);
    const choices = scoped ?? { agencies: [], districts: [] };
    const known = (id: string | null, among: { id: string }[]) => id === null || among.some((c) => c.id === id);
    if (scoped && !known(query.agency, choices.agencies))
      throw new BadQuery('agency', 'no such agency among your officers');
    if (scoped && !known(query.district, choices.districts))
      throw new BadQuery('district', 'no such district among your officers');
    const agencyName = scoped
      ? new Map(choices.agencies.map((a) => [a.id, a.name]))
      : (await readNames(web.deps.pool, [...new Set(list.officers.map((o) => o.agencyId))], [])).agencies;
    return page(req, reply, 'officers', {
      title: 'Officers',
      list,
      query,
      choices,
      statuses: OFFICER_STATUSES,
      words: { STATUS_LABEL, STATUS_TONE, daysLeftPhrase, restrictedDutiesShort },
      agencyName,
      freeTextFilters: scoped === null,
      link: (over: { status?: string | null; page?: number }) => {
        const params = new URLSearchParams();
        const status = over.status === undefined ? query.status : over.status;
        for (const [k, v] of Object.entries({
          status,
          agency: query.agency,
          district: query.district,
          q: query.search,
        }))
          if (v) params.set(k, v);
        const p = over.page ?? 1;
        if (p > 1) params.set('page', String(p));
        const s = params.toString();
        return s ? `/?${s}` : '/';
      },
    });
  });

  web.route('officer', async (req, reply) => officerPage(web, req, reply));
}

/** The forms of the officer page (views/officer-forms.eta), by the name their errors are filed under. */
export type OfficerFormName = 'training' | 'review' | 'days' | 'ack';

/** A form sent back with its problems (400): each next to its field, the values kept. */
export interface OfficerFormState {
  form: OfficerFormName;
  errors: FieldProblem[];
  values: Record<string, string | string[]>;
}

/** The confirmations after a form's 303 (`?done=…`), shown as a status notice. */
const DONE: Record<string, (q: Record<string, unknown>) => string> = {
  training: () => 'The training was recorded. The status above takes it into account.',
  'training-certificate': () =>
    'The training and its certificate were recorded. The status above takes them into account.',
  'training-deleted': () => 'The training recorded in the console was deleted.',
  review: () => 'The policy review was recorded.',
  'review-attested': () => 'Your attestation of the policy review was recorded.',
  'review-already': () => 'That policy review was already on record: nothing changed.',
  'review-deleted': () => 'The policy review recorded in the console was deleted.',
  'contact-days': (q) => {
    const n = (name: string) => (typeof q[name] === 'string' && /^\d{1,4}$/.test(q[name]) ? Number(q[name]) : 0);
    const added = n('added');
    const already = n('already');
    const days = (k: number) => `${k} contact ${k === 1 ? 'day' : 'days'}`;
    return `${added === 0 ? 'No contact day was added' : `Recorded ${days(added)}`}${already > 0 ? `; ${days(already)} ${already === 1 ? 'was' : 'were'} already recorded` : ''}.`;
  },
  'contact-days-deleted': () => 'The contact day recorded in the console was deleted.',
  acknowledgement: () => 'The acknowledgement was recorded. Every later e-mail about this deadline shows it.',
};

/**
 * The officer page: status, facts, alerts, acknowledgements, and the forms the viewer may use
 * (RULES.md 6 and 7, decided by the use case's may* functions, not by the template). Also
 * what a form answers with its problems (status 400, `form`).
 */
export async function officerPage(
  web: WebContext,
  req: FastifyRequest,
  reply: FastifyReply,
  options: { form?: OfficerFormState; status?: number } = {},
) {
  const viewer = req.viewer!;
  const license = (req.params as { license: string }).license;
  const today = web.today();
  const asOf = options.form ? today : asOfOf(req, today);
  const [d, o] = await Promise.all([
    officerDetail(web.console, license, asOf),
    readOfficerContext(web.deps.pool, license),
  ]);
  if (!d || !o) return notFound(web, req, reply, false);
  const recordsTraining = mayRecordTraining(viewer, o);
  const overdueDue = asOf === today && d.status.status === 'OVERDUE' ? d.status.dueDate : null;
  const may = {
    training: recordsTraining,
    certificate: mayReadCertificate(viewer, o),
    review: mayRecordPolicyReview(viewer, o),
    // The officer alone (not also the chief or an admin) attests their own review (V.C/V.D).
    attest: mayRecordPolicyReview(viewer, o) && !recordsTraining,
    contactDistricts: o.districtIds.filter((id) => mayRecordContactDays(viewer, o, id)),
    acknowledge:
      overdueDue !== null &&
      (recordsTraining || (await receivedDeadlineMissed(web.deps.pool, license, overdueDue, viewer.email))),
  };
  const q = req.query as Record<string, unknown>;
  const done = !options.form && typeof q.done === 'string' ? (DONE[q.done]?.(q) ?? null) : null;
  const form = options.form ?? null;
  const w = { STATUS_LABEL, STATUS_TONE, TRAINING_LABEL, isoAndLong, alertKindInWords, issueText };
  const title = `${d.officer.name} (#${d.officer.license})`;
  return reply
    .code(options.status ?? 200)
    .type('text/html; charset=utf-8')
    .header('cache-control', 'no-store')
    .send(
      web.views.render('officer', {
        ...layoutData(req, reply),
        title: form ? `Error: ${title}` : title,
        d,
        asOf,
        today,
        section: officerStatusSection(d.status, d.officer.issues, asOf),
        words: w,
        agencyName: (id: string) => d.names.agencies.get(id) ?? id,
        districtName: (id: string) => d.names.districts.get(id) ?? id,
        base: `/officers/${encodeURIComponent(license)}`,
        may,
        overdueDue,
        trainingKinds: TRAINING_KINDS,
        maxNoteLength: MAX_NOTE_LENGTH,
        done,
        form,
        /** The problem of a form's field, when that form came back. */
        fieldError: (name: OfficerFormName, field: string) =>
          form?.form === name ? (form.errors.find((e) => e.field === field)?.problem ?? null) : null,
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
