// The audit log for admins (issue 14 item 6, INTERFACE.md "Console"): /audit, newest first,
// filtered by officer, actor, action and a first day, by pages; /audit.csv the same filters as
// a download; and `GET /api/audit`, every event from an instant on, oldest first, paged with a
// cursor so that every event can be reached (src/app/audit-log.ts). The access (the action
// audit.read: admins, anyone else 404) is the route table's.
import { Readable } from 'node:stream';
import { z } from 'zod';
import {
  type AuditEvent,
  type AuditFilter,
  KNOWN_AUDIT_ACTIONS,
  auditEvents,
  auditFeed,
  auditNames,
  auditPage,
} from '../app/audit-log.ts';
import { auditChanges, auditSentence, browserShort } from './audit-words.ts';
import { csvCell } from './csv.ts';
import type { WebContext } from './context.ts';
import { sendPage } from './pages.ts';
import type { Registrar } from './request.ts';
import { auditApiQuery, auditPageQuery } from './schemas.ts';

const AUDIT_PAGE_SIZE = 50;

function filterOf(q: z.output<typeof auditPageQuery>, timeZone: string): AuditFilter {
  return {
    license: q.license || null,
    actor: q.actor || null,
    action: q.action || null,
    since: q.since ?? null,
    timeZone,
  };
}

/** The filters as a query string (`?…`, or '' without any), with more parameters. */
function queryOf(f: AuditFilter, more: Record<string, string> = {}): string {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries({ license: f.license, actor: f.actor, action: f.action, since: f.since }))
    if (v) p.set(k, v);
  for (const [k, v] of Object.entries(more)) p.set(k, v);
  const s = p.toString();
  return s ? `?${s}` : '';
}

const CSV_COLUMNS: [string, (e: AuditEvent) => unknown][] = [
  ['at', (e) => new Date(e.at).toISOString()],
  ['actor', (e) => e.actor],
  ['action', (e) => e.action],
  ['license', (e) => e.license],
  ['clientAddress', (e) => e.clientAddress],
  ['userAgent', (e) => e.userAgent],
  ['before', (e) => (e.before === null ? null : JSON.stringify(e.before))],
  ['after', (e) => (e.after === null ? null : JSON.stringify(e.after))],
];

export function auditPages(r: Registrar, web: WebContext): void {
  r.route('audit', { querystring: auditPageQuery }, async (req, reply) => {
    const filter = filterOf(req.query, web.config.timeZone);
    const number = req.query.page;
    const { events, hasNext } = await auditPage(web.deps.pool, filter, { number, size: AUDIT_PAGE_SIZE });
    const names = await auditNames(web.deps.pool, events);
    return sendPage(web, req, reply, 'audit', {
      title: 'Audit log',
      filter,
      events,
      page: number,
      pageSize: AUDIT_PAGE_SIZE,
      hasNext,
      actions: KNOWN_AUDIT_ACTIONS,
      filtered: queryOf(filter) !== '',
      csvHref: `/audit.csv${queryOf(filter)}`,
      pageHref: (n: number) => `/audit${queryOf(filter, n > 1 ? { page: String(n) } : {})}`,
      rows: events.map((e) => ({
        event: e,
        sentence: auditSentence(e, names),
        browser: browserShort(e.userAgent),
        changes: auditChanges(e, { timeZone: web.config.timeZone, names }),
      })),
    });
  });

  r.route('auditCsv', { querystring: auditPageQuery }, async (req, reply) => {
    const filter = filterOf(req.query, web.config.timeZone);
    const pool = web.deps.pool;
    const body = Readable.from(
      (async function* () {
        yield `${CSV_COLUMNS.map(([name]) => csvCell(name)).join(',')}\r\n`;
        for await (const batch of auditEvents(pool, filter))
          yield batch.map((e) => `${CSV_COLUMNS.map(([, of]) => csvCell(of(e))).join(',')}\r\n`).join('');
      })(),
    );
    return reply
      .type('text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="audit-${web.today()}.csv"`)
      .header('cache-control', 'no-store')
      .header('x-content-type-options', 'nosniff')
      .send(body);
  });
}

export function auditApi(r: Registrar, web: WebContext): void {
  r.route('apiAudit', { querystring: auditApiQuery }, async (req, reply) => {
    const { events, next } = await auditFeed(web.deps.pool, {
      since: req.query.since ?? null,
      cursor: req.query.cursor ?? null,
      timeZone: web.config.timeZone,
    });
    return reply.header('cache-control', 'no-store').send({
      events: events.map((e) => ({
        at: e.at,
        actor: e.actor,
        action: e.action,
        ...(e.license !== null ? { license: e.license } : {}),
        ...(e.agencyId !== null ? { agencyId: e.agencyId } : {}),
        ...(e.districtId !== null ? { districtId: e.districtId } : {}),
        before: e.before,
        after: e.after,
        clientAddress: e.clientAddress,
        userAgent: e.userAgent,
      })),
      ...(next !== null ? { next } : {}),
    });
  });
}
