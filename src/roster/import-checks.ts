// The checks of an import over its staging tables, all in one pass (INTERFACE.md "Imports that
// say everything at once"): duplicate natural keys, references to an agency, district or
// officer that neither the roster nor the database holds, and with replace the sections a CSV
// folder lacked the file of and the officers holding facts recorded in the console. They run
// whatever the rows' own errors: a row that failed validation is staged with what it has (its
// key, its references), so its problems are listed beside the others, never in a later run.
// Each check is one SQL statement per section or reference, at most MAX_LISTED_ERRORS rows back.
import {
  REFERENCES,
  contactDaysOnDistrictDaysOff,
  danglingReferences,
  duplicateKeys,
  removedOfficersWithConsoleFacts,
  tableRowCount,
} from '../db/import-merge.ts';
import type { SqlSession } from '../db/import-staging.ts';
import type { CivilDate } from '../domain/civil-date.ts';
import { plural } from '../domain/plural.ts';
import { quote } from '../shell/quote.ts';
import { type ErrorList, ErrorPhase, MAX_LISTED_ERRORS } from './error-list.ts';
import { IMPORT_SECTIONS, type ImportSection, type RosterFeed, SECTION_LABEL } from './feed.ts';
import { nonSchoolDayRowMessage } from './schema.ts';
import { KEY_FIELDS } from './stage-rows.ts';
import { duplicateMessage, located } from './validate.ts';

/**
 * How the import's messages name its options, in the reader's words: the command line's flags
 * (CLI_WORDS), the console page's boxes, the API's fields (src/app/import-upload.ts).
 */
export interface ImportWords {
  /** "with --replace": the import that makes the database's facts equal to the roster. */
  withReplace: string;
  /**
   * Why a section's absent CSV file refuses a replace, and the two ways on: `what` is what
   * would be deleted ("all 2 trainings"). Located on the file: "FILE: message".
   */
  absentFile(section: ImportSection, what: string): string;
}

export const CLI_WORDS: ImportWords = {
  withReplace: 'with --replace',
  absentFile: (section, what) => {
    const file = FILE_STEM[section];
    return (
      `is not in the folder, so --replace would delete ${what} in the database (section ${section}); ` +
      `add the file (a header row alone empties the section), or pass --allow-empty ${file} to empty it`
    );
  },
};

/** A section's CSV file without `.csv`, as --allow-empty takes it. */
const FILE_STEM: Record<ImportSection, string> = {
  agencies: 'agencies',
  districts: 'districts',
  districtContacts: 'district_contacts',
  officers: 'officers',
  assignments: 'assignments',
  trainings: 'trainings',
  policyReviews: 'policy_reviews',
  contactDays: 'contact_days',
};

/** Every staged row whose natural key repeats an earlier one's, naming both rows. */
export async function checkDuplicates(session: SqlSession, feed: RosterFeed, errors: ErrorList): Promise<void> {
  for (const section of IMPORT_SECTIONS) {
    const fields = KEY_FIELDS[section];
    const rows = await duplicateKeys(session, section, MAX_LISTED_ERRORS);
    for (const d of rows) {
      const values = [d.k1, d.k2, d.k3].slice(0, fields.length) as string[];
      const message = duplicateMessage(
        SECTION_LABEL[section][0],
        fields,
        values,
        feed.describe(section, d.first_r, d.first_sub),
      );
      const where = feed.locate(section, d.r, d.sub, fields.length === 1 ? fields[0]! : null);
      errors.add(located('DUPLICATE_KEY', where, message), ErrorPhase.check);
    }
    // Past the first MAX_LISTED_ERRORS of a section, an error is never listed: counted only.
    const unlisted = (rows[0]?.total ?? 0) - rows.length;
    if (unlisted > 0) errors.count('DUPLICATE_KEY', unlisted);
  }
}

/** With replace, every section the roster is empty in only because its CSV file was absent, while the database holds rows of it. */
export async function checkAbsentFiles(
  session: SqlSession,
  feed: RosterFeed,
  allowEmpty: readonly ImportSection[],
  words: ImportWords,
  errors: ErrorList,
): Promise<void> {
  const allowed = new Set<ImportSection>(allowEmpty);
  if (allowed.has('districts')) allowed.add('districtContacts'); // contacts go with their district
  for (const { section, file } of feed.absent()) {
    if (allowed.has(section)) continue;
    const n = await tableRowCount(session, section);
    if (n === 0) continue;
    const [one, many] = SECTION_LABEL[section];
    errors.add(
      located(
        'ABSENT_FILE',
        { file, row: null, field: null, order: -1 + IMPORT_SECTIONS.indexOf(section) / 100 },
        words.absentFile(section, `${n === 1 ? 'the' : 'all'} ${plural(n, one, many)}`),
      ),
      ErrorPhase.check,
    );
  }
}

