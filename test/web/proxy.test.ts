// TRUST_PROXY (INTERFACE.md, the console's configuration): behind the reverse proxy README
// prescribes, every request comes from the proxy's address. With the proxy trusted, its
// X-Forwarded-For is the client, so LOGIN_LIMIT_PER_CLIENT counts each person: one client
// past the limit does not lock everyone else out of signing in. Unset, no proxy is trusted
// and X-Forwarded-For is ignored, so a client cannot dodge the limit by making one up.
// (Issue 19, security 5.)
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ConsoleRig, type WebClient, startConsoleRig } from '../helpers/console.ts';
import { ALBERT_LEA, ISD241 } from '../helpers/console-fixtures.ts';

const LIMIT = 30;
const ROSTER = { agencies: [ALBERT_LEA], districts: [ISD241] };

/** POST /login as a browser behind the proxy at 127.0.0.1 sends it, for the client `forwardedFor`. */
async function login(client: WebClient, forwardedFor: string, token: string): Promise<number> {
  const r = await client.post('/login', {
    form: { email: 'nobody@nowhere.example' },
    csrf: token,
    headers: { 'x-forwarded-for': forwardedFor },
  });
  return r.status;
}

describe('TRUST_PROXY=127.0.0.1: the per-client sign-in limit counts each person behind the proxy', () => {
  let rig: ConsoleRig;
  beforeAll(async () => {
    rig = await startConsoleRig('proxy-trusted', { TRUST_PROXY: '127.0.0.1', LOGIN_LIMIT_PER_CLIENT: String(LIMIT) });
    await rig.load(ROSTER);
  });
  afterAll(() => rig?.close());

  it(`${LIMIT} requests from one client do not lock out another; the one client is refused past its limit`, async () => {
    const client = rig.client();
    const token = await client.csrfToken();
    for (let i = 0; i < LIMIT; i++) expect(await login(client, '203.0.113.7', token)).toBe(200);
    expect(await login(client, '203.0.113.7', token)).toBe(429);
    expect(await login(client, '198.51.100.9', token)).toBe(200);
    // The proxy's own address in the chain is not the client: the address before it is.
    expect(await login(client, '198.51.100.10, 127.0.0.1', token)).toBe(200);
  });
});

describe('TRUST_PROXY unset: X-Forwarded-For is not believed', () => {
  let rig: ConsoleRig;
  beforeAll(async () => {
    rig = await startConsoleRig('proxy-none', { LOGIN_LIMIT_PER_CLIENT: String(LIMIT) });
    await rig.load(ROSTER);
  });
  afterAll(() => rig?.close());

  it('a client making up a new address for each request is still one client', async () => {
    const client = rig.client();
    const token = await client.csrfToken();
    for (let i = 0; i < LIMIT; i++) expect(await login(client, `203.0.113.${i + 1}`, token)).toBe(200);
    expect(await login(client, '198.51.100.9', token)).toBe(429);
  });
});
