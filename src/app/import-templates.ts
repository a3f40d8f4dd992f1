// The roster's CSV templates (INTERFACE.md "Imports that say everything at once"): one file per
// section of a roster folder ("Roster: CSV folder"), its header row and one example row, for
// an admin to fill in a spreadsheet and upload on /imports. The header is the import's own
// list of columns (src/roster/csv.ts), so a template always matches what the import reads;
// the examples make one small roster together (the test imports all eight).
import { CSV_FILES, type CsvFileKey } from '../roster/csv.ts';

/** Each file's example row, by column. Dates as a spreadsheet writes them (M/D/YYYY), which the import reads. */
const EXAMPLES: Record<CsvFileKey, Record<string, string>> = {
  agencies: {
    id: 'MN0240100',
    name: 'Albert Lea Police Department',
    chief_name: 'Ruth Anders',
    chief_email: 'chief@albertlea-pd.example',
    escalation_emails: 'deputy-chief@albertlea-pd.example;captain@albertlea-pd.example',
  },
  districts: { id: 'ISD241', name: 'Albert Lea Area Schools', kind: 'DISTRICT' },
  districtContacts: {
    district_id: 'ISD241',
    name: 'Pat Liaison',
    email: 'sro-liaison@isd241.example',
    role: 'PRIMARY',
  },
  officers: {
    license: '12345',
    first_name: 'Dana',
    last_name: 'Olson',
    email: 'dana.olson@albertlea-pd.example',
    agency_id: 'MN0240100',
  },
  assignments: {
    license: '12345',
    district_id: 'ISD241',
    school: 'Albert Lea High School',
    role: 'REGULAR',
    start_date: '8/25/2025',
    end_date: '',
    training_unavailable: 'no',
  },
  trainings: {
    license: '12345',
    kind: 'SRO_MANDATED',
    completed_on: '1/20/2026',
    certificate_on_file: 'yes',
    course_number: 'POST-SRO-101',
    provider: 'MN POST',
  },
  policyReviews: { license: '12345', agency_id: 'MN0240100', reviewed_on: '9/25/2025' },
  contactDays: { license: '12345', district_id: 'ISD241', date: '2/3/2026', non_school_day: 'no' },
};

/** The sections a template exists for, as their files are named without `.csv` (officers, policy_reviews, …). */
export const TEMPLATE_SECTIONS = CSV_FILES.map((f) => f.file.slice(0, -'.csv'.length)) as [string, ...string[]];

/** A cell as CSV writes it: quoted when it holds a comma, a quote or a line break. */
const cell = (v: string) => (/[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);

export interface RosterTemplate {
  /** The file name an upload expects (officers.csv). */
  file: string;
  /** UTF-8 text, CRLF line ends as spreadsheets write them. */
  text: string;
}

/** The template of one section (`officers`, `policy_reviews`: TEMPLATE_SECTIONS), or null when there is no such section. */
export function rosterTemplate(section: string): RosterTemplate | null {
  const spec = CSV_FILES.find((f) => f.file === `${section}.csv`);
  if (spec === undefined) return null;
  const example = EXAMPLES[spec.key];
  const header = spec.columns.map((c) => c.name);
  const row = header.map((name) => cell(example[name] ?? ''));
  return { file: spec.file, text: `${header.join(',')}\r\n${row.join(',')}\r\n` };
}
