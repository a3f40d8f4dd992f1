// The streamed import (issue 15) and the readers in memory (the test oracle,
// test/oracle/roster-in-memory.ts: loadRoster, then the import of the roster it read) list the
// same errors, in the same order and words, for mutated copies of the valid fixtures. Real
// PostgreSQL, a database of this file's own.
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ImportResult, importFeed } from '../../src/roster/import.ts';
import { formatRosterError, openRosterFeed } from '../../src/roster/load.ts';
import { loadRoster } from '../oracle/roster-in-memory.ts';
import { type TestDatabase, createTestDatabase, databaseFingerprint } from '../helpers/db.ts';
import { importRosterObject } from '../helpers/roster-import.ts';

const FIXTURES = join(import.meta.dirname, '..', 'fixtures', 'rosters');
let t: TestDatabase;
let scratch: string;

beforeAll(async () => {
  t = await createTestDatabase('import_oracle');
  scratch = await mkdtemp(join(tmpdir(), 'sro-import-oracle-'));
});
afterAll(async () => {
  await t?.drop();
  if (scratch) await rm(scratch, { recursive: true, force: true });
});

/** What `sro import PATH` runs: the streamed feed, imported over a connection of its own. */
async function importPath(path: string, options: { replace?: boolean } = {}) {
  const opened = await openRosterFeed(path);
  if (!opened.ok) return { ok: false as const, errors: opened.errors };
  return importFeed(t.url, opened.feed, { replace: options.replace ?? false });
}

const messages = (r: ImportResult) => (r.ok ? [] : r.errors.map(formatRosterError));

async function resetToValid(): Promise<void> {
  const r = await importPath(join(FIXTURES, 'valid.json'), { replace: true });
  expect(messages(r)).toEqual([]);
}

type Json = Record<string, unknown>;
const HOSTILE = ['', ' ', '2026-02-30', 'bob@', 'X\u200bY', 'Dana\nOlson', 'SRO_BASIC', 'MN9999999', '12345', 'yes'];
const mutation = fc.record({
  section: fc.constantFrom(
    'agencies',
    'districts',
    'officers',
    'assignments',
    'trainings',
    'policyReviews',
    'contactDays',
  ),
  row: fc.nat(5),
  op: fc.constantFrom('set', 'delete', 'duplicate', 'unknown', 'number', 'contact'),
  field: fc.nat(7),
  value: fc.constantFrom(...HOSTILE),
});

interface Mutation {
  section: string;
  row: number;
  op: string;
  field: number;
  value: string;
}

function mutate(doc: Json, ms: readonly Mutation[]): Json {
  const out = structuredClone(doc);
  for (const m of ms) {
    const rows = out[m.section] as Json[];
    const row = rows[m.row % rows.length]!;
    const keys = Object.keys(row);
    const field = keys[m.field % keys.length]!;
    if (m.op === 'set') row[field] = m.value;
    else if (m.op === 'delete') delete row[field];
    else if (m.op === 'duplicate') rows.push(structuredClone(row));
    else if (m.op === 'unknown') row.emial = m.value;
    else if (m.op === 'number') row[field] = 7;
    else if (m.op === 'contact' && Array.isArray(row.contacts) && row.contacts.length > 0)
      (row.contacts[0] as Json).email = m.value;
  }
  return out;
}

/**
 * The errors of the roster read whole (the oracle), then imported; `readerRefused` when the
 * oracle's reader refused it, whose import, never run, would check its references.
 */
async function inMemory(path: string, replace: boolean): Promise<{ errors: string[]; readerRefused: boolean }> {
  const loaded = await loadRoster(path);
  if (!loaded.ok) return { errors: loaded.errors.map(formatRosterError), readerRefused: true };
  return { errors: messages(await importRosterObject(t.url, loaded.roster, { replace })), readerRefused: false };
}

/**
 * What the import checks against the database once the rows are staged: a reference it found
 * dangling (not a district contact's district, which the reader checks), and with --replace
 * a section whose file is absent or an officer holding CONSOLE facts.
 */
