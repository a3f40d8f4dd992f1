// Reports for the board and the auditor (INTERFACE.md): the Reports page, where the as-of date
// and the scope are chosen, and its two downloads, the compliance report (PDF) and the evidence
// packet (ZIP). The scope was checked by the route hook (access.ts: the policy's report.read);
// a scope the roster does not have answers 404 as one out of the viewer's. Each download is
// made by src/app/reports.ts (read, audited, then streamed).
import { PassThrough } from 'node:stream';
import { type ReportKind, prepareReport } from '../app/reports.ts';
import { reportChoices } from '../app/policy.ts';
import { UnknownFilterIdError } from '../app/status-report.ts';
import { NotFound } from '../errors.ts';
import type { WebContext } from './context.ts';
import { sendPage } from './pages.ts';
import { type Registrar, actorOf, viewerOf } from './request.ts';
import { asOfQuery, reportQuery } from './schemas.ts';

const byName = (a: { name: string }, b: { name: string }) => a.name.localeCompare(b.name, 'en-US');

export function reportPages(r: Registrar, web: WebContext): void {
  r.route('reports', { querystring: asOfQuery }, async (req, reply) => {
    const viewer = viewerOf(req);
    const choices = reportChoices(viewer);
    if (!choices) throw new NotFound('not found');
    const directory = await web.console.directory();
    const agencies = (choices.everything ? [...directory.agencies.keys()] : choices.agencies)
      .map((id) => ({ value: `agency:${id}`, name: `${directory.agencies.get(id)?.name ?? id} (agency ${id})` }))
      .sort(byName);
    const districts = (choices.everything ? [...directory.districts.keys()] : choices.districts)
      .map((id) => ({ value: `district:${id}`, name: `${directory.districts.get(id)?.name ?? id} (district ${id})` }))
      .sort(byName);
    return sendPage(web, req, reply, 'reports', {
      title: 'Reports',
      asOf: req.query.asOf ?? web.today(),
      options: [
        ...(choices.everything ? [{ value: 'everything', name: 'Every agency and district' }] : []),
        ...agencies,
        ...districts,
      ],
    });
  });

  const download = (kind: ReportKind) =>
    r.route(kind === 'pdf' ? 'reportPdf' : 'reportPacket', { querystring: reportQuery }, async (req, reply) => {
      const viewer = viewerOf(req);
      let prepared;
      try {
        prepared = await prepareReport(
          { pool: web.deps.pool, rules: web.console.rules, timeZone: web.config.timeZone },
          kind,
          {
            scope: req.query.scope,
            asOf: req.query.asOf ?? web.today(),
            actor: actorOf(req, viewer.email),
            now: new Date(),
          },
        );
      } catch (e) {
        // An agency or district the roster does not have: as one out of scope.
        if (e instanceof UnknownFilterIdError) throw new NotFound('not found');
        throw e;
      }
      const body = new PassThrough();
      // Headers are sent; a failure from here on can only cut the download short (the file is then incomplete and unreadable).
      prepared.write(body).catch((e: unknown) => {
        web.deps.log.error('report download failed', { kind, error: e instanceof Error ? e.message : String(e) });
        body.destroy(e instanceof Error ? e : new Error(String(e)));
      });
      reply.raw.once('close', () => {
        if (!reply.raw.writableFinished) body.destroy();
      });
      return reply
        .type(kind === 'pdf' ? 'application/pdf' : 'application/zip')
        .header('content-disposition', `attachment; filename="${prepared.fileName}"`)
        .header('cache-control', 'no-store')
        .header('x-content-type-options', 'nosniff')
        .send(body);
    });
  download('pdf');
  download('evidence');
}
