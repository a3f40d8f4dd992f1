// INTERFACE.md "Configuration": defaults, and one line per bad variable at start.
import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, redactUrl } from '../../src/config.ts';

describe('configuration from the environment', () => {
  it('given nothing, uses the documented defaults', () => {
    const c = loadConfig({});
    expect(c.databaseUrl).toBe('postgresql://postgres@127.0.0.1:5432/sro');
    expect(c.redisUrl).toBe('redis://127.0.0.1:6379');
    expect(c.smtpUrl).toBeNull();
    expect(c.mailFrom).toBe('SRO Compliance <no-reply@localhost>');
    expect(c.mailOutboxDir).toBe('./outbox');
    expect(c.timeZone).toBe('America/Chicago');
    expect(c.scanCron).toBe('0 6 * * *');
    expect(c.digestCron).toBe('0 7 * * 1');
    expect(c.reminderLeadDays).toEqual([1, 7, 14, 30, 60, 90]);
    expect(c.escalationDays).toEqual([0, 7, 30]);
    expect(c.substituteDayThresholds).toEqual([45, 50, 55]);
    expect(c.schoolYearStart).toEqual({ month: 7, day: 1 });
    expect(c.httpHost).toBe('127.0.0.1');
    expect(c.httpPort).toBe(9464);
  });

  it('given several bad values, lists every one, one line each, naming the variable', () => {
    let error: unknown;
    try {
      loadConfig({
        TZ: 'Mars/Olympus',
        REMINDER_LEAD_DAYS: '90,abc',
        SCHOOL_YEAR_START: '13-01',
        SCAN_CRON: '0 6 * *',
        HTTP_PORT: '70000',
        REDIS_URL: 'http://x',
      });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems;
    expect(problems.map((p) => p.split(':')[0]).sort()).toEqual([
      'HTTP_PORT',
      'REDIS_URL',
      'REMINDER_LEAD_DAYS',
      'SCAN_CRON',
      'SCHOOL_YEAR_START',
      'TZ',
    ]);
  });

  it('TRUST_PROXY: unset trusts no proxy; addresses and CIDR ranges are kept, anything else is one line naming it', () => {
    expect(loadConfig({}).trustProxy).toEqual([]);
    expect(loadConfig({ TRUST_PROXY: ' 10.0.0.5, 10.1.0.0/16 ,::1,fd00::/8' }).trustProxy).toEqual([
      '10.0.0.5',
      '10.1.0.0/16',
      '::1',
      'fd00::/8',
    ]);
    for (const bad of ['proxy.example', '10.0.0.0/33', '10.0.0.5/8/1', '300.1.1.1']) {
      let error: unknown;
      try {
        loadConfig({ TRUST_PROXY: `10.0.0.1,${bad}` });
      } catch (e) {
        error = e;
      }
      expect(error, bad).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).problems).toHaveLength(1);
      expect((error as ConfigError).problems[0]).toMatch(new RegExp(`^TRUST_PROXY: .*${bad.replace(/[./]/g, '\\$&')}`));
    }
  });

  it('REQUEST_BODY_TIMEOUT_SECONDS: 30 by default, a whole number of seconds from 1', () => {
    expect(loadConfig({}).requestBodyTimeoutSeconds).toBe(30);
    expect(loadConfig({ REQUEST_BODY_TIMEOUT_SECONDS: '2' }).requestBodyTimeoutSeconds).toBe(2);
    expect(() => loadConfig({ REQUEST_BODY_TIMEOUT_SECONDS: '0' })).toThrow(/REQUEST_BODY_TIMEOUT_SECONDS/);
    expect(() => loadConfig({ REQUEST_BODY_TIMEOUT_SECONDS: 'soon' })).toThrow(/REQUEST_BODY_TIMEOUT_SECONDS/);
  });

  it('never echoes a URL value, which may carry a password', () => {
    let error: unknown;
    try {
      loadConfig({ SMTP_URL: 'http://user:hunter2@mail.example' });
    } catch (e) {
      error = e;
    }
    expect(String((error as Error).message)).not.toContain('hunter2');
    expect(redactUrl('smtp://user:hunter2@mail.example:587')).toBe('smtp://user:***@mail.example:587');
  });
});

