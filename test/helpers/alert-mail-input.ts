// An alert e-mail's input as the renderer specifications (test/unit/render-alert-*.test.ts)
// build it: Officer Grace Period of Lakeside Police Department, IN_GRACE (V.C) due 2026-04-01,
// as of 2026-03-02, written to the chief unless a case says otherwise.
import type { Alert, Recipient } from '../../src/domain/alert-types.ts';
import { civilDate as d } from '../../src/domain/civil-date.ts';
import type { OfficerStatus } from '../../src/domain/types.ts';
import type { AlertMailInput } from '../../src/mail/render-alert.ts';
import { officerStatus } from './officer-status.ts';

export const CHIEF: Recipient = {
  email: 'chief@lakeside-pd.example',
  name: 'Chief Ruth Anders',
  role: 'CHIEF',
  districtId: null,
};
export const PRIMARY: Recipient = {
  email: 'sro-liaison@isd900.example',
  name: 'Pat Liaison',
  role: 'DISTRICT_PRIMARY',
  districtId: 'ISD900',
};

// IN_GRACE (V.C): assumed duties 2025-10-01, employer could not provide the course → G = 2026-04-01 (Wednesday).
export const IN_GRACE: OfficerStatus = officerStatus({
  license: '10001',
  status: 'IN_GRACE',
  dueDate: d('2026-04-01'),
  daysRemaining: 30,
  restrictedDuties: [4, 5],
  basis: 'GRACE_PERIOD_EXPIRED',
  assumedDutiesOn: d('2025-10-01'),
});

export function alert(over: Partial<Alert> & Pick<Alert, 'kind' | 'key'>): Alert {
  return {
    license: '10001',
    dueDate: null,
    lead: null,
    level: null,
    threshold: null,
    schoolYear: null,
    recipients: [],
    ...over,
  };
}

export function input(over: Partial<AlertMailInput> = {}): AlertMailInput {
  const a =
    over.alert ??
    alert({
      kind: 'DEADLINE_REMINDER',
      key: 'DEADLINE_REMINDER:10001:2026-04-01:lead=30',
      dueDate: d('2026-04-01'),
      lead: 30,
    });
  const r = over.recipient ?? CHIEF;
  return {
    alert: a,
    recipient: r,
    officer: { license: '10001', firstName: 'Grace', lastName: 'Period' },
    agency: { id: 'MN0900100', name: 'Lakeside Police Department', chiefName: 'Chief Ruth Anders' },
    districts: [{ id: 'ISD900', name: 'Lakeside Public Schools', kind: 'DISTRICT' }],
    status: IN_GRACE,
    asOf: d('2026-03-02'),
    ledgerKey: `${a.key}:to=${r.email}`,
    generatedAt: '20260302T120000Z',
    ...over,
  };
}

export /** The `code` of what `fn` throws (undefined when it returns). */
function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    return (e as { code?: string }).code;
  }
  return undefined;
}
