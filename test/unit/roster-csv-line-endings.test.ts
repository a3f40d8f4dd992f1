// INTERFACE.md "Roster: CSV folder": a file edited on Windows (CRLF) and then appended to on a
// server (LF), or saved by an old Mac tool (CR), is one roster: every line ending is a row end.
import { describe, expect, it } from 'vitest';
import { parseCsvRoster } from '../oracle/roster-in-memory.ts';

const AGENCIES =
  'id,name,chief_name,chief_email\r\nMN0240100,Albert Lea Police Department,Chief Ellis,chief@albertlea-pd.example\r\n';

describe('CSV line endings: \\r\\n, \\n and \\r in one file', () => {
  it('given officers.csv saved with CRLF and then appended with LF and CR rows, then every row is read, each with its own fields', () => {
    const officers =
      'license,first_name,last_name,email,agency_id\r\n' +
      '24101,Erik,Johnson,,MN0240100\r\n' +
      '24102,Maria,Sandoval,,MN0240100\r\n' +
      '24103,Dana,Olson,,MN0240100\n' +
      '24104,Lee,Park,,MN0240100\n' +
      '24105,Ann,Berg,,MN0240100\r';
    const r = parseCsvRoster(
      new Map([
        ['agencies.csv', AGENCIES],
        ['officers.csv', officers],
      ]),
      'roster',
    );
    expect(r.ok, JSON.stringify(r.ok ? null : r.errors)).toBe(true);
    if (!r.ok) return;
    expect(r.roster.officers?.map((o) => [o.license, o.firstName, o.lastName])).toEqual([
      ['24101', 'Erik', 'Johnson'],
      ['24102', 'Maria', 'Sandoval'],
      ['24103', 'Dana', 'Olson'],
      ['24104', 'Lee', 'Park'],
      ['24105', 'Ann', 'Berg'],
    ]);
  });

  it("given an error on a row after the line endings change, then the error names that row's own line", () => {
    const officers =
      'license,first_name,last_name,email,agency_id\r\n24101,Erik,Johnson,,MN0240100\n24102,Maria,Sandoval,not-an-address,MN0240100\n';
    const r = parseCsvRoster(
      new Map([
        ['agencies.csv', AGENCIES],
        ['officers.csv', officers],
      ]),
      'roster',
    );
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors.map((e) => [e.file, e.row, e.field])).toEqual([['officers.csv', 3, 'email']]);
  });
});
