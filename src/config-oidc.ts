/**
 * OIDC_PROVIDERS: the identity providers of the console's sign-in page (INTERFACE.md "Sign-in
 * with the district's or agency's accounts"), parsed and checked with the rest of the
 * configuration by loadConfig. A problem names the provider and its field, never a value:
 * the text holds client secrets.
 */
import { z } from 'zod';

/** A loopback host: the one place an `http:` issuer is accepted (tests, a provider on this machine). */
const isLoopbackHost = (hostname: string) =>
  hostname === 'localhost' || hostname === '[::1]' || /^127(?:\.\d{1,3}){3}$/.test(hostname);

/** One identity provider the console signs people in through (INTERFACE.md "Sign-in with the district's or agency's accounts"). */
export interface OidcProviderConfig {
  /** The path segment of /login/oidc/:id. */
  id: string;
  /** What its button says, e.g. "Microsoft" ("Sign in with Microsoft"). */
  label: string;
  /** The issuer URL (discovery at issuer/.well-known/openid-configuration); https, or http on loopback. */
  issuer: string;
  clientId: string;
  /** A secret: never log it. */
  clientSecret: string;
  /** Entra ID: the `tid` claims accepted; null: any. */
  allowedTenants: readonly string[] | null;
  /** Google Workspace: the `hd` claims accepted (lower-cased); null: any. */
  hostedDomains: readonly string[] | null;
}

/**
 * Microsoft's multi-tenant issuers: any Entra ID tenant signs in through them, so the tenants
 * accepted must be named (allowedTenants).
 */
const MULTI_TENANT_ISSUER = /^https:\/\/login\.microsoftonline\.com\/(?:common|organizations|consumers)(?:\/|$)/i;

const nonEmptyText = (max: number) =>
  z.string().trim().min(1, 'must not be empty').max(max, `at most ${max} characters`);

const oidcProvider = z.strictObject({
  id: z.string().regex(/^[a-z0-9][a-z0-9-]{0,39}$/, 'must be 1-40 lower-case letters, digits and -, such as microsoft'),
  label: nonEmptyText(60),
  issuer: z.string().superRefine((v, ctx) => {
    let u: URL;
    try {
      u = new URL(v);
    } catch {
      ctx.addIssue({ code: 'custom', message: 'must be a URL' });
      return;
    }
    if (u.protocol !== 'https:' && !(u.protocol === 'http:' && isLoopbackHost(u.hostname)))
      ctx.addIssue({ code: 'custom', message: 'must start with https:// (http:// only on 127.0.0.1 or localhost)' });
    else if (u.search || u.hash || u.username || u.password)
      ctx.addIssue({ code: 'custom', message: 'must not carry a query, a fragment or credentials' });
  }),
  clientId: nonEmptyText(500),
  // Never echoed: a problem names the field only.
  clientSecret: z.string().min(1, 'must not be empty').max(2000, 'too long'),
  allowedTenants: z.array(nonEmptyText(100)).min(1, 'must list at least one tenant, or be left out').optional(),
  hostedDomains: z
    .array(
      nonEmptyText(253)
        .toLowerCase()
        .regex(/^[a-z0-9.-]+\.[a-z]{2,}$/, 'must be a domain such as district.example'),
    )
    .min(1, 'must list at least one domain, or be left out')
    .optional(),
});

/** OIDC_PROVIDERS: a JSON array of providers; each problem one line naming the provider and its field. */
export const oidcProviders = z.string().transform((v, ctx) => {
  if (v.trim() === '') return [];
  let json: unknown;
  try {
    json = JSON.parse(v);
  } catch {
    // The value is not echoed: it holds client secrets.
    ctx.addIssue({ code: 'custom', message: 'must be a JSON array of providers (the text is not JSON)' });
    return z.NEVER;
  }
  if (!Array.isArray(json)) {
    ctx.addIssue({ code: 'custom', message: 'must be a JSON array of providers' });
    return z.NEVER;
  }
  const providers: OidcProviderConfig[] = [];
  const seen = new Set<string>();
  json.forEach((item: unknown, i) => {
    const rawId = (item as { id?: unknown } | null)?.id;
    const name = `provider ${i + 1}${typeof rawId === 'string' && rawId.length <= 40 ? ` (${JSON.stringify(rawId)})` : ''}`;
    const parsed = oidcProvider.safeParse(item);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        const field = issue.path.length ? issue.path.join('.') : '';
        // Unknown keys are named, never their values.
        const message = issue.code === 'unrecognized_keys' ? `unknown field ${issue.keys.join(', ')}` : issue.message;
        ctx.addIssue({ code: 'custom', message: `${name}: ${field ? `${field} ` : ''}${message}` });
      }
      return;
    }
    const p = parsed.data;
    if (seen.has(p.id)) ctx.addIssue({ code: 'custom', message: `${name}: id is used by an earlier provider` });
    seen.add(p.id);
    if (MULTI_TENANT_ISSUER.test(p.issuer) && !p.allowedTenants)
      ctx.addIssue({
        code: 'custom',
        message: `${name}: allowedTenants is required with a multi-tenant Microsoft issuer (list the tenant IDs accepted)`,
      });
    providers.push({
      id: p.id,
      label: p.label,
      issuer: p.issuer,
      clientId: p.clientId,
      clientSecret: p.clientSecret,
      allowedTenants: p.allowedTenants ?? null,
      hostedDomains: p.hostedDomains ? [...new Set(p.hostedDomains)] : null,
    });
  });
  return providers;
});
