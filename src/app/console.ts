// What the console shows (INTERFACE.md "Console"): who a signed-in address is, which
// officers they may see, the officer list by urgency with its counts, and one officer with
// every fact and alert. The officer objects are `report --json`'s, made by the same
// function (buildReportLines), so the page, the API and the CLI cannot disagree.
import { type SubmissionRow, readSubmissions } from '../db/training-submissions.ts';
import type pg from 'pg';
import { LRUCache } from 'lru-cache';
import type { CivilDate } from '../domain/civil-date.ts';
import { OFFICER_STATUSES } from '../domain/report.ts';
import { officerEvaluator } from '../domain/status.ts';
import type { OfficerStatus, OfficerStatusCode, RulesConfig } from '../domain/types.ts';
import { type RosterGrant, type Scope, readRosterGrants, readScopeLicenses } from '../db/identity.ts';
import { type OfficerSubjectRow, readOfficerSubject } from '../db/officer-subject.ts';
import { type Grant, type Viewer, scopeOf } from './policy.ts';
import { type LedgerListing, listLedger } from '../db/ledger.ts';
import { type Acknowledgement, readAcknowledgements } from '../db/console-facts.ts';
import { type OfficerFactRows, readFilterChoices, readNames, readOfficerFactRows } from '../db/officer-facts.ts';
import { type Directory, directoryByVersion, readDirectoryVersion, readOfficerBatches } from '../db/officer-reader.ts';
import {
  type SnapshotFilter,
  countOfficers,
  countSnapshot,
  readRosterVersion,
  readSnapshotMeta,
  readSnapshotPage,
} from '../db/status-snapshot.ts';
import type { OfficerReport } from '../domain/report.ts';
import { type OfficerReportWithDelivery, buildReportLines, withLastAlerts } from './status-report.ts';
import { openSnapshotWithLastAlerts } from './status-snapshot.ts';

/** The roles of `email` (lower-cased): ADMIN from ADMIN_EMAILS, the rest from the roster as it is now. */
export async function viewerOf(
  c: Pick<ConsoleContext, 'pool' | 'caches'>,
  email: string,
  adminEmails: readonly string[],
  rosterVersion?: string,
  ledgerVersion: string | null = null,
): Promise<Viewer> {
  const version = rosterVersion ?? (await readRosterVersion(c.pool));
  const key = `${version}\0${email}`;
  let roster = c.caches.grants.get(key);
  if (!roster) c.caches.grants.set(key, (roster = await readRosterGrants(c.pool, email)));
  const grants: Grant[] = adminEmails.includes(email) ? [{ role: 'ADMIN' }] : [];
  grants.push(...roster);
  return { email, grants, rosterVersion: version, ledgerVersion };
}

/**
 * The officer with `license` as the policy decides on them, read once per request (the route
 * hook's scope check and the use case share it); null when there is no such officer.
 */
export async function officerSubject(
  c: Pick<ConsoleContext, 'pool'>,
  license: string,
  today: CivilDate,
): Promise<OfficerSubjectRow | null> {
  return readOfficerSubject(c.pool, license, today);
}

/** Caches keyed on the roster version: an entry of another version is never read. */
interface ConsoleCaches {
  grants: LRUCache<string, RosterGrant[]>;
  /** A scope's evaluated officers (without their last alert, read with every request). */
  officers: LRUCache<string, OfficerReport[]>;
  /** A scope's officers with their last alerts, for a ledger version (short-lived: see Viewer.ledgerVersion). */
  delivered: LRUCache<string, OfficerReportWithDelivery[]>;
  /** A scope's agencies and districts (the list's filters). */
  choices: LRUCache<string, FilterChoices>;
}

export interface FilterChoices {
  agencies: { id: string; name: string }[];
  districts: { id: string; name: string }[];
}

/** What every read needs besides the pool. */
export interface ConsoleContext {
  pool: pg.Pool;
  rules: RulesConfig;
  timeZone: string;
  /** The directory of the current directory_version (cached per process). */
  directory(): Promise<Directory>;
  caches: ConsoleCaches;
}

/** Above this many officers an admin's list comes from the status snapshot, never a live evaluation of everyone. */
const LIVE_LIMIT = 20_000;

