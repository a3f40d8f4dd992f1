import type { AddressInfo } from 'node:net';
import { redactUrl } from '../config.ts';
import { bounceAddresses } from '../app/bounce-address.ts';
import { countBounceOutcome, recordBounce } from '../app/record-bounce.ts';
import { startBounceReceiver } from '../bounces/receiver.ts';
import { civilDateFormatter } from '../shell/clock.ts';
import { startHttp } from '../worker/http.ts';
import { createBounceMetrics } from '../worker/metrics.ts';
import { createRuntime } from '../worker/runtime.ts';
import { asOfOption } from './as-of.ts';
import { type Command, InputError } from './command.ts';

export const bouncesCommand: Command = {
  help: `Receives the bounces of the alerts (RULES.md 12) until SIGTERM/SIGINT: an SMTP server
for BOUNCE_DOMAIN on BOUNCE_SMTP_HOST:BOUNCE_SMTP_PORT (127.0.0.1:2525). Make it the MX of
BOUNCE_DOMAIN, or have the relay forward bounces to it. It takes mail for the addresses
the service signed (b-<row>-<signature>@BOUNCE_DOMAIN, each alert's envelope sender) and
refuses any other recipient at RCPT TO with 550. It reads delivery status notifications
(RFC 3464) and abuse reports (RFC 5965):
  5.x.x (hard)   the e-mail is BOUNCED; the address is marked undeliverable and the
                 alert goes at once to the next people (escalation contacts, else
                 ADMIN_EMAILS)
  4.x.x, delay   a note on the e-mail in sro alerts; nothing else changes
  abuse report   recorded on the e-mail and shown to admins
A message is answered 250 once recorded, 451 (try later) when the database cannot be
written. Messages over BOUNCE_MAX_BYTES (1048576) are refused. With BOUNCE_TLS_CERT and
BOUNCE_TLS_KEY (PEM files) it offers STARTTLS.

Needs BOUNCE_DOMAIN and SECRET_KEY (the same as the workers'), DATABASE_URL, REDIS_URL.
Probes on HTTP_HOST:HTTP_PORT as for sro worker: /livez, /readyz, /metrics
(sro_bounces_total{kind}); give it its own HTTP_PORT beside a worker.

Options:
  --as-of D     pin the day bounces are recorded on, and the as-of date the alerts they owe
                the next people are checked on (replays and tests); default: today in TZ`,
  options: { 'as-of': { type: 'string' } },
  async run(ctx) {
    const config = ctx.config();
    const pinned = ctx.values['as-of'];
    const asOf = pinned === undefined ? undefined : asOfOption(pinned, config);
    if (!config.bounceDomain || !config.secretKey)
      throw new InputError('BOUNCE_DOMAIN: not set; sro bounces receives mail for that domain (and needs SECRET_KEY)');
    const addresses = bounceAddresses(config.bounceDomain, config.secretKey);
    const runtime = createRuntime(config, ctx.log, { work: false });
    const today = civilDateFormatter(config.timeZone);
    const deps = {
      pool: runtime.pool,
      work: runtime.work,
      adminEmails: config.adminEmails,
      log: ctx.log,
      today: () => asOf ?? today(new Date()),
    };
    const receiver = await startBounceReceiver({
      host: config.bounceSmtpHost,
      port: config.bounceSmtpPort,
      addresses,
      maxBytes: config.bounceMaxBytes,
      tls:
        config.bounceTlsCert && config.bounceTlsKey
          ? { certFile: config.bounceTlsCert, keyFile: config.bounceTlsKey }
          : null,
      record: (rowId, report) => recordBounce(deps, rowId, report),
      refused: () => countBounceOutcome(runtime.pool, 'refused'),
      log: ctx.log,
    });
    const server = await startHttp({
      host: config.httpHost,
      port: config.httpPort,
      pool: runtime.pool,
      queue: runtime.queues.send,
      metrics: createBounceMetrics(runtime.pool),
    });
    ctx.log.info('bounce receiver started', {
      smtp: `${config.bounceSmtpHost}:${receiver.port}`,
      domain: config.bounceDomain,
      tls: config.bounceTlsCert ? 'STARTTLS' : 'off',
      http: `http://${config.httpHost}:${(server.address() as AddressInfo).port}`,
      database: redactUrl(config.databaseUrl),
    });
    await new Promise<void>((resolve) => ctx.signal.addEventListener('abort', () => resolve(), { once: true }));
    ctx.log.info('stopping: no new connections, finishing open ones');
    await receiver.close();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await runtime.close();
    ctx.log.info('bounce receiver stopped');
    return 0;
  },
};
