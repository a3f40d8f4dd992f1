// Sign-in without passwords (INTERFACE.md "Console"), the use cases behind the console's
// sign-in pages: an e-mail with a one-time link and a 6-digit code, both valid 15 minutes and
// usable once, then a session. Every secret reaches the database as a keyed hash only
// (secrets.ts); instants are the database's clock, so replicas agree on what has expired.
import type pg from 'pg';
import {
  deleteExpiredSignIns,
  deleteSession,
  insertSession,
  isLoginTokenLive,
  issueLoginToken,
  readSession,
  spendLoginCode,
  spendLoginToken,
} from '../db/console-auth.ts';
import { SIGN_IN_MINUTES, signInMail } from '../mail/sign-in-mail.ts';
import type { MailTransport } from '../mail/transport.ts';
import type { Logger } from '../shell/log.ts';
import { type ConsoleContext, viewerOf } from './console.ts';
import { can, type Viewer } from './policy.ts';
import { type Secrets, codeSubject, newCode, newToken } from './secrets.ts';

/** Wrong codes before an address's live codes are spent. */
const MAX_WRONG_CODES = 5;
/** The window of the per-address and per-client limits, minutes. */
export const SIGN_IN_WINDOW_MINUTES = 15;

export interface SignInDeps {
  pool: pg.Pool;
  console: Pick<ConsoleContext, 'pool' | 'caches'>;
  secrets: Secrets;
  transport: MailTransport;
  log: Logger;
  mailFrom: string;
  adminEmails: readonly string[];
  /** Sign-in e-mails to one address per SIGN_IN_WINDOW_MINUTES. */
  limitPerAddress: number;
  sessionHours: number;
}

/** Whether the address holds a role (ADMIN_EMAILS or the roster): only those are sent an e-mail. */
export async function isKnownAddress(deps: SignInDeps, email: string): Promise<boolean> {
  return can(await viewerOf(deps.console, email, deps.adminEmails), 'console.use', null);
}

/**
 * Sends `email` a sign-in link (under `baseUrl`) and code, unless the per-address limit is
 * reached. The limit's count and the token's insert are one step (concurrent requests cannot
 * both pass it). Failures are logged, never shown: the page answers the same whatever happens.
 */
export async function sendSignIn(deps: SignInDeps, email: string, baseUrl: string): Promise<void> {
  try {
    const token = newToken();
    const code = newCode();
    const issued = await issueLoginToken(deps.pool, {
      email,
      tokenHash: deps.secrets.hash('login-token', token),
      codeHash: deps.secrets.hash('login-code', codeSubject(email, code)),
      minutes: SIGN_IN_MINUTES,
      windowMinutes: SIGN_IN_WINDOW_MINUTES,
      limit: deps.limitPerAddress,
    });
    if (!issued) {
      deps.log.info('sign-in e-mail not sent: the per-address limit is reached', { limit: deps.limitPerAddress });
      return;
    }
    await deps.transport.send(
      signInMail({ from: deps.mailFrom, to: email, link: `${baseUrl}/login/verify?token=${token}`, code }),
    );
  } catch (e) {
    deps.log.error('sign-in e-mail failed', { err: e as Error });
  }
}

/** Whether a sign-in link is still good (reading it spends nothing: mail scanners fetch links). */
export async function isSignInLinkLive(deps: SignInDeps, token: string): Promise<boolean> {
  return token !== '' && isLoginTokenLive(deps.pool, deps.secrets.hash('login-token', token));
}

/** The address a link signs in, spending it; null when unknown, used or expired. */
export async function spendSignInLink(deps: SignInDeps, token: string): Promise<string | null> {
  return spendLoginToken(deps.pool, deps.secrets.hash('login-token', token));
}

/** Whether the code is one of the address's live codes (spending it); a wrong one counts against them all. */
export async function spendSignInCode(deps: SignInDeps, email: string, code: string): Promise<boolean> {
  return spendLoginCode(deps.pool, email, deps.secrets.hash('login-code', codeSubject(email, code)), MAX_WRONG_CODES);
}

/**
 * A new session for `email` (a new id for every sign-in; the browser's previous session, if
 * any, ends here: no fixation). Returns the session id the cookie carries.
 */
export async function startSession(
  deps: SignInDeps,
  email: string,
  client: { previousSessionId: string | null; clientAddress: string | null; userAgent: string | null },
): Promise<string> {
  if (client.previousSessionId) await endSession(deps, client.previousSessionId);
  const sessionId = newToken();
  await insertSession(deps.pool, {
    idHash: deps.secrets.hash('session', sessionId),
    email,
    hours: deps.sessionHours,
    clientAddress: client.clientAddress,
    userAgent: client.userAgent,
  });
  return sessionId;
}

export async function endSession(deps: SignInDeps, sessionId: string): Promise<void> {
  await deleteSession(deps.pool, deps.secrets.hash('session', sessionId));
}

/** The viewer of a live session (their roles as the roster holds them now); null when the session is not live. */
export async function sessionViewer(deps: SignInDeps, sessionId: string): Promise<Viewer | null> {
  const session = await readSession(deps.pool, deps.secrets.hash('session', sessionId));
  if (!session) return null;
  return viewerOf(deps.console, session.email, deps.adminEmails, session.rosterVersion, session.ledgerVersion);
}

/** Removes expired sessions and sign-in tokens (housekeeping; any replica may run it). */
export async function forgetExpiredSignIns(pool: pg.Pool): Promise<void> {
  await deleteExpiredSignIns(pool);
}
