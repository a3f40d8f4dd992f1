// The one module that decides who may do what (src/app/policy.ts), rule by rule: the scopes
// of INTERFACE.md "Who sees what", RULES.md 7 (who may record what) and RULES.md 6 (who may
// acknowledge a missed deadline). Pure: viewers and officers are plain data here.
import { describe, expect, it } from 'vitest';
import {
  type Grant,
  type OfficerSubject,
  type Viewer,
  can,
  officerPermissions,
  refusalOf,
  reportChoices,
  reviewKindOf,
  scopeOf,
} from '../../src/app/policy.ts';

const viewer = (email: string, ...grants: Grant[]): Viewer => ({
  email,
  grants,
  rosterVersion: '1',
  ledgerVersion: null,
});

// Officer 12345 of the Albert Lea police (MN0240100), assigned today in ISD241; an ended
// assignment in ISD242 (a district served, no longer active).
const officer: OfficerSubject = {
  license: '12345',
  agencyId: 'MN0240100',
  districtIds: ['ISD241', 'ISD242'],
  activeDistrictIds: ['ISD241'],
};
/** The officer substitutes in both districts; one acknowledgement, by the district contact. */
const served = {
  substituteDistrictIds: ['ISD241', 'ISD242'],
  acknowledgements: [{ id: '7', acknowledgedBy: 'sro@isd241.example' }],
};

const admin = viewer('admin@state.example', { role: 'ADMIN' });
const chief = viewer('chief@albertlea.example', { role: 'CHIEF', agencyId: 'MN0240100' });
const otherChief = viewer('chief@austin.example', { role: 'CHIEF', agencyId: 'MN0500100' });
const escalation = viewer('deputy@albertlea.example', { role: 'AGENCY_ESCALATION', agencyId: 'MN0240100' });
const contact = viewer('sro@isd241.example', { role: 'DISTRICT_CONTACT', districtId: 'ISD241' });
const endedContact = viewer('sro@isd242.example', { role: 'DISTRICT_CONTACT', districtId: 'ISD242' });
const theOfficer = viewer('officer@albertlea.example', { role: 'OFFICER', license: '12345' });
const otherOfficer = viewer('other@albertlea.example', { role: 'OFFICER', license: '99999' });
const nobody = viewer('stranger@example.com');

describe('INTERFACE.md "Who sees what": the scopes', () => {
  it('an admin sees every officer (no scope)', () => {
    expect(scopeOf(admin)).toBeNull();
    expect(can(admin, 'officer.read', officer)).toBe(true);
  });

  it("a chief or an agency escalation address sees the agency's officers, not another agency's", () => {
    expect(can(chief, 'officer.read', officer)).toBe(true);
    expect(can(escalation, 'officer.read', officer)).toBe(true);
    expect(can(otherChief, 'officer.read', officer)).toBe(false);
    expect(scopeOf(chief)).toEqual({ agencies: ['MN0240100'], districts: [], licenses: [] });
  });

  it('a district contact sees the officers with an assignment active today in the district, not an ended one', () => {
    expect(can(contact, 'officer.read', officer)).toBe(true);
    expect(can(endedContact, 'officer.read', officer)).toBe(false);
  });

  it('an officer sees their own record only', () => {
    expect(can(theOfficer, 'officer.read', officer)).toBe(true);
    expect(can(otherOfficer, 'officer.read', officer)).toBe(false);
  });

  it('roles add up: a chief of another agency who is also a contact here sees the officer', () => {
    const both = viewer('both@example.com', ...otherChief.grants, ...contact.grants);
    expect(can(both, 'officer.read', officer)).toBe(true);
    expect(scopeOf(both)).toEqual({ agencies: ['MN0500100'], districts: ['ISD241'], licenses: [] });
  });

  it('an address with no role may not use the console; any role may', () => {
    expect(can(nobody, 'console.use', null)).toBe(false);
    for (const v of [admin, chief, escalation, contact, theOfficer]) expect(can(v, 'console.use', null)).toBe(true);
  });

  it('the audit log, roster imports and the queue dashboard are for admins only', () => {
    for (const action of ['audit.read', 'roster.import', 'queues.read'] as const) {
      expect(can(admin, action, null)).toBe(true);
      for (const v of [chief, escalation, contact, theOfficer, nobody]) expect(can(v, action, null)).toBe(false);
    }
  });
});

