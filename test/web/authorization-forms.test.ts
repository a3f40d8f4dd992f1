// The officer page offers a form exactly when the API allows its request (issue 19 item 1, as
// Outline's presentPolicies): for every role and every officer it may see, the page is read
// for what it offers (the training form, each delete button, the certificate link, the policy
// review form and its attestation, the contact days form per district, the acknowledgement),
// then each matching API request is made: allowed (2xx) ⇔ shown. The world (roster, roles,
// fixtures) is test/helpers/authorization.ts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CONTACT_D1,
  ENDED_LAST_YEAR,
  PDF_SHA256,
  ROLE,
  ROLES,
  ROSTER,
  type Role,
  deletableReview,
  deletableTraining,
  pdfFile,
  postMultipart,
  startAuthorizationWorld,
} from '../helpers/authorization.ts';
import type { ConsoleRig, WebClient } from '../helpers/console.ts';
import { queryRows } from '../helpers/db.ts';

/**
 * B1 also served D1 as a substitute until last year: its chief may record days there, D2's
 * contact only in D2, and the page offers the contact-days form in D1 only (INTERFACE.md "Pages
 * for people": no form that cannot apply; contact days count for substitutes alone, V.D).
 */
const EXTRA = [
  { license: 'B1', districtId: 'D1', role: 'SUBSTITUTE', startDate: '2020-08-24', endDate: ENDED_LAST_YEAR },
];
const assignments = [...ROSTER.assignments, ...EXTRA];
const districtsOf = (license: string) => [
  ...new Set(assignments.filter((a) => a.license === license).map((a) => a.districtId)),
];
const substituteDistrictsOf = (license: string) => [
  ...new Set(assignments.filter((a) => a.license === license && a.role === 'SUBSTITUTE').map((a) => a.districtId)),
];

let rig: ConsoleRig;
let clients: Map<Role, WebClient>;

beforeAll(async () => {
  ({ rig, clients } = await startAuthorizationWorld('console-authz-forms', EXTRA));
  // D1's contact received the overdue notice of A1's missed deadline: RULES.md 6 lets them acknowledge it.
  const a1 = (await clients.get('admin')!.get('/api/officers/A1')).json<{ status: string; dueDate: string }>();
  expect(a1.status).toBe('OVERDUE');
  await queryRows(
    rig.database.url,
    `INSERT INTO alert_ledger (key, alert_key, kind, license, recipient, due_date, level, as_of, status, sent_at)
     VALUES ('fixture:A1:missed', 'fixture:A1:missed', 'DEADLINE_MISSED', 'A1', $1, $2, 1, $2, 'SENT', now())`,
    [CONTACT_D1, a1.dueDate],
  );
}, 60_000);
afterAll(() => rig?.close());

/** What the officer page offers the viewer, read from its HTML. */
interface Offered {
  recordTraining: boolean;
  deleteTraining: boolean;
  readCertificate: boolean;
  recordPolicyReview: boolean;
  attest: boolean;
  deletePolicyReview: boolean;
  contactDayDistricts: string[];
  acknowledge: string | null;
  changeOfficer: boolean;
  /** The new assignment form's districts: 'any' (a text input), those of its select, or none. */
  addAssignment: 'any' | string[];
  /** The assignments the page offers to end, as `districtId/startDate`. */
  endAssignment: string[];
}

function offered(html: string, license: string, role: Role): Offered {
  const base = `/officers/${license}`;
  const has = (s: string) => html.includes(s);
  const select = /<select id="days-districtId"[^>]*>([^]*?)<\/select>/.exec(html)?.[1] ?? '';
  return {
    recordTraining: has(`action="${base}/trainings"`),
    deleteTraining: has(`action="${base}/trainings/${deletableTraining.get(`${role}:${license}`)}/delete"`),
    readCertificate: has(`href="/api/officers/${license}/certificates/${PDF_SHA256}"`),
    recordPolicyReview: has(`action="${base}/policy-reviews"`),
    attest: has('id="review-attest"'),
    deletePolicyReview: has(`action="${base}/policy-reviews/${deletableReview.get(`${role}:${license}`)}/delete"`),
    contactDayDistricts: [...select.matchAll(/<option value="([^"]+)"/g)].map((m) => m[1]!),
    acknowledge: /name="dueDate" value="([^"]+)"/.exec(html)?.[1] ?? null,
    changeOfficer: has(`action="${base}/details"`),
    addAssignment: has('<input type="text" id="assignment-districtId"')
      ? 'any'
      : [
          ...(/<select id="assignment-districtId"[^>]*>([^]*?)<\/select>/.exec(html)?.[1] ?? '').matchAll(
            /<option value="([^"]+)"/g,
          ),
        ].map((m) => m[1]!),
    endAssignment: [...html.matchAll(new RegExp(`action="${base}/assignments/([^/"]+/[^/"]+)/end"`, 'g'))].map(
      (m) => m[1]!,
    ),
  };
}

async function lastAuditAction(license: string, actor: string): Promise<string | undefined> {
  const rows = await queryRows<{ action: string }>(
    rig.database.url,
    `SELECT action FROM audit_event WHERE license = $1 AND actor = $2 ORDER BY id DESC LIMIT 1`,
    [license, actor],
  );
  return rows[0]?.action;
}

/** How often each form was shown and hidden over every cell (each must be both, or the check proves little). */
const tally = new Map<string, { shown: number; hidden: number }>();
function count(what: string, shown: boolean): void {
  const t = tally.get(what) ?? { shown: 0, hidden: 0 };
  if (shown) t.shown++;
  else t.hidden++;
  tally.set(what, t);
}

