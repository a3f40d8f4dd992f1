// The staging tables of `sro import` (issue 15): one TEMPORARY table per section, created in
// the import's transaction and dropped at its end (ON COMMIT DROP), that the roster's rows
// are streamed into before anything is checked or merged. A row is staged with where it came
// from (`r`: its index in a JSON section, or its CSV line; `sub`: a district contact's index
// within its district), its natural key as text, trimmed (`k1`…`k3`, NULL when a key field
// is not text, as the duplicate check wants), and its validated fields (NULL for a row that
// failed validation: such an import is never merged, but its keys still take part in the
// duplicate check, and its references in the reference check, but for the fields that failed,
// which `bad_fields` lists: every problem is found in the same run).
//
// One way in: COPY FROM STDIN on the import's own pg connection.
import type { Writable } from 'node:stream';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';

/** The sections an import stages and counts: the roster's, with district contacts on their own. */
export type StageSection =
  | 'agencies'
  | 'districts'
  | 'districtContacts'
  | 'officers'
  | 'assignments'
  | 'trainings'
  | 'policyReviews'
  | 'contactDays';

type ColumnType = 'int' | 'text' | 'bool' | 'text[]' | 'jsonb';

export interface StageTable {
  name: string;
  columns: readonly (readonly [name: string, type: ColumnType])[];
}

export type StageValue = string | number | boolean | null | readonly string[] | StageJson;
/** A value staged as jsonb (a JSON district's contacts). */
interface StageJson {
  json: unknown;
}

const LOCATION = [
  ['r', 'int'],
  ['sub', 'int'],
] as const;

/** The roster fields (JSON names) of a row that failed validation; NULL for a valid row. In the tables whose rows refer to others. */
const BAD_FIELDS = ['bad_fields', 'text[]'] as const;

/** Each table's columns, in the order a staged row lists its values. */
export const STAGE_TABLES: Record<StageSection, StageTable> = {
  agencies: {
    name: 'stage_agency',
    columns: [
      ...LOCATION,
      ['k1', 'text'],
      ['name', 'text'],
      ['chief_name', 'text'],
      ['chief_email', 'text'],
      ['escalation_emails', 'text[]'],
    ],
  },
  districts: {
    name: 'stage_district',
    // contacts: a JSON roster's contacts of this district, [sub, email, role, name] each
    // (expanded into stage_district_contact once the section is staged: one COPY at a time).
    columns: [...LOCATION, ['k1', 'text'], ['name', 'text'], ['kind', 'text'], ['contacts', 'jsonb']],
  },
  districtContacts: {
    name: 'stage_district_contact',
    columns: [...LOCATION, ['k1', 'text'], ['k2', 'text'], ['k3', 'text'], ['name', 'text']],
  },
  officers: {
    name: 'stage_officer',
    columns: [
      ...LOCATION,
      ['k1', 'text'],
      ['first_name', 'text'],
      ['last_name', 'text'],
      ['email', 'text'],
      ['agency_id', 'text'],
      BAD_FIELDS,
    ],
  },
  assignments: {
    name: 'stage_assignment',
    columns: [
      ...LOCATION,
      ['k1', 'text'],
      ['k2', 'text'],
      ['k3', 'text'],
      ['school', 'text'],
      ['role', 'text'],
      ['end_date', 'text'],
      ['training_unavailable', 'bool'],
      BAD_FIELDS,
    ],
  },
  trainings: {
    name: 'stage_training',
    columns: [
      ...LOCATION,
      ['k1', 'text'],
      ['k2', 'text'],
      ['k3', 'text'],
      ['certificate_on_file', 'bool'],
      ['course_number', 'text'],
      ['provider', 'text'],
      BAD_FIELDS,
    ],
  },
  policyReviews: {
    name: 'stage_policy_review',
    columns: [...LOCATION, ['k1', 'text'], ['k2', 'text'], ['k3', 'text'], BAD_FIELDS],
  },
  contactDays: {
    name: 'stage_contact_day',
    // non_school_day: the row confirms a day without school (RULES.md 9); NULL for a row that failed.
    columns: [...LOCATION, ['k1', 'text'], ['k2', 'text'], ['k3', 'text'], ['non_school_day', 'bool'], BAD_FIELDS],
  },
};

/** How many key columns (k1…k3) a section's natural key has. */
export const KEY_WIDTH: Record<StageSection, number> = {
  agencies: 1,
  districts: 1,
  districtContacts: 3,
  officers: 1,
  assignments: 3,
  trainings: 3,
  policyReviews: 3,
  contactDays: 3,
};

const SQL_TYPE: Record<ColumnType, string> = {
  int: 'int',
  text: 'text',
  bool: 'boolean',
  'text[]': 'text[]',
  jsonb: 'jsonb',
};

/** PostgreSQL's work_mem for the import's checks and merge (per sort or hash, on the server). */
const IMPORT_WORK_MEM = '64MB';

/**
 * The import's work_mem, then CREATE TEMPORARY TABLE for every section (no indexes: the
 * checks and the merge are hash joins).
 */
export function createStageTablesSql(): string[] {
  return [
    `SET LOCAL work_mem = '${IMPORT_WORK_MEM}'`,
    ...Object.values(STAGE_TABLES).map(
      (t) =>
        `CREATE TEMPORARY TABLE ${t.name} (${t.columns.map(([c, type]) => `${c} ${SQL_TYPE[type]}`).join(', ')}) ON COMMIT DROP`,
    ),
  ];
}

/**
 * After a JSON roster's districts are staged: their contacts, from the jsonb column, into
 * stage_district_contact (k1 is the district's id, as the duplicate check keys contacts).
 */
