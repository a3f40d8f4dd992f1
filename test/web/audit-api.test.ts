// `GET /api/audit` (INTERFACE.md "Console" API): every change made in the console and every
// import; a long answer is paged, `next` the cursor to pass back as `?cursor=`, so every event
// can be reached. Before, the oldest 10,000 events came back and the newest were dropped
// without a word. (Issue 19, security 8.)
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AUDIT_API_PAGE_SIZE } from '../../src/app/audit-log.ts';
import { type ConsoleRig, type WebClient, startConsoleRig } from '../helpers/console.ts';
import { ADMIN, albertLeaRoster } from '../helpers/console-fixtures.ts';
import { queryRows } from '../helpers/db.ts';

/** More than 10,000 (the old silent cap) and more than a page. */
const EVENTS = 10_500;

let rig: ConsoleRig;
let admin: WebClient;
beforeAll(async () => {
  rig = await startConsoleRig('audit-api', { ADMIN_EMAILS: ADMIN });
  await rig.load(albertLeaRoster('2025-08-20', ['T1']));
  // Events spread over a year, a second apart, the newest last; several share an instant.
  await queryRows(
    rig.database.url,
    `INSERT INTO audit_event (at, actor, action, license, before, after)
     SELECT timestamptz '2026-01-01 00:00:00Z' + (g / 3) * interval '1 second', 'fixture@console.example',
            'training.record', 'T1', NULL, jsonb_build_object('n', g)
     FROM generate_series(1, $1::int) g`,
    [EVENTS],
  );
  admin = await rig.signIn(ADMIN);
}, 60_000);
afterAll(() => rig?.close());

interface Page {
  events: { at: string; action: string; after: { n?: number } | null }[];
  next?: string;
}

async function everyPage(query: string): Promise<Page[]> {
  const pages: Page[] = [];
  let url = `/api/audit${query}`;
  for (;;) {
    const r = await admin.get(url);
    expect(r.status, r.text.slice(0, 200)).toBe(200);
    const page = r.json<Page>();
    pages.push(page);
    if (!page.next) return pages;
    url = `/api/audit?${new URLSearchParams({ ...Object.fromEntries(new URLSearchParams(query)), cursor: page.next })}`;
  }
}

describe('GET /api/audit pages with a cursor and reaches every event', () => {
  it(`${EVENTS} events: pages of ${AUDIT_API_PAGE_SIZE}, each event once, oldest first, the newest included`, async () => {
    const pages = await everyPage('');
    expect(pages.length).toBeGreaterThan(EVENTS / AUDIT_API_PAGE_SIZE);
    for (const p of pages.slice(0, -1)) expect(p.events).toHaveLength(AUDIT_API_PAGE_SIZE);
    expect(pages.at(-1)!.next).toBeUndefined();
    const numbers = pages.flatMap((p) => p.events).flatMap((e) => (e.after?.n === undefined ? [] : [e.after.n]));
    expect(numbers).toHaveLength(EVENTS);
    expect(new Set(numbers).size).toBe(EVENTS);
    expect(numbers.at(-1)).toBe(EVENTS);
    expect(numbers).toContain(1);
    const ats = pages.flatMap((p) => p.events).map((e) => Date.parse(e.at));
    expect(ats.every((at, i) => i === 0 || at >= ats[i - 1]!)).toBe(true);
  });

  it('with ?since: the events from that instant on, paged the same way', async () => {
    // Event n is at 2026-01-01T00:00:00Z + floor(n / 3) s: from +3000 s on, n ≥ 9000.
    const pages = await everyPage('?since=2026-01-01T00:50:00Z');
    const events = pages.flatMap((p) => p.events);
    expect(events.every((e) => Date.parse(e.at) >= Date.parse('2026-01-01T00:50:00Z'))).toBe(true);
    // (The roster's own import, if audited, is also there, without a number.)
    const numbers = events.flatMap((e) => (e.after?.n === undefined ? [] : [e.after.n]));
    expect(numbers[0]).toBe(9000);
    expect(numbers.at(-1)).toBe(EVENTS);
    expect(numbers).toHaveLength(EVENTS - 9000 + 1);
  });
});