describe('the officer page shows a form exactly when the API allows its request', () => {
  for (const role of ROLES.filter((r) => r !== 'signedOut')) {
    describe(role, () => {
      for (const license of ROLE[role].sees) {
        it(`officer ${license}`, async () => {
          const client = clients.get(role)!;
          const page = await client.get(`/officers/${license}`);
          expect(page.status).toBe(200);
          const o = offered(page.text, license, role);
          const api = `/api/officers/${license}`;
          const allowed = (status: number) => status >= 200 && status < 300;
          const check = (what: string, shown: boolean, status: number) => {
            count(what.replace(/ in D\d$/, ''), shown);
            expect({ what, allowed: allowed(status) }, `${role} on ${license}: ${what} (${status})`).toEqual({
              what,
              allowed: shown,
            });
          };

          // First the acknowledgement: what follows must not change whether a deadline is missed.
          const admin = clients.get('admin')!;
          const due = (await admin.get(api)).json<{ status: string; dueDate: string | null }>();
          const ack = await client.post(`${api}/acknowledgements`, { json: { dueDate: due.dueDate ?? '2025-09-01' } });
          check('acknowledgement', o.acknowledge !== null, ack.status);
          if (o.acknowledge !== null) expect(o.acknowledge).toBe(due.dueDate);

          // A supplemental course long ago: recorded, but it leaves the deadline missed.
          // The officer's own is submitted for the chief's review (RULES.md 10: 202, with its certificate).
          const training = await postMultipart(client, `${api}/trainings`, {
            kind: 'SRO_SUPPLEMENTAL',
            completedOn: '2003-01-05',
            certificate: pdfFile(),
          });
          check('training', o.recordTraining, training.status);
          check('certificate', o.readCertificate, (await client.get(`${api}/certificates/${PDF_SHA256}`)).status);
          const tid = deletableTraining.get(`${role}:${license}`);
          check(
            'delete training',
            o.deleteTraining,
            (await client.post(`${api}/trainings/${tid}/delete`, { json: {} })).status,
          );

          const review = await client.post(`${api}/policy-reviews`, { json: { reviewedOn: '2026-01-05' } });
          check('policy review', o.recordPolicyReview, review.status);
          const attested =
            allowed(review.status) && (await lastAuditAction(license, ROLE[role].email!)) === 'policy-review.attest';
          expect(attested, `${role} on ${license}: attestation`).toBe(o.attest);
          count('attestation', o.attest);
          const rid = deletableReview.get(`${role}:${license}`);
          check(
            'delete policy review',
            o.deletePolicyReview,
            (await client.post(`${api}/policy-reviews/${rid}/delete`, { json: {} })).status,
          );

          for (const districtId of districtsOf(license)) {
            const days = await client.post(`${api}/contact-days`, { json: { districtId, dates: ['2026-01-05'] } });
            // Where the officer is no substitute the form cannot apply: never shown, whatever the API allows.
            if (substituteDistrictsOf(license).includes(districtId))
              check(`contact days in ${districtId}`, o.contactDayDistricts.includes(districtId), days.status);
            else
              expect(o.contactDayDistricts, `${role} on ${license}: contact days in ${districtId}`).not.toContain(
                districtId,
              );
          }
          expect(o.contactDayDistricts.every((d) => substituteDistrictsOf(license).includes(d))).toBe(true);

          // The directory (RULES.md 11). The officer's name, not the e-mail they sign in with.
          const renamed = await client.patch(api, { json: { lastName: `Seen by ${role}` } });
          check('officer name and e-mail', o.changeOfficer, renamed.status);
          // A new assignment starting in a later year, in a district the officer serves already
          // (scopes and the districts served stay as they are for the cells that follow).
          const year = new Date().getUTCFullYear() + 3;
          for (const [i, districtId] of districtsOf(license).entries()) {
            const added = await client.post(`${api}/assignments`, {
              json: { districtId, role: 'REGULAR', startDate: `${year}-0${1 + ROLES.indexOf(role)}-1${i}` },
            });
            const offeredIn = o.addAssignment === 'any' || o.addAssignment.includes(districtId);
            check(`new assignment in ${districtId}`, offeredIn, added.status);
          }
          // Ending an assignment that goes on: a last day years ahead keeps it active today. (An
          // assignment that has ended has nothing to end; the page offers no form for it.)
          for (const a of assignments.filter((x) => x.license === license && x.endDate === null)) {
            const ended = await client.patch(`${api}/assignments/${a.districtId}/${a.startDate}`, {
              json: { endDate: `${year + 6}-06-30` },
            });
            check(
              `end assignment in ${a.districtId}`,
              o.endAssignment.includes(`${a.districtId}/${a.startDate}`),
              ended.status,
            );
          }
        });
      }
    });
  }
});

describe('the check above saw every form both shown and hidden', () => {
  it('each form of the page, shown to some viewer and hidden from another', () => {
    expect([...tally.keys()].sort()).toEqual(
      [
        'acknowledgement',
        'attestation',
        'certificate',
        'contact days',
        'delete policy review',
        'delete training',
        'end assignment',
        'new assignment',
        'officer name and e-mail',
        'policy review',
        'training',
      ].sort(),
    );
    for (const [what, t] of tally) {
      expect(t.shown, `${what} shown`).toBeGreaterThan(0);
      expect(t.hidden, `${what} hidden`).toBeGreaterThan(0);
    }
  });
});
