// Starts the console on WEB_HOST:WEB_PORT with its own connections (`sro web`, and
// `sro demo --console`), and stops it within SHUTDOWN_SECONDS.
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { Redis } from 'ioredis';
import { type Config, rulesOf } from '../config.ts';
import { keepStatusSnapshot } from '../app/status-snapshot.ts';
import { civilDateIn } from '../shell/clock.ts';
import { createPool } from '../db/pool.ts';
import { createDirectoryDb } from '../db/client.ts';
import { forgetExpiredSignIns } from '../app/sign-in.ts';
import { createMailTransport } from '../mail/transport.ts';
import type { Logger } from '../shell/log.ts';
import { settlesWithin } from '../shell/timing.ts';
import { createQueues, createWorkQueue } from '../worker/queue.ts';
import { openIdProviders } from './oidc-client.ts';
import { buildConsole } from './server.ts';

export interface RunningConsole {
  app: FastifyInstance;
  /** Where it listens, e.g. http://127.0.0.1:8080. */
  url: string;
  close(): Promise<void>;
}

/** `now`: the console's clock (tests pin it; the as-of date is today in TZ); the system's by default. */
export async function startConsole(
  config: Config,
  log: Logger,
  options: { now?: () => Date } = {},
): Promise<RunningConsole> {
  // A request that finds no connection free within 5 s is answered 503 (ServiceBusy), not queued without end.
  const pool = createPool(
    config.databaseUrl,
    10,
    (e) => log.warn('idle database connection lost; the next query reconnects', { error: e.message }),
    { acquireTimeoutMs: 5000 },
  );
  const redis = new Redis(config.redisUrl, { maxRetriesPerRequest: 1, enableOfflineQueue: true });
  redis.on('error', () => undefined);
  const queues = createQueues(config.redisUrl, config.queuePrefix);
  const transport = createMailTransport(config);
  // Prisma Client for the directory's reads and writes, over the same pool (its connections, its acquire timeout).
  const directoryDb = createDirectoryDb(pool);
  const closeAll = async () => {
    await directoryDb.$disconnect().catch(() => undefined);
    await Promise.allSettled([queues.close(), transport.close(), pool.end()]);
    redis.disconnect();
  };
  let app: FastifyInstance;
  try {
    app = await buildConsole({
      config,
      pool,
      redis,
      queues,
      work: createWorkQueue(queues, config),
      transport,
      directoryDb,
      log,
      ...(options.now ? { now: options.now } : {}),
      // OIDC_PROVIDERS over openid-client (each discovers its provider at its first sign-in).
      oidcProviders: openIdProviders(config.oidcProviders),
    });
    await app.listen({ host: config.webHost, port: config.webPort });
  } catch (e) {
    await closeAll();
    throw e;
  }
  const port = (app.server.address() as AddressInfo).port;
  const host = config.webHost.includes(':') ? `[${config.webHost}]` : config.webHost;
  // The admin view of a large roster: one replica at a time re-evaluates everyone when the
  // day or the roster moves on (checked every 15 s; the first check now).
  const keeper = keepStatusSnapshot({
    pool,
    rules: rulesOf(config),
    today: () => civilDateIn(config.timeZone),
    log,
    intervalMs: 15_000,
  });
  void keeper.check();
  // Expired sessions and tokens: cleared hourly by whichever replica's timer fires.
  const housekeeping = setInterval(
    () => forgetExpiredSignIns(pool).catch((e: Error) => log.warn('session housekeeping failed', { error: e.message })),
    3600_000,
  );
  housekeeping.unref();
  return {
    app,
    url: `http://${host}:${port}`,
    async close() {
      clearInterval(housekeeping);
      await keeper.stop();
      const settled = await settlesWithin(app.close(), config.shutdownSeconds * 1000);
      if (!settled) log.warn('console requests still open at the shutdown deadline; closing anyway');
      await closeAll();
    },
  };
}
