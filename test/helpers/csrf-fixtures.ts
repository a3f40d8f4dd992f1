// The CSRF test's fixtures (test/web/csrf.test.ts): what a forged write could change, and the
// console facts of officer A1 the delete, correct, withdraw, confirm and reject routes act on.
import { queryRows } from './db.ts';

/** What the write routes could change: every console table's rows, in one string. */
export async function consoleState(databaseUrl: string): Promise<string> {
  const rows = await queryRows<{ state: string }>(
    databaseUrl,
    `SELECT concat_ws('|',
       (SELECT string_agg(t::text, ',' ORDER BY t.id) FROM training t),
       (SELECT string_agg(p::text, ',' ORDER BY p.id) FROM policy_review p),
       (SELECT string_agg(c::text, ',' ORDER BY c.date) FROM contact_day c),
       (SELECT count(*) FROM certificate), (SELECT string_agg(k::text, ',' ORDER BY k.id) FROM acknowledgement k), (SELECT count(*) FROM audit_event),
       (SELECT string_agg(a::text, ',' ORDER BY a.id) FROM agency a), (SELECT string_agg(o::text, ',' ORDER BY o.license) FROM officer o),
       (SELECT string_agg(s::text, ',' ORDER BY s.id) FROM assignment s), (SELECT count(*) FROM district_contact),
       (SELECT string_agg(u::text, ',' ORDER BY u.id) FROM training_submission u),
       (SELECT string_agg(f.agency_id || ':' || encode(f.sha256, 'hex'), ',') FROM agency_policy_file f)) AS state`,
  );
  return rows[0]!.state;
}

/**
 * A CONSOLE training, policy review, acknowledgement and a training A1 submitted for review (for
 * the delete, correct, withdraw, confirm and reject routes), made once.
 */
let consoleFacts: Promise<Facts> | null = null;
export interface Facts {
  training: string;
  review: string;
  ack: string;
  submission: string;
}
export function consoleFactsOfA1(databaseUrl: string, submittedBy: string): Promise<Facts> {
  consoleFacts ??= (async () => {
    const [t] = await queryRows<{ id: number }>(
      databaseUrl,
      `INSERT INTO training (license, kind, completed_on, source) VALUES ('A1', 'SRO_MANDATED', '2026-01-05', 'CONSOLE') RETURNING id`,
    );
    const [p] = await queryRows<{ id: number }>(
      databaseUrl,
      `INSERT INTO policy_review (license, agency_id, reviewed_on, source) VALUES ('A1', 'AGA', '2026-01-05', 'CONSOLE') RETURNING id`,
    );
    const [k] = await queryRows<{ id: number }>(
      databaseUrl,
      `INSERT INTO acknowledgement (license, due_date, note, acknowledged_by, acknowledged_on)
       VALUES ('A1', '2025-09-01', 'As made', 'fixture@console.example', '2026-01-05') RETURNING id`,
    );
    const pdf = Buffer.from('%PDF-1.4\n% a submitted certificate\n%%EOF\n');
    const [u] = await queryRows<{ id: number }>(
      databaseUrl,
      `WITH c AS (
         INSERT INTO certificate (sha256, content_type, size, bytes)
         VALUES (sha256($1), 'application/pdf', octet_length($1), $1) RETURNING sha256
       )
       INSERT INTO training_submission (license, kind, completed_on, certificate_sha256, submitted_by)
       SELECT 'A1', 'SRO_MANDATED', '2026-01-04', sha256, $2 FROM c RETURNING id`,
      [pdf, submittedBy],
    );
    return { training: String(t!.id), review: String(p!.id), ack: String(k!.id), submission: String(u!.id) };
  })();
  return consoleFacts;
}
