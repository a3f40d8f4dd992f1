// Probes and metrics for `sro worker` (and `sro bounces`): /livez (the process is alive: its event loop turns),
// /readyz (PostgreSQL and Redis reachable; 503 naming the part that is not), /healthz (an
// alias of /readyz), /metrics (Prometheus). HEAD answers like GET. Binds HTTP_HOST
// (loopback by default): nothing here is meant for the open network.
import { createServer, type Server } from 'node:http';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import type pg from 'pg';
import type { Queue } from 'bullmq';
import type { WorkerMetrics } from './metrics.ts';
import { pingDatabase } from '../db/health.ts';
import { within } from '../shell/timing.ts';

export interface Health {
  status: 'ok' | 'degraded';
  database: 'up' | 'down';
  redis: 'up' | 'down';
  errors: Record<string, string>;
}

export async function checkHealth(pool: pg.Pool, queue: Queue): Promise<Health> {
  const errors: Record<string, string> = {};
  const [db, redis] = await Promise.allSettled([
    within(2000, pingDatabase(pool)),
    within(
      2000,
      queue.getBackend().client.then((c) => (c as unknown as { ping(): Promise<string> }).ping()),
    ),
  ]);
  if (db.status === 'rejected') errors.database = (db.reason as Error).message;
  if (redis.status === 'rejected') errors.redis = (redis.reason as Error).message;
  return {
    status: db.status === 'fulfilled' && redis.status === 'fulfilled' ? 'ok' : 'degraded',
    database: db.status === 'fulfilled' ? 'up' : 'down',
    redis: redis.status === 'fulfilled' ? 'up' : 'down',
    errors,
  };
}

/** The event loop counts as stuck when a turn took longer than this in the last window. */
const STUCK_LOOP_MS = 10_000;

export function startHttp(deps: {
  host: string;
  port: number;
  pool: pg.Pool;
  queue: Queue;
  metrics: Pick<WorkerMetrics, 'render' | 'contentType'>;
}): Promise<Server> {
  // Liveness: a restart helps only a process whose event loop is stuck, not one whose
  // database is down (that is readiness): the longest turn of the loop over the last minute.
  const loop = monitorEventLoopDelay({ resolution: 50 });
  loop.enable();
  const resetLoop = setInterval(() => loop.reset(), 60_000);
  resetLoop.unref();
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD' }).end();
      return;
    }
    const json = (status: number, body: unknown) =>
      res.writeHead(status, { 'content-type': 'application/json' }).end(`${JSON.stringify(body)}\n`);
    if (path === '/livez') {
      const maxTurnMs = Math.round(loop.max / 1e6);
      json(maxTurnMs > STUCK_LOOP_MS ? 503 : 200, {
        status: maxTurnMs > STUCK_LOOP_MS ? 'stuck' : 'alive',
        maxEventLoopTurnMs: maxTurnMs,
      });
      return;
    }
    if (path === '/readyz' || path === '/healthz') {
      checkHealth(deps.pool, deps.queue).then((h) => json(h.status === 'ok' ? 200 : 503, h));
      return;
    }
    if (path === '/metrics') {
      deps.metrics.render().then(
        (text) => res.writeHead(200, { 'content-type': deps.metrics.contentType }).end(text),
        (e: Error) => res.writeHead(500, { 'content-type': 'text/plain' }).end(`metrics unavailable: ${e.message}\n`),
      );
      return;
    }
    res.writeHead(404, { 'content-type': 'text/plain' }).end('not found: try /livez, /readyz or /metrics\n');
  });
  server.on('close', () => {
    clearInterval(resetLoop);
    loop.disable();
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(deps.port, deps.host, () => resolve(server));
  });
}
