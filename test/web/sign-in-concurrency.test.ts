// The per-address sign-in limit holds under concurrency (issue 19, security 1): a burst of
// POST /login for one address, all at once, still sends at most LOGIN_LIMIT_PER_ADDRESS
// e-mails and leaves at most that many live codes, because the count and the issue are one
// step in the database. Five wrong guesses per live code is the budget that keeps a 6-digit
// code safe; twenty-five live codes would multiply it by five.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ConsoleRig, startConsoleRig } from '../helpers/console.ts';
import { queryRows } from '../helpers/db.ts';

const CHIEF = 'chief@agency-a.example';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const withoutCsrf = (html: string) => html.replace(/name="_csrf" value="[^"]*"/g, 'name="_csrf" value=""');

let rig: ConsoleRig;

beforeAll(async () => {
  // The default per-address limit (5); the per-client limit out of the way (one test client).
  rig = await startConsoleRig('signin-burst', { LOGIN_LIMIT_PER_CLIENT: '1000' });
  await rig.load({
    agencies: [{ id: 'AGA', name: 'Agency A Police', chief: { name: 'Chief A', email: CHIEF } }],
    officers: [{ license: 'A1', firstName: 'Ann', lastName: 'One', email: 'ann@agency-a.example', agencyId: 'AGA' }],
  });
});
afterAll(async () => {
  await rig?.close();
});

describe('LOGIN_LIMIT_PER_ADDRESS (5) under a burst of 25 concurrent sign-in requests', () => {
  it('sends at most 5 e-mails, leaves at most 5 live codes, and answers every request with the same page', async () => {
    const clients = Array.from({ length: 25 }, () => rig.client());
    // Each browser holds its own CSRF pair, fetched before the burst so the POSTs land together.
    const tokens = await Promise.all(clients.map((c) => c.csrfToken()));
    const answers = await Promise.all(
      clients.map((c, i) => c.post('/login', { form: { email: CHIEF }, csrf: tokens[i] })),
    );

    expect(answers.map((a) => a.status)).toEqual(Array(25).fill(200));
    expect(new Set(answers.map((a) => withoutCsrf(a.text))).size).toBe(1);

    // The e-mails go out after the answers: wait until none has arrived for a second.
    let seen = -1;
    for (const deadline = Date.now() + 15_000; Date.now() < deadline;) {
      const n = rig.smtp.received.filter((m) => m.to === CHIEF).length;
      if (n === seen) break;
      seen = n;
      await sleep(1000);
    }
    expect(rig.smtp.received.filter((m) => m.to === CHIEF).length).toBeLessThanOrEqual(5);
    const [live] = await queryRows<{ n: number }>(
      rig.database.url,
      `SELECT count(*)::int AS n FROM login_token WHERE email = $1 AND used_at IS NULL AND expires_at > now()`,
      [CHIEF],
    );
    expect(live!.n).toBeLessThanOrEqual(5);
    expect(live!.n).toBe(rig.smtp.received.filter((m) => m.to === CHIEF).length);
  });
});
