// `sro report --format pdf` (INTERFACE.md "Reports for the board and the auditor"), run as
// people run it, on the demo roster and real PostgreSQL: the PDF's text lists exactly the
// officers of the scope, in the order and with the statuses `sro report --json` gives, and
// its counts; a name with diacritics survives (DejaVu embedded); the file is a tagged PDF
// (structure tree with a Table of TR, TH and TD, /Lang, a title shown as the window title);
// every report made is an audit event; the options' errors name the option.
import { readFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withClient } from '../../support/postgres.ts';
import { STATUS_LABEL } from '../../src/mail/format.ts';
import { OFFICER_STATUSES } from '../../src/domain/report.ts';
import type { OfficerStatusCode } from '../../src/domain/types.ts';
import type { TestDatabase } from '../helpers/db.ts';
import { pdfObjects, readPdf } from '../helpers/pdf.ts';
import { deletePrefix, uniquePrefix } from '../helpers/redis.ts';
import { createRosterDatabase } from '../helpers/roster-database.ts';
import { type SroRun, runSro } from '../helpers/sro-cli.ts';

const prefix = uniquePrefix('rptpdf');
const AS_OF = '2026-03-02';
const AGENCY = 'MN0240100';
const DISTRICT = 'ISD241';
let t: TestDatabase;
let dir = '';

const sro = (args: string[]): Promise<SroRun> =>
  runSro(args, {}, { base: { DATABASE_URL: t.url, QUEUE_PREFIX: prefix, TZ: 'America/Chicago' } });

interface JsonOfficer {
  license: string;
  name: string;
  status: OfficerStatusCode;
}

async function jsonOfficers(scope: string[]): Promise<JsonOfficer[]> {
  const r = await sro(['report', '--as-of', AS_OF, '--json', ...scope]);
  expect(r.code, r.stderr).toBe(0);
  return (JSON.parse(r.stdout) as { officers: JsonOfficer[] }).officers;
}

async function pdfOf(scope: string[], name: string): Promise<Buffer> {
  const out = join(dir, name);
  const r = await sro(['report', '--format', 'pdf', '--output', out, '--as-of', AS_OF, ...scope]);
  expect(r.code, r.stderr).toBe(0);
  return readFile(out);
}

/** The lines of the officers' table: from its heading to the substitutes' heading. */
function officerTable(text: string): string[] {
  const lines = text.split('\n').map((l) => l.trim());
  const start = lines.indexOf('Officers');
  const end = lines.findIndex((l) => l.startsWith('Substitutes:'));
  expect(start, text).toBeGreaterThan(0);
  return lines.slice(start + 1, end);
}

/**
 * Each officer's row in the order of `officers`, or fails: the text of a row's cells on one
 * line of the page comes as one line, name and license first, wrapped cells on the next lines.
 */
function rowsOf(table: string[], officers: readonly JsonOfficer[]): string[][] {
  const starts = officers.map((o) => {
    const at = table.findIndex((l) => l.startsWith(`${o.name} ${o.license} `));
    expect(at, `${o.name} (${o.license}) in the table`).toBeGreaterThan(-1);
    return at;
  });
  expect(
    [...starts].sort((a, b) => a - b),
    'rows in the order of sro report --json',
  ).toEqual(starts);
  return starts.map((s, i) => table.slice(s, starts[i + 1] ?? table.length));
}

beforeAll(async () => {
  t = await createRosterDatabase('rptpdf');
  dir = await mkdtemp(join(tmpdir(), 'sro-rptpdf-'));
  // A name as the roster may write it, with letters beyond Latin-1.
  await withClient(t.url, (c) =>
    c.query(`UPDATE officer SET first_name = 'Renée', last_name = 'Ødegård-Núñez' WHERE license = '24101'`),
  );
}, 60_000);
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
  await t?.drop();
  await deletePrefix(prefix);
});

