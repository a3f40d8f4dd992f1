// The shell around every change of the directory made in the console (RULES.md 11), as
// fact-change.ts is for the facts of RULES.md 7: one transaction (Prisma Client, over the
// same pg pool) that locks roster_version, reads the row as it is, writes it and appends the
// change's one audit event with the row before and after; then every officer the change
// touches re-evaluated at once, one scan job per officer whose id is derived from the change
// (a change enqueued twice is one job per officer), so the reminder or escalation now owed
// follows within a minute through the queue and the ledger. Validation uses the roster's own
// row schemas (src/roster/schema.ts): a console row is exactly as valid as a roster row.
import type { z } from 'zod';
import {
  type DirectoryDb,
  type DirectoryTx,
  appendDirectoryAudit,
  inDirectoryTransaction,
} from '../../db/directory/client.ts';
import type { CivilDate } from '../../domain/civil-date.ts';
import { type FieldProblem, InvalidInput } from '../../errors.ts';
import { type RecordDeps, type Recorder, followChange, problemsOf, reevaluateOfficer } from '../fact-change.ts';

/** What a directory change needs: the record-fact deps (pool, queue, rules, log) and Prisma Client. */
export interface DirectoryDeps extends RecordDeps {
  db: DirectoryDb;
}

/** What a change's work inside the transaction answers. */
export interface ChangeOutcome<T> {
  /** The request's answer. */
  result: T;
  /** The audit event; null when the request changed nothing (nothing is written then). */
  audit: {
    action: string;
    license?: string;
    agencyId?: string;
    districtId?: string;
    before: unknown;
    after: unknown;
  } | null;
  /** The officers the change touches, re-evaluated once it is committed. */
  licenses: readonly string[];
}

/** Re-evaluations enqueued at a time (an agency's change touches all its officers). */
const ENQUEUE_BATCH = 50;

/** Runs one change: its transaction with its audit event, the snapshot follow-up, the re-evaluations. */
export async function directoryChange<T>(
  deps: DirectoryDeps,
  who: Recorder,
  work: (tx: DirectoryTx) => Promise<ChangeOutcome<T>>,
): Promise<T> {
  const { out, before, after } = await inDirectoryTransaction(deps.db, async (tx) => {
    const o = await work(tx);
    const changeId = o.audit ? await appendDirectoryAudit(tx, { actor: who.actor, ...o.audit }) : null;
    return { ...o, changeId };
  });
  if (out.changeId === null) return out.result;
  // One officer's change shows in an admin's status snapshot at once; a wider one (an agency's,
  // a district's) waits for the snapshot keeper's refresh, as after an import.
  if (out.licenses.length === 1) await followChange(deps, out.licenses[0]!, who.today, before, after);
  await reevaluateOfficers(deps, out.licenses, out.changeId, who.today);
  return out.result;
}

async function reevaluateOfficers(
  deps: DirectoryDeps,
  licenses: readonly string[],
  changeId: string,
  today: CivilDate,
): Promise<void> {
  for (let i = 0; i < licenses.length; i += ENQUEUE_BATCH)
    await Promise.all(
      licenses.slice(i, i + ENQUEUE_BATCH).map((license) => reevaluateOfficer(deps, license, changeId, today)),
    );
}

// ---- Validation ----

/** A request body: the fields the web layer passed on, unchecked. */
export type Body = Readonly<Record<string, unknown>>;

export const has = (body: Body, field: string) => Object.prototype.hasOwnProperty.call(body, field);

/** The body's fields that are not among `allowed`, each a problem naming the fields there are. */
export function unknownFields(body: Body, allowed: readonly string[]): FieldProblem[] {
  return Object.keys(body)
    .filter((k) => !allowed.includes(k))
    .map((field) => ({ field, problem: `is not a field here; the fields are ${allowed.join(', ')}` }));
}

/** `confirmNoContact`, when given, is true or false. */
export function confirmationProblems(body: Body): FieldProblem[] {
  return has(body, 'confirmNoContact') && typeof body.confirmNoContact !== 'boolean'
    ? [{ field: 'confirmNoContact', problem: 'must be true or false' }]
    : [];
}

/** The row as the roster's schema for its section reads it, or its problems added to `problems`. */
export function asRosterRow<S extends z.ZodType>(
  schema: S,
  candidate: unknown,
  problems: FieldProblem[],
): z.output<S> | null {
  const parsed = schema.safeParse(candidate);
  if (parsed.success) return parsed.data;
  problems.push(...problemsOf(parsed.error));
  return null;
}

/** Throws InvalidInput with every problem when there is any. */
export function refuseProblems(problems: readonly FieldProblem[]): void {
  if (problems.length > 0) throw new InvalidInput([...problems]);
}

/** Whether two rows' fields are the same (JSON-equal, in the fields' order). */
export const sameFields = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
