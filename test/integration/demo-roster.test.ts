// The demo roster (examples/) imports as JSON and as a CSV folder, and its report matches
// test/fixtures/demo-expected.json on every RULES.md section-3 field, as of 2026-03-02 and
// 2026-11-23. Each value there was checked by hand against RULES.md (see examples/README.md).
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectRoot } from '../../src/db/migrate.ts';
import { createPool } from '../../src/db/pool.ts';
import {
  FOLDED_OFFICER_SQL,
  type OfficerRecord,
  officerFromFolded,
  readOfficerBatches,
} from '../../src/db/officer-reader.ts';
import { buildReport } from '../../src/app/status-report.ts';
import { civilDate } from '../../src/domain/civil-date.ts';
import expected from '../fixtures/demo-expected.json' with { type: 'json' };
import type { TestDatabase } from '../helpers/db.ts';
import { createRosterDatabase } from '../helpers/roster-database.ts';

const rules = { schoolYearStart: { month: 7, day: 1 } };
const dbs: TestDatabase[] = [];

async function imported(path: string): Promise<TestDatabase> {
  const t = await createRosterDatabase('demo', path);
  dbs.push(t);
  return t;
}

async function report(t: TestDatabase, asOf: string) {
  const pool = createPool(t.url);
  try {
    return Object.fromEntries((await buildReport(pool, civilDate(asOf), rules)).map((o) => [o.license, o]));
  } finally {
    await pool.end();
  }
}

let json: TestDatabase;
let csv: TestDatabase;
beforeAll(async () => {
  json = await imported(join(projectRoot, 'examples', 'demo-roster.json'));
  csv = await imported(join(projectRoot, 'examples', 'demo-roster-csv'));
});
afterAll(async () => {
  for (const t of dbs) await t.drop();
});

describe('the demo roster exercises every status, reason and issue', () => {
  for (const asOf of ['2026-03-02', '2026-11-23'] as const) {
    it(`report as of ${asOf} matches the hand-checked expectation, from JSON and from CSV`, async () => {
      expect(await report(json, asOf)).toEqual(expected[asOf]);
      expect(await report(csv, asOf)).toEqual(expected[asOf]);
    });
  }

  it('covers every status, every overdue reason but the legacy one (not due before 2027-06-01), and every issue', () => {
    const all = [...Object.values(expected['2026-03-02']), ...Object.values(expected['2026-11-23'])];
    expect(new Set(all.map((o) => o.status))).toEqual(
      new Set(['COMPLIANT', 'EXEMPT_SUBSTITUTE', 'DUE', 'IN_GRACE', 'OVERDUE', 'INACTIVE']),
    );
    expect(new Set(all.map((o) => o.reason).filter(Boolean))).toEqual(
      new Set([
        'GRACE_PERIOD_EXPIRED',
        'NO_TRAINING_BEFORE_DUTIES',
        'SUBSTITUTE_LIMIT_REACHED',
        'PRE_MANDATE_UNTRAINED',
      ]),
    );
    expect(new Set(all.flatMap((o) => o.issues))).toEqual(
      new Set(['CERTIFICATE_MISSING', 'POLICY_REVIEW_MISSING', 'NO_CONTACT_ON_FILE']),
    );
    expect(all.some((o) => o.completedLate)).toBe(true);
  });
});

describe('the two ways of reading an officer agree', () => {
  it('the folded officer (one round trip, which the send job’s claim brings along) equals the batch read, for every demo officer', async () => {
    const pool = createPool(json.url);
    try {
      const batched = [];
      for await (const batch of readOfficerBatches(pool, { batchSize: 4 })) batched.push(...batch);
      expect(batched.length).toBeGreaterThan(10);
      const sortFacts = (o: OfficerRecord) => ({
        ...o,
        assignments: [...o.assignments].sort((a, b) =>
          `${a.districtId}${a.startDate}`.localeCompare(`${b.districtId}${b.startDate}`),
        ),
        trainings: [...o.trainings].sort((a, b) =>
          `${a.kind}${a.completedOn}`.localeCompare(`${b.kind}${b.completedOn}`),
        ),
        policyReviews: [...o.policyReviews].sort((a, b) =>
          `${a.agencyId}${a.reviewedOn}`.localeCompare(`${b.agencyId}${b.reviewedOn}`),
        ),
        contactDays: [...o.contactDays].sort((a, b) =>
          `${a.date}${a.districtId}`.localeCompare(`${b.date}${b.districtId}`),
        ),
      });
      const folded = async (license: string) => {
        const r = await pool.query({
          text: `SELECT ${FOLDED_OFFICER_SQL} FROM officer o WHERE o.license = $1`,
          values: [license],
          rowMode: 'array',
        });
        return officerFromFolded(r.rows[0]?.[0]);
      };
      for (const o of batched) expect(sortFacts((await folded(o.license))!)).toEqual(sortFacts(o));
      expect(await folded('NO-SUCH-LICENSE')).toBeNull();
    } finally {
      await pool.end();
    }
  });
});
