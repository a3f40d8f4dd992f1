// `sro evidence` (INTERFACE.md "Reports for the board and the auditor"), run as people run it
// on the demo roster: the ZIP holds the compliance report, officers.csv (the rows of `sro
// report --format csv` in the same order, formula cells defused, with the evidence beside
// them), every certificate file held for the officers in scope named
// LICENSE-LASTNAME-KIND-DATE.ext with its bytes as stored, and manifest.json, whose every
// entry's SHA-256 and size match the file in the ZIP.
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withClient } from '../../support/postgres.ts';
import type { TestDatabase } from '../helpers/db.ts';
import { readPdf } from '../helpers/pdf.ts';
import { deletePrefix, uniquePrefix } from '../helpers/redis.ts';
import { createRosterDatabase } from '../helpers/roster-database.ts';
import { type SroRun, runSro } from '../helpers/sro-cli.ts';
import { readZip } from '../helpers/zip.ts';

const prefix = uniquePrefix('rptzip');
const AS_OF = '2026-03-02';
const AGENCY = 'MN0240100';
let t: TestDatabase;
let dir = '';

const sro = (args: string[]): Promise<SroRun> =>
  runSro(args, {}, { base: { DATABASE_URL: t.url, QUEUE_PREFIX: prefix, TZ: 'America/Chicago' } });
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

/** A certificate of 24101's and one of 24102's roster trainings (as the console stores an upload). */
const PDF_FILE = Buffer.concat([Buffer.from('%PDF-1.4\n'), randomBytes(300_000), Buffer.from('\n%%EOF\n')]);
const PNG_FILE = Buffer.concat([Buffer.from('89504e470d0a1a0a', 'hex'), randomBytes(5_000)]);

interface Manifest {
  scope: unknown;
  asOf: string;
  generatedAt: string;
  files: { name: string; sha256: string; bytes: number }[];
}

let entries: Map<string, Buffer>;
let manifest: Manifest;

beforeAll(async () => {
  t = await createRosterDatabase('rptzip');
  dir = await mkdtemp(join(tmpdir(), 'sro-rptzip-'));
  await withClient(t.url, async (c) => {
    for (const [license, file, type] of [
      ['24101', PDF_FILE, 'application/pdf'],
      ['24102', PNG_FILE, 'image/png'],
    ] as const) {
      await c.query(`INSERT INTO certificate (sha256, content_type, size, bytes) VALUES ($1, $2, $3, $4)`, [
        createHash('sha256').update(file).digest(),
        type,
        file.length,
        file,
      ]);
      await c.query(`UPDATE training SET certificate_sha256 = $2 WHERE license = $1 AND kind = 'SRO_MANDATED'`, [
        license,
        createHash('sha256').update(file).digest(),
      ]);
    }
    // A last name a spreadsheet would run as a formula, and one with diacritics.
    await c.query(`UPDATE officer SET first_name = '=HYPERLINK("http://x.example")' WHERE license = '24103'`);
    await c.query(`UPDATE officer SET first_name = 'Renée', last_name = 'Ødegård' WHERE license = '24101'`);
  });
  const out = join(dir, 'packet.zip');
  const r = await sro(['evidence', '--agency', AGENCY, '--as-of', AS_OF, '--output', out]);
  expect(r.code, r.stderr).toBe(0);
  entries = await readZip(out);
  manifest = JSON.parse(entries.get('manifest.json')!.toString('utf8')) as Manifest;
}, 90_000);
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
  await t?.drop();
  await deletePrefix(prefix);
});

describe('INTERFACE.md "Reports for the board and the auditor": sro evidence', () => {
  it("has every file the manifest lists, each entry's SHA-256 and size matching, and nothing else", () => {
    expect(manifest.asOf).toBe(AS_OF);
    expect(manifest.scope).toMatchObject({ kind: 'agency', id: AGENCY });
    expect(new Date(manifest.generatedAt).toISOString()).toBe(manifest.generatedAt);
    expect(new Set([...entries.keys()])).toEqual(new Set([...manifest.files.map((f) => f.name), 'manifest.json']));
    for (const f of manifest.files) {
      const bytes = entries.get(f.name)!;
      expect(sha(bytes), f.name).toBe(f.sha256);
      expect(bytes.length, f.name).toBe(f.bytes);
    }
  });

  it('holds each certificate file as stored, named LICENSE-LASTNAME-KIND-DATE.ext', () => {
    expect(entries.get('24101-Odegard-SRO_MANDATED-2025-08-15.pdf')?.equals(PDF_FILE)).toBe(true);
    expect(entries.get('24102-Sandoval-SRO_MANDATED-2025-10-10.png')?.equals(PNG_FILE)).toBe(true);
    expect(
      [...entries.keys()].filter((n) => !['compliance-report.pdf', 'officers.csv', 'manifest.json'].includes(n)),
    ).toHaveLength(2);
  });

  it('officers.csv has the rows of sro report --format csv, in its order, formula cells defused, and the evidence', async () => {
    const report = await sro(['report', '--as-of', AS_OF, '--agency', AGENCY, '--format', 'csv']);
    expect(report.code, report.stderr).toBe(0);
    const ours = parse(entries.get('officers.csv')!, { columns: true, record_delimiter: '\r\n' }) as Record<
      string,
      string
    >[];
    const theirs = parse(report.stdout, { columns: true, record_delimiter: '\r\n' }) as Record<string, string>[];
    expect(ours.map((r) => r.license)).toEqual(theirs.map((r) => r.license));
    ours.forEach((r, i) => expect(r, r.license).toMatchObject(theirs[i]!));
    expect(ours.find((r) => r.license === '24103')?.name).toBe(`'=HYPERLINK("http://x.example") Nygaard`);
    const johnson = ours.find((r) => r.license === '24101')!;
    expect(johnson).toMatchObject({
      training_kind: 'SRO_MANDATED',
      training_completed_on: '2025-08-15',
      course_number: 'POST-SRO-2025-014',
      certificate_on_file: 'true',
    });
  });

  it('holds the compliance report of the same scope and date', async () => {
    const pdf = await readPdf(entries.get('compliance-report.pdf')!);
    expect(pdf.info.Title).toBe('SRO training compliance report');
    expect(pdf.text).toContain('Scope: Albert Lea Police Department (agency MN0240100)');
    expect(pdf.text).toContain('Renée Ødegård 24101');
  });

  it('is recorded in the audit log with the scope, the date and the certificates', async () => {
    const r = await withClient(t.url, (c) =>
      c.query<{ after: unknown }>(`SELECT after FROM audit_event WHERE action = 'report.evidence'`),
    );
    expect(r.rows).toEqual([{ after: { scope: { agency: AGENCY }, asOf: AS_OF, officers: 9, certificates: 2 } }]);
  });
});