/**
 * With replace, every officer the roster lacks who holds CONSOLE facts: deleting the officer
 * would delete them (the foreign keys cascade), and RULES.md 7 says an import never deletes a
 * CONSOLE fact. Decision (issue 14): the import is refused, all or nothing, one error per
 * officer naming what they hold; the facts are not orphaned, nor the officer kept silently.
 */
export async function checkConsoleFactsOfRemoved(
  session: SqlSession,
  feed: RosterFeed,
  errors: ErrorList,
): Promise<void> {
  const rows = await removedOfficersWithConsoleFacts(session, MAX_LISTED_ERRORS);
  if (rows.length === 0) return;
  // The officers' file (officers.csv, or the JSON file): the officer has no row in it.
  const { file, order } = feed.locate('officers', 0, null, null);
  for (const o of rows) {
    const held = [
      o.trainings > 0 ? plural(o.trainings, 'training') : null,
      o.policy_reviews > 0 ? plural(o.policy_reviews, 'policy review') : null,
      o.contact_days > 0 ? plural(o.contact_days, 'contact day') : null,
    ].filter((h) => h !== null);
    errors.add(
      located(
        'HOLDS_CONSOLE_FACTS',
        { file, row: null, field: null, order: order - 0.5 },
        `officer ${quote(o.license)} is not in the file but holds facts recorded in the console (${held.join(', ')}); ` +
          'keep the officer in the roster, or delete those facts in the console first',
      ),
      ErrorPhase.check,
    );
  }
  const unlisted = (rows[0]?.total ?? 0) - rows.length;
  if (unlisted > 0) errors.count('HOLDS_CONSOLE_FACTS', unlisted);
}

/**
 * Every reference to an agency, district or officer that neither the roster nor (without
 * replace) the database holds; not those into a section some of whose rows could not be read
 * (`unreadable`: the row named may be one of them), nor a reference whose own value failed
 * validation (its error says so already).
 */
export async function checkReferences(
  session: SqlSession,
  feed: RosterFeed,
  replace: boolean,
  unreadable: ReadonlySet<ImportSection>,
  words: ImportWords,
  errors: ErrorList,
): Promise<void> {
  const where = replace
    ? `in the roster (${words.withReplace}, everything referenced must be in the roster)`
    : 'in the roster or the database';
  for (const ref of REFERENCES) {
    if (unreadable.has(ref.parent)) continue;
    const rows = await danglingReferences(session, ref, replace, MAX_LISTED_ERRORS);
    const what = SECTION_LABEL[ref.parent][0];
    for (const d of rows) {
      errors.add(
        located(
          'DANGLING_REFERENCE',
          feed.locate(ref.section, d.r, null, ref.field),
          `no ${what} ${quote(d.id)} ${where}`,
        ),
        ErrorPhase.check,
      );
    }
    const unlisted = (rows[0]?.total ?? 0) - rows.length;
    if (unlisted > 0) errors.count('DANGLING_REFERENCE', unlisted);
  }
}

/**
 * Every contact day on a day its district lists as a day without school (RULES.md 9), unless
 * the row confirms it (`non_school_day` true). Saturdays, Sundays and legal holidays are the
 * row's own schema's to refuse (schema.ts): they need no database.
 */
export async function checkDistrictDaysOff(session: SqlSession, feed: RosterFeed, errors: ErrorList): Promise<void> {
  const rows = await contactDaysOnDistrictDaysOff(session, MAX_LISTED_ERRORS);
  for (const d of rows) {
    const date = d.date as CivilDate;
    const calendar = { name: d.district_name, daysWithoutSchool: new Set([date]) };
    errors.add(
      located('INVALID_VALUE', feed.locate('contactDays', d.r, null, 'date'), nonSchoolDayRowMessage(date, calendar)),
      ErrorPhase.check,
    );
  }
  const unlisted = (rows[0]?.total ?? 0) - rows.length;
  if (unlisted > 0) errors.count('INVALID_VALUE', unlisted);
}
