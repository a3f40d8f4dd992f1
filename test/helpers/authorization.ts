// The authorization tests' world (INTERFACE.md "Console", "Who sees what"): a roster of three
// agencies and two districts, the roles that sign in to it (each with an officer in scope and
// one out of scope), CONSOLE facts to delete and a certificate to read per (role, officer),
// and the requests the tests make. Shared by the generated matrix (test/web/authorization.test.ts),
// what each role sees, and the officer page's forms against the API.
import { createHash, generateKeyPairSync } from 'node:crypto';
import { withClient } from '../../support/postgres.ts';
import { type ConsoleRig, type WebClient, type WebResponse, startConsoleRig } from './console.ts';

// Dates relative to the real clock (the console's "today" is the real today in TZ): an
// assignment that ended in June of last year, and one that starts in June of next year.
const year = new Date().getUTCFullYear();
export const ENDED_LAST_YEAR = `${year - 1}-06-30`;
const STARTS_NEXT_YEAR = `${year + 1}-06-30`;

const ADMIN = 'admin@console.example';
const CHIEF_A = 'chief@agency-a.example';
const CHIEF_B = 'chief@agency-b.example';
const ESCALATION_A = 'deputy@agency-a.example';
export const CONTACT_D1 = 'contact@d1.example';
const CONTACT_D2 = 'contact@d2.example';
const OFFICER_A2 = 'officer.a2@agency-a.example';
/** Chief of agency C and ESCALATION contact of D2: the two roles add up. */
export const DUAL = 'chief@agency-c.example';

export const ROSTER = {
  agencies: [
    {
      id: 'AGA',
      name: 'Agency A Police',
      chief: { name: 'Chief A', email: CHIEF_A },
      escalationEmails: [ESCALATION_A],
    },
    { id: 'AGB', name: 'Agency B Sheriff', chief: { name: 'Chief B', email: CHIEF_B }, escalationEmails: [] },
    { id: 'AGC', name: 'Agency C Police', chief: { name: 'Chief C', email: DUAL }, escalationEmails: [] },
  ],
  districts: [
    {
      id: 'D1',
      name: 'District One',
      kind: 'DISTRICT',
      contacts: [{ name: 'C1', email: CONTACT_D1, role: 'PRIMARY' }],
    },
    {
      id: 'D2',
      name: 'District Two',
      kind: 'DISTRICT',
      contacts: [
        { name: 'C2', email: CONTACT_D2, role: 'PRIMARY' },
        { name: 'Dual', email: DUAL, role: 'ESCALATION' },
      ],
    },
  ],
  officers: [
    { license: 'A1', firstName: 'Ann', lastName: 'One', email: null, agencyId: 'AGA' },
    { license: 'A2', firstName: 'Abe', lastName: 'Two', email: OFFICER_A2, agencyId: 'AGA' },
    { license: 'A3', firstName: 'Ada', lastName: 'Three', email: null, agencyId: 'AGA' },
    { license: 'B1', firstName: 'Bo', lastName: 'One', email: null, agencyId: 'AGB' },
    { license: 'B2', firstName: 'Bea', lastName: 'Two', email: null, agencyId: 'AGB' },
    { license: 'B3', firstName: 'Ben', lastName: 'Three', email: null, agencyId: 'AGB' },
    { license: 'C1', firstName: 'Cy', lastName: 'One', email: null, agencyId: 'AGC' },
  ],
  assignments: [
    // Active today in D1: A1 (agency A) and B3 (agency B).
    { license: 'A1', districtId: 'D1', role: 'REGULAR', startDate: '2020-08-24', endDate: null },
    { license: 'B3', districtId: 'D1', role: 'REGULAR', startDate: '2020-08-24', endDate: null },
    // Not active today in D1: ended last year, and starting next year.
    { license: 'A3', districtId: 'D1', role: 'REGULAR', startDate: '2020-08-24', endDate: ENDED_LAST_YEAR },
    { license: 'B2', districtId: 'D1', role: 'REGULAR', startDate: STARTS_NEXT_YEAR, endDate: null },
    // Active today in D2: B1.
    { license: 'B1', districtId: 'D2', role: 'REGULAR', startDate: '2020-08-24', endDate: null },
  ],
};

