// Writes a roster held in PostgreSQL (one bench/generate-roster.ts loaded) out as a roster
// folder (INTERFACE.md "Roster: CSV folder") and as one JSON roster file, streamed from the
// database by COPY … TO STDOUT: the rosters bench/import.ts imports.
import { createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import { to as copyTo } from 'pg-copy-streams';

// The roster folder's files as SELECTs of the generated tables, columns named as the CSV
// files name them (flags as true/false, escalation e-mails joined by ';').
const CSV_EXPORTS: [file: string, select: string][] = [
  [
    'agencies.csv',
    `SELECT id, name, chief_name, chief_email, array_to_string(escalation_emails, ';') AS escalation_emails FROM agency ORDER BY id`,
  ],
  ['districts.csv', 'SELECT id, name, kind FROM district ORDER BY id'],
  [
    'district_contacts.csv',
    'SELECT district_id, name, email, role FROM district_contact ORDER BY district_id, email, role',
  ],
  ['officers.csv', 'SELECT license, first_name, last_name, email, agency_id FROM officer ORDER BY license'],
  [
    'assignments.csv',
    `SELECT license, district_id, school, role, start_date, end_date,
       CASE WHEN training_unavailable THEN 'true' ELSE 'false' END AS training_unavailable
     FROM assignment ORDER BY license, district_id, start_date`,
  ],
  [
    'trainings.csv',
    `SELECT license, kind, completed_on, CASE WHEN certificate_on_file THEN 'true' ELSE 'false' END AS certificate_on_file,
       course_number, provider FROM training ORDER BY license, kind, completed_on`,
  ],
  [
    'policy_reviews.csv',
    'SELECT license, agency_id, reviewed_on FROM policy_review ORDER BY license, agency_id, reviewed_on',
  ],
  ['contact_days.csv', 'SELECT license, district_id, date FROM contact_day ORDER BY license, district_id, date'],
];

// The JSON file's sections: one json_build_object per row (district contacts nested), the
// JSON roster's field names, dates as YYYY-MM-DD.
const JSON_EXPORTS: [section: string, select: string][] = [
  [
    'agencies',
    `SELECT json_build_object('id', id, 'name', name, 'chief', json_build_object('name', chief_name, 'email', chief_email),
       'escalationEmails', escalation_emails) FROM agency ORDER BY id`,
  ],
  [
    'districts',
    `SELECT json_build_object('id', d.id, 'name', d.name, 'kind', d.kind, 'contacts', coalesce(
       (SELECT json_agg(json_build_object('name', c.name, 'email', c.email, 'role', c.role) ORDER BY c.email, c.role)
        FROM district_contact c WHERE c.district_id = d.id), '[]'::json)) FROM district d ORDER BY d.id`,
  ],
  [
    'officers',
    `SELECT json_build_object('license', license, 'firstName', first_name, 'lastName', last_name, 'email', email,
       'agencyId', agency_id) FROM officer ORDER BY license`,
  ],
  [
    'assignments',
    `SELECT json_build_object('license', license, 'districtId', district_id, 'school', school, 'role', role,
       'startDate', start_date::text, 'endDate', end_date::text, 'trainingUnavailable', training_unavailable)
     FROM assignment ORDER BY license, district_id, start_date`,
  ],
  [
    'trainings',
    `SELECT json_build_object('license', license, 'kind', kind, 'completedOn', completed_on::text,
       'certificateOnFile', certificate_on_file, 'courseNumber', course_number, 'provider', provider)
     FROM training ORDER BY license, kind, completed_on`,
  ],
  [
    'policyReviews',
    `SELECT json_build_object('license', license, 'agencyId', agency_id, 'reviewedOn', reviewed_on::text)
     FROM policy_review ORDER BY license, agency_id, reviewed_on`,
  ],
  [
    'contactDays',
    `SELECT json_build_object('license', license, 'districtId', district_id, 'date', date::text)
     FROM contact_day ORDER BY license, district_id, date`,
  ],
];

/** One row's JSON without the spaces PostgreSQL puts in it, and without null fields (absent means null). */
const compact = (line: string) => JSON.stringify(JSON.parse(line), (_key, v: unknown) => (v === null ? undefined : v));

/**
 * Writes the roster in the database at `databaseUrl` out as a CSV roster folder (`csv`) and/or
 * one JSON roster file (`json`), streamed (COPY … TO STDOUT; nothing is held in memory).
 */
export async function exportRoster(databaseUrl: string, out: { csv?: string; json?: string }): Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    if (out.csv !== undefined) {
      await mkdir(out.csv, { recursive: true });
      for (const [file, select] of CSV_EXPORTS) {
        await pipeline(
          client.query(copyTo(`COPY (${select}) TO STDOUT WITH (FORMAT csv, HEADER)`)),
          createWriteStream(join(out.csv, file)),
        );
      }
    }
    if (out.json !== undefined) {
      const file = createWriteStream(out.json);
      const put = (text: string) =>
        file.write(text) ? Promise.resolve() : new Promise<void>((resolve) => file.once('drain', resolve));
      await put('{');
      for (let i = 0; i < JSON_EXPORTS.length; i++) {
        const [section, select] = JSON_EXPORTS[i]!;
        await put(`${i === 0 ? '' : ','}\n"${section}": [`);
        // CSV format with a quote and delimiter that never occur: each line is the JSON as is.
        const rows = client.query(
          copyTo(`COPY (${select}) TO STDOUT WITH (FORMAT csv, QUOTE e'\\x01', DELIMITER e'\\x02')`),
        );
        let first = true;
        let pending = '';
        for await (const chunk of rows) {
          const lines = (pending + (chunk as Buffer).toString('utf8')).split('\n');
          pending = lines.pop()!;
          if (lines.length === 0) continue;
          await put(`${first ? '' : ','}\n${lines.map(compact).join(',\n')}`);
          first = false;
        }
        if (pending !== '') await put(`${first ? '' : ','}\n${compact(pending)}`);
        await put(']');
      }
      await put('}\n');
      await new Promise<void>((resolve, reject) => file.end((e?: Error | null) => (e ? reject(e) : resolve())));
    }
  } finally {
    await client.end();
  }
}
