// What every part of the console is handed (the server builds it once): the configuration,
// the clients, the use cases' deps, the templates, the clock, and the names and options of
// the console's cookies. Handler modules import this module and src/app, never each other's
// server: no import cycle.
import type { Redis } from 'ioredis';
import type pg from 'pg';
import type { Queues } from '../../jobs/definition.ts';
import type { WorkQueue } from '../app/ports.ts';
import type { Config } from '../config.ts';
import type { ConsoleContext } from '../app/console.ts';
import type { DirectoryDeps } from '../app/directory/change.ts';
import type { DirectoryDb } from '../app/directory/list.ts';
import type { Officer } from '../app/officer-page.ts';
import type { Viewer } from '../app/policy.ts';
import type { SubmissionDeps } from '../app/training-submission.ts';
import type { OidcProvider, OidcSignInDeps } from '../app/oidc-sign-in.ts';
import type { SignInDeps } from '../app/sign-in.ts';
import type { CivilDate } from '../domain/civil-date.ts';
import type { MailTransport } from '../mail/transport.ts';
import type { Logger } from '../shell/log.ts';
import type { RouteSpec } from './routes.ts';
import type { Views } from './views.ts';

export interface ConsoleDeps {
  config: Config;
  pool: pg.Pool;
  redis: Redis;
  queues: Queues;
  /** Where the use cases ask for work (an officer's re-evaluation after a change). */
  work: WorkQueue;
  transport: MailTransport;
  /** Prisma Client over `pool`: the directory's small typed reads and writes (RULES.md 11). */
  directoryDb: DirectoryDb;
  log: Logger;
  /** The clock (tests pin it): the as-of date is today in TZ. */
  now?: () => Date;
  /** The identity providers of OIDC_PROVIDERS (start.ts builds them over openid-client); none when absent. */
  oidcProviders?: readonly OidcProvider[];
}

/** The console's cookies: with an https PUBLIC_URL, `__Host-` names (Secure, Path=/, no Domain). */
export interface CookieNames {
  session: string;
  csrf: string;
  /** A sign-in begun at an identity provider: its state, nonce and PKCE verifier, signed, 10 minutes. */
  oidc: string;
  /** Whether cookies carry Secure (PUBLIC_URL is https). */
  secure: boolean;
}

export function cookieNamesOf(publicUrl: string | null): CookieNames {
  const secure = publicUrl?.startsWith('https:') ?? false;
  return secure
    ? { session: '__Host-sro_session', csrf: '__Host-sro_csrf', oidc: '__Host-sro_oidc', secure }
    : { session: 'sro_session', csrf: '_csrf', oidc: 'sro_oidc', secure };
}

export interface WebContext {
  config: Config;
  deps: ConsoleDeps;
  console: ConsoleContext;
  /** The record-fact use cases' deps; a submitted training's e-mail is sent at once (RULES.md 10). */
  record: SubmissionDeps;
  /** The directory's use cases' deps (RULES.md 11). */
  directory: DirectoryDeps;
  signIn: SignInDeps;
  /** Sign-in through the identity providers (INTERFACE.md "Sign-in with the district's or agency's accounts"). */
  oidc: { providers: readonly OidcProvider[]; deps: OidcSignInDeps };
  views: Views;
  cookies: CookieNames;
  today(): CivilDate;
  /** PUBLIC_URL, or where this server listens when it is unset (sign-in links). */
  baseUrl(): string;
  /** How long a request body may stop arriving, ms (REQUEST_BODY_TIMEOUT_SECONDS). */
  bodyIdleMs: number;
}

/** The forms of the officer page (views/officer-forms.eta), by the name their problems are filed under. */
/** The officer page's forms a problem sends back ('ackEdit': the correction of an acknowledgement). */
export type OfficerFormName =
  'training' | 'review' | 'days' | 'ack' | 'ackEdit' | 'officer' | 'assignment' | 'end' | 'reject';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The route-table row the route is registered from (routes.ts). */
    row?: RouteSpec;
    /** The officer page's form a page route answers for: bad input shows that page again. */
    form?: OfficerFormName;
    /** The handler reads a multipart body itself (body.ts eachPart), its CSRF field first. */
    multipart?: boolean;
  }
  interface FastifyRequest {
    /** The signed-in address and its roles; null when signed out. Set for every non-public route. */
    viewer: Viewer | null;
    /** The id of the session cookie (for logout and rotation), when one is live. */
    sessionId: string | null;
    /** The `:license` officer, read once by the route hook and handed to the use case. */
    officer: Officer | null;
    /** A page form's fields as they arrived, kept for the page sent back with its problems. */
    formValues: Record<string, string | string[]> | null;
    /**
     * A multipart form's CSRF check, still to be made on its `_csrf` field (the body's first
     * part, body.ts eachPart); null when the token was checked before the handler.
     */
    bodyCsrf: ((token: string) => Promise<void>) | null;
  }
}