export const MISSING_LICENSE = 'NO-SUCH-1';

export type Role = 'admin' | 'chiefA' | 'chiefB' | 'escalationA' | 'contactD1' | 'contactD2' | 'officer' | 'signedOut';
export const ROLES: readonly Role[] = [
  'admin',
  'chiefA',
  'chiefB',
  'escalationA',
  'contactD1',
  'contactD2',
  'officer',
  'signedOut',
];

export interface RoleSpec {
  email: string | null;
  /** Exactly the officers the role sees today. */
  sees: string[];
  /** An officer in scope, and one that exists but is out of scope (none for an admin). */
  inScope: string;
  outOfScope: string | null;
  roles: { role: string; agencyId?: string; districtId?: string; license?: string }[];
}

export const ROLE: Record<Role, RoleSpec> = {
  admin: {
    email: ADMIN,
    sees: ['A1', 'A2', 'A3', 'B1', 'B2', 'B3', 'C1'],
    inScope: 'B2',
    outOfScope: null,
    roles: [{ role: 'ADMIN' }],
  },
  chiefA: {
    email: CHIEF_A,
    sees: ['A1', 'A2', 'A3'],
    inScope: 'A3',
    outOfScope: 'B1',
    roles: [{ role: 'CHIEF', agencyId: 'AGA' }],
  },
  chiefB: {
    email: CHIEF_B,
    sees: ['B1', 'B2', 'B3'],
    inScope: 'B2',
    outOfScope: 'A1',
    roles: [{ role: 'CHIEF', agencyId: 'AGB' }],
  },
  escalationA: {
    email: ESCALATION_A,
    sees: ['A1', 'A2', 'A3'],
    inScope: 'A1',
    outOfScope: 'B3',
    roles: [{ role: 'AGENCY_ESCALATION', agencyId: 'AGA' }],
  },
  contactD1: {
    email: CONTACT_D1,
    sees: ['A1', 'B3'],
    inScope: 'B3',
    // Assigned in D1 until last year: no longer D1's.
    outOfScope: 'A3',
    roles: [{ role: 'DISTRICT_CONTACT', districtId: 'D1' }],
  },
  contactD2: {
    email: CONTACT_D2,
    sees: ['B1'],
    inScope: 'B1',
    outOfScope: 'B3',
    roles: [{ role: 'DISTRICT_CONTACT', districtId: 'D2' }],
  },
  officer: {
    email: OFFICER_A2,
    sees: ['A2'],
    inScope: 'A2',
    outOfScope: 'A1',
    roles: [{ role: 'OFFICER', license: 'A2' }],
  },
  signedOut: { email: null, sees: [], inScope: 'A1', outOfScope: null, roles: [] },
};

/** The directory's scopes (RULES.md 11): an agency and a district the role may read (null: none), and one it may not (null: an admin's everything). */
export interface DirectoryScope {
  agency: { in: string | null; out: string | null };
  district: { in: string | null; out: string | null };
}

export const DIRECTORY_SCOPE: Record<Role, DirectoryScope> = {
  admin: { agency: { in: 'AGA', out: null }, district: { in: 'D1', out: null } },
  chiefA: { agency: { in: 'AGA', out: 'AGB' }, district: { in: null, out: 'D1' } },
  chiefB: { agency: { in: 'AGB', out: 'AGA' }, district: { in: null, out: 'D1' } },
  escalationA: { agency: { in: 'AGA', out: 'AGB' }, district: { in: null, out: 'D1' } },
  contactD1: { agency: { in: null, out: 'AGA' }, district: { in: 'D1', out: 'D2' } },
  contactD2: { agency: { in: null, out: 'AGA' }, district: { in: 'D2', out: 'D1' } },
  officer: { agency: { in: null, out: 'AGA' }, district: { in: null, out: 'D1' } },
  signedOut: { agency: { in: 'AGA', out: null }, district: { in: 'D1', out: null } },
};

