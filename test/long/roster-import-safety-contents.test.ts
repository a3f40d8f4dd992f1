// `sro import` where a roster could silently lose or forge facts, as scripts run it (child
// processes, real PostgreSQL). This file: what a roster holds: symbolic links, unknown and
// absent files in a CSV folder (under --replace), invisible characters in identifiers and
// names, dates outside 1900–2200.
import { copyFile, mkdir, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { databaseFingerprint, queryRows } from '../helpers/db.ts';
import type { SroRun } from '../helpers/sro-cli.ts';
import { VALID_CSV, countLines, importSafetyRig } from '../helpers/import-safety.ts';

const rig = importSafetyRig('import_safety_contents');
const { sro, csvFolder, count } = rig;

describe('a CSV folder whose files are symbolic links', () => {
  it('given trainings.csv and contact_days.csv as links to a shared folder, then they are imported like regular files (same counts), and --replace deletes nothing', async () => {
    const regular = await sro(['import', await csvFolder(), '--replace']);
    expect(regular.code, regular.stderr).toBe(0);

    const shared = join(rig.scratch, 'shared-drive');
    await mkdir(shared);
    const linked = await csvFolder(['trainings.csv', 'contact_days.csv']);
    for (const f of ['trainings.csv', 'contact_days.csv']) {
      await copyFile(join(VALID_CSV, f), join(shared, f));
      await symlink(join(shared, f), join(linked, f));
    }
    const before = await databaseFingerprint(rig.database.url);
    const r = await sro(['import', linked, '--replace']);
    expect(r.code, r.stderr).toBe(0);
    expect(countLines(r)).toEqual(countLines(regular));
    expect(countLines(r)).toContain('trainings        created 0, updated 0, unchanged 2, deleted 0');
    expect(countLines(r)).toContain('contactDays      created 0, updated 0, unchanged 3, deleted 0');
    expect(await databaseFingerprint(rig.database.url)).toEqual(before);
  });

  it('given a broken link (and a link to a folder), then the import is refused naming each file, and nothing is written', async () => {
    const dir = await csvFolder(['trainings.csv', 'contact_days.csv']);
    await symlink(join(rig.scratch, 'no-such-drive', 'trainings.csv'), join(dir, 'trainings.csv'));
    await symlink(rig.scratch, join(dir, 'contact_days.csv'));
    const before = await databaseFingerprint(rig.database.url);
    const r = await sro(['import', dir, '--replace']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      /^error: trainings\.csv: is a symbolic link to ".*no-such-drive.*trainings\.csv", which does not exist \(a broken link\)/m,
    );
    expect(r.stderr).toMatch(/^error: contact_days\.csv: is a symbolic link to ".*", which is a folder, not a file/m);
    expect(r.stderr).toContain('nothing was imported');
    expect(await databaseFingerprint(rig.database.url)).toEqual(before);
  });
});

describe('a CSV folder with files the roster does not know', () => {
  it('given a misspelt training.csv and a trainings.xlsx, then both are named: the *.csv is an error, the other a warning', async () => {
    const dir = await csvFolder(['trainings.csv']);
    await copyFile(join(VALID_CSV, 'trainings.csv'), join(dir, 'training.csv'));
    await writeFile(join(dir, 'trainings.xlsx'), 'PK\u0003\u0004 not really a spreadsheet');
    await writeFile(join(dir, 'notes\u200b.txt'), 'a note');
    const before = await databaseFingerprint(rig.database.url);
    const r = await sro(['import', dir]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      /^error: training\.csv: is not a roster file; a roster folder holds agencies\.csv, .*trainings\.csv/m,
    );
    expect(r.stderr).toMatch(
      /^warn: trainings\.xlsx: ignored: this file is not a \*\.csv file; if it holds the trainings, save it as trainings\.csv/m,
    );
    // Named with its invisible character escaped, never raw.
    expect(r.stderr).toMatch(/^warn: notes\\u200b\.txt: ignored: this file is not a \*\.csv file/m);
    expect(r.stderr).not.toContain('\u200b');
    expect(await databaseFingerprint(rig.database.url)).toEqual(before);
  });

  it('given only a stray non-csv file next to a complete roster, then the import succeeds and the file is named in a warning', async () => {
    const dir = await csvFolder();
    await writeFile(join(dir, 'README.txt'), 'exported by the district');
    const r = await sro(['import', dir]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/^warn: README\.txt: ignored: this file is not a \*\.csv file \(a roster folder holds /m);
  });
});

describe('--replace with a section file absent from the folder', () => {
  it('given no trainings.csv and no contact_days.csv while the database holds both, then it is refused naming each file and section, and nothing is written', async () => {
    const dir = await csvFolder(['trainings.csv', 'contact_days.csv']);
    const before = await databaseFingerprint(rig.database.url);
    const r = await sro(['import', dir, '--replace']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(
      'error: trainings.csv: is not in the folder, so --replace would delete all 2 trainings in the database (section trainings); add the file (a header row alone empties the section), or pass --allow-empty trainings to empty it',
    );
    expect(r.stderr).toContain(
      'error: contact_days.csv: is not in the folder, so --replace would delete all 3 contact days in the database (section contactDays);',
    );
    expect(r.stderr).toContain('2 errors; nothing was imported');
    expect(await databaseFingerprint(rig.database.url)).toEqual(before);
  });

  it('given --allow-empty naming the sections (file name, JSON name, comma-separated, repeated), then they are emptied', async () => {
    const dir = await csvFolder(['trainings.csv', 'contact_days.csv', 'policy_reviews.csv']);
    const r = await sro([
      'import',
      dir,
      '--replace',
      '--allow-empty',
      'trainings.csv,contactDays',
      '--allow-empty',
      'policy_reviews',
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(countLines(r)).toContain('trainings        created 0, updated 0, unchanged 0, deleted 2');
    expect(countLines(r)).toContain('contactDays      created 0, updated 0, unchanged 0, deleted 3');
    expect([
      await count('training'),
      await count('contact_day'),
      await count('policy_review'),
      await count('officer'),
    ]).toEqual([0, 0, 0, 3]);
  });

  it('given --allow-empty for one section only, then the other absent file still refuses the import', async () => {
    const dir = await csvFolder(['trainings.csv', 'contact_days.csv']);
    const before = await databaseFingerprint(rig.database.url);
    const r = await sro(['import', dir, '--replace', '--allow-empty', 'trainings']);
    expect(r.code).toBe(1);
    expect(r.stderr).not.toContain('trainings.csv:');
    expect(r.stderr).toContain('error: contact_days.csv: is not in the folder');
    expect(await databaseFingerprint(rig.database.url)).toEqual(before);
  });

  it('given an absent file whose section the database holds no rows of, or no --replace, then it is a plain empty section', async () => {
    await queryRows(rig.database.url, 'DELETE FROM contact_day');
    const r = await sro(['import', await csvFolder(['contact_days.csv']), '--replace']);
    expect(r.code, r.stderr).toBe(0);
    const upsert = await sro(['import', await csvFolder(['trainings.csv'])]);
    expect(upsert.code, upsert.stderr).toBe(0);
    expect(await count('training')).toBe(2);
  });

  it('given an unknown section to --allow-empty, then it is a usage error (exit 2) listing the sections; --help teaches the option', async () => {
    const r = await sro(['import', await csvFolder(), '--replace', '--allow-empty', 'trainigs']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(
      '--allow-empty: unknown section "trainigs"; the sections are agencies, districts, district_contacts, officers, assignments, trainings, policy_reviews, contact_days',
    );
    const help = await sro(['import', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('--allow-empty SECTION');
    expect(help.stdout).toContain('--replace --allow-empty contact_days,policy_reviews');
  });
});

describe('invisible characters in identifiers and names', () => {
  async function importJson(name: string, roster: unknown): Promise<SroRun> {
    const path = join(rig.scratch, name);
    await writeFile(path, JSON.stringify(roster));
    return sro(['import', path]);
  }
  const officer = (license: string, firstName = 'Dana', lastName = 'Olson') => ({
    license,
    firstName,
    lastName,
    agencyId: 'MN0240100',
  });

  it('given a license with a zero-width space (24101\\u200B next to 24101), then it is refused, the value shown escaped, and no second officer is made', async () => {
    const before = await databaseFingerprint(rig.database.url);
    const r = await importJson('zwsp.json', { officers: [officer('24101'), officer('24101\u200B')] });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(
      'error: zwsp.json:2: officers[1].license: "24101\\u200b" contains an invisible format character (U+200B at position 6); an identifier may hold only visible letters, digits, punctuation and symbols',
    );
    expect(r.stderr).not.toContain('\u200b');
    expect(await databaseFingerprint(rig.database.url)).toEqual(before);
  });

  it('given invisible characters in a referencing id, a space inside an id, and a CSV agency id with a no-break space, then each is refused', async () => {
    const r = await importJson('ids.json', {
      officers: [{ ...officer('55501'), agencyId: 'MN0240100\u2060' }, officer('555 02')],
      contactDays: [{ license: '12345', districtId: '\uFEFFISD241', date: '2026-02-03' }],
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(
      'ids.json:1: officers[0].agencyId: "MN0240100\\u2060" contains an invisible format character (U+2060 at position 10)',
    );
    expect(r.stderr).toContain('ids.json:2: officers[1].license: "555 02" contains a space (U+0020 at position 4)');
    // A BOM at the start is trimmed like a space; inside it is refused. Here it is at the start.
    expect(r.stderr).not.toContain('contactDays[0]');

    const dir = await csvFolder();
    await writeFile(
      join(dir, 'agencies.csv'),
      'id,name\nMN0240100,Albert Lea Police Department\nMN0240\u00a0000,Freeborn County Sheriff\n',
    );
    const csv = await sro(['import', dir]);
    expect(csv.code).toBe(1);
    expect(csv.stderr).toContain(
      'error: agencies.csv:3: id: "MN0240\\u00a0000" contains a space (U+00A0 at position 7)',
    );
  });

  it('given names with a zero-width space or a soft hyphen, then they are refused; ZWNJ and ZWJ between letters are kept byte for byte', async () => {
    const bad = await importJson('names.json', {
      officers: [
        officer('12345', 'Da\u200Bna'),
        officer('23456', 'Maria', 'Gar\u00ADcia'),
        officer('34567', '\u200DJo'),
      ],
    });
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain(
      'names.json:1: officers[0].firstName: "Da\\u200bna" contains an invisible format character (U+200B at position 3); remove it',
    );
    expect(bad.stderr).toContain(
      'names.json:2: officers[1].lastName: "Gar\\u00adcia" contains an invisible format character (U+00AD at position 4); remove it',
    );
    expect(bad.stderr).toContain(
      'names.json:3: officers[2].firstName: "\\u200dJo" contains an invisible joiner (U+200D at position 1) that is not between two letters; remove it',
    );
    expect(bad.stderr).not.toMatch(/[\u200b\u00ad\u200d]/);

    // Persian uses ZWNJ between letters (می‌خواهم); Devanagari ZWJ after a virama (क्‍ष).
    const persian = 'نرگس\u200Cزاده';
    const devanagari = 'क्\u200Dषमा';
    const good = await importJson('joiners.json', { officers: [officer('12345', devanagari, persian)] });
    expect(good.code, good.stderr).toBe(0);
    expect(
      await queryRows(rig.database.url, "SELECT first_name, last_name FROM officer WHERE license = '12345'"),
    ).toEqual([{ first_name: devanagari, last_name: persian }]);
  });
});

describe('dates outside 1900-01-01..2200-12-31', () => {
  it('given year 9999 and 1899 in JSON and CSV, then each is refused naming file, row and field; 1900-01-01 and 2200-12-31 are accepted', async () => {
    const before = await databaseFingerprint(rig.database.url);
    const path = join(rig.scratch, 'years.json');
    const writeTrainings = (trainings: object[]) => writeFile(path, JSON.stringify({ trainings }));
    await writeTrainings([
      { license: '12345', kind: 'SRO_MANDATED', completedOn: '9999-12-31' },
      { license: '23456', kind: 'SRO_MANDATED', completedOn: '1899-12-31' },
    ]);
    const r = await sro(['import', path]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(
      'error: years.json:1: trainings[0].completedOn: "9999-12-31" is outside the dates a roster may hold (1900-01-01 to 2200-12-31); check the year',
    );
    expect(r.stderr).toContain(
      'error: years.json:2: trainings[1].completedOn: "1899-12-31" is outside the dates a roster may hold',
    );

    const dir = await csvFolder();
    await writeFile(
      join(dir, 'contact_days.csv'),
      'license,district_id,date\n34567,CHTR4001,2026-02-03\n34567,CHTR4001,10000-01-01\n34567,CHTR4001,2201-01-01\n',
    );
    const csv = await sro(['import', dir]);
    expect(csv.code).toBe(1);
    expect(csv.stderr).toContain('error: contact_days.csv:3: date: "10000-01-01" is not a calendar date (YYYY-MM-DD)');
    expect(csv.stderr).toContain(
      'error: contact_days.csv:4: date: "2201-01-01" is outside the dates a roster may hold (1900-01-01 to 2200-12-31); check the year',
    );
    expect(await databaseFingerprint(rig.database.url)).toEqual(before);

    await writeTrainings([
      { license: '12345', kind: 'SRO_SUPPLEMENTAL', completedOn: '1900-01-01' },
      { license: '12345', kind: 'SRO_SUPPLEMENTAL', completedOn: '2200-12-31' },
    ]);
    const ok = await sro(['import', path]);
    expect(ok.code, ok.stderr).toBe(0);
    expect(
      await queryRows(
        rig.database.url,
        "SELECT completed_on::text AS d FROM training WHERE kind = 'SRO_SUPPLEMENTAL' ORDER BY 1",
      ),
    ).toEqual([{ d: '1900-01-01' }, { d: '2200-12-31' }]);
  });
});
