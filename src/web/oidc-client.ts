// The identity providers of OIDC_PROVIDERS as the sign-in use case sees them (the OidcProvider
// port of src/app/oidc-sign-in.ts), over openid-client: discovery, the authorization URL, the
// code exchange and the ID token's validation are all its. Built by the composition root
// (start.ts). Discovery happens at a provider's first use, not at start, so a provider that is
// down does not stop the console; a failed discovery is tried again on the next sign-in.
//
// Microsoft's multi-tenant issuers (`https://login.microsoftonline.com/common/v2.0`, whose
// metadata names the issuer `…/{tenantid}/v2.0`) are passed as they are: openid-client then
// expects each ID token's `iss` to be that template with the token's own `tid`, and the use
// case accepts only the tenants `allowedTenants` names.
import * as client from 'openid-client';
import { type AuthorizationRequest, type OidcProvider, ProviderRefusal } from '../app/oidc-sign-in.ts';
import type { OidcProviderConfig } from '../config-oidc.ts';

/** Seconds any request to a provider (discovery, keys, token) may take. */
const PROVIDER_TIMEOUT_SECONDS = 10;

/** Loopback http issuers (tests, a provider on this machine) only: config.ts refuses http elsewhere. */
const isLoopbackHttp = (issuer: URL) => issuer.protocol === 'http:';

function openIdProvider(p: OidcProviderConfig): OidcProvider {
  const issuer = new URL(p.issuer);
  let discovered: Promise<client.Configuration> | null = null;
  const configuration = (): Promise<client.Configuration> => {
    discovered ??= client
      .discovery(issuer, p.clientId, p.clientSecret, undefined, {
        timeout: PROVIDER_TIMEOUT_SECONDS,
        ...(isLoopbackHttp(issuer) ? { execute: [client.allowInsecureRequests] } : {}),
      })
      .catch((e: unknown) => {
        discovered = null;
        throw e;
      });
    return discovered;
  };
  return {
    id: p.id,
    label: p.label,
    issuer: p.issuer,
    allowedTenants: p.allowedTenants,
    hostedDomains: p.hostedDomains,
    async authorizationUrl(r: AuthorizationRequest): Promise<URL> {
      return client.buildAuthorizationUrl(await configuration(), {
        redirect_uri: r.redirectUri,
        response_type: 'code',
        scope: 'openid email profile',
        state: r.state,
        nonce: r.nonce,
        code_challenge: await client.calculatePKCECodeChallenge(r.codeVerifier),
        code_challenge_method: 'S256',
      });
    },
    async redeem(callbackUrl: URL, expected: AuthorizationRequest): Promise<Record<string, unknown>> {
      const config = await configuration();
      try {
        const tokens = await client.authorizationCodeGrant(config, callbackUrl, {
          expectedState: expected.state,
          expectedNonce: expected.nonce,
          pkceCodeVerifier: expected.codeVerifier,
          idTokenExpected: true,
        });
        const claims = tokens.claims();
        if (!claims) throw new Error('the token response holds no ID token');
        return { ...claims };
      } catch (e) {
        if (e instanceof client.AuthorizationResponseError)
          throw new ProviderRefusal(/^[a-z_]{1,64}$/.test(e.error) ? e.error : 'unrecognized error', { cause: e });
        throw e;
      }
    },
  };
}

/** The providers of OIDC_PROVIDERS, in its order (the sign-in page's buttons). */
export function openIdProviders(configs: readonly OidcProviderConfig[]): OidcProvider[] {
  return configs.map(openIdProvider);
}