export function consoleContext(pool: pg.Pool, rules: RulesConfig, timeZone: string): ConsoleContext {
  const byVersion = directoryByVersion(pool);
  return {
    pool,
    rules,
    timeZone,
    directory: async () => byVersion(await readDirectoryVersion(pool)),
    caches: {
      grants: new LRUCache({ max: 10_000 }),
      // Bounded by officers held, not entries: an admin's small roster and many chiefs' agencies fit.
      officers: new LRUCache({ maxSize: 4 * LIVE_LIMIT, sizeCalculation: (v) => Math.max(1, v.length) }),
      // The ledger's counter is bumped when a statement runs, before its commit: an entry made
      // in between would miss that write, so entries live 2 s at most.
      delivered: new LRUCache({ maxSize: 4 * LIVE_LIMIT, sizeCalculation: (v) => Math.max(1, v.length), ttl: 2000 }),
      choices: new LRUCache({ max: 1000 }),
    },
  };
}

const scopeKey = (scope: Scope | null) =>
  scope === null
    ? '*'
    : JSON.stringify([[...scope.agencies].sort(), [...scope.districts].sort(), [...scope.licenses].sort()]);

/**
 * The officers in scope as of `asOf`, each as in `report --json`, by urgency. Evaluated once
 * per scope, day, roster and directory version (cached); the last alerts are read with every call.
 */
export async function officersInScope(
  c: ConsoleContext,
  v: Viewer,
  asOf: CivilDate,
  today: CivilDate,
): Promise<OfficerReportWithDelivery[]> {
  const scope = scopeOf(v);
  // The directory's version too: an address marked undeliverable (RULES.md 12) changes the
  // officers' issues (ADDRESS_UNDELIVERABLE) without a roster change.
  const key = `${v.rosterVersion}\0${await readDirectoryVersion(c.pool)}\0${asOf}\0${today}\0${scopeKey(scope)}`;
  let officers = c.caches.officers.get(key);
  if (!officers) {
    const licenses = scope === null ? null : await readScopeLicenses(c.pool, scope, today);
    if (licenses !== null && licenses.length === 0) officers = [];
    else {
      const report = await buildReportLines(c.pool, asOf, c.rules, {
        filter: { licenses },
        timeZone: c.timeZone,
        directory: await c.directory(),
      });
      officers = report.lines.map((l) => {
        const { lastAlert: _alert, ...o } = l.officer;
        return o;
      });
    }
    c.caches.officers.set(key, officers);
  }
  if (v.ledgerVersion === null) return withLastAlerts(c.pool, officers, { asOf, timeZone: c.timeZone });
  const deliveredKey = `${v.ledgerVersion}\0${key}`;
  let delivered = c.caches.delivered.get(deliveredKey);
  if (!delivered) {
    delivered = await withLastAlerts(c.pool, officers, { asOf, timeZone: c.timeZone });
    c.caches.delivered.set(deliveredKey, delivered);
  }
  return delivered;
}

/**
 * The agencies and districts a viewer's list can be filtered by (those of their officers);
 * null for an admin, whose roster may hold thousands of each (the list takes an id then).
 */
export async function filterChoices(c: ConsoleContext, v: Viewer, today: CivilDate): Promise<FilterChoices | null> {
  const scope = scopeOf(v);
  if (scope === null) return null;
  const key = `${v.rosterVersion}\0${today}\0${scopeKey(scope)}`;
  let choices = c.caches.choices.get(key);
  if (!choices) {
    const read = await readFilterChoices(c.pool, await readScopeLicenses(c.pool, scope, today));
    // A district contact's officers may serve elsewhere too: a viewer who sees officers only
    // through their districts filters by those districts (one district: no district filter).
    const byDistrictOnly = scope.agencies.length === 0 && scope.licenses.length === 0;
    choices = byDistrictOnly
      ? { ...read, districts: read.districts.filter((d) => scope.districts.includes(d.id)) }
      : read;
    c.caches.choices.set(key, choices);
  }
  return choices;
}

/** How current an admin's snapshot view is; null for a live view. */
export interface Freshness {
  asOf: CivilDate | null;
  refreshedAt: string | null;
  /** The roster changed since (a refresh is on its way). */
  behind: boolean;
}

