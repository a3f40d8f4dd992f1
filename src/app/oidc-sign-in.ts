// Sign-in through the identity providers districts and agencies already run (INTERFACE.md
// "Sign-in with the district's or agency's accounts (OIDC)"): Microsoft Entra ID, Google
// Workspace, any OpenID Connect provider. The identity that counts is still the e-mail
// address the roster holds; the provider only proves it. The protocol (discovery, the
// authorization URL, the code exchange, the ID token's signature, iss, aud, exp and nonce) is
// openid-client's, behind the OidcProvider port the console's composition root builds; what
// is decided here is whom a validated ID token signs in:
//
// - the `email` claim, only when the provider says it is verified (`email_verified: true`;
//   Entra ID's `xms_edov: true`), and only an address the roster or ADMIN_EMAILS holds;
// - the tenant (`tid`, Entra ID) among `allowedTenants`, the hosted domain (`hd`, Google)
//   among `hostedDomains`, when the provider names them;
// - the state, bound to the browser that started (a signed cookie the web layer keeps), live
//   for PENDING_MINUTES and spent once.
//
// Then it is exactly the e-mail sign-in's session (src/app/sign-in.ts startSession), and an
// audit event names the provider, the issuer and the subject.
import { randomBytes } from 'node:crypto';
import { appendAuditEvent } from '../db/audit.ts';
import type { AuditActor } from './audit-log.ts';
import { type SignInDeps, isKnownAddress, startSession } from './sign-in.ts';

/** How long a started sign-in may take at the provider, minutes (the state's life). */
export const PENDING_MINUTES = 10;

/** The audit log's action for a sign-in through a provider. */
const OIDC_SIGN_IN_ACTION = 'sign-in.oidc';

/** One authorization request's secrets: sent out as state and nonce, PKCE's verifier kept back. */
export interface AuthorizationRequest {
  redirectUri: string;
  state: string;
  nonce: string;
  codeVerifier: string;
}

/** What the console needs of an OpenID provider (openid-client; built in src/web/start.ts). */
export interface OidcProvider {
  readonly id: string;
  /** What its button names, e.g. "Microsoft". */
  readonly label: string;
  readonly issuer: string;
  /** Entra ID: the `tid` claims accepted; null: any. */
  readonly allowedTenants: readonly string[] | null;
  /** Google: the `hd` claims accepted (lower-cased); null: any. */
  readonly hostedDomains: readonly string[] | null;
  /** The authorization endpoint's URL: code flow, scope `openid email profile`, state, nonce, PKCE S256. */
  authorizationUrl(request: AuthorizationRequest): Promise<URL>;
  /**
   * Checks the callback (`state`, `iss`, no `error`), exchanges its code (PKCE verifier) and
   * validates the ID token (signature by the provider's keys, `iss`, `aud`, `exp`, `nonce`);
   * answers its claims. Throws ProviderRefusal for an error the provider sent back, anything
   * else for a callback or token that does not hold.
   */
  redeem(callbackUrl: URL, expected: AuthorizationRequest): Promise<Record<string, unknown>>;
}

/** The provider answered the authorization request with an error (`error=access_denied`, …). */
export class ProviderRefusal extends Error {
  readonly code = 'OIDC_PROVIDER_ERROR';
  constructor(
    /** The OAuth error code, when it is one (never its description: it may name the person). */
    readonly error: string,
    options?: ErrorOptions,
  ) {
    super(`the provider answered ${error}`, options);
  }
}

/** A sign-in begun: what the browser's cookie keeps until the callback. */
export interface PendingSignIn {
  providerId: string;
  state: string;
  nonce: string;
  codeVerifier: string;
  /** Epoch milliseconds. */
  expiresAt: number;
}

export interface OidcSignInDeps {
  signIn: SignInDeps;
  /** Marks a state spent; false when it already was (a replayed callback). Kept `seconds`, shared by replicas. */
  spendState(state: string, seconds: number): Promise<boolean>;
}

/** Why a callback signs no one in: logged for operators (no address, no subject), never shown. */
type OidcRefusal =
  | 'state-missing'
  | 'state-mismatch'
  | 'state-expired'
  | 'state-replayed'
  | 'provider-error'
  | 'token-invalid'
  | 'email-missing'
  | 'email-unverified'
  | 'tenant-not-allowed'
  | 'domain-not-allowed'
  | 'address-unknown';

export type OidcOutcome =
  { signedIn: true; sessionId: string } | { signedIn: false; reason: OidcRefusal; detail?: string };

const random = () => randomBytes(32).toString('base64url');

