// The directory tests' world (RULES.md 11, INTERFACE.md "Keeping the directory in the
// console"): two agencies and two districts, the people who sign in to them, and what the
// tests read back besides the API: the audit events, the rows' sources and the scan jobs a
// change enqueued (one per officer it touches, its id derived from the change).
import { afterAll, beforeAll } from 'vitest';
import { officerScanJobId } from '../../jobs/scan.ts';
import { civilDateIn } from '../../src/shell/clock.ts';
import { createQueues } from '../../src/worker/queue.ts';
import { type ConsoleRig, type WebClient, startConsoleRig } from './console.ts';
import { queryRows } from './db.ts';

export const ADMIN = 'admin@state.example';
export const CHIEF = 'chief@albert-lea.example';
export const DEPUTY = 'deputy.chief@albert-lea.example';
export const ESCALATION = 'captain@albert-lea.example';
export const OTHER_CHIEF = 'chief@austin.example';
export const PRIMARY = 'pat.reyes@isd241.example';
export const SUPERINTENDENT = 'superintendent@isd241.example';
export const OTHER_CONTACT = 'sro@isd492.example';
export const OFFICER = 'dana.olson@albert-lea.example';

export const today = () => civilDateIn('America/Chicago');

/**
 * Albert Lea's police (AL: chief, an escalation address; officers T1, who signs in, and T2)
 * and Austin's (AU: officer U1); Albert Lea's schools (ISD241: a PRIMARY contact and the
 * superintendent as ESCALATION), where T1 has served since 2020, and Austin's (ISD492), where
 * U1 has.
 */
export const DIRECTORY_ROSTER = {
  agencies: [
    {
      id: 'AL',
      name: 'Albert Lea Police Department',
      chief: { name: 'Chief Morgan Ellis', email: CHIEF },
      escalationEmails: [ESCALATION],
    },
    { id: 'AU', name: 'Austin Police Department', chief: { name: 'Chief Sam Hall', email: OTHER_CHIEF } },
  ],
  districts: [
    {
      id: 'ISD241',
      name: 'Albert Lea Area Schools',
      kind: 'DISTRICT',
      contacts: [
        { name: 'Pat Reyes', email: PRIMARY, role: 'PRIMARY' },
        { name: 'Dr. Jo Lind', email: SUPERINTENDENT, role: 'ESCALATION' },
      ],
    },
    {
      id: 'ISD492',
      name: 'Austin Public Schools',
      kind: 'DISTRICT',
      contacts: [{ name: 'Ray Dunn', email: OTHER_CONTACT, role: 'PRIMARY' }],
    },
  ],
  officers: [
    { license: 'T1', firstName: 'Dana', lastName: 'Olson', email: OFFICER, agencyId: 'AL' },
    { license: 'T2', firstName: 'Lee', lastName: 'Berg', email: null, agencyId: 'AL' },
    { license: 'U1', firstName: 'Uma', lastName: 'Falk', email: null, agencyId: 'AU' },
  ],
  assignments: [
    { license: 'T1', districtId: 'ISD241', role: 'REGULAR', startDate: '2020-08-24', endDate: null },
    { license: 'U1', districtId: 'ISD492', role: 'REGULAR', startDate: '2020-08-24', endDate: null },
  ],
  trainings: [{ license: 'T1', kind: 'SRO_MANDATED', completedOn: '2020-06-01', certificateOnFile: true }],
};

export interface DirectoryWorld {
  rig: ConsoleRig;
  /** A client signed in as `email` (one per address, made on first use). */
  as(email: string): Promise<WebClient>;
  /** The audit events of `action`, oldest first. */
  events(action: string): Promise<AuditRow[]>;
  /** Whether the scan queue holds the re-evaluation of `license` for the change `changeId`, as of today. */
  reevaluationQueued(license: string, changeId: string): Promise<boolean>;
  /** A row's source, who recorded it and when (null when there is no such row). */
  sourceOf(
    table: 'agency' | 'district' | 'officer' | 'assignment',
    where: string,
    params: unknown[],
  ): Promise<Source | null>;
}

interface AuditRow {
  id: string;
  actor: string;
  license: string | null;
  agencyId: string | null;
  districtId: string | null;
  before: unknown;
  after: unknown;
}

interface Source {
  source: 'ROSTER' | 'CONSOLE';
  recordedBy: string | null;
  recordedAt: Date | null;
}

/** A console on DIRECTORY_ROSTER for one test file, closed after it. */
export function directoryWorld(label: string): DirectoryWorld {
  let rig: ConsoleRig;
  let queues: ReturnType<typeof createQueues>;
  const clients = new Map<string, Promise<WebClient>>();
  beforeAll(async () => {
    rig = await startConsoleRig(label, {
      ADMIN_EMAILS: ADMIN,
      LOGIN_LIMIT_PER_CLIENT: '1000',
      LOGIN_LIMIT_PER_ADDRESS: '100',
    });
    await rig.load(DIRECTORY_ROSTER);
    queues = createQueues(rig.config.redisUrl, rig.config.queuePrefix);
  });
  afterAll(async () => {
    await queues?.close();
    await rig?.close();
  });
  return {
    get rig() {
      return rig;
    },
    as(email) {
      let c = clients.get(email);
      if (!c) clients.set(email, (c = rig.signIn(email)));
      return c;
    },
    events: (action) =>
      queryRows<AuditRow>(
        rig.database.url,
        `SELECT id::text AS id, actor, license, agency_id AS "agencyId", district_id AS "districtId", before, after
         FROM audit_event WHERE action = $1 ORDER BY id`,
        [action],
      ),
    async reevaluationQueued(license, changeId) {
      return (await queues.scan.getJob(officerScanJobId(today(), license, changeId))) !== undefined;
    },
    async sourceOf(table, where, params) {
      const rows = await queryRows<Source>(
        rig.database.url,
        `SELECT source::text AS source, recorded_by AS "recordedBy", recorded_at AS "recordedAt" FROM ${table} WHERE ${where}`,
        params,
      );
      return rows[0] ?? null;
    },
  };
}
