// The streamed report (src/app/report-writer.ts writeReport) prints exactly what the in-memory report
// prints: the table of formatReportTable and the bytes of JSON.stringify({ asOf, officers },
// null, 2), whether the rows stay in memory or go through spilled runs and several merge
// passes; and the spill files are gone afterwards, also when the reader stops early.
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPool } from '../../src/db/pool.ts';
import { civilDate } from '../../src/domain/civil-date.ts';
import { buildReport, buildReportLines, withLastAlerts } from '../../src/app/status-report.ts';
import { formatReportTable } from '../../src/app/report-table.ts';
import { type WriteReportOptions, writeReport } from '../../src/app/report-writer.ts';
import { ExternalSort } from '../../src/shell/external-sort.ts';
import { type TestDatabase, queryRows } from '../helpers/db.ts';
import { createRosterDatabase } from '../helpers/roster-database.ts';

const rules = { schoolYearStart: { month: 7, day: 1 } };
let t: TestDatabase;
let pool: ReturnType<typeof createPool>;
let spill: string;

beforeAll(async () => {
  t = await createRosterDatabase('rstream');
  // Two officers with e-mails already sent (LAST ALERT SENT, "lastAlert" through the spill files).
  const [a, b] = (
    await queryRows<{ license: string }>(t.url, 'SELECT license FROM officer ORDER BY license LIMIT 2')
  ).map((r) => r.license);
  await queryRows(
    t.url,
    `INSERT INTO alert_ledger (key, alert_key, kind, license, recipient, as_of, status, sent_at, created_at, updated_at) VALUES
       ('k1', 'a1', 'DEADLINE_REMINDER', $1, 'chief@agency.example', '2026-02-01', 'SENT', '2026-02-01T13:00:00.123Z', now(), now()),
       ('k2', 'a1', 'DEADLINE_REMINDER', $1, 'contact@district.example', '2026-02-01', 'SENT', '2026-02-01T13:00:05Z', now(), now()),
       ('k3', 'a2', 'DEADLINE_MISSED', $2, 'chief@agency.example', '2026-02-20', 'SENT', '2026-02-20T15:30:00Z', now(), now())`,
    [a, b],
  );
  pool = createPool(t.url);
  spill = await mkdtemp(join(tmpdir(), 'sro-report-stream-'));
});
afterAll(async () => {
  await pool?.end();
  await t?.drop();
  if (spill) await rm(spill, { recursive: true, force: true });
});

async function streamed(
  asOf: string,
  format: 'table' | 'json' | 'csv',
  options: WriteReportOptions,
): Promise<{ text: string; chunks: number; officers: number }> {
  let text = '';
  let chunks = 0;
  const { officers } = await writeReport(
    pool,
    civilDate(asOf),
    rules,
    format,
    async (c) => {
      text += c;
      chunks++;
      await new Promise((r) => setImmediate(r));
    },
    { tmpDir: spill, ...options },
  );
  return { text, chunks, officers };
}

describe('writeReport prints what the in-memory report prints', () => {
  for (const asOf of ['2026-03-02', '2026-11-23']) {
    for (const [label, options] of [
      ['in memory', {}],
      ['through spilled runs of 4, merged 64 at a time', { runSize: 4 }],
      ['through runs of 1 merged 2 at a time (several merge passes)', { runSize: 1, fanIn: 2 }],
    ] as [string, WriteReportOptions][]) {
      it(`as of ${asOf}, ${label}: the same table and the same JSON bytes; no spill file left`, async () => {
        const rows = await withLastAlerts(pool, await buildReport(pool, civilDate(asOf), rules));
        expect(rows.filter((r) => r.lastAlert !== null)).toHaveLength(2);
        const table = await streamed(asOf, 'table', options);
        const inMemory = await buildReportLines(pool, civilDate(asOf), rules);
        expect(table.text).toBe(formatReportTable(inMemory.lines, civilDate(asOf), inMemory));
        expect(table.officers).toBe(rows.length);
        const json = await streamed(asOf, 'json', options);
        expect(json.text).toBe(`${JSON.stringify({ asOf, officers: rows }, null, 2)}\n`);
        expect(await readdir(spill)).toEqual([]);
      });
    }
  }

  it('--format csv: the same records in memory, through spilled runs and through several merge passes; no spill file left', async () => {
    const inMemory = await streamed('2026-03-02', 'csv', {});
    expect(inMemory.text.split('\r\n')).toHaveLength(inMemory.officers + 2);
    for (const options of [{ runSize: 4 }, { runSize: 1, fanIn: 2 }])
      expect((await streamed('2026-03-02', 'csv', options)).text).toBe(inMemory.text);
    expect(await readdir(spill)).toEqual([]);
  });

  it('--officer: only those officers, and an empty selection prints the header and "officers": []', async () => {
    const one = await streamed('2026-03-02', 'json', { licenses: ['NO-SUCH-LICENSE'] });
    expect(one.text).toBe(`${JSON.stringify({ asOf: '2026-03-02', officers: [] }, null, 2)}\n`);
    const table = await streamed('2026-03-02', 'table', { licenses: ['NO-SUCH-LICENSE'] });
    expect(table.text).toBe(formatReportTable([], civilDate('2026-03-02')));
    expect(table.text).toMatch(/^Status as of 2026-03-02: 0 officers\n\nLICENSE +NAME/);
  });

  it('a reader that fails mid-way (stdout closed) stops the report and the spill files are removed', async () => {
    const failing = writeReport(
      pool,
      civilDate('2026-03-02'),
      rules,
      'json',
      () => {
        throw new Error('reader gone');
      },
      { tmpDir: spill, runSize: 2 },
    );
    await expect(failing).rejects.toThrow('reader gone');
    expect(await readdir(spill)).toEqual([]);
  });

  it('an abort (SIGINT) stops it too, spill files removed', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(
      writeReport(pool, civilDate('2026-03-02'), rules, 'table', () => {}, {
        tmpDir: spill,
        runSize: 2,
        signal: controller.signal,
      }),
    ).rejects.toThrow(/abort/i);
    expect(await readdir(spill)).toEqual([]);
  });
});

describe('ExternalSort', () => {
  it('given any numbers, run size and fan-in, yields them in order, spilling only when they do not fit one run', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.integer(), { maxLength: 60 }),
        fc.integer({ min: 1, max: 8 }),
        fc.integer({ min: 2, max: 4 }),
        async (items, runSize, fanIn) => {
          const sorter = new ExternalSort<number>((a, b) => a - b, runSize, fanIn, spill);
          try {
            for (const n of items) await sorter.add(n);
            const out: number[] = [];
            for await (const n of sorter.sorted()) out.push(n);
            expect(out).toEqual([...items].sort((a, b) => a - b));
            expect(sorter.filesWritten > 0).toBe(items.length >= runSize);
          } finally {
            await sorter.dispose();
          }
          expect(await readdir(spill)).toEqual([]);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('keeps lines longer than its 64 KiB read buffer and non-ASCII text whole', async () => {
    const items = ['é'.repeat(100_000), 'a', '💡'.repeat(40_000), 'z'.repeat(70_000)];
    const sorter = new ExternalSort<string>((a, b) => (a < b ? -1 : a > b ? 1 : 0), 1, 2, spill);
    try {
      for (const s of items) await sorter.add(s);
      const out: string[] = [];
      for await (const s of sorter.sorted()) out.push(s);
      expect(out).toEqual([...items].sort());
    } finally {
      await sorter.dispose();
    }
  });
});