/** Starts a sign-in: the provider's URL to send the browser to, and what its cookie keeps. */
export async function beginOidcSignIn(
  provider: OidcProvider,
  redirectUri: string,
  now: Date,
): Promise<{ url: URL; pending: PendingSignIn }> {
  const pending: PendingSignIn = {
    providerId: provider.id,
    state: random(),
    nonce: random(),
    codeVerifier: random(),
    expiresAt: now.getTime() + PENDING_MINUTES * 60_000,
  };
  const url = await provider.authorizationUrl({ redirectUri, ...pending });
  return { url, pending };
}

/** The address an ID token's claims prove, or why they prove none (the provider's own restrictions first). */
export function provenAddress(
  provider: Pick<OidcProvider, 'allowedTenants' | 'hostedDomains'>,
  claims: Record<string, unknown>,
): { email: string } | { refused: OidcRefusal } {
  if (provider.allowedTenants) {
    const tid = typeof claims.tid === 'string' ? claims.tid.toLowerCase() : null;
    if (tid === null || !provider.allowedTenants.some((t) => t.toLowerCase() === tid))
      return { refused: 'tenant-not-allowed' };
  }
  if (provider.hostedDomains) {
    const hd = typeof claims.hd === 'string' ? claims.hd.toLowerCase() : null;
    if (hd === null || !provider.hostedDomains.includes(hd)) return { refused: 'domain-not-allowed' };
  }
  const email = typeof claims.email === 'string' ? claims.email.trim().toLowerCase() : '';
  if (email === '' || email.length > 320 || !/^[^\s@]+@[^\s@]+$/.test(email)) return { refused: 'email-missing' };
  // Only the literal true: a provider that leaves the claim out, or sends "true", has not said so.
  if (claims.email_verified !== true && claims.xms_edov !== true) return { refused: 'email-unverified' };
  return { email };
}

/**
 * What failed, for operators: openid-client's code and the messages down its chain of causes
 * ('unexpected JWT "aud" (audience) claim value'). They name claims, never their values.
 */
function failureOf(e: unknown): string {
  const parts: string[] = [];
  let cause: unknown = e;
  for (let depth = 0; depth < 3 && cause instanceof Error; depth++) {
    const code = (cause as { code?: unknown }).code;
    parts.push(`${typeof code === 'string' ? `${code}: ` : ''}${cause.message}`);
    cause = cause.cause;
  }
  return parts.join('; ').slice(0, 300);
}

/**
 * Finishes a sign-in at the callback: the browser's pending sign-in (null when its cookie was
 * missing or its signature did not hold), the callback URL as the provider sent the browser to
 * it. Signs in (a new session, audited) or answers why not.
 */
export async function finishOidcSignIn(
  deps: OidcSignInDeps,
  provider: OidcProvider,
  pending: PendingSignIn | null,
  callback: {
    url: URL;
    redirectUri: string;
    now: Date;
    actor: Omit<AuditActor, 'email'>;
    previousSessionId: string | null;
  },
): Promise<OidcOutcome> {
  if (!pending) return { signedIn: false, reason: 'state-missing' };
  if (pending.providerId !== provider.id || callback.url.searchParams.get('state') !== pending.state)
    return { signedIn: false, reason: 'state-mismatch' };
  if (pending.expiresAt <= callback.now.getTime()) return { signedIn: false, reason: 'state-expired' };
  // Spent before the exchange: a callback replayed, even with the cookie, goes no further.
  if (!(await deps.spendState(pending.state, PENDING_MINUTES * 60)))
    return { signedIn: false, reason: 'state-replayed' };
  let claims: Record<string, unknown>;
  try {
    claims = await provider.redeem(callback.url, { redirectUri: callback.redirectUri, ...pending });
  } catch (e) {
    if (e instanceof ProviderRefusal) return { signedIn: false, reason: 'provider-error', detail: e.error };
    return { signedIn: false, reason: 'token-invalid', detail: failureOf(e) };
  }
  const proven = provenAddress(provider, claims);
  if ('refused' in proven) return { signedIn: false, reason: proven.refused };
  const { email } = proven;
  if (!(await isKnownAddress(deps.signIn, email))) return { signedIn: false, reason: 'address-unknown' };
  const sessionId = await startSession(deps.signIn, email, {
    previousSessionId: callback.previousSessionId,
    clientAddress: callback.actor.clientAddress,
    userAgent: callback.actor.userAgent,
  });
  await appendAuditEvent(deps.signIn.pool, {
    actor: { email, ...callback.actor },
    action: OIDC_SIGN_IN_ACTION,
    license: null,
    before: null,
    after: { provider: provider.id, issuer: String(claims.iss), subject: String(claims.sub) },
  });
  return { signedIn: true, sessionId };
}