describe('RULES.md 7: who may record what', () => {
  it("a training or a certificate: the officer's chief and admins, nobody else", () => {
    for (const action of ['training.record', 'training.delete', 'certificate.read'] as const) {
      expect(can(chief, action, officer)).toBe(true);
      expect(can(admin, action, officer)).toBe(true);
      for (const v of [escalation, contact, theOfficer, otherChief, nobody])
        expect(can(v, action, officer)).toBe(false);
    }
  });

  it('a policy review: the chief, admins and the officer themself', () => {
    for (const action of ['policyReview.record', 'policyReview.delete'] as const) {
      for (const v of [chief, admin, theOfficer]) expect(can(v, action, officer)).toBe(true);
      for (const v of [escalation, contact, otherOfficer, otherChief]) expect(can(v, action, officer)).toBe(false);
    }
  });

  it('the officer attests their own review; the chief or an admin records one', () => {
    expect(reviewKindOf(theOfficer, officer)).toBe('attestation');
    expect(reviewKindOf(chief, officer)).toBe('record');
    expect(reviewKindOf(admin, officer)).toBe('record');
    // An officer who is also their agency's chief records, as the chief.
    expect(reviewKindOf(viewer('x@example.com', ...theOfficer.grants, ...chief.grants), officer)).toBe('record');
  });

  it("a review of another agency's policy than the officer's: admins only (decision)", () => {
    expect(can(admin, 'policyReview.otherAgency', officer)).toBe(true);
    expect(can(chief, 'policyReview.otherAgency', officer)).toBe(false);
    expect(can(theOfficer, 'policyReview.otherAgency', officer)).toBe(false);
  });

  it('contact days: the contacts of the district served, the chief and admins', () => {
    const inIsd241 = { officer, districtId: 'ISD241' };
    for (const action of ['contactDays.record', 'contactDays.delete'] as const) {
      for (const v of [contact, chief, admin]) expect(can(v, action, inIsd241)).toBe(true);
      for (const v of [escalation, theOfficer, otherChief]) expect(can(v, action, inIsd241)).toBe(false);
    }
  });

  it('a contact of one district may not record days in another district the officer serves', () => {
    expect(can(contact, 'contactDays.record', { officer, districtId: 'ISD242' })).toBe(false);
    // The contact of the ended assignment's district has the officer out of scope altogether.
    expect(can(endedContact, 'contactDays.record', { officer, districtId: 'ISD242' })).toBe(false);
  });

  it('out of scope, nothing is allowed, whatever the role elsewhere', () => {
    const elsewhere: OfficerSubject = { license: '777', agencyId: 'MN0500100', districtIds: [], activeDistrictIds: [] };
    for (const action of ['training.record', 'policyReview.record', 'certificate.read'] as const)
      expect(can(chief, action, elsewhere)).toBe(false);
  });
});

describe('RULES.md 6: who may acknowledge a missed deadline', () => {
  it('the chief and admins, whether or not they received the notice', () => {
    for (const v of [chief, admin])
      expect(can(v, 'deadline.acknowledge', { officer, receivedOverdueNotice: false })).toBe(true);
  });

  it('a district contact who received the overdue notice, and not one who did not', () => {
    expect(can(contact, 'deadline.acknowledge', { officer, receivedOverdueNotice: true })).toBe(true);
    expect(can(contact, 'deadline.acknowledge', { officer, receivedOverdueNotice: false })).toBe(false);
  });

  it('someone out of scope, even with the notice in hand', () => {
    expect(can(otherChief, 'deadline.acknowledge', { officer, receivedOverdueNotice: true })).toBe(false);
  });
});

