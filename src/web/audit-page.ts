// The audit log for admins (issue 14 item 6, INTERFACE.md "Console" pages): /audit, newest
// first, filtered by officer, actor, action and a first day, by pages; /audit.csv the same
// filters as a download. The access (ADMIN, 404 to anyone else) is the route table's.
import { Readable } from 'node:stream';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { parseCivilDate } from '../domain/civil-date.ts';
import type { AuditEvent } from '../db/audit.ts';
import { type AuditFilter, KNOWN_AUDIT_ACTIONS, auditEventBatches, readAuditPage } from '../db/audit-read.ts';
import { type WebContext, layoutData } from './server.ts';

export const AUDIT_PAGE_SIZE = 50;

class BadQuery extends Error {
  readonly statusCode = 400;
}

function filterOf(req: FastifyRequest, timeZone: string): AuditFilter {
  const q = req.query as Record<string, unknown>;
  const text = (name: string) => {
    const v = q[name];
    if (v === undefined || v === '') return null;
    if (typeof v !== 'string') throw new BadQuery(`${name}: give it once`);
    const s = v.trim();
    if (s.length > 320) throw new BadQuery(`${name}: at most 320 characters`);
    return s === '' ? null : s;
  };
  const sinceText = text('since');
  const since = sinceText === null ? null : parseCivilDate(sinceText);
  if (sinceText !== null && !since) throw new BadQuery(`since: must be a date as YYYY-MM-DD, got ${sinceText}`);
  return { license: text('license'), actor: text('actor'), action: text('action'), since, timeZone };
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

/**
 * One CSV cell (RFC 4180: always quoted, quotes doubled). A cell a spreadsheet would read as
 * a formula (= + - @, or a tab or carriage return before one) gets a leading apostrophe: the
 * log holds text people typed (notes, course names, user agents), and opening the export must
 * not run it (OWASP "CSV injection").
 */
export function csvCell(value: unknown): string {
  let s = value === null || value === undefined ? '' : typeof value === 'string' ? value : JSON.stringify(value);
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return `"${s.replace(/"/g, '""')}"`;
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

export function auditRoutes(web: WebContext): void {
  web.route('audit', async (req, reply) => {
    const filter = filterOf(req, web.config.timeZone);
    const pageText = (req.query as Record<string, unknown>).page ?? '1';
    if (typeof pageText !== 'string' || !/^\d{1,6}$/.test(pageText) || Number(pageText) < 1)
      throw new BadQuery('page: must be a page number from 1');
    const number = Number(pageText);
    const { events, hasNext } = await readAuditPage(web.deps.pool, filter, { number, size: AUDIT_PAGE_SIZE });
    return reply
      .type('text/html; charset=utf-8')
      .header('cache-control', 'no-store')
      .send(
        web.views.render('audit', {
          ...layoutData(req, reply),
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
          utc: (at: string) => new Date(at).toISOString().replace('T', ' ').slice(0, 19),
          json: (v: unknown) => JSON.stringify(v, null, 2),
        }),
      );
  });

  web.route('auditCsv', async (req, reply: FastifyReply) => {
    const filter = filterOf(req, web.config.timeZone);
    const pool = web.deps.pool;
    const body = Readable.from(
      (async function* () {
        yield `${CSV_COLUMNS.map(([name]) => csvCell(name)).join(',')}\r\n`;
        for await (const batch of auditEventBatches(pool, filter))
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