describe('INTERFACE.md "Reports for the board and the auditor": sro report --format pdf', () => {
  it("given an agency's scope, then the PDF lists exactly its officers, in order, with the statuses and counts of --json", async () => {
    const officers = await jsonOfficers(['--agency', AGENCY]);
    const pdf = await readPdf(await pdfOf(['--agency', AGENCY], 'agency.pdf'));
    const table = officerTable(pdf.text);
    const rows = rowsOf(table, officers);
    officers.forEach((o, i) => expect(rows[i]!.join(' '), o.license).toContain(STATUS_LABEL[o.status]));
    // No officer of another agency: every license in the table is one of the scope's.
    const all = await jsonOfficers([]);
    const others = all.filter((o) => !officers.some((x) => x.license === o.license));
    expect(others.length).toBeGreaterThan(0);
    for (const o of others) expect(table.join('\n'), o.license).not.toMatch(new RegExp(`\\b${o.license}\\b`));
    // Counts by status, then the total.
    const lines = pdf.text.split('\n').map((l) => l.trim());
    const counts = lines.slice(lines.indexOf('Officers by status'), lines.indexOf('Officers'));
    for (const s of OFFICER_STATUSES)
      expect(counts, s).toContain(`${STATUS_LABEL[s]} ${officers.filter((o) => o.status === s).length}`);
    expect(counts).toContain(`All officers in scope ${officers.length}`);
    expect(pdf.text).toContain('Scope: Albert Lea Police Department (agency MN0240100)');
    expect(pdf.text).toContain(`Status as of: ${AS_OF}`);
    expect(pdf.text).toMatch(/Made: \d{4}-\d\d-\d\d \d\d:\d\d C[SD]T by cli:/);
    expect(pdf.text).toContain('Policy 507.5 V.E / Minn. Stat. § 626.8482 subd. 3(e)');
  });

  it('given a name with diacritics, then it prints as written (the font is embedded)', async () => {
    const pdf = await readPdf(await pdfOf(['--agency', AGENCY], 'names.pdf'));
    expect(pdf.text).toContain('Renée Ødegård-Núñez');
    expect(pdfObjects(await readFile(join(dir, 'names.pdf')))).toMatch(/\/FontFile2 \d+ 0 R/);
  });

  it("given a district's scope, then the rows are the district's officers of --json, and the table names their agencies", async () => {
    const officers = await jsonOfficers(['--district', DISTRICT]);
    const pdf = await readPdf(await pdfOf(['--district', DISTRICT], 'district.pdf'));
    const rows = rowsOf(officerTable(pdf.text), officers);
    officers.forEach((o, i) => expect(rows[i]!.join(' '), o.license).toContain(STATUS_LABEL[o.status]));
    expect(officerTable(pdf.text)[0]).toMatch(/^Name License Agency Status/);
  });

  it('is a tagged PDF: a structure tree with a table of header and data cells, the language, a title', async () => {
    const bytes = await readFile(join(dir, 'agency.pdf'));
    const objects = pdfObjects(bytes);
    expect(objects).toMatch(/^%PDF-1\.7/);
    expect(objects).toContain('/StructTreeRoot');
    expect(objects).toMatch(/\/MarkInfo \d+ 0 R|\/Marked true/);
    expect(objects).toContain('/Lang (en-US)');
    expect(objects).toContain('/DisplayDocTitle true');
    for (const role of [
      '/S /Document',
      '/S /H1',
      '/S /H2',
      '/S /Table',
      '/S /THead',
      '/S /TBody',
      '/S /TR',
      '/S /TH',
      '/S /TD',
    ])
      expect(objects, role).toContain(role);
    const pdf = await readPdf(bytes);
    expect(pdf.info.Title).toBe('SRO training compliance report');
    expect(pdf.info.Language).toBe('en-US');
    expect(pdf.roles).toEqual(expect.arrayContaining(['Document', 'H1', 'H2', 'Table', 'TR', 'TH', 'TD']));
  });

  it('records each report made in the audit log: who, the scope, as of', async () => {
    const events = await withClient(t.url, (c) =>
      c.query<{ actor: string; agency_id: string | null; after: { scope: unknown; asOf: string } }>(
        `SELECT actor, agency_id, after FROM audit_event WHERE action = 'report.pdf' ORDER BY id`,
      ),
    );
    expect(events.rows.length).toBeGreaterThanOrEqual(3);
    expect(events.rows[0]).toMatchObject({ agency_id: AGENCY, after: { scope: { agency: AGENCY }, asOf: AS_OF } });
    expect(events.rows[0]!.actor).toMatch(/^cli:/);
  });

  it('names the option when one is wrong, and writes nothing', async () => {
    const out = join(dir, 'never.pdf');
    const both = await sro(['report', '--format', 'pdf', '--output', out, '--agency', AGENCY, '--district', DISTRICT]);
    expect(both.code).toBe(2);
    expect(both.stderr).toContain('--agency and --district');
    const noOutput = await sro(['report', '--format', 'pdf']);
    expect(noOutput.code).toBe(2);
    expect(noOutput.stderr).toContain('--output');
    const unknown = await sro(['report', '--format', 'pdf', '--output', out, '--agency', 'MN9999999']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('--agency');
    const status = await sro(['report', '--format', 'pdf', '--output', out, '--status', 'OVERDUE']);
    expect(status.code).toBe(2);
    expect(status.stderr).toContain('--status');
    await expect(readFile(out)).rejects.toThrow();
  });

  it('--help of sro report and sro evidence fits 100 columns', async () => {
    for (const command of ['report', 'evidence']) {
      const r = await sro([command, '--help']);
      expect(r.code).toBe(0);
      for (const line of r.stdout.split('\n')) expect(line.length, line).toBeLessThanOrEqual(100);
    }
  });
});