/** Each officer's assignment the matrix changes (`:districtId/:startDate`); one not on file for A2 and C1. */
export const ASSIGNMENT_OF: Record<string, { districtId: string; startDate: string }> = {
  A1: { districtId: 'D1', startDate: '2020-08-24' },
  A3: { districtId: 'D1', startDate: '2020-08-24' },
  B1: { districtId: 'D2', startDate: '2020-08-24' },
  B2: { districtId: 'D1', startDate: STARTS_NEXT_YEAR },
  B3: { districtId: 'D1', startDate: '2020-08-24' },
};

/** The certificate file every officer's CONSOLE trainings carry (inserted before the matrix). */
const PDF = Buffer.from('%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n');
export const PDF_SHA256 = createHash('sha256').update(PDF).digest('hex');
/** A CONSOLE training and policy review per (role, officer) for the delete cells: `${role}:${license}` → id. */
export const deletableTraining = new Map<string, string>();
export const deletableReview = new Map<string, string>();
/** RULES.md 10: a submitted training per (role, officer) for each confirm and reject cell: `${route}:${role}:${license}` → id. */
export const pendingSubmission = new Map<string, string>();
/** The same for the forms' delete buttons. */
export const formDeletableTraining = new Map<string, string>();
export const formDeletableReview = new Map<string, string>();
/** An acknowledgement made by someone else per (role, officer), for the correct and withdraw cells. */
export const changeableAcknowledgement = new Map<string, string>();

export interface AuthorizationWorld {
  rig: ConsoleRig;
  /** A signed-in client per role (signedOut: a client without a session). */
  clients: Map<Role, WebClient>;
}

/**
 * A console on ROSTER (with `extraAssignments`), the CONSOLE facts of every (role, officer),
 * and a client per role.
 */
