// POST /hooks/mail/:provider (INTERFACE.md "Bounces", RULES.md 12): a mail provider's
// delivery events, reached by the provider's servers, not by a person: no session and no CSRF
// token (routes.ts, access PROVIDER). Who is asking is proven by the provider's signature over
// the raw body, so this plugin keeps the body as bytes (its own JSON parser) and the use case
// checks it before reading anything. The answers: 200 once every event is applied, 401
// unsigned, 403 a signature that does not verify, 400 a signed body that is not events, 404 a
// provider not set up here; 5xx when the ledger cannot be written (the provider sends again).
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { bounceAddresses } from '../app/bounce-address.ts';
import { type MailWebhookDeps, receiveMailWebhook } from '../app/mail-webhook.ts';
import { webhookPublicKeyOf } from '../config-mail-hooks.ts';
import { apiErrorHandler } from './answers.ts';
import type { WebContext } from './context.ts';
import { registrarOf } from './request.ts';

/** SendGrid posts its events in batches; a batch is well under this (bytes). */
const HOOK_BODY_LIMIT = 5 * 1024 * 1024;

const ANSWERS = {
  not_found: { status: 404, error: 'not found' },
  unsigned: { status: 401, error: 'the request carries no provider signature; nothing was changed' },
  forged: { status: 403, error: 'the provider signature does not match the request; nothing was changed' },
  unreadable: { status: 400, error: 'the body is not a list of delivery events; nothing was changed' },
} as const;

export async function mailHooks(app: FastifyInstance, web: WebContext): Promise<void> {
  const { config, deps } = web;
  const hookDeps: MailWebhookDeps = {
    pool: deps.pool,
    work: deps.work,
    adminEmails: config.adminEmails,
    log: deps.log,
    today: web.today,
    addresses: config.bounceDomain && config.secretKey ? bounceAddresses(config.bounceDomain, config.secretKey) : null,
    sendgridKey: config.sendgridWebhookPublicKey ? webhookPublicKeyOf(config.sendgridWebhookPublicKey) : null,
  };
  await app.register(async (scope) => {
    scope.setErrorHandler(apiErrorHandler(web));
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser(
      'application/json',
      { parseAs: 'buffer', bodyLimit: HOOK_BODY_LIMIT },
      (_req, body, done) => done(null, body),
    );
    registrarOf(scope, true).route(
      'mailHook',
      {
        params: z.object({ provider: z.string().max(40) }),
        querystring: z.object({}),
        body: z.instanceof(Buffer),
      },
      async (req, reply) => {
        const answer = await receiveMailWebhook(hookDeps, req.params.provider, req.headers, req.body);
        reply.header('cache-control', 'no-store');
        if (answer.kind !== 'recorded') {
          const { status, error } = ANSWERS[answer.kind];
          return reply.code(status).send({ error });
        }
        return reply.code(200).send({ received: answer.outcomes.length });
      },
    );
  });
}
