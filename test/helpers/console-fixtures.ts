// The console tests' small roster (Albert Lea's police, one district), the people who sign in
// to it, and a certificate PDF: one home for what the console's test files (test/web,
// test/browser) share.

export const ADMIN = 'admin@console.example';
export const CHIEF = 'chief@albert-lea.example';
export const CONTACT = 'contact@isd241.example';
export const OFFICER = 'dana.olson@albert-lea.example';

/** The agency, whose chief can sign in. */
export const ALBERT_LEA = {
  id: 'MN0240100',
  name: 'Albert Lea Police Department',
  chief: { name: 'Chief Morgan Ellis', email: CHIEF },
  escalationEmails: [],
};

/** The district, whose primary contact can sign in. */
export const ISD241 = {
  id: 'ISD241',
  name: 'Albert Lea Area Schools',
  kind: 'DISTRICT',
  contacts: [{ name: 'Pat Reyes', email: CONTACT, role: 'PRIMARY' }],
};

const OFFICERS = {
  T1: { license: 'T1', firstName: 'Dana', lastName: 'Olson', email: OFFICER, agencyId: 'MN0240100' },
  T2: { license: 'T2', firstName: 'Lee', lastName: 'Berg', email: null, agencyId: 'MN0240100' },
  T3: { license: 'T3', firstName: 'Kim', lastName: 'Lund', email: null, agencyId: 'MN0240100' },
  S1: { license: 'S1', firstName: 'Sam', lastName: 'Sub', email: null, agencyId: 'MN0240100' },
} as const;

export type FixtureLicense = keyof typeof OFFICERS;

/**
 * Albert Lea's officers `licenses`, all serving ISD241: T1 (Dana Olson, who signs in as
 * OFFICER), T2 and T3 regular SROs since `started` (YYYY-MM-DD) and untrained; S1 a substitute
 * since 2025-08-01, whose supplemental training (2024-01-10, no certificate) is on the roster.
 */
export function albertLeaRoster(started: string, licenses: readonly FixtureLicense[]) {
  return {
    agencies: [ALBERT_LEA],
    districts: [ISD241],
    officers: licenses.map((l) => OFFICERS[l]),
    assignments: licenses.map((license) =>
      license === 'S1'
        ? { license, districtId: 'ISD241', role: 'SUBSTITUTE', startDate: '2025-08-01', endDate: null }
        : { license, districtId: 'ISD241', role: 'REGULAR', startDate: started, endDate: null },
    ),
    ...(licenses.includes('S1')
      ? {
          trainings: [{ license: 'S1', kind: 'SRO_SUPPLEMENTAL', completedOn: '2024-01-10', certificateOnFile: false }],
        }
      : {}),
  };
}

/** A small valid PDF (file-type recognises it as application/pdf). */
export const PDF = Buffer.from(
  '%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n2 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n',
  'latin1',
);