describe("the officer page's forms follow the policy (a form shown exactly when its request is allowed)", () => {
  const overdue = (received: boolean) => ({ dueDate: '2026-11-01', receivedOverdueNotice: received });

  it('the chief: training, certificate, review (recorded), contact days in both districts served, acknowledgement, submissions to answer, the policy file', () => {
    expect(officerPermissions(chief, officer, overdue(false), served)).toEqual({
      recordTraining: true,
      submitTraining: false,
      reviewTraining: true,
      readAgencyPolicy: true,
      deleteTraining: true,
      readCertificate: true,
      recordPolicyReview: true,
      deletePolicyReview: true,
      attestPolicyReview: false,
      contactDayDistricts: ['ISD241', 'ISD242'],
      deleteContactDayDistricts: ['ISD241', 'ISD242'],
      changeAcknowledgements: ['7'],
      acknowledgeDueDate: '2026-11-01',
      updateOfficer: true,
      createAssignment: 'any',
      updateAssignmentDistricts: ['ISD241', 'ISD242'],
    });
  });

  it("the officer: a review to attest after reading the agency's policy, a training to submit for review (RULES.md 10), nothing else", () => {
    expect(officerPermissions(theOfficer, officer, overdue(false), served)).toEqual({
      recordTraining: false,
      submitTraining: true,
      reviewTraining: false,
      readAgencyPolicy: true,
      deleteTraining: false,
      readCertificate: false,
      recordPolicyReview: true,
      deletePolicyReview: true,
      attestPolicyReview: true,
      contactDayDistricts: [],
      deleteContactDayDistricts: [],
      changeAcknowledgements: [],
      acknowledgeDueDate: null,
      updateOfficer: false,
      createAssignment: [],
      updateAssignmentDistricts: [],
    });
  });

  it("a district contact: their district's contact days, and the acknowledgement only with the notice received", () => {
    const withNotice = officerPermissions(contact, officer, overdue(true), served);
    expect(withNotice.contactDayDistricts).toEqual(['ISD241']);
    expect(withNotice.acknowledgeDueDate).toBe('2026-11-01');
    expect(withNotice.recordTraining).toBe(false);
    expect(officerPermissions(contact, officer, overdue(false), served).acknowledgeDueDate).toBeNull();
  });

  it("the officer's name and e-mail: the chief and admins, not a district contact", () => {
    expect(officerPermissions(admin, officer, null, served).updateOfficer).toBe(true);
    expect(officerPermissions(contact, officer, null, served).updateOfficer).toBe(false);
    expect(officerPermissions(escalation, officer, null, served).updateOfficer).toBe(false);
  });

  it('a new assignment: the chief and admins in any district, a contact in their own district only', () => {
    expect(officerPermissions(admin, officer, null, served).createAssignment).toBe('any');
    expect(officerPermissions(contact, officer, null, served).createAssignment).toEqual(['ISD241']);
    expect(officerPermissions(escalation, officer, null, served).createAssignment).toEqual([]);
  });

  it("ending an assignment: a contact their district's, not the ended district's unless its own contact", () => {
    expect(officerPermissions(contact, officer, null, served).updateAssignmentDistricts).toEqual(['ISD241']);
    expect(officerPermissions(otherChief, officer, null, served).updateAssignmentDistricts).toEqual([]);
  });

  it('nothing overdue: no acknowledgement for anyone', () => {
    expect(officerPermissions(admin, officer, null, served).acknowledgeDueDate).toBeNull();
  });

  it('every flag agrees with can() for every viewer', () => {
    for (const v of [admin, chief, otherChief, escalation, contact, endedContact, theOfficer, otherOfficer, nobody]) {
      const p = officerPermissions(v, officer, overdue(true), served);
      expect(p.recordTraining).toBe(can(v, 'training.record', officer));
      expect(p.readCertificate).toBe(can(v, 'certificate.read', officer));
      expect(p.recordPolicyReview).toBe(can(v, 'policyReview.record', officer));
      expect(p.contactDayDistricts).toEqual(
        officer.districtIds.filter((districtId) => can(v, 'contactDays.record', { officer, districtId })),
      );
      expect(p.acknowledgeDueDate !== null).toBe(
        can(v, 'deadline.acknowledge', { officer, receivedOverdueNotice: true }),
      );
      expect(p.updateOfficer).toBe(can(v, 'officer.update', officer));
      expect(p.updateAssignmentDistricts).toEqual(
        officer.districtIds.filter((districtId) => can(v, 'assignment.update', { officer, districtId })),
      );
      for (const districtId of ['ISD241', 'ISD242', 'ISD999'])
        expect(p.createAssignment === 'any' || p.createAssignment.includes(districtId)).toBe(
          can(v, 'assignment.create', { officer, districtId }),
        );
    }
  });
});

