// The route table's rows of the directory kept in the console (RULES.md 11) and the agency's
// SRO policy file (RULES.md 10): part of the one table of src/web/routes.ts, which spreads
// them into ROUTES; the same access rules and authorization matrix apply.
import type { RouteSpec } from './routes.ts';

export const DIRECTORY_ROUTES = {
  // The directory kept in the console (RULES.md 11, INTERFACE.md "Keeping the directory in the
  // console"): JSON in and out; every change audited and its officers re-evaluated at once.
  apiDirectory: {
    method: 'GET',
    url: '/api/directory',
    access: 'ADMIN',
    action: 'directory.list',
    api: true,
    summary: 'every agency and district: admins',
  },
  apiAgency: {
    method: 'GET',
    url: '/api/agencies/:id',
    access: 'AGENCY',
    action: 'agency.read',
    api: true,
    summary: 'one agency: admins, its chief and escalation addresses',
  },
  apiChangeAgency: {
    method: 'PATCH',
    url: '/api/agencies/:id',
    access: 'AGENCY',
    action: 'agency.update',
    api: true,
    summary: "change an agency's name, chief or escalation e-mails: admins, its chief",
  },
  apiDistrict: {
    method: 'GET',
    url: '/api/districts/:id',
    access: 'DISTRICT',
    action: 'district.read',
    api: true,
    summary: 'one district with its contacts and days without school: admins, its contacts',
  },
  apiChangeDistrict: {
    method: 'PATCH',
    url: '/api/districts/:id',
    access: 'DISTRICT',
    action: 'district.update',
    api: true,
    summary: "change a district's name, contacts or days without school: admins, its contacts",
  },
  apiCreateOfficer: {
    method: 'POST',
    url: '/api/officers',
    access: 'SIGNED_IN',
    api: true,
    summary: "a new officer of the body's agency: admins, its chief (asked by the use case: officer.create)",
  },
  apiChangeOfficer: {
    method: 'PATCH',
    url: '/api/officers/:license',
    access: 'OFFICER',
    action: 'officer.update',
    api: true,
    summary: "change an officer's name or e-mail: admins, the chief",
  },
  apiCreateAssignment: {
    method: 'POST',
    url: '/api/officers/:license/assignments',
    access: 'OFFICER_ON_FILE',
    action: 'assignment.create',
    api: true,
    summary: "a new assignment: admins, the chief, the contacts of the body's district",
  },
  apiChangeAssignment: {
    method: 'PATCH',
    url: '/api/officers/:license/assignments/:districtId/:startDate',
    access: 'OFFICER_IN_DISTRICT',
    action: 'assignment.update',
    api: true,
    summary:
      "change an assignment's dates, role, school or trainingUnavailable: admins, the chief, the district's contacts",
  },
  // The officer page's directory forms (RULES.md 11): the same use cases as the API rows above.
  formChangeOfficer: {
    method: 'POST',
    url: '/officers/:license/details',
    access: 'OFFICER',
    action: 'officer.update',
    api: false,
    summary: "the officer page's name and e-mail form: admins, the chief",
  },
  formCreateAssignment: {
    method: 'POST',
    url: '/officers/:license/assignments',
    access: 'OFFICER_ON_FILE',
    action: 'assignment.create',
    api: false,
    summary: "the officer page's new assignment form: admins, the chief, the contacts of the form's district",
  },
  formEndAssignment: {
    method: 'POST',
    url: '/officers/:license/assignments/:districtId/:startDate/end',
    access: 'OFFICER_IN_DISTRICT',
    action: 'assignment.update',
    api: false,
    summary: "the officer page's form ending an assignment: admins, the chief, the district's contacts",
  },
  // The directory's pages (RULES.md 11): the same use cases as the API rows above; a form's
  // success is 303 back to its page, bad input or a confirmation asked for the page again.
  directoryPage: {
    method: 'GET',
    url: '/directory',
    access: 'ADMIN',
    action: 'directory.list',
    api: false,
    summary: 'every agency and district, with links to their pages: admins',
  },
  agencyPage: {
    method: 'GET',
    url: '/agencies/:id',
    access: 'AGENCY',
    action: 'agency.read',
    api: false,
    summary: "an agency's page: admins, its chief and escalation addresses",
  },
  formAgency: {
    method: 'POST',
    url: '/agencies/:id',
    access: 'AGENCY',
    action: 'agency.update',
    api: false,
    summary: "the agency page's form: name, chief, escalation e-mails: admins, its chief",
  },
  formCreateOfficer: {
    method: 'POST',
    url: '/agencies/:id/officers',
    access: 'AGENCY',
    action: 'officer.create',
    api: false,
    summary: "the agency page's new officer form: admins, its chief",
  },
  // The agency's SRO policy (RULES.md 10): a PDF the chief or an admin uploads, read by the
  // agency's people (the officer from their own page, before attesting a review).
  formAgencyPolicy: {
    method: 'POST',
    url: '/agencies/:id/policy',
    access: 'AGENCY',
    action: 'agencyPolicy.update',
    api: false,
    summary: "the agency page's SRO policy upload (multipart, a PDF): admins, its chief",
  },
  agencyPolicyPdf: {
    method: 'GET',
    url: '/agencies/:id/policy.pdf',
    access: 'AGENCY',
    action: 'agency.read',
    api: false,
    summary: "the agency's SRO policy PDF: admins, its chief and escalation addresses",
  },
  officerPolicyPdf: {
    method: 'GET',
    url: '/officers/:license/policy.pdf',
    access: 'OFFICER',
    action: 'agencyPolicy.read',
    api: false,
    summary: "the SRO policy PDF of the officer's agency: admins, the chief and escalation addresses, the officer",
  },
  districtPage: {
    method: 'GET',
    url: '/districts/:id',
    access: 'DISTRICT',
    action: 'district.read',
    api: false,
    summary: "a district's page: admins, its contacts",
  },
  formDistrict: {
    method: 'POST',
    url: '/districts/:id',
    access: 'DISTRICT',
    action: 'district.update',
    api: false,
    summary: "the district page's form: name, contacts, days without school: admins, its contacts",
  },
} as const satisfies Record<string, RouteSpec>;
