// Chromium for the browser tests (test/browser): where it is, a loud note when it is not, one
// way to launch it, axe-core at WCAG 2.1 AA, and a context signed in with a session the console rig's client holds.
import { existsSync } from 'node:fs';
import AxeBuilder from '@axe-core/playwright';
import { type Browser, type BrowserContext, type Page, chromium } from 'playwright-core';
import type { ConsoleRig, WebClient } from './console.ts';

const CHROMIUM = '/usr/bin/chromium';
export const HAS_CHROMIUM = existsSync(CHROMIUM);

/** Says loudly that `file`'s browser tests (`what`) did not run, when there is no Chromium. */
export function warnWithoutChromium(file: string, what: string): void {
  if (!HAS_CHROMIUM)
    console.warn(
      `\n!!! ${file} SKIPPED: no Chromium at ${CHROMIUM} (apt-get install chromium). ${what} did not run. !!!\n`,
    );
}

/** A headless Chromium without the sandbox, the GPU or background traffic. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
}

/** Gives a browser context the session `client` holds (signed in over HTTP by the rig). */
export async function addSession(context: BrowserContext, client: WebClient, rig: ConsoleRig): Promise<void> {
  await context.addCookies(
    [...client.cookies].map(([name, value]) => ({
      name,
      value,
      url: rig.url,
      httpOnly: true,
      sameSite: 'Lax' as const,
    })),
  );
}

const WCAG_21_AA = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

/** axe-core at WCAG 2.1 AA (but the `exclude` selectors): every violation as "rule (impact): target: summary". */
export async function axeViolations(page: Page, exclude: string[] = []): Promise<string[]> {
  let builder = new AxeBuilder({ page }).withTags(WCAG_21_AA);
  for (const selector of exclude) builder = builder.exclude(selector);
  const results = await builder.analyze();
  return results.violations.flatMap((v) =>
    v.nodes.map((n) => `${v.id} (${v.impact}): ${n.target.join(' ')}: ${n.failureSummary?.replace(/\s+/g, ' ')}`),
  );
}