describe('INTERFACE.md "Pages for people": no form that cannot apply', () => {
  it('the contact-days form only in the districts where the officer is a substitute', () => {
    const regular = { ...served, substituteDistrictIds: [] };
    expect(officerPermissions(chief, officer, null, regular).contactDayDistricts).toEqual([]);
    expect(
      officerPermissions(chief, officer, null, { ...served, substituteDistrictIds: ['ISD242'] }).contactDayDistricts,
    ).toEqual(['ISD242']);
    // A day recorded earlier stays deletable where the viewer may delete days.
    expect(officerPermissions(chief, officer, null, regular).deleteContactDayDistricts).toEqual(['ISD241', 'ISD242']);
    expect(officerPermissions(contact, officer, null, regular).deleteContactDayDistricts).toEqual(['ISD241']);
  });
});

describe('RULES.md 6: who may correct or withdraw an acknowledgement (decision)', () => {
  const ack = { officer, acknowledgedBy: 'SRO@isd241.example' };
  it('whoever made it (any letter case), the chief and admins', () => {
    for (const v of [contact, chief, admin]) expect(can(v, 'acknowledgement.change', ack)).toBe(true);
    expect(officerPermissions(contact, officer, null, served).changeAcknowledgements).toEqual(['7']);
    expect(officerPermissions(chief, officer, null, served).changeAcknowledgements).toEqual(['7']);
  });

  it('not the officer, an escalation address or a chief of another agency', () => {
    for (const v of [theOfficer, escalation, otherChief]) expect(can(v, 'acknowledgement.change', ack)).toBe(false);
    expect(officerPermissions(theOfficer, officer, null, served).changeAcknowledgements).toEqual([]);
  });
});

describe('refusals are in the words of the person who asked', () => {
  it('names who may, and never a specification file', () => {
    expect(refusalOf('training.record')).toBe(
      "Only the officer's chief and admins may record or delete a training or a certificate.",
    );
    expect(refusalOf('contactDays.record', { officer, districtId: 'ISD241' })).toContain('district ISD241');
    for (const action of [
      'console.use',
      'audit.read',
      'officer.read',
      'training.record',
      'certificate.read',
      'policyReview.record',
      'policyReview.otherAgency',
      'contactDays.record',
      'deadline.acknowledge',
    ] as const)
      expect(refusalOf(action)).not.toMatch(/RULES\.md|INTERFACE\.md/);
  });
});