describe('OIDC_PROVIDERS (INTERFACE.md "Sign-in with the district\'s or agency\'s accounts")', () => {
  const SECRET = 'Sup3rSecretClientValue';
  const microsoft = {
    id: 'microsoft',
    label: 'Microsoft',
    issuer: 'https://login.microsoftonline.com/2f9c0c3e-1111-4222-8333-444455556666/v2.0',
    clientId: 'app-id',
    clientSecret: SECRET,
  };
  const problemsOf = (value: string): string[] => {
    try {
      loadConfig({ OIDC_PROVIDERS: value });
    } catch (e) {
      if (e instanceof ConfigError) return e.problems;
      throw e;
    }
    return [];
  };

  it('unset: no provider; a valid array is read, hosted domains lower-cased', () => {
    expect(loadConfig({}).oidcProviders).toEqual([]);
    const c = loadConfig({
      OIDC_PROVIDERS: JSON.stringify([
        { ...microsoft, allowedTenants: ['2f9c0c3e-1111-4222-8333-444455556666'] },
        {
          ...microsoft,
          id: 'google',
          label: 'Google',
          issuer: 'https://accounts.google.com',
          hostedDomains: ['ISD.Example'],
        },
        { ...microsoft, id: 'local', issuer: 'http://127.0.0.1:4000' },
      ]),
    });
    expect(c.oidcProviders.map((p) => p.id)).toEqual(['microsoft', 'google', 'local']);
    expect(c.oidcProviders[0]!.allowedTenants).toEqual(['2f9c0c3e-1111-4222-8333-444455556666']);
    expect(c.oidcProviders[1]!.hostedDomains).toEqual(['isd.example']);
    expect(c.oidcProviders[2]!.allowedTenants).toBeNull();
  });

  it('one line per problem, naming the provider and its field, never the secret', () => {
    const problems = problemsOf(
      JSON.stringify([
        { ...microsoft, issuer: 'http://login.example.com' },
        { ...microsoft, id: 'Bad Id', clientId: '' },
        { ...microsoft, issuer: 'https://login.microsoftonline.com/common/v2.0' },
        { ...microsoft, hostedDomains: [], extra: SECRET },
      ]),
    );
    expect(problems).toEqual([
      'OIDC_PROVIDERS: provider 1 ("microsoft"): issuer must start with https:// (http:// only on 127.0.0.1 or localhost)',
      'OIDC_PROVIDERS: provider 2 ("Bad Id"): id must be 1-40 lower-case letters, digits and -, such as microsoft',
      'OIDC_PROVIDERS: provider 2 ("Bad Id"): clientId must not be empty',
      'OIDC_PROVIDERS: provider 3 ("microsoft"): allowedTenants is required with a multi-tenant Microsoft issuer (list the tenant IDs accepted)',
      'OIDC_PROVIDERS: provider 4 ("microsoft"): hostedDomains must list at least one domain, or be left out',
      'OIDC_PROVIDERS: provider 4 ("microsoft"): unknown field extra',
    ]);
    expect(problems.join('\n')).not.toContain(SECRET);
  });

  it('text that is not JSON, or not an array, is one line without echoing it', () => {
    expect(problemsOf(`[{"clientSecret":"${SECRET}"`)).toEqual([
      'OIDC_PROVIDERS: must be a JSON array of providers (the text is not JSON)',
    ]);
    expect(problemsOf(JSON.stringify(microsoft))).toEqual(['OIDC_PROVIDERS: must be a JSON array of providers']);
    expect(problemsOf(JSON.stringify([microsoft, microsoft]))).toEqual([
      'OIDC_PROVIDERS: provider 2 ("microsoft"): id is used by an earlier provider',
    ]);
  });
});

describe('SENDGRID_WEBHOOK_PUBLIC_KEY (INTERFACE.md "Bounces")', () => {
  const ec = generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).publicKey;
  it("unset: null; SendGrid's base64 key or a PEM is kept as given", () => {
    expect(loadConfig({}).sendgridWebhookPublicKey).toBeNull();
    const base64 = ec.export({ type: 'spki', format: 'der' }).toString('base64');
    expect(loadConfig({ SENDGRID_WEBHOOK_PUBLIC_KEY: base64 }).sendgridWebhookPublicKey).toBe(base64);
    const pem = String(ec.export({ type: 'spki', format: 'pem' }));
    expect(loadConfig({ SENDGRID_WEBHOOK_PUBLIC_KEY: pem }).sendgridWebhookPublicKey).toBe(pem);
  });

  it('anything else (text, an RSA key) is one line naming the variable, without echoing the value', () => {
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 })
      .publicKey.export({ type: 'spki', format: 'der' })
      .toString('base64');
    for (const value of ['not-a-key-SECRETISH', rsa]) {
      let error: unknown;
      try {
        loadConfig({ SENDGRID_WEBHOOK_PUBLIC_KEY: value });
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(ConfigError);
      const problems = (error as ConfigError).problems;
      expect(problems).toHaveLength(1);
      expect(problems[0]).toMatch(/^SENDGRID_WEBHOOK_PUBLIC_KEY: must be the verification key SendGrid shows/);
      expect(problems[0]).not.toContain(value.slice(0, 12));
    }
  });
});
