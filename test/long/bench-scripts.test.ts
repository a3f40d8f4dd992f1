// The benchmark scripts (bench/) run end to end at N = 1,000 so they cannot rot: the
// generator loads the proportions it promises, reproducibly; the scan and send benchmarks
// produce figures that add up (every officer read, every e-mail delivered, the floor beside
// them). No timing is asserted here: speed is measured by `npm run bench`, not by tests.
import { createHash } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { generateRoster } from '../../bench/generate-roster.ts';
import { benchImport, formatImportFigures } from '../../bench/import.ts';
import { benchScan, formatScanFigures } from '../../bench/scan.ts';
import { benchSend, formatSendFigures } from '../../bench/send.ts';
import { benchConsole, formatConsoleFigures } from '../../bench/console.ts';
import { benchReportPdf, formatReportFigures } from '../../bench/report-pdf.ts';
import { type TestDatabase, createTestDatabase } from '../helpers/db.ts';

const quiet = () => {};

beforeAll(() => {
  // Bench databases are cloned from the suite's migrated template (no migrate run here).
  process.env.BENCH_TEMPLATE_DATABASE = inject('templateDatabase' as never) as string;
});

async function rosterDigest(
  url: string,
): Promise<{ counts: Record<string, number>; digest: string; substitutes: number; legacy: number; grace: number }> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    const counts: Record<string, number> = {};
    const hash = createHash('sha256');
    for (const t of ['agency', 'district', 'officer', 'assignment', 'training', 'policy_review', 'contact_day']) {
      counts[t] = Number((await c.query(`SELECT count(*) AS n FROM ${t}`)).rows[0].n);
      // Ids are generated; compare the content of the tables in a stable order.
      hash.update(
        (await c.query(`SELECT md5(string_agg(t::text, '|' ORDER BY t::text)) AS h FROM ${t} t`)).rows[0].h ?? '',
      );
    }
    const one = async (sql: string) => Number((await c.query(sql)).rows[0].n);
    return {
      counts,
      digest: hash.digest('hex'),
      substitutes: await one(`SELECT count(DISTINCT license) AS n FROM assignment WHERE role = 'SUBSTITUTE'`),
      legacy: await one(
        `SELECT count(DISTINCT license) AS n FROM training WHERE kind IN ('LEGACY_BASIC_SSC', 'LEGACY_BASIC_NASRO')`,
      ),
      grace: await one(`SELECT count(DISTINCT license) AS n FROM assignment WHERE training_unavailable`),
    };
  } finally {
    await c.end();
  }
}

describe('bench/generate-roster', () => {
  const dbs: TestDatabase[] = [];
  afterAll(async () => {
    for (const t of dbs) await t.drop();
  });

  it('given seed 7 twice, loads the same 1,000-officer roster with the promised proportions', async () => {
    const loaded = [];
    for (const label of ['gen_a', 'gen_b']) {
      const t = await createTestDatabase(label);
      dbs.push(t);
      const r = await generateRoster({ officers: 1000, databaseUrl: t.url, seed: 7, log: quiet });
      expect(r.officers).toBe(1000);
      expect(r.totalRows).toBe(Object.values(r.rows).reduce((a, b) => a + b, 0));
      loaded.push(await rosterDigest(t.url));
    }
    const [a, b] = loaded;
    expect(a!.digest).toBe(b!.digest);
    expect(a!.counts.officer).toBe(1000);
    // About 10 % substitutes, 30 % legacy-trained, 10 % in grace (the generator's header).
    expect(a!.substitutes).toBeGreaterThan(60);
    expect(a!.substitutes).toBeLessThan(140);
    expect(a!.legacy).toBeGreaterThan(240);
    expect(a!.legacy).toBeLessThan(360);
    expect(a!.grace).toBeGreaterThan(60);
    expect(a!.grace).toBeLessThan(160);
    // Officers serve 1–3 districts.
    expect(a!.counts.assignment).toBeGreaterThanOrEqual(1000);
    expect(a!.counts.assignment).toBeLessThanOrEqual(3000);
  });
});

describe('bench/scan at N = 1,000', () => {
  it('reads every officer in the floor, the dry run and the full scan, and enqueues one job per PENDING row', async () => {
    const [f] = await benchScan({ sizes: [1000], seed: 3, log: quiet });
    expect(f!.officers).toBe(1000);
    expect(f!.alerts).toBeGreaterThan(0);
    // Every ledger row the full scan wrote that is owed went to the queue; superseded and
    // no-contact rows are in the ledger but not enqueued.
    expect(f!.enqueued).toBeGreaterThan(0);
    expect(f!.ledgerRows).toBeGreaterThanOrEqual(f!.enqueued);
    expect(f!.factRows).toBeGreaterThan(1000);
    for (const ms of [f!.readFloorMs, f!.dryRunMs, f!.fullMs, f!.addBulkFloorMs]) expect(ms).toBeGreaterThan(0);
    const table = formatScanFigures([f!]);
    expect(table).toContain('| 1,000 ');
    expect(table).toContain('dry ÷ read floor');
  });
});