export async function startAuthorizationWorld(
  label: string,
  extraAssignments: readonly (typeof ROSTER.assignments)[number][] = [],
): Promise<AuthorizationWorld> {
  const rig = await startConsoleRig(label, {
    ADMIN_EMAILS: ADMIN,
    LOGIN_LIMIT_PER_CLIENT: '1000',
    LOGIN_LIMIT_PER_ADDRESS: '100',
    // The mail provider's webhook set up, so its row answers as in production (unsigned: 401).
    BOUNCE_DOMAIN: 'bounces.sro.example',
    SENDGRID_WEBHOOK_PUBLIC_KEY: generateKeyPairSync('ec', { namedCurve: 'prime256v1' })
      .publicKey.export({ type: 'spki', format: 'der' })
      .toString('base64'),
  });
  await rig.load({ ...ROSTER, assignments: [...ROSTER.assignments, ...extraAssignments] });
  // Console facts to delete and a certificate to read: one training and one policy review per
  // (role, officer), each training carrying the same file.
  await withClient(rig.config.databaseUrl, async (c) => {
    await c.query(
      `INSERT INTO certificate (sha256, content_type, size, bytes) VALUES ($1, 'application/pdf', $2, $3)`,
      [Buffer.from(PDF_SHA256, 'hex'), PDF.length, PDF],
    );
    for (const [i, role] of ROLES.entries())
      for (const o of ROSTER.officers) {
        const day = `2001-01-${String(i + 1).padStart(2, '0')}`;
        const t = await c.query(
          `INSERT INTO training (license, kind, completed_on, certificate_sha256, source, recorded_by, recorded_at)
           VALUES ($1, 'SRO_SUPPLEMENTAL', $2, $3, 'CONSOLE', 'fixture@console.example', now()) RETURNING id`,
          [o.license, day, Buffer.from(PDF_SHA256, 'hex')],
        );
        deletableTraining.set(`${role}:${o.license}`, String(t.rows[0].id));
        const p = await c.query(
          `INSERT INTO policy_review (license, agency_id, reviewed_on, source, recorded_by, recorded_at)
           VALUES ($1, $2, $3, 'CONSOLE', 'fixture@console.example', now()) RETURNING id`,
          [o.license, o.agencyId, day],
        );
        deletableReview.set(`${role}:${o.license}`, String(p.rows[0].id));
        const formDay = `2002-01-${String(i + 1).padStart(2, '0')}`;
        const ft = await c.query(
          `INSERT INTO training (license, kind, completed_on, source, recorded_by, recorded_at)
           VALUES ($1, 'SRO_SUPPLEMENTAL', $2, 'CONSOLE', 'fixture@console.example', now()) RETURNING id`,
          [o.license, formDay],
        );
        formDeletableTraining.set(`${role}:${o.license}`, String(ft.rows[0].id));
        const fp = await c.query(
          `INSERT INTO policy_review (license, agency_id, reviewed_on, source, recorded_by, recorded_at)
           VALUES ($1, $2, $3, 'CONSOLE', 'fixture@console.example', now()) RETURNING id`,
          [o.license, o.agencyId, formDay],
        );
        formDeletableReview.set(`${role}:${o.license}`, String(fp.rows[0].id));
        const ack = await c.query(
          `INSERT INTO acknowledgement (license, due_date, note, acknowledged_by, acknowledged_on)
           VALUES ($1, '2025-09-01', 'fixture', 'fixture@console.example', '2026-01-05') RETURNING id`,
          [o.license],
        );
        changeableAcknowledgement.set(`${role}:${o.license}`, String(ack.rows[0].id));
      }
    // Submitted trainings waiting for the chief's answer (RULES.md 10), one per answering cell.
    const answering = ['apiConfirmTraining', 'apiRejectTraining', 'formConfirmTraining', 'formRejectTraining'];
    for (const [i, role] of ROLES.entries())
      for (const o of ROSTER.officers)
        for (const [j, route] of answering.entries()) {
          const s = await c.query(
            `INSERT INTO training_submission (license, kind, completed_on, certificate_sha256, submitted_by)
             VALUES ($1, 'SRO_SUPPLEMENTAL', $2, $3, 'fixture@console.example') RETURNING id`,
            [
              o.license,
              `2003-${String(j + 1).padStart(2, '0')}-${String(i + 1).padStart(2, '0')}`,
              Buffer.from(PDF_SHA256, 'hex'),
            ],
          );
          pendingSubmission.set(`${route}:${role}:${o.license}`, String(s.rows[0].id));
        }
    // Each agency's SRO policy (RULES.md 10), for the download cells.
    for (const a of ROSTER.agencies)
      await c.query(
        `INSERT INTO agency_policy_file (agency_id, sha256, size, bytes, uploaded_by) VALUES ($1, $2, $3, $4, 'fixture@console.example')`,
        [a.id, Buffer.from(PDF_SHA256, 'hex'), PDF.length, PDF],
      );
  });
  const clients = new Map<Role, WebClient>();
  await Promise.all(
    ROLES.map(async (role) => {
      const email = ROLE[role].email;
      clients.set(role, email ? await rig.signIn(email) : rig.client());
    }),
  );
  return { rig, clients };
}

/** A PDF file to upload in a multipart field. */
export const pdfFile = (name = 'file.pdf') => new File([PDF], name, { type: 'application/pdf' });

/** A multipart/form-data POST from the client's cookie jar, its CSRF token in the header. */
export async function postMultipart(
  client: WebClient,
  path: string,
  fields: Record<string, string | File>,
): Promise<WebResponse> {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) form.append(k, v);
  const token = await client.csrfToken();
  const headers: Record<string, string> = { 'x-csrf-token': token };
  if (client.cookies.size) headers.cookie = [...client.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  const res = await fetch(new URL(path, client.baseUrl), { method: 'POST', headers, body: form, redirect: 'manual' });
  const text = await res.text();
  return { status: res.status, headers: res.headers, text, json: <T>() => JSON.parse(text) as T };
}