describe('RULES.md 11: who may change the directory', () => {
  const albertLea = { agencyId: 'MN0240100' };
  const isd241 = { districtId: 'ISD241' };
  const primary241 = viewer('primary@isd241.example', { role: 'DISTRICT_CONTACT', districtId: 'ISD241' });

  it('agency (chief, escalation e-mails): admins any, the chief their agency; escalation addresses see it but may not', () => {
    for (const v of [admin, chief]) expect(can(v, 'agency.update', albertLea)).toBe(true);
    expect(can(escalation, 'agency.read', albertLea)).toBe(true);
    expect(can(escalation, 'agency.update', albertLea)).toBe(false);
    for (const v of [otherChief, contact, theOfficer]) {
      expect(can(v, 'agency.read', albertLea)).toBe(false);
      expect(can(v, 'agency.update', albertLea)).toBe(false);
    }
  });

  it('district (contacts): admins any, its contacts their district; a chief does not see it', () => {
    for (const v of [admin, contact, primary241]) {
      expect(can(v, 'district.read', isd241)).toBe(true);
      expect(can(v, 'district.update', isd241)).toBe(true);
    }
    for (const v of [chief, endedContact, theOfficer]) expect(can(v, 'district.read', isd241)).toBe(false);
  });

  it("officer (name, e-mail; new officer): admins any, the chief their agency's officers; not the officer themself", () => {
    for (const v of [admin, chief]) {
      expect(can(v, 'officer.create', albertLea)).toBe(true);
      expect(can(v, 'officer.update', officer)).toBe(true);
    }
    for (const v of [otherChief, escalation, contact, theOfficer])
      expect(can(v, 'officer.update', officer)).toBe(false);
    expect(can(otherChief, 'officer.create', albertLea)).toBe(false);
  });

  it("assignment: admins any, the chief their officers', the contacts the assignments in their district", () => {
    const in241 = { officer, districtId: 'ISD241' };
    const in242 = { officer, districtId: 'ISD242' };
    for (const v of [admin, chief, contact]) expect(can(v, 'assignment.update', in241)).toBe(true);
    expect(can(contact, 'assignment.update', in242)).toBe(false);
    expect(can(theOfficer, 'assignment.update', in241)).toBe(false);
    expect(can(otherChief, 'assignment.create', in241)).toBe(false);
  });

  it('a district contact may correct an assignment in their district that has not started yet (decision)', () => {
    const upcoming: OfficerSubject = {
      license: '66666',
      agencyId: 'MN0500100',
      districtIds: ['ISD241'],
      activeDistrictIds: [],
    };
    expect(can(contact, 'officer.read', upcoming)).toBe(false);
    expect(can(contact, 'assignment.update', { officer: upcoming, districtId: 'ISD241' })).toBe(true);
    expect(can(endedContact, 'assignment.update', { officer: upcoming, districtId: 'ISD241' })).toBe(false);
  });

  it('a district contact may bring an officer of another district into theirs with a new assignment (decision)', () => {
    const newcomer: OfficerSubject = {
      license: '55555',
      agencyId: 'MN0500100',
      districtIds: [],
      activeDistrictIds: [],
    };
    expect(can(contact, 'officer.read', newcomer)).toBe(false);
    expect(can(contact, 'assignment.create', { officer: newcomer, districtId: 'ISD241' })).toBe(true);
    expect(can(contact, 'assignment.create', { officer: newcomer, districtId: 'ISD242' })).toBe(false);
  });

  it('the directory lists are for admins', () => {
    expect(can(admin, 'directory.list', null)).toBe(true);
    for (const v of [chief, contact, theOfficer]) expect(can(v, 'directory.list', null)).toBe(false);
  });
});

describe('INTERFACE.md "Reports for the board and the auditor": who may make which report', () => {
  const agency = { agencyId: 'MN0240100' };
  const district = { districtId: 'ISD241' };
  const everything = { everything: true as const };

  it('an admin may report on any agency, any district and the whole roster', () => {
    for (const scope of [agency, { agencyId: 'MN0500100' }, district, everything])
      expect(can(admin, 'report.read', scope)).toBe(true);
    expect(reportChoices(admin)).toEqual({ everything: true, agencies: [], districts: [] });
  });

  it('a chief reports on their agency only, never a district or the whole roster', () => {
    expect(can(chief, 'report.read', agency)).toBe(true);
    expect(can(otherChief, 'report.read', agency)).toBe(false);
    expect(can(chief, 'report.read', district)).toBe(false);
    expect(can(chief, 'report.read', everything)).toBe(false);
    expect(reportChoices(chief)).toEqual({ everything: false, agencies: ['MN0240100'], districts: [] });
  });

  it('a district contact reports on their district only', () => {
    expect(can(contact, 'report.read', district)).toBe(true);
    expect(can(endedContact, 'report.read', district)).toBe(false);
    expect(can(contact, 'report.read', agency)).toBe(false);
    expect(can(contact, 'report.read', everything)).toBe(false);
  });

  it("an agency's escalation address, an officer and an address without a role have no Reports page", () => {
    for (const v of [escalation, theOfficer, nobody]) {
      expect(can(v, 'report.list', null)).toBe(false);
      expect(reportChoices(v)).toBeNull();
      expect(can(v, 'report.read', agency)).toBe(false);
    }
    for (const v of [admin, chief, contact]) expect(can(v, 'report.list', null)).toBe(true);
  });

  it('a chief who is also a district contact is offered both', () => {
    const both = viewer(
      'dual@example.com',
      { role: 'CHIEF', agencyId: 'MN0240100' },
      { role: 'DISTRICT_CONTACT', districtId: 'ISD241' },
    );
    expect(reportChoices(both)).toEqual({ everything: false, agencies: ['MN0240100'], districts: ['ISD241'] });
  });
});
