// A roster parse's result (the in-memory oracle's, test/oracle/roster-in-memory.ts) as the
// roster format specifications (test/unit/roster-validation-*.test.ts) read it: rejected
// with these errors, or accepted; and where their fixture rosters live.
import { join } from 'node:path';
import { formatRosterError } from '../../src/roster/load.ts';
import type { LoadResult } from '../oracle/roster-in-memory.ts';
import type { RosterError } from '../../src/roster/validate.ts';

export const ROOT = join(import.meta.dirname, '..', '..');
export const FIXTURES = join(ROOT, 'test', 'fixtures', 'rosters');

export function errorsOf(r: LoadResult): RosterError[] {
  if (r.ok) throw new Error('expected the roster to be rejected');
  return r.errors;
}

export function ok(r: LoadResult) {
  if (!r.ok) throw new Error(`expected a valid roster, got:\n${r.errors.map(formatRosterError).join('\n')}`);
  return r.roster;
}
