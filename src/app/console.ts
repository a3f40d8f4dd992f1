// What the console shows (INTERFACE.md "Console"): who a signed-in address is, which
// officers they may see, the officer list by urgency with its counts, and one officer with
// every fact and alert. The officer objects are `report --json`'s, made by the same
// function (buildReportLines), so the page, the API and the CLI cannot disagree.
import type pg from 'pg';
import type { CivilDate } from '../domain/civil-date.ts';
import { OFFICER_STATUSES } from '../domain/report.ts';
import { officerEvaluator } from '../domain/status.ts';
import type { OfficerStatus, OfficerStatusCode, RulesConfig } from '../domain/types.ts';
import {
  type RosterGrant,
  type Scope,
  isInScope,
  officerExists,
  readRosterGrants,
  readScopeLicenses,
} from '../db/identity.ts';
import { type LedgerListing, listLedger } from '../db/ledger.ts';
import { type OfficerFactRows, readNames, readOfficerFactRows } from '../db/officer-facts.ts';
import { type Directory, directoryByVersion, readDirectoryVersion, readOfficerBatches } from '../db/officer-reader.ts';
import { type OfficerReportWithDelivery, buildReportLines } from './status-report.ts';

export type ConsoleRole = 'ADMIN' | RosterGrant['role'];

export interface Grant extends Omit<RosterGrant, 'role'> {
  role: ConsoleRole;
}

/** A signed-in address and every role it holds today (roles add up). */
export interface Viewer {
  email: string;
  grants: Grant[];
}

/** The roles of `email` (lower-cased): ADMIN from ADMIN_EMAILS, the rest from the roster as it is now. */
export async function viewerOf(pool: pg.Pool, email: string, adminEmails: readonly string[]): Promise<Viewer> {
  const grants: Grant[] = adminEmails.includes(email) ? [{ role: 'ADMIN' }] : [];
  grants.push(...(await readRosterGrants(pool, email)));
  return { email, grants };
}

export const isAdmin = (v: Viewer) => v.grants.some((g) => g.role === 'ADMIN');

/** Whether an address may sign in at all: ADMIN_EMAILS or any role in the roster. */
export const isKnown = (v: Viewer) => v.grants.length > 0;

/** The viewer's scope; null for an admin (everything). */
export function scopeOf(v: Viewer): Scope | null {
  if (isAdmin(v)) return null;
  const pick = (role: ConsoleRole, key: 'agencyId' | 'districtId' | 'license') =>
    v.grants.filter((g) => g.role === role && g[key] !== undefined).map((g) => g[key] as string);
  return {
    agencies: [...pick('CHIEF', 'agencyId'), ...pick('AGENCY_ESCALATION', 'agencyId')],
    districts: pick('DISTRICT_CONTACT', 'districtId'),
    licenses: pick('OFFICER', 'license'),
  };
}

/** Whether the viewer may see `license`: false too for a license that does not exist (both answer 404). */
export async function maySee(pool: pg.Pool, v: Viewer, license: string, today: CivilDate): Promise<boolean> {
  const scope = scopeOf(v);
  return scope === null ? officerExists(pool, license) : isInScope(pool, scope, license, today);
}

/** What every read needs besides the pool. */
export interface ConsoleContext {
  pool: pg.Pool;
  rules: RulesConfig;
  timeZone: string;
  /** The directory of the current directory_version (cached per process). */
  directory(): Promise<Directory>;
}

export function consoleContext(pool: pg.Pool, rules: RulesConfig, timeZone: string): ConsoleContext {
  const byVersion = directoryByVersion(pool);
  return {
    pool,
    rules,
    timeZone,
    directory: async () => byVersion(await readDirectoryVersion(pool)),
  };
}

/** The officers in scope as of `asOf`, each as in `report --json`, by urgency. */
export async function officersInScope(
  c: ConsoleContext,
  v: Viewer,
  asOf: CivilDate,
  today: CivilDate,
  filter: { agencies?: string[]; districts?: string[]; statuses?: OfficerStatusCode[] } = {},
): Promise<OfficerReportWithDelivery[]> {
  const scope = scopeOf(v);
  const licenses = scope === null ? null : await readScopeLicenses(c.pool, scope, today);
  if (licenses !== null && licenses.length === 0) return [];
  const report = await buildReportLines(c.pool, asOf, c.rules, {
    filter: {
      licenses,
      agencies: filter.agencies ?? null,
      districts: filter.districts ?? null,
      statuses: filter.statuses ?? null,
    },
    timeZone: c.timeZone,
    directory: await c.directory(),
  });
  return report.lines.map((l) => l.officer);
}

export interface ListQuery {
  status: OfficerStatusCode | null;
  agency: string | null;
  district: string | null;
  /** A name or license, or part of one (case-insensitive). */
  search: string | null;
  /** From 1. */
  page: number;
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
}

/** The console's home page: the officers in scope by urgency, counted by status, filtered, one page. */
export async function listOfficers(
  c: ConsoleContext,
  v: Viewer,
  asOf: CivilDate,
  today: CivilDate,
  q: ListQuery,
  pageSize = 50,
): Promise<OfficerList> {
  const all = await officersInScope(c, v, asOf, today, {
    agencies: q.agency ? [q.agency] : [],
    districts: q.district ? [q.district] : [],
  });
  const needle = q.search?.trim().toLowerCase() ?? '';
  const found = needle
    ? all.filter((o) => o.license.toLowerCase().includes(needle) || o.name.toLowerCase().includes(needle))
    : all;
  const counts = Object.fromEntries(OFFICER_STATUSES.map((s) => [s, 0])) as Record<OfficerStatusCode, number>;
  for (const o of found) counts[o.status]++;
  const shown = q.status ? found.filter((o) => o.status === q.status) : found;
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
  };
}

export interface OfficerDetail {
  officer: OfficerReportWithDelivery;
  /** The full status (the deadline's basis, the school year): what the page explains. */
  status: OfficerStatus;
  email: string | null;
  facts: OfficerFactRows;
  alerts: LedgerListing[];
  acknowledgements: unknown[];
  names: { agencies: Map<string, string>; districts: Map<string, string> };
}

/** One officer (the caller checked the scope): the report object, facts with their source, every ledger row. */
export async function officerDetail(
  c: ConsoleContext,
  license: string,
  asOf: CivilDate,
): Promise<OfficerDetail | null> {
  const [report, facts, records] = await Promise.all([
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
    acknowledgements: [],
    names,
  };
}