/**
 * Every officer of an admin's snapshot view, by urgency, in batches (the API streams them).
 * Opened before the answer starts, so that no connection free in time is ServiceBusy (503),
 * not a cut list; one connection for the whole stream. Iterate it to its end, or return() it
 * (when the request ends first): either gives the connection back.
 */
export function snapshotOfficers(
  c: ConsoleContext,
  asOf: CivilDate,
): Promise<AsyncIterableIterator<OfficerReportWithDelivery[]>> {
  return openSnapshotWithLastAlerts(c.pool, asOf, c.timeZone);
}

/** Whether this admin request must be served from the snapshot, and whether the snapshot is of `asOf`. */
export async function snapshotView(
  c: ConsoleContext,
  v: Viewer,
  asOf: CivilDate,
): Promise<{ snapshot: boolean; freshness: Freshness | null; ofAsOf: boolean }> {
  const live = { snapshot: false, freshness: null, ofAsOf: true };
  if (scopeOf(v) !== null) return live;
  const meta = await readSnapshotMeta(c.pool);
  const ofAsOf = meta.asOf === asOf;
  const current = ofAsOf && meta.rosterVersion === v.rosterVersion;
  // A stale snapshot of a small roster: evaluating everyone live is cheap and exact.
  if (!current && (await countOfficers(c.pool)) <= LIVE_LIMIT) return live;
  return {
    snapshot: true,
    ofAsOf,
    freshness: { asOf: meta.asOf, refreshedAt: meta.refreshedAt?.toISOString() ?? null, behind: !current },
  };
}

export interface ListQuery {
  status: OfficerStatusCode | null;
  agency: string | null;
  district: string | null;
  /** A name or license, or part of one (case-insensitive). */
  search: string | null;
  /** From 1. */
  page: number;
  /** The order of the live list (src/app/officer-list.ts); absent: by urgency, as officersInScope gives it. */
  compare?: (a: OfficerReport, b: OfficerReport) => number;
}

export interface OfficerList {
  asOf: CivilDate;
  /** Officers in scope by status, after the agency, district and search filters (not the status one). */
  counts: Record<OfficerStatusCode, number>;
  /** Officers after every filter. */
  total: number;
  page: number;
  pageCount: number;
  pageSize: number;
  officers: OfficerReportWithDelivery[];
  /** Set when the list comes from the status snapshot (an admin's view of a large roster). */
  freshness: Freshness | null;
}

const zeroCounts = () => Object.fromEntries(OFFICER_STATUSES.map((s) => [s, 0])) as Record<OfficerStatusCode, number>;

/** The console's home page: the officers in scope by urgency, counted by status, filtered, one page. */
export async function listOfficers(
  c: ConsoleContext,
  v: Viewer,
  asOf: CivilDate,
  today: CivilDate,
  q: ListQuery,
  pageSize = 50,
): Promise<OfficerList> {
  const view = await snapshotView(c, v, asOf);
  if (view.snapshot) return listFromSnapshot(c, asOf, q, pageSize, view.ofAsOf ? view.freshness : null);
  const all = await officersInScope(c, v, asOf, today);
  const needle = q.search?.trim().toLowerCase() ?? '';
  const found = all.filter(
    (o) =>
      (!q.agency || o.agencyId === q.agency) &&
      (!needle || o.license.toLowerCase().includes(needle) || o.name.toLowerCase().includes(needle)),
  );
  const inDistrict = q.district ? await licensesInDistrict(c, found, q.district, asOf) : null;
  const filtered = inDistrict ? found.filter((o) => inDistrict.has(o.license)) : found;
  const counts = zeroCounts();
  for (const o of filtered) counts[o.status]++;
  const kept = q.status ? filtered.filter((o) => o.status === q.status) : filtered;
  const shown = q.compare ? [...kept].sort(q.compare) : kept;
  const pageCount = Math.max(1, Math.ceil(shown.length / pageSize));
  const page = Math.min(Math.max(1, q.page), pageCount);
  return {
    asOf,
    counts,
    total: shown.length,
    page,
    pageCount,
    pageSize,
    officers: shown.slice((page - 1) * pageSize, page * pageSize),
    freshness: null,
  };
}

