// /admin/queues: Bull Board over the worker's queues, for admins only, read-only (jobs are
// watched here, never retried or removed: the ledger, not Redis, decides what is owed, and
// a retried send job would only be refused by its ledger row). Its own scope: Bull Board
// brings its own template engine and assets, and needs script and style sources of its own.
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { FastifyAdapter } from '@bull-board/fastify';
import type { FastifyInstance } from 'fastify';
import { checkAccess } from './access.ts';
import { pageErrorHandler } from './answers.ts';
import type { WebContext } from './context.ts';
import { ROUTES } from './routes.ts';

const DASHBOARD_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self'; connect-src 'self'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

export async function queueDashboard(app: FastifyInstance, web: WebContext): Promise<void> {
  const base = ROUTES.queues.url;
  const adapter = new FastifyAdapter();
  adapter.setBasePath(base);
  const { scan, send, digest } = web.deps.queues;
  createBullBoard({
    queues: [scan, send, digest].map((q) => new BullMQAdapter(q, { readOnlyMode: true })),
    serverAdapter: adapter,
    options: { uiConfig: { boardTitle: 'SRO queues' } },
  });
  await app.register(
    async (scope) => {
      // The row's access (queues.read: signed out 303 to /login, anyone else 404), then read-only.
      // Answered here, as pages are: Bull Board's own error handler would make a refusal a 500.
      const refused = pageErrorHandler(web);
      scope.addHook('preHandler', async (req, reply) => {
        try {
          await checkAccess(web, req, ROUTES.queues);
        } catch (e) {
          return refused(e, req, reply);
        }
        if (req.method !== 'GET' && req.method !== 'HEAD')
          return reply.code(405).header('allow', 'GET, HEAD').send({ error: 'the queue dashboard is read-only' });
      });
      scope.addHook('onSend', async (_req, reply, payload) => {
        reply.header('content-security-policy', DASHBOARD_CSP);
        return payload;
      });
      await scope.register(adapter.registerPlugin());
    },
    { prefix: base },
  );
}
