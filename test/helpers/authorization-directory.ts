// The authorization matrix's expectation lines of the directory kept in the console (RULES.md
// 11) and the agency's SRO policy file (RULES.md 10): the rows of src/web/routes-directory.ts.
// test/web/authorization.test.ts spreads them into its one table.
import type { DIRECTORY_ROUTES } from '../../src/web/routes-directory.ts';
import { ASSIGNMENT_OF, DIRECTORY_SCOPE, ENDED_LAST_YEAR, ROSTER, ROLE, ROLES, pdfFile } from './authorization.ts';
import {
  AGENCY_CHANGERS,
  backTo,
  CHIEFS_AND_ADMINS,
  CONTACT_DISTRICT,
  directoryPage,
  directoryWrite,
  DISTRICT_CONTACTS,
  formWrite,
  html,
  json,
  type Line,
  newAssignment,
  newStart,
  signInFirst,
  toLogin,
  write,
} from './authorization-expect.ts';

export const DIRECTORY_LINES: Record<keyof typeof DIRECTORY_ROUTES, Line> = {
  // The officer page's directory forms (RULES.md 11): the e-mail is left as it is (the officer
  // signs in with it), an end date keeps each assignment as active today as it was.
  formChangeOfficer: {
    access: 'OFFICER',
    formOf: (role) => ({ firstName: 'Form', lastName: `Changed by ${role}` }),
    expect: (r, t) => formWrite(r, t, CHIEFS_AND_ADMINS, (role) => backTo(role, 'officer-saved')),
  },
  formCreateAssignment: {
    access: 'OFFICER_ON_FILE',
    formOf: (role, license) => ({
      districtId:
        role === 'contactD1' ? 'D1' : role === 'contactD2' ? 'D2' : (ASSIGNMENT_OF[license]?.districtId ?? 'D1'),
      role: 'REGULAR',
      startDate: `${new Date().getUTCFullYear() + 2}-0${1 + ROLES.indexOf(role)}-15`,
    }),
    // As the API's: a contact adds an officer to their district even out of scope.
    expect: (r, t) => {
      if (r === 'signedOut') return toLogin;
      if (t === 'missing') return html(404);
      if (r === 'contactD1' || r === 'contactD2') return { status: 303 };
      if (t === 'out') return html(404);
      return CHIEFS_AND_ADMINS.includes(r) ? backTo(r, 'assignment-added') : html(403);
    },
  },
  formEndAssignment: {
    access: 'OFFICER_IN_DISTRICT',
    params: (_role, license) => ASSIGNMENT_OF[license] ?? { districtId: 'D1', startDate: '2020-08-24' },
    formOf: (_role, license) => ({
      endDate: license === 'A3' ? ENDED_LAST_YEAR : `${new Date().getUTCFullYear() + 9}-06-30`,
    }),
    expect: (r, t) =>
      r !== 'signedOut' && t === 'out' && ASSIGNMENT_OF[ROLE[r].outOfScope!]?.districtId === CONTACT_DISTRICT[r]
        ? { status: 303 }
        : formWrite(r, t, [...CHIEFS_AND_ADMINS, 'contactD1', 'contactD2'], (role) => backTo(role, 'assignment-ended')),
  },
  // The directory (RULES.md 11). Each change is scope-neutral: the matrix's world stays as it is.
  apiDirectory: {
    access: 'ADMIN',
    expect: (r) => (r === 'signedOut' ? signInFirst : r === 'admin' ? json(200) : json(404)),
  },
  apiAgency: { access: 'AGENCY', expect: (r, t) => directoryWrite(r, t, ROLES, json(200)) },
  apiChangeAgency: {
    access: 'AGENCY',
    json: (role, id) => ({ name: `Agency ${id}, renamed by ${role}` }),
    expect: (r, t) => directoryWrite(r, t, AGENCY_CHANGERS, json(200)),
  },
  apiDistrict: { access: 'DISTRICT', expect: (r, t) => directoryWrite(r, t, ROLES, json(200)) },
  apiChangeDistrict: {
    access: 'DISTRICT',
    json: (role) => ({ nonSchoolDays: [`2026-12-${String(21 + ROLES.indexOf(role)).padStart(2, '0')}`] }),
    expect: (r, t) => directoryWrite(r, t, DISTRICT_CONTACTS, json(200)),
  },
  // The agency is the body's: one the role may not see is named like one not on file (400, by field).
  apiCreateOfficer: {
    access: 'SIGNED_IN',
    subject: 'agency',
    json: (role, agencyId, target) => ({
      license: `NEW-${role}-${target}`,
      firstName: 'New',
      lastName: 'Officer',
      agencyId,
    }),
    expect: (r, t) => directoryWrite(r, t, AGENCY_CHANGERS, json(201), json(400)),
  },
  apiChangeOfficer: {
    access: 'OFFICER',
    json: (role) => ({ lastName: `Changed by ${role}` }),
    expect: (r, t) => write(r, t, CHIEFS_AND_ADMINS, json(200)),
  },
  directoryPage: {
    access: 'ADMIN',
    expect: (r) => (r === 'signedOut' ? toLogin : r === 'admin' ? html(200) : html(404)),
  },
  agencyPage: { access: 'AGENCY', expect: (r, t) => directoryPage(r, t, ROLES, html(200)) },
  // The form sends the agency's chief and escalation e-mails as they are (no scope changes).
  formAgency: {
    access: 'AGENCY',
    formOf: (role, id) => {
      const a = ROSTER.agencies.find((x) => x.id === id);
      return {
        name: `Agency ${id}, renamed by ${role}`,
        chiefName: a?.chief.name ?? '',
        chiefEmail: a?.chief.email ?? '',
        escalationEmails: a?.escalationEmails.join('\n') ?? '',
      };
    },
    expect: (r, t) =>
      directoryPage(r, t, AGENCY_CHANGERS, {
        status: 303,
        location: `/agencies/${DIRECTORY_SCOPE[r].agency.in}?done=saved`,
      }),
  },
  formCreateOfficer: {
    access: 'AGENCY',
    formOf: (role, id) => ({ license: `NEWF${ROLES.indexOf(role)}${id}`, firstName: 'New', lastName: 'Officer' }),
    expect: (r, t) => directoryPage(r, t, AGENCY_CHANGERS, { status: 303 }),
  },
  districtPage: { access: 'DISTRICT', expect: (r, t) => directoryPage(r, t, ROLES, html(200)) },
  // The form sends the district's contacts as they are (no scope changes).
  formDistrict: {
    access: 'DISTRICT',
    formOf: (_role, id) => {
      const contacts = ROSTER.districts.find((x) => x.id === id)?.contacts ?? [];
      return {
        name: `District ${id}`,
        contactName: contacts.map((c) => c.name),
        contactEmail: contacts.map((c) => c.email),
        contactRole: contacts.map((c) => c.role),
        nonSchoolDays: '2026-12-24',
      };
    },
    expect: (r, t) =>
      directoryPage(r, t, DISTRICT_CONTACTS, {
        status: 303,
        location: `/districts/${DIRECTORY_SCOPE[r].district.in}?done=saved`,
      }),
  },
  // RULES.md 10: the agency's SRO policy, uploaded by its chief and admins, read by its people.
  formAgencyPolicy: {
    access: 'AGENCY',
    multipart: { policy: pdfFile('policy.pdf') },
    expect: (r, t) =>
      directoryPage(r, t, AGENCY_CHANGERS, {
        status: 303,
        location: `/agencies/${DIRECTORY_SCOPE[r].agency.in}?done=policy`,
      }),
  },
  agencyPolicyPdf: {
    access: 'AGENCY',
    expect: (r, t) => directoryPage(r, t, ROLES, { status: 200, type: 'application/pdf' }),
  },
  officerPolicyPdf: {
    access: 'OFFICER',
    expect: (r, t) =>
      formWrite(r, t, [...CHIEFS_AND_ADMINS, 'escalationA', 'officer'], { status: 200, type: 'application/pdf' }),
  },
  apiCreateAssignment: {
    access: 'OFFICER_ON_FILE',
    json: (role, license, target) => ({
      districtId:
        role === 'contactD1' ? 'D1' : role === 'contactD2' ? 'D2' : (ASSIGNMENT_OF[license]?.districtId ?? 'D1'),
      role: 'REGULAR',
      startDate: newStart(role, target),
    }),
    expect: newAssignment,
  },
  apiChangeAssignment: {
    access: 'OFFICER_IN_DISTRICT',
    params: (_role, license) => ASSIGNMENT_OF[license] ?? { districtId: 'D1', startDate: '2020-08-24' },
    json: (role) => ({ school: `School of ${role}` }),
    // A contact corrects an assignment in their district even of an officer out of their scope
    // today (one that ended or has not started: policy.ts's decision).
    expect: (r, t) =>
      t === 'out' && ASSIGNMENT_OF[ROLE[r].outOfScope!]?.districtId === CONTACT_DISTRICT[r]
        ? json(200)
        : write(r, t, [...CHIEFS_AND_ADMINS, 'contactD1', 'contactD2'], json(200)),
  },
};