describe('bench/send at N = 1,000', () => {
  it('delivers every PENDING row through one worker process, and the floor sends as many', async () => {
    const figures = await benchSend({ officers: 1000, workers: [1], log: quiet });
    const floor = figures.find((f) => f.workers === null)!;
    const path = figures.find((f) => f.workers === 1)!;
    expect(path.emails).toBeGreaterThan(0);
    expect(path.sent).toBe(path.emails);
    expect(path.otherOutcomes).toBe(0);
    expect(floor.emails).toBe(path.emails);
    expect(formatSendFigures(figures)).toContain('raw pooled nodemailer');
  });
});

describe('bench/import at N = 1,000', () => {
  it('writes the roster as a CSV folder and a JSON file, imports both, again unchanged and with --replace (its dry run first), beside the floor', async () => {
    const [f] = await benchImport({ sizes: [1000], seed: 3, log: quiet, runs: ['csv', 'json', 'dry'] });
    expect(f!.officers).toBe(1000);
    expect(f!.rows).toBeGreaterThan(1000);
    // 10 % of the officers, and their facts, left out of the --replace folder.
    expect(f!.replaceRows).toBeLessThan(f!.rows);
    expect(f!.replaceRows).toBeGreaterThan(f!.rows * 0.8);
    expect(f!.csvBytes).toBeGreaterThan(0);
    expect(f!.jsonBytes).toBeGreaterThan(f!.csvBytes);
    for (const r of [f!.csv, f!.again, f!.dry, f!.replace, f!.json]) {
      expect(r!.ms).toBeGreaterThan(0);
      expect(r!.peakRssMb).toBeGreaterThan(0);
    }
    expect(f!.floorMs).toBeGreaterThan(0);
    const table = formatImportFigures([f!]);
    expect(table).toContain('floor (COPY + unique indexes)');
    expect(table).toContain('csv --replace --dry-run --json, changes listed');
    expect(table).toContain('| 1,000 ');
  }, 240_000);
});

describe('bench/console at N = 1,000', () => {
  it('signs a chief and an admin in, measures their pages and the API beside the bare-Fastify floor', async () => {
    const f = await benchConsole({ officers: 1000, seconds: 1, connections: 2, log: quiet });
    expect(f.officers).toBe(1000);
    expect(f.chiefOfficers).toBeGreaterThan(0);
    expect(f.rows.map((r) => r.name)).toEqual([
      'chief GET /api/officers',
      'chief GET /',
      'admin GET / (first page, counts)',
    ]);
    for (const r of f.rows) expect(r.rps).toBeGreaterThan(0);
    expect(f.floorRps).toBeGreaterThan(0);
    expect(formatConsoleFigures(f)).toContain('floor: bare Fastify');
  }, 120_000);
});

describe('bench/report-pdf at N = 1,000', () => {
  it(
    'times the PDF and the packet of the largest agency beside the floor, each writing a file',
    { timeout: 180_000 },
    async () => {
      const t = await createTestDatabase('bench_report_pdf');
      try {
        await generateRoster({ officers: 1000, databaseUrl: t.url, seed: 5, log: quiet });
        const c = new pg.Client({ connectionString: t.url });
        await c.connect();
        const agency = (
          await c.query(`SELECT agency_id FROM officer GROUP BY agency_id ORDER BY count(*) DESC, agency_id LIMIT 1`)
        ).rows[0].agency_id as string;
        await c.end();
        const f = await benchReportPdf({ databaseUrl: t.url, scope: ['--agency', agency], asOf: '2026-02-02' });
        expect(f.runs.map((r) => r.name)).toEqual([
          'floor: sro report --json',
          'sro report --format pdf',
          'sro evidence',
        ]);
        for (const r of f.runs) {
          expect(r.bytes, r.name).toBeGreaterThan(1000);
          expect(r.peakRssMb, r.name).toBeGreaterThan(10);
        }
        expect(f.officers).toBeGreaterThan(0);
        expect(formatReportFigures(f)).toContain('sro evidence');
      } finally {
        await t.drop();
      }
    },
  );
});
