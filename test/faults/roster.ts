// A generated roster whose alerts as of 2026-03-02 are many and varied enough that a send
// batch is still in flight when a fault is injected: `officers` officers across 4 agencies
// and 6 districts, a third of them each
//   - IN_GRACE (V.C): REGULAR from 2025-10-01, employer could not provide the course → grace
//     due 2026-04-01; on 2026-03-02 the 30-day reminder is due (60 and 90 superseded):
//     chief + district PRIMARY;
//   - OVERDUE (V.A): REGULAR from 2026-01-05 without training → due 2026-01-05, overdue from
//     2026-01-06, 55 days by 2026-03-02 → DEADLINE_MISSED level 3: chief, PRIMARY, district
//     ESCALATION and agency escalation addresses;
//   - COMPLIANT without the certificate on file (V.E) → CERTIFICATE_MISSING to the chief.
// The suite does not count these by hand: the expected set is what `sro scan --dry-run`
// says, on the same database, before any worker starts.
export const FAULTS_AS_OF = '2026-03-02';

const AGENCIES = 4;
const DISTRICTS = 6;

export function faultRoster(officers: number) {
  const agencies = Array.from({ length: AGENCIES }, (_, a) => ({
    id: `MN09${String(a).padStart(5, '0')}`,
    name: `Fault Town ${a} Police Department`,
    chief: { name: `Chief ${a}`, email: `chief@town${a}-pd.example` },
    escalationEmails: [`deputy@town${a}-pd.example`],
  }));
  const districts = Array.from({ length: DISTRICTS }, (_, d) => ({
    id: `ISD9${String(d).padStart(2, '0')}`,
    name: `Fault Valley ${d} Schools`,
    kind: 'DISTRICT' as const,
    contacts: [
      { name: `Liaison ${d}`, email: `sro-liaison@isd9${d}.example`, role: 'PRIMARY' as const },
      { name: `Superintendent ${d}`, email: `superintendent@isd9${d}.example`, role: 'ESCALATION' as const },
    ],
  }));
  const roster = {
    agencies,
    districts,
    officers: [] as { license: string; firstName: string; lastName: string; agencyId: string }[],
    assignments: [] as {
      license: string;
      districtId: string;
      school: string;
      role: 'REGULAR';
      startDate: string;
      endDate: null;
      trainingUnavailable: boolean;
    }[],
    trainings: [] as {
      license: string;
      kind: 'SRO_MANDATED';
      completedOn: string;
      certificateOnFile: boolean;
      courseNumber: string;
      provider: string;
    }[],
    policyReviews: [] as { license: string; agencyId: string; reviewedOn: string }[],
    contactDays: [],
  };
  for (let i = 0; i < officers; i++) {
    const license = `9${String(i).padStart(5, '0')}`;
    const agencyId = agencies[i % AGENCIES]!.id;
    const districtId = districts[i % DISTRICTS]!.id;
    roster.officers.push({ license, firstName: `Officer${i}`, lastName: 'Fault', agencyId });
    // Policy reviewed before duty, so POLICY_REVIEW_MISSING stays out of the picture.
    roster.policyReviews.push({ license, agencyId, reviewedOn: '2025-08-15' });
    const school = `School ${i}`;
    switch (i % 3) {
      case 0:
        roster.assignments.push({
          license,
          districtId,
          school,
          role: 'REGULAR',
          startDate: '2025-10-01',
          endDate: null,
          trainingUnavailable: true,
        });
        break;
      case 1:
        roster.assignments.push({
          license,
          districtId,
          school,
          role: 'REGULAR',
          startDate: '2026-01-05',
          endDate: null,
          trainingUnavailable: false,
        });
        break;
      default:
        roster.assignments.push({
          license,
          districtId,
          school,
          role: 'REGULAR',
          startDate: '2025-09-15',
          endDate: null,
          trainingUnavailable: false,
        });
        roster.trainings.push({
          license,
          kind: 'SRO_MANDATED',
          completedOn: '2025-09-10',
          certificateOnFile: false,
          courseNumber: 'POST-SRO-101',
          provider: 'MN POST',
        });
    }
  }
  return roster;
}
