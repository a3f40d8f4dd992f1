// INTERFACE.md "Sign-in with the district's or agency's accounts (OIDC)": which address a
// validated ID token proves. The provider only proves the address; the roster decides the rest
// (test/web/oidc-sign-in.test.ts runs the whole flow against a real provider).
import { describe, expect, it } from 'vitest';
import { provenAddress } from '../../src/app/oidc-sign-in.ts';

const anyone = { allowedTenants: null, hostedDomains: null };
const entra = { allowedTenants: ['2F9C0C3E-1111-4222-8333-444455556666'], hostedDomains: null };
const google = { allowedTenants: null, hostedDomains: ['isd241.example'] };
const CHIEF = 'chief@isd241.example';

describe('the address an ID token proves', () => {
  it('email_verified: true proves the address, lower-cased; Entra ID’s xms_edov: true too', () => {
    expect(provenAddress(anyone, { email: 'Chief@ISD241.example', email_verified: true })).toEqual({ email: CHIEF });
    expect(provenAddress(anyone, { email: CHIEF, xms_edov: true })).toEqual({ email: CHIEF });
  });

  it('only the literal true: false, "true", 1 or no claim at all prove nothing', () => {
    for (const verified of [{ email_verified: false }, { email_verified: 'true' }, { xms_edov: 1 }, {}])
      expect(provenAddress(anyone, { email: CHIEF, ...verified }), JSON.stringify(verified)).toEqual({
        refused: 'email-unverified',
      });
  });

  it('no address, or something that is not one, proves nothing', () => {
    for (const email of [undefined, '', 'chief', 42, 'a b@c.example'])
      expect(provenAddress(anyone, { email, email_verified: true })).toEqual({ refused: 'email-missing' });
  });

  it('allowedTenants: the tid claim must be one of them (tenant IDs compared without case); no tid is refused', () => {
    const tid = '2f9c0c3e-1111-4222-8333-444455556666';
    expect(provenAddress(entra, { email: CHIEF, xms_edov: true, tid })).toEqual({ email: CHIEF });
    expect(provenAddress(entra, { email: CHIEF, xms_edov: true, tid: 'another-tenant' })).toEqual({
      refused: 'tenant-not-allowed',
    });
    expect(provenAddress(entra, { email: CHIEF, xms_edov: true })).toEqual({ refused: 'tenant-not-allowed' });
  });

  it('hostedDomains: the hd claim must be one of them; a personal account (no hd) is refused', () => {
    expect(provenAddress(google, { email: CHIEF, email_verified: true, hd: 'ISD241.example' })).toEqual({
      email: CHIEF,
    });
    expect(provenAddress(google, { email: CHIEF, email_verified: true, hd: 'gmail.com' })).toEqual({
      refused: 'domain-not-allowed',
    });
    expect(provenAddress(google, { email: 'chief@gmail.com', email_verified: true })).toEqual({
      refused: 'domain-not-allowed',
    });
  });
});
