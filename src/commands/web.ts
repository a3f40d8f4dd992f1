import { redactUrl } from '../config.ts';
import { startConsole } from '../web/start.ts';
import type { Command } from './command.ts';

export const webCommand: Command = {
  help: `Serves the console and its JSON API (INTERFACE.md "Console") on WEB_HOST:WEB_PORT
(127.0.0.1:8080; 0 = any free port) until SIGTERM/SIGINT.

People sign in with their e-mail address: a link and a 6-digit code, valid 15 minutes,
once. Known addresses: ADMIN_EMAILS, agency chiefs and escalation addresses, district
contacts, officers with an e-mail. Each sees the officers of their roles, read from the
roster on every request.

Needs SECRET_KEY (at least 32 characters: it signs sessions and sign-in links). Set
PUBLIC_URL to the address people reach the console at (https://… behind a TLS reverse
proxy): it is used in sign-in links and alert e-mails, and makes cookies Secure.
SESSION_HOURS (12), LOGIN_LIMIT_PER_ADDRESS (5 e-mails per 15 minutes),
LOGIN_LIMIT_PER_CLIENT (30 requests per 15 minutes, counted in Redis).
OIDC_PROVIDERS adds "Sign in with Microsoft" (Entra ID, Google Workspace, any OpenID Connect
provider): the account proves the address the roster holds.

Stateless: run as many replicas as you like against the same PostgreSQL and Redis.
GET /livez and /readyz are the probes. The first SIGTERM/SIGINT lets open requests finish,
within SHUTDOWN_SECONDS (30).`,
  options: {},
  async run(ctx) {
    const config = ctx.config();
    const running = await startConsole(config, ctx.log);
    ctx.log.info('console started', {
      url: running.url,
      publicUrl: config.publicUrl ?? '(PUBLIC_URL unset: links point at the listening address)',
      database: redactUrl(config.databaseUrl),
      redis: redactUrl(config.redisUrl),
      admins: config.adminEmails.length,
      // Their ids only: each holds a client secret.
      signInProviders: config.oidcProviders.map((p) => p.id),
    });
    if (config.oidcProviders.length > 0 && !config.publicUrl)
      ctx.log.warn(
        'OIDC_PROVIDERS without PUBLIC_URL: the providers send people back to the listening address; set PUBLIC_URL to the address registered with them',
      );
    await new Promise<void>((resolve) => ctx.signal.addEventListener('abort', () => resolve(), { once: true }));
    ctx.log.info('stopping the console');
    await running.close();
    ctx.log.info('console stopped');
    return 0;
  },
};
