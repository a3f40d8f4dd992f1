// Signing in with the district's or agency's account in a real Chromium (INTERFACE.md
// "Sign-in with the district's or agency's accounts (OIDC)"; STYLE.md habit 12): the login
// page's provider buttons pass axe-core at WCAG 2.1 AA at 1280 and 390 px and are reached from
// the keyboard; a chief goes through a real OpenID provider's login page (oidc-provider on the
// loopback) and comes back signed in to their officers.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HAS_CHROMIUM, axeViolations, launchChromium, warnWithoutChromium } from '../helpers/browser.ts';
import { type ConsoleRig, startConsoleRig } from '../helpers/console.ts';
import { type IdentityProviderRig, consoleClient, startIdentityProvider } from '../helpers/identity-provider.ts';

warnWithoutChromium('test/browser/oidc-sign-in.test.ts', 'Signing in through a provider in Chromium');

const CHIEF = 'chief@agency-a.example';
const SECRET = 'browser-client-secret-0123456789';

describe.skipIf(!HAS_CHROMIUM)('signing in through a provider in Chromium', { timeout: 60_000 }, () => {
  let idp: IdentityProviderRig;
  let rig: ConsoleRig;
  let browser: Browser;

  beforeAll(async () => {
    idp = await startIdentityProvider();
    idp.accounts.set('chief-a', { email: CHIEF, email_verified: true, tid: 'tenant-a' });
    [rig, browser] = await Promise.all([
      startConsoleRig('oidc-browser', {
        LOGIN_LIMIT_PER_CLIENT: '1000',
        OIDC_PROVIDERS: JSON.stringify([
          {
            id: 'microsoft',
            label: 'Microsoft',
            issuer: idp.issuer,
            clientId: 'sro',
            clientSecret: SECRET,
            allowedTenants: ['tenant-a'],
          },
          { id: 'google', label: 'Google', issuer: idp.issuer, clientId: 'sro-google', clientSecret: SECRET },
        ]),
      }),
      launchChromium(),
    ]);
    idp.attach([
      consoleClient(rig.url, 'microsoft', 'sro', SECRET),
      consoleClient(rig.url, 'google', 'sro-google', SECRET),
    ]);
    await rig.load({
      agencies: [{ id: 'AGA', name: 'Agency A Police', chief: { name: 'Chief A', email: CHIEF } }],
      officers: [{ license: 'A1', firstName: 'Avery', lastName: 'Lindqvist', email: null, agencyId: 'AGA' }],
    });
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await rig?.close();
    await idp?.close();
  });

  it('the sign-in page with its provider buttons passes axe-core at 1280 and 390 px', async () => {
    for (const width of [1280, 390]) {
      const context = await browser.newContext({ viewport: { width, height: 900 } });
      try {
        const page = await context.newPage();
        await page.goto(`${rig.url}/login`);
        await expect(page.getByRole('link', { name: 'Sign in with Microsoft' }).isVisible()).resolves.toBe(true);
        await expect(page.getByRole('link', { name: 'Sign in with Google' }).isVisible()).resolves.toBe(true);
        expect(await axeViolations(page), `at ${width} px`).toEqual([]);
      } finally {
        await context.close();
      }
    }
  });

  it('a chief tabs to "Sign in with Microsoft", signs in on the provider’s page and sees their officers', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    try {
      const page = await context.newPage();
      await page.goto(`${rig.url}/login`);
      // From the top: the skip link, the header's link, then the first provider button.
      let reached = false;
      for (let i = 0; i < 5 && !reached; i++) {
        await page.keyboard.press('Tab');
        reached = await page.evaluate(`document.activeElement?.textContent?.trim() === 'Sign in with Microsoft'`);
      }
      expect(reached).toBe(true);
      await page.keyboard.press('Enter');
      await page.waitForURL((u) => u.origin === idp.issuer);
      await page.locator('input[name="login"]').fill('chief-a');
      await page.locator('input[name="password"]').fill('any password');
      await page.locator('button[type="submit"]').click();
      await page.waitForURL(`${rig.url}/`);
      await expect(page.getByText('Lindqvist').first().isVisible()).resolves.toBe(true);
      await expect(page.getByText(CHIEF).first().isVisible()).resolves.toBe(true);
      // The refusal page (an expired or replayed callback) is the login page, with the buttons.
      await page.goto(`${rig.url}/login/oidc/microsoft/callback?code=x&state=y`);
      await expect(page.getByRole('alert').textContent()).resolves.toContain('We could not sign you in');
      expect(await axeViolations(page)).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
