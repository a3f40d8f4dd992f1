// A substitute's contact days recorded or deleted in the console (RULES.md 7): by the PRIMARY
// or ESCALATION contacts of the district served, the chief and admins.
import type { CivilDate } from '../domain/civil-date.ts';
import { appendAuditEvent } from '../db/audit.ts';
import { deleteConsoleContactDays, insertContactDays } from '../db/console-facts.ts';
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

function validateContactDays(license: string, body: { districtId?: unknown; dates?: unknown }) {
  const problems: FieldProblem[] = [];
  const districtId = optionalText(body.districtId) ?? '';
  const dates = datesOf(body.dates);
  if (dates === null || dates.length === 0)
    problems.push({ field: 'dates', problem: 'must list one date or more (YYYY-MM-DD)' });
  else if (dates.length > MAX_CONTACT_DAYS_PER_REQUEST)
    problems.push({ field: 'dates', problem: `lists more than ${MAX_CONTACT_DAYS_PER_REQUEST} dates` });
  const valid: CivilDate[] = [];
  const first = contactDaySchema.safeParse({ license, districtId, date: '2000-01-01' });
  if (!first.success) problems.push(...problemsOf(first.error).filter((p) => p.field === 'districtId'));
  (dates ?? []).slice(0, MAX_CONTACT_DAYS_PER_REQUEST).forEach((d, i) => {
    const r = contactDaySchema.shape.date.safeParse(typeof d === 'string' ? d.trim() : d);
    if (r.success) valid.push(r.data);
    else problems.push({ field: `dates.${i}`, problem: r.error.issues[0]?.message ?? 'is not a date' });
  });
  if (problems.length) throw new InvalidInput(problems);
  return { districtId: first.success ? first.data.districtId : districtId, dates: [...new Set(valid)].sort() };
}

export async function recordContactDays(
  deps: RecordDeps,
  who: Recorder,
  license: string,
  body: { districtId?: unknown; dates?: unknown },
): Promise<{ added: CivilDate[]; alreadyRecorded: CivilDate[]; contactDays: ContactDayRow[] }> {
  const o = await officerContext(deps.pool, who, license);
  const d = validateContactDays(license, body);
  authorize(who.viewer, 'contactDays.record', { officer: o, districtId: d.districtId });
  // Decision (RULES.md 7 "the district served"): a district the officer has an assignment in, ended or not.
  if (!o.districtIds.includes(d.districtId))
    throw new InvalidInput([
      { field: 'districtId', problem: `officer ${license} has no assignment in district ${d.districtId}` },
    ]);
  const { changeId, added } = await inChange(deps, license, who.today, async (client) => {
    const added = await insertContactDays(client, { license, ...d, recordedBy: who.viewer.email });
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
    const result = await deleteConsoleContactDays(client, { license, ...d });
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