const importCheck = (line: string) =>
  / no (agency|district|officer) ".*" in the roster( or the database$| \()/.test(line) ||
  /^[a-z_]+\.csv: is not in the folder, so --replace would delete /.test(line) ||
  / is not in the file but holds facts recorded in the console /.test(line);

/**
 * The streamed import's errors, as the oracle lists them: one run lists what the import
 * checks beside the rows' own errors (INTERFACE.md "Imports that say everything at once"),
 * where the oracle's reader stops at the rows' errors; the two agree on everything else.
 */
function asOracle(streamed: string[], memory: { readerRefused: boolean }): string[] {
  return memory.readerRefused ? streamed.filter((l) => !importCheck(l)) : streamed;
}

describe('streamed and in-memory readers agree', () => {
  it('on 120 mutated JSON rosters', async () => {
    await resetToValid();
    const valid = JSON.parse(await readFile(join(FIXTURES, 'valid.json'), 'utf8')) as Json;
    const before = await databaseFingerprint(t.url);
    let n = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(mutation, { minLength: 1, maxLength: 3 }), fc.boolean(), async (ms, replace) => {
        const path = join(scratch, `mutated-${++n}.json`);
        await writeFile(path, JSON.stringify(mutate(valid, ms), null, 2));
        const streamed = messages(await importPath(path, { replace }));
        const memory = await inMemory(path, replace);
        expect(asOracle(streamed, memory)).toEqual(memory.errors);
        if (streamed.length > 0) expect(await databaseFingerprint(t.url)).toEqual(before);
        else await resetToValid();
      }),
      { numRuns: 120, seed: 15 },
    );
  }, 300_000);

  it('on mutated CSV folders (cells, quoting, blank lines, a bad encoding, broken syntax)', async () => {
    await resetToValid();
    const source = join(FIXTURES, 'valid-csv');
    const edits: ((files: Map<string, string>) => void)[] = [
      (f) => f.set('officers.csv', `${f.get('officers.csv')!}12345,Again,Dup,,MN0240100\n`),
      (f) => f.set('officers.csv', f.get('officers.csv')!.replace('MN0240100', 'MN9')),
      (f) => f.set('contact_days.csv', `${f.get('contact_days.csv')!}\n\n34567,CHTR4001,2026-02-30\n`),
      (f) => f.set('assignments.csv', f.get('assignments.csv')!.replace(/\n/g, '\r\n')),
      (f) => f.set('trainings.csv', `${f.get('trainings.csv')!}12345,SRO_MANDATED,"2026-01-02\n`),
      (f) =>
        f.set(
          'district_contacts.csv',
          `${f.get('district_contacts.csv')!}ISD999,X,x@y.example,PRIMARY\n,Y,y@y.example,PRIMARY\n`,
        ),
      (f) => f.set('officers.csv', `${f.get('officers.csv')!}1,2\n`),
      (f) => f.set('districts.csv', f.get('districts.csv')!.replace('kind', 'knid')),
      (f) => f.set('agencies.csv', `\uFEFF${f.get('agencies.csv')!}`),
      (f) => f.set('policy_reviews.csv', `${f.get('policy_reviews.csv')!}"12345",MN0240100,2025-09-25\n`),
      (f) =>
        f.set(
          'district_contacts.csv',
          `district_id,name,email,role\n${Array.from({ length: 51 }, (_, i) => `ISD241,C${i},c${i}@x.example,${i === 3 ? 'BOSS' : 'PRIMARY'}`).join('\n')}\n`,
        ),
      (f) => f.delete('contact_days.csv'),
      (f) =>
        f.set('trainings.csv', 'license,kind,completed_on,certificate_on_file\n12345,SRO_MANDATED,2026-01-20,maybe\n'),
    ];
    const names = [
      'agencies.csv',
      'districts.csv',
      'district_contacts.csv',
      'officers.csv',
      'assignments.csv',
      'trainings.csv',
      'policy_reviews.csv',
      'contact_days.csv',
    ];
    let n = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.subarray(
          edits.map((_, i) => i),
          { minLength: 1, maxLength: 3 },
        ),
        fc.boolean(),
        async (chosen, replace) => {
          const files = new Map<string, string>();
          for (const name of names) files.set(name, await readFile(join(source, name), 'utf8'));
          for (const i of chosen) edits[i]!(files);
          const dir = join(scratch, `csv-mutated-${++n}`);
          await mkdir(dir);
          for (const [name, text] of files) await writeFile(join(dir, name), text);
          if (chosen.includes(3))
            await writeFile(
              join(dir, 'agencies.csv'),
              Buffer.from([0x69, 0x64, 0x2c, 0x6e, 0x61, 0x6d, 0x65, 0x0a, 0x41, 0x2c, 0xe9, 0x0a]),
            );
          const streamed = messages(await importPath(dir, { replace }));
          const memory = await inMemory(dir, replace);
          expect(asOracle(streamed, memory)).toEqual(memory.errors);
          if (streamed.length === 0) await resetToValid();
        },
      ),
      { numRuns: 60, seed: 15 },
    );
  }, 300_000);
});