export const EXPAND_JSON_CONTACTS = `INSERT INTO stage_district_contact (r, sub, k1, k2, k3, name)
  SELECT d.r, (c->>0)::int, d.k1, c->>1, c->>2, c->>3
  FROM stage_district d CROSS JOIN LATERAL jsonb_array_elements(d.contacts) AS c
  WHERE d.contacts IS NOT NULL`;

/** Writes rows into one staging table; `add` returns a promise only when the caller must wait (back-pressure). */
export interface StageWriter {
  add(values: readonly StageValue[]): Promise<void> | undefined;
  /** Flushes and closes; resolves with the number of rows written. */
  end(): Promise<number>;
  /**
   * Gives up on the rows: a COPY in progress is failed (CopyFail), so the connection can run
   * the import's ROLLBACK. Resolves once the server has answered; never rejects.
   */
  abort(cause: Error): Promise<void>;
}

/** What the import runs its statements on: one connection, inside the import's transaction. */
export interface SqlSession {
  rows<T>(text: string, params?: readonly unknown[]): Promise<T[]>;
  /** Runs a statement; resolves with the number of rows it affected. */
  run(text: string, params?: readonly unknown[]): Promise<number>;
  /** Opens a writer into a staging table. One at a time: end it before opening the next. */
  stage(table: StageTable): StageWriter;
  /**
   * Aborts the writer still open, if any (whatever left it open: a reader's error, an input
   * that stopped). Until then the connection is inside COPY … FROM STDIN and a ROLLBACK sent
   * on it would wait behind the COPY for ever, holding the import lock.
   */
  abort(cause: Error): Promise<void>;
}

// COPY's text format: backslash, tab, line feed and carriage return escaped; \N is NULL.
const COPY_SPECIAL = /[\\\t\n\r]/;
const COPY_ESCAPES: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };
function copyText(s: string): string {
  return COPY_SPECIAL.test(s) ? s.replace(/[\\\t\n\r]/g, (c) => COPY_ESCAPES[c]!) : s;
}

/** A text[] literal: every element double-quoted, `"` and `\` escaped inside. */
function arrayLiteral(items: readonly string[]): string {
  return `{${items.map((s) => `"${s.replace(/[\\"]/g, (c) => `\\${c}`)}"`).join(',')}}`;
}

function copyValue(v: StageValue): string {
  if (v === null) return '\\N';
  if (typeof v === 'string') return copyText(v);
  if (typeof v === 'number') return String(v);
  if (typeof v === 'boolean') return v ? 't' : 'f';
  if (Array.isArray(v)) return copyText(arrayLiteral(v as readonly string[]));
  return copyText(JSON.stringify((v as StageJson).json));
}

/** Bytes of COPY text gathered before a write to the connection. */
const COPY_BATCH_CHARS = 256 * 1024;

function copyWriter(client: pg.Client, table: StageTable): StageWriter {
  const stream: Writable = client.query(
    copyFrom(`COPY ${table.name} (${table.columns.map(([c]) => c).join(', ')}) FROM STDIN`),
  );
  let failure: Error | null = null;
  const done = new Promise<void>((resolve, reject) => {
    stream.on('finish', resolve);
    stream.on('error', (e: Error) => {
      failure = e;
      reject(e);
    });
  });
  done.catch(() => undefined); // observed by end() or the next add()
  // Settles when the stream is done with the connection: finished, failed or destroyed.
  const closed = new Promise<void>((resolve) => stream.once('close', resolve));
  let buffer = '';
  let rows = 0;
  const flush = (): Promise<void> | undefined => {
    if (failure) return Promise.reject(failure);
    const chunk = buffer;
    buffer = '';
    if (chunk === '' || stream.write(chunk)) return undefined;
    return Promise.race([new Promise<void>((resolve) => stream.once('drain', resolve)), done]);
  };
  return {
    add(values) {
      let line = '';
      for (let i = 0; i < values.length; i++) line += (i === 0 ? '' : '\t') + copyValue(values[i]!);
      buffer += `${line}\n`;
      rows++;
      return buffer.length >= COPY_BATCH_CHARS ? flush() : undefined;
    },
    async end() {
      await flush();
      stream.end();
      await done;
      return rows;
    },
    async abort(cause) {
      if (!stream.destroyed && !stream.writableFinished) stream.destroy(cause);
      await closed;
    },
  };
}

/** A session on one pg connection (the caller has begun the transaction); staging by COPY. */
export function pgSession(client: pg.Client): SqlSession {
  let open: StageWriter | null = null;
  return {
    async rows<T>(text: string, params: readonly unknown[] = []) {
      return (await client.query(text, params as unknown[])).rows as T[];
    },
    async run(text, params = []) {
      return (await client.query(text, params as unknown[])).rowCount ?? 0;
    },
    stage: (table) => (open = copyWriter(client, table)),
    async abort(cause) {
      const w = open;
      open = null;
      await w?.abort(cause);
    },
  };
}

/** PostgreSQL's temp_buffers for `sro import`'s own connection (server memory, not Node's). */
const IMPORT_TEMP_BUFFERS = '256MB';

/**
 * Opens the import's one transaction on its own connection. Staging tables live in the
 * session's temp buffers (8 MB by default, settable only before the session's first
 * temporary table): a larger pool keeps them off the disk.
 */
export async function beginImport(client: Pick<pg.Client, 'query'>): Promise<void> {
  await client.query(`SET temp_buffers = '${IMPORT_TEMP_BUFFERS}'`);
  await client.query('BEGIN');
}

/** Commits the import's transaction, or rolls it back (invalid roster, dry run, failure). */
export async function endImport(client: Pick<pg.Client, 'query'>, commit: boolean): Promise<void> {
  await client.query(commit ? 'COMMIT' : 'ROLLBACK');
}
