// What an import reads (src/roster/import.ts): the sections it counts, and a feed, the roster's
// rows as a JSON file or a CSV folder gives them to the staging tables (json-stream.ts,
// csv-stream.ts; a roster object in the tests).
import type { SqlSession } from '../db/import-staging.ts';
import type { ErrorList } from './error-list.ts';
import { ROSTER_SECTIONS } from './schema.ts';
import type { AbsentFile, RosterLocation } from './validate.ts';

/** The sections counted by an import: the roster's, with district contacts on their own. */
const [agencySection, districtSection, ...factSections] = ROSTER_SECTIONS;
export const IMPORT_SECTIONS = [agencySection, districtSection, 'districtContacts', ...factSections] as const;
export type ImportSection = (typeof IMPORT_SECTIONS)[number];

/** How the sections' rows are named in messages: one and many. */
export const SECTION_LABEL: Record<ImportSection, [string, string]> = {
  agencies: ['agency', 'agencies'],
  districts: ['district', 'districts'],
  districtContacts: ['district contact', 'district contacts'],
  officers: ['officer', 'officers'],
  assignments: ['assignment', 'assignments'],
  trainings: ['training', 'trainings'],
  policyReviews: ['policy review', 'policy reviews'],
  contactDays: ['contact day', 'contact days'],
};

/** A section name as a user writes it: a JSON section (policyReviews), a file (policy_reviews.csv) or its stem (policy_reviews). */
export function parseImportSection(name: string): ImportSection | null {
  const canonical = (s: string) =>
    s
      .toLowerCase()
      .replace(/\.csv$/, '')
      .replace(/[_\s-]/g, '');
  const wanted = canonical(name.trim());
  return IMPORT_SECTIONS.find((s) => canonical(s) === wanted) ?? null;
}

/** What a feed is given to stage a roster: the session's writers, the errors, the progress. */
export interface StageContext {
  session: SqlSession;
  errors: ErrorList;
  /** Rows read so far in `section` (called now and then, cheap). */
  progress(section: ImportSection, rows: number): void;
  /**
   * Some rows of `section` were staged without their key, or not at all (a file that cannot
   * be read, a CSV row whose cells do not match the header, a JSON row whose key is not text):
   * a reference to the section is then not reported as unknown, since the row it names may
   * be one of those. Its own error is listed; the references are checked once it reads.
   */
  unreadable(section: ImportSection): void;
}

/**
 * A roster as the import reads it: something that stages its rows (validating them, if they
 * need it, and adding what is wrong to the errors), and names a staged row in a message.
 */
export interface RosterFeed {
  stage(ctx: StageContext): Promise<void>;
  /** Where staged row (r, sub) of `section` is, `field` (a roster field, JSON name) within it or the whole row. */
  locate(section: ImportSection, r: number, sub: number | null, field: string | null): RosterLocation;
  /** Names a staged row in "same as …". */
  describe(section: ImportSection, r: number, sub: number | null): string;
  /** The sections a CSV folder had no file for. */
  absent(): readonly AbsentFile[];
}

/** A JSON path to staged row (r, sub): ['officers', 3], ['districts', 0, 'contacts', 1]. */
export function stagedPath(section: ImportSection, r: number, sub: number | null): PropertyKey[] {
  return section === 'districtContacts' ? ['districts', r, 'contacts', sub ?? 0] : [section, r];
}
