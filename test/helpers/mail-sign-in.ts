// Signing in to a running console through the sign-in e-mail the test's SMTP peer received, and
// waiting for something the worker does at once (the integration tests that run a console
// beside a pipeline: officer submissions, RESOLVED at once, corrected obligations, the directory).
import { expect } from 'vitest';
import { WebClient, signInMailParts } from './console.ts';
import type { ReceivedMail } from './smtp.ts';

/** Asks for a sign-in link for `email` at the console `url`, then follows the e-mail's token. */
export async function signInByMail(url: string, received: readonly ReceivedMail[], email: string): Promise<WebClient> {
  const client = new WebClient(url);
  const before = received.length;
  expect((await client.post('/login', { form: { email } })).status).toBe(200);
  const deadline = Date.now() + 10_000;
  for (;;) {
    const mail = received.slice(before).find((m) => m.to === email && !m.kind);
    if (mail) {
      const r = await client.post('/login/verify', { form: { token: signInMailParts(mail).token } });
      expect(r.status).toBe(303);
      return client;
    }
    if (Date.now() > deadline) throw new Error(`no sign-in e-mail for ${email}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** `probe()`'s first truthy value within `ms`, polled every 100 ms; else an error naming `what`. */
export async function until<T>(what: string, ms: number, probe: () => T | null | false): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = probe();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`${what}: not within ${ms / 1000} s`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
