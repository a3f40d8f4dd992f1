// CSV dates as spreadsheets write them (INTERFACE.md "Imports that say everything at once"): a
// CSV roster's date cells take M/D/YYYY (8/15/2025, 08/15/2025) beside YYYY-MM-DD; a day that
// is not on the calendar is refused with its line and column, once. JSON dates stay
// YYYY-MM-DD. Pure: the roster read whole by the test oracle, whose CSV rules (src/roster/csv.ts)
// the streamed import shares (test/integration/roster-import-at-once.test.ts runs them there).
import { describe, expect, it } from 'vitest';
import { formatRosterError } from '../../src/roster/load.ts';
import { type LoadResult, parseCsvRoster, parseJsonRoster } from '../oracle/roster-in-memory.ts';
import { errorsOf, ok } from '../helpers/roster-results.ts';

function csv(files: Record<string, string>): LoadResult {
  return parseCsvRoster(new Map(Object.entries(files)), 'export');
}

const ASSIGNMENTS = 'license,district_id,role,start_date,end_date';
const assignments = (...rows: string[]) => csv({ 'assignments.csv': `${ASSIGNMENTS}\n${rows.join('\n')}\n` });
const messages = (r: LoadResult) => errorsOf(r).map(formatRosterError);

describe('a CSV date written M/D/YYYY', () => {
  it('given 8/15/2025, 08/15/2025 and 2025-08-15, then each is the day 2025-08-15', () => {
    const roster = ok(assignments('1,D,REGULAR,8/15/2025,', '2,D,REGULAR,08/15/2025,', '3,D,REGULAR,2025-08-15,'));
    expect(roster.assignments.map((a) => a.startDate)).toEqual(['2025-08-15', '2025-08-15', '2025-08-15']);
  });

  it('given every date column of the folder written M/D/YYYY, then each is read', () => {
    const roster = ok(
      csv({
        'assignments.csv': `${ASSIGNMENTS}\n1,D,REGULAR,9/2/2025,6/5/2026\n`,
        'trainings.csv': 'license,kind,completed_on\n1,SRO_MANDATED,1/20/2026\n',
        'policy_reviews.csv': 'license,agency_id,reviewed_on\n1,A,12/31/2025\n',
        'contact_days.csv': 'license,district_id,date\n1,D,2/3/2026\n',
      }),
    );
    expect([
      roster.assignments[0]!.startDate,
      roster.assignments[0]!.endDate,
      roster.trainings[0]!.completedOn,
      roster.policyReviews[0]!.reviewedOn,
      roster.contactDays[0]!.date,
    ]).toEqual(['2025-09-02', '2026-06-05', '2026-01-20', '2025-12-31', '2026-02-03']);
  });

  it('given February 29 of a leap year, then it is read; of another year, it is refused', () => {
    expect(ok(assignments('1,D,REGULAR,2/29/2024,')).assignments[0]!.startDate).toBe('2024-02-29');
    expect(messages(assignments('1,D,REGULAR,2/29/2025,'))).toEqual([
      'assignments.csv:2: start_date: "2/29/2025" is not a calendar date (M/D/YYYY or YYYY-MM-DD)',
    ]);
  });

  it('given 2/30/2025, 13/1/2025 and 8/15/25, then each line and column is named once, with what was written', () => {
    expect(
      messages(assignments('1,D,REGULAR,2/30/2025,', '2,D,REGULAR,13/1/2025,', '3,D,REGULAR,9/1/2025,8/15/25')),
    ).toEqual([
      'assignments.csv:2: start_date: "2/30/2025" is not a calendar date (M/D/YYYY or YYYY-MM-DD)',
      'assignments.csv:3: start_date: "13/1/2025" is not a calendar date (M/D/YYYY or YYYY-MM-DD)',
      'assignments.csv:4: end_date: "8/15/25" is not a calendar date (M/D/YYYY or YYYY-MM-DD)',
    ]);
  });

  it('given an end date before the start date, both M/D/YYYY, then it is compared as days, not as text', () => {
    expect(ok(assignments('1,D,REGULAR,9/2/2025,10/1/2025')).assignments[0]!.endDate).toBe('2025-10-01');
    expect(messages(assignments('1,D,REGULAR,10/1/2025,9/2/2025'))).toEqual([
      'assignments.csv:2: end_date: 2025-09-02 is before the start date 2025-10-01',
    ]);
  });
});

describe('a JSON date', () => {
  it('given 8/15/2025, then it is refused: a JSON roster writes YYYY-MM-DD', () => {
    const r = parseJsonRoster(
      JSON.stringify({ assignments: [{ license: '1', districtId: 'D', role: 'REGULAR', startDate: '8/15/2025' }] }),
      'roster.json',
    );
    expect(messages(r)).toEqual([
      'roster.json:1: assignments[0].startDate: "8/15/2025" is not a calendar date (YYYY-MM-DD)',
    ]);
  });
});
