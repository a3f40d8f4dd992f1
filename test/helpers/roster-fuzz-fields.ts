// The roster fuzz test's hostile values, each of which makes the field it goes into invalid
// (src/roster/schema.ts), and the fields of each section by what makes them invalid.
import fc from 'fast-check';
import {
  MAX_EMAIL_LENGTH,
  MAX_ID_LENGTH,
  MAX_NAME_LENGTH,
  type RosterSection as Section,
} from '../../src/roster/schema.ts';

// ---------------------------------------------------------------------------------------
// Hostile values, each of which makes the field it goes into invalid (schema.ts).

/** Not calendar days, or not YYYY-MM-DD. */
export const BAD_DATES = [
  '2026-02-30',
  '2026-13-01',
  '',
  '2026-1-1',
  '2025-02-29',
  '2026-04-31',
  '2026-00-10',
  '2026-01-00',
  '0000-01-01',
  '2026/01/01',
  '01/02/2026',
  '20260101',
  '2026-01-01T00:00:00Z',
  ' 2026-01-01',
  '2026-01-01 ',
  '2026-01-01\n',
  '２０２６-01-01',
  'tomorrow',
  '=TODAY()',
];
/** Not e-mail addresses (or with a header break): INTERFACE.md's e-mail fields. */
export const BAD_EMAILS = [
  'bob@',
  '@albertlea-pd.example',
  'a b@x.example',
  'a@b',
  '<script>@x.example',
  'x@y.example, z@w.example',
  'x@y.example\r\nBcc: victim@example.com',
  'x@y.example\nX-Evil: 1',
  '=HYPERLINK("http://x","y")',
  '@SUM(1)',
  '+cmd',
  '-1+1',
  ' chief@albertlea-pd.example',
  `a@${'x'.repeat(MAX_EMAIL_LENGTH)}.example`,
  '',
];
/** Header-injection attempts in names and ids: CR/LF and friends. */
export const LINE_BREAKS = [
  'Dana\r\nBcc: victim@example.com',
  'Dana\nX-Evil: 1',
  'Dana\rOlson',
  'Dana\u2028Olson',
  'Dana\u0085Olson',
  'Dana\u000bOlson',
  'Dana\tOlson',
];

/** Code units schema.ts forbids inside ids and names, plus lone surrogates. */
export const forbiddenUnit = fc.oneof(
  fc.integer({ min: 0x00, max: 0x1f }),
  fc.integer({ min: 0x7f, max: 0x9f }),
  fc.constantFrom(
    0x2028,
    0x2029,
    0x202a,
    0x202b,
    0x202c,
    0x202d,
    0x202e,
    0x2066,
    0x2067,
    0x2068,
    0x2069,
    0xd800,
    0xdbff,
    0xdc00,
    0xdfff,
  ),
);

// ---------------------------------------------------------------------------------------
// The fields of each section, by what makes them invalid. The sections are the schema's own
// (ROSTER_SECTIONS): FIELDS is a Record of them, so a section added there must be described here.

export interface Fields {
  /** Trimmed text with a maximum length: ids (64) and names (200). */
  text: [string, number][];
  /** Fields that are required (absent or null is an error). */
  required: string[];
  emails: string[];
  dates: string[];
  enums: string[];
  flags: string[];
  /** References to another section: [field, what it names]. */
  refs: [string, 'agency' | 'district' | 'officer'][];
}

export const FIELDS: Record<Section, Fields> = {
  agencies: {
    text: [
      ['id', MAX_ID_LENGTH],
      ['name', MAX_NAME_LENGTH],
    ],
    required: ['id', 'name'],
    emails: [],
    dates: [],
    enums: [],
    flags: [],
    refs: [],
  },
  districts: {
    text: [
      ['id', MAX_ID_LENGTH],
      ['name', MAX_NAME_LENGTH],
    ],
    required: ['id', 'name', 'kind'],
    emails: [],
    dates: [],
    enums: ['kind'],
    flags: [],
    refs: [],
  },
  officers: {
    text: [
      ['license', MAX_ID_LENGTH],
      ['firstName', MAX_NAME_LENGTH],
      ['lastName', MAX_NAME_LENGTH],
      ['agencyId', MAX_ID_LENGTH],
    ],
    required: ['license', 'firstName', 'lastName', 'agencyId'],
    emails: ['email'],
    dates: [],
    enums: [],
    flags: [],
    refs: [['agencyId', 'agency']],
  },
  assignments: {
    text: [
      ['license', MAX_ID_LENGTH],
      ['districtId', MAX_ID_LENGTH],
      ['school', MAX_NAME_LENGTH],
    ],
    required: ['license', 'districtId', 'role', 'startDate'],
    emails: [],
    dates: ['startDate', 'endDate'],
    enums: ['role'],
    flags: ['trainingUnavailable'],
    refs: [
      ['license', 'officer'],
      ['districtId', 'district'],
    ],
  },
  trainings: {
    text: [
      ['license', MAX_ID_LENGTH],
      ['courseNumber', MAX_NAME_LENGTH],
      ['provider', MAX_NAME_LENGTH],
    ],
    required: ['license', 'kind', 'completedOn'],
    emails: [],
    dates: ['completedOn'],
    enums: ['kind'],
    flags: ['certificateOnFile'],
    refs: [['license', 'officer']],
  },
  policyReviews: {
    text: [
      ['license', MAX_ID_LENGTH],
      ['agencyId', MAX_ID_LENGTH],
    ],
    required: ['license', 'agencyId', 'reviewedOn'],
    emails: [],
    dates: ['reviewedOn'],
    enums: [],
    flags: [],
    refs: [
      ['license', 'officer'],
      ['agencyId', 'agency'],
    ],
  },
  contactDays: {
    text: [
      ['license', MAX_ID_LENGTH],
      ['districtId', MAX_ID_LENGTH],
    ],
    required: ['license', 'districtId', 'date'],
    emails: [],
    dates: ['date'],
    enums: [],
    flags: [],
    refs: [
      ['license', 'officer'],
      ['districtId', 'district'],
    ],
  },
};