/** Of these officers, those with an assignment active on `asOf` in `district`. */
async function licensesInDistrict(
  c: ConsoleContext,
  officers: readonly OfficerReport[],
  district: string,
  asOf: CivilDate,
): Promise<Set<string>> {
  const report = await buildReportLines(c.pool, asOf, c.rules, {
    filter: { licenses: officers.map((o) => o.license), districts: [district] },
    timeZone: c.timeZone,
    directory: await c.directory(),
  });
  return new Set(report.lines.map((l) => l.officer.license));
}

async function listFromSnapshot(
  c: ConsoleContext,
  asOf: CivilDate,
  q: ListQuery,
  pageSize: number,
  freshness: Freshness | null,
): Promise<OfficerList> {
  const empty = { asOf, counts: zeroCounts(), total: 0, page: 1, pageCount: 1, pageSize, officers: [] };
  // No snapshot of this day yet (the first refresh of the day is running): nothing to show.
  if (!freshness) return { ...empty, freshness: { asOf: null, refreshedAt: null, behind: true } };
  const f: SnapshotFilter = {
    status: q.status,
    agency: q.agency,
    district: q.district,
    search: q.search?.trim() || null,
  };
  const unfiltered = !f.agency && !f.district && !f.search;
  const meta = unfiltered ? await readSnapshotMeta(c.pool) : null;
  const counts = { ...zeroCounts(), ...(meta?.counts ?? (await countSnapshot(c.pool, f))) };
  const total = f.status ? counts[f.status] : Object.values(counts).reduce((a, b) => a + b, 0);
  const pageCount = Math.max(1, Math.ceil(total / pageSize));
  const page = Math.min(Math.max(1, q.page), pageCount);
  const officers = await readSnapshotPage(c.pool, f, (page - 1) * pageSize, pageSize);
  return {
    asOf,
    counts,
    total,
    page,
    pageCount,
    pageSize,
    officers: await withLastAlerts(c.pool, officers, { asOf, timeZone: c.timeZone }),
    freshness,
  };
}

export interface OfficerDetail {
  officer: OfficerReportWithDelivery;
  /** The full status (the deadline's basis, the school year): what the page explains. */
  status: OfficerStatus;
  email: string | null;
  facts: OfficerFactRows;
  alerts: LedgerListing[];
  /** Every acknowledgement of the officer's deadlines, latest first (RULES.md 6). */
  acknowledgements: Acknowledgement[];
  /** RULES.md 10: the trainings the officer submitted, newest first, with their answers. */
  submissions: SubmissionRow[];
  names: { agencies: Map<string, string>; districts: Map<string, string> };
}

/** One officer (the caller checked the scope): the report object, facts with their source, every ledger row. */
export async function officerDetail(
  c: ConsoleContext,
  license: string,
  asOf: CivilDate,
): Promise<OfficerDetail | null> {
  const [report, facts, records, acknowledgements, submissions] = await Promise.all([
    buildReportLines(c.pool, asOf, c.rules, {
      filter: { licenses: [license] },
      timeZone: c.timeZone,
      directory: await c.directory(),
    }),
    readOfficerFactRows(c.pool, license),
    (async () => {
      for await (const batch of readOfficerBatches(c.pool, { licenses: [license] })) return batch;
      return [];
    })(),
    readAcknowledgements(c.pool, license),
    readSubmissions(c.pool, license),
  ]);
  const officer = report.lines[0]?.officer;
  const record = records[0];
  if (!officer || !facts || !record) return null;
  const alerts: LedgerListing[] = [];
  for await (const page of listLedger(c.pool, { license })) alerts.push(...page);
  const names = await readNames(
    c.pool,
    [record.agencyId, ...facts.policyReviews.map((p) => p.agencyId)],
    [...facts.assignments.map((a) => a.districtId), ...facts.contactDays.map((d) => d.districtId)],
  );
  return {
    officer,
    status: officerEvaluator(asOf, c.rules)(record),
    email: record.email,
    facts,
    alerts,
    acknowledgements,
    submissions,
    names,
  };
}
