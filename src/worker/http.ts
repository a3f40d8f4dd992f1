// /healthz (database and Redis reachability) and /metrics (Prometheus) for `sro worker`.
// Binds HTTP_HOST (loopback by default): nothing here is meant for the open network.
import { createServer, type Server } from 'node:http';
import type pg from 'pg';
import type { Queue } from 'bullmq';
import type { Metrics } from './metrics.ts';
import { pingDatabase } from '../db/health.ts';

async function within<T>(ms: number, p: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([p, new Promise<T>((_, reject) => (timer = setTimeout(() => reject(new Error(`no answer in ${ms} ms`)), ms)))]);
  } finally {
    clearTimeout(timer);
  }
}

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
    within(2000, queue.getBackend().client.then((c) => (c as unknown as { ping(): Promise<string> }).ping())),
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

export function startHttp(deps: { host: string; port: number; pool: pg.Pool; queue: Queue; metrics: Metrics }): Promise<Server> {
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method !== 'GET') {
      res.writeHead(405, { allow: 'GET' }).end();
      return;
    }
    if (path === '/healthz') {
      checkHealth(deps.pool, deps.queue).then((h) => {
        res.writeHead(h.status === 'ok' ? 200 : 503, { 'content-type': 'application/json' }).end(`${JSON.stringify(h)}\n`);
      });
      return;
    }
    if (path === '/metrics') {
      deps.metrics.render().then((text) => res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' }).end(text));
      return;
    }
    res.writeHead(404, { 'content-type': 'text/plain' }).end('not found: try /healthz or /metrics\n');
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(deps.port, deps.host, () => resolve(server));
  });
}
