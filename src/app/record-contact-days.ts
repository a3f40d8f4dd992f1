// A substitute's contact days recorded or deleted in the console (RULES.md 7): by the PRIMARY
// or ESCALATION contacts of the district served, the chief and admins. A day without school
// (RULES.md 9) is recorded only when the request confirms it; deleting one never asks.
import type { CivilDate } from '../domain/civil-date.ts';
import { type NonSchoolDay, nonSchoolDayText, nonSchoolDays } from '../domain/school-days.ts';
import { appendAuditEvent } from '../db/audit.ts';
import { deleteConsoleContactDays, districtDaysOff, insertContactDays } from '../db/console-facts.ts';
import type { ContactDayRow } from '../db/officer-facts.ts';
import { contactDaySchema } from '../roster/schema.ts';
import { type FieldProblem, InvalidInput } from '../errors.ts';
import {
  type RecordDeps,
  type Recorder,
  authorize,
  inChange,
  officerContext,
  optionalText,
  problemsOf,
  reevaluateOfficer,
} from './fact-change.ts';

// ---- Contact days ----

/** Most dates one request may carry: a school year's worth. */
const MAX_CONTACT_DAYS_PER_REQUEST = 366;

/** `dates` as JSON (an array) or a form (repeated fields, or one field separated by commas or spaces). */
function datesOf(v: unknown): unknown[] | null {
  if (Array.isArray(v)) return v;
  if (typeof v === 'string') return v.split(/[\s,]+/).filter((s) => s !== '');
  return null;
}

/** The request's district and its distinct dates, sorted, each with the position it had in `dates`. */
function validateContactDays(license: string, body: { districtId?: unknown; dates?: unknown }) {
  const problems: FieldProblem[] = [];
  const districtId = optionalText(body.districtId) ?? '';
  const dates = datesOf(body.dates);
  if (dates === null || dates.length === 0)
    problems.push({ field: 'dates', problem: 'must list one date or more (YYYY-MM-DD)' });
  else if (dates.length > MAX_CONTACT_DAYS_PER_REQUEST)
    problems.push({ field: 'dates', problem: `lists more than ${MAX_CONTACT_DAYS_PER_REQUEST} dates` });
  const valid = new Map<CivilDate, number>();
  const first = contactDaySchema.safeParse({ license, districtId, date: '2000-01-01' });
  if (!first.success) problems.push(...problemsOf(first.error).filter((p) => p.field === 'districtId'));
  (dates ?? []).slice(0, MAX_CONTACT_DAYS_PER_REQUEST).forEach((d, i) => {
    const r = contactDaySchema.shape.date.safeParse(typeof d === 'string' ? d.trim() : d);
    if (r.success) {
      if (!valid.has(r.data)) valid.set(r.data, i);
    } else problems.push({ field: `dates.${i}`, problem: r.error.issues[0]?.message ?? 'is not a date' });
  });
  if (problems.length) throw new InvalidInput(problems);
  return {
    districtId: first.success ? first.data.districtId : districtId,
    dates: [...valid.keys()].sort(),
    indexOf: valid,
  };
}

/** A day refused as not a school day (RULES.md 9): where it was in `dates`, and why in words. */
export interface UnconfirmedNonSchoolDay extends NonSchoolDay {
  index: number;
  text: string;
}

/**
 * Contact days on days without school, not confirmed (RULES.md 9): a 400 naming each day. The
 * API asks for `"confirmNonSchoolDays": true`; the console's form asks again with a box to tick.
 */
export class NonSchoolDaysUnconfirmed extends InvalidInput {
  constructor(readonly days: UnconfirmedNonSchoolDay[]) {
    super(
      days.map((d) => ({
        field: `dates.${d.index}`,
        problem: `${d.text}; send "confirmNonSchoolDays": true to record it anyway`,
      })),
    );
  }
}

export async function recordContactDays(
  deps: RecordDeps,
  who: Recorder,
  license: string,
  body: { districtId?: unknown; dates?: unknown; confirmNonSchoolDays?: unknown },
): Promise<{ added: CivilDate[]; alreadyRecorded: CivilDate[]; contactDays: ContactDayRow[] }> {
  const o = await officerContext(deps.pool, who, license);
  const d = validateContactDays(license, body);
  authorize(who.viewer, 'contactDays.record', { officer: o, districtId: d.districtId });
  // Decision (RULES.md 7 "the district served"): a district the officer has an assignment in, ended or not.
  if (!o.districtIds.includes(d.districtId))
    throw new InvalidInput([
      { field: 'districtId', problem: `officer ${license} has no assignment in district ${d.districtId}` },
    ]);
  // RULES.md 9: a Saturday, Sunday, legal holiday or the district's own day without school is
  // most likely a typing error, recorded only when the request confirms it.
  if (body.confirmNonSchoolDays !== true) {
    const calendar = await districtDaysOff(deps.pool, d.districtId, d.dates);
    const refused = nonSchoolDays(d.dates, calendar).map((n) => ({
      ...n,
      index: d.indexOf.get(n.date) ?? 0,
      text: nonSchoolDayText(n),
    }));
    if (refused.length > 0) throw new NonSchoolDaysUnconfirmed(refused.sort((a, b) => a.index - b.index));
  }
  const { changeId, added } = await inChange(deps, license, who.today, async (client) => {
    const added = await insertContactDays(client, {
      license,
      districtId: d.districtId,
      dates: d.dates,
      recordedBy: who.viewer.email,
    });
    const addedDates = new Set(added.map((a) => a.date));
    const changeId = await appendAuditEvent(client, {
      actor: who.actor,
      action: 'contact-days.record',
      license,
      before: null,
      after: {
        districtId: d.districtId,
        added: [...addedDates],
        alreadyRecorded: d.dates.filter((x) => !addedDates.has(x)),
      },
    });
    return { changeId, added };
  });
  if (added.length > 0) await reevaluateOfficer(deps, license, changeId, who.today);
  const addedDates = new Set(added.map((a) => a.date));
  return {
    added: [...addedDates],
    alreadyRecorded: d.dates.filter((x) => !addedDates.has(x)),
    contactDays: added,
  };
}

export async function deleteContactDays(
  deps: RecordDeps,
  who: Recorder,
  license: string,
  body: { districtId?: unknown; dates?: unknown },
): Promise<{ deleted: CivilDate[]; fromRoster: CivilDate[]; notOnFile: CivilDate[] }> {
  const o = await officerContext(deps.pool, who, license);
  const d = validateContactDays(license, body);
  authorize(who.viewer, 'contactDays.delete', { officer: o, districtId: d.districtId });
  const { changeId, result } = await inChange(deps, license, who.today, async (client) => {
    const result = await deleteConsoleContactDays(client, { license, districtId: d.districtId, dates: d.dates });
    const changeId = await appendAuditEvent(client, {
      actor: who.actor,
      action: 'contact-days.delete',
      license,
      before: { districtId: d.districtId, dates: result.deleted.map((x) => x.date) },
      after: null,
    });
    return { changeId, result };
  });
  if (result.deleted.length > 0) await reevaluateOfficer(deps, license, changeId, who.today);
  const gone = new Set(result.deleted.map((x) => x.date));
  const roster = new Set(result.roster);
  return {
    deleted: [...gone],
    fromRoster: result.roster,
    notOnFile: d.dates.filter((x) => !gone.has(x) && !roster.has(x)),
  };
}
