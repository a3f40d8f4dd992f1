// RULES.md 12 on the directory's pages and in its API: an address marked undeliverable (which
// address, since when, why) beside the chief or the contact it belongs to, and for admins only
// (the policy module's `complaints.read`) the complaints made from the agency's or district's
// addresses about the service's e-mails.
import { type ComplaintRow, type UndeliverableRow, readComplaintsFrom } from '../../db/directory/deliverability.ts';
import type { CivilDate } from '../../domain/civil-date.ts';
import { can, type Viewer } from '../policy.ts';
import type { DirectoryDeps } from './change.ts';

export type { ComplaintRow };

/** INTERFACE.md `"undeliverable"`: since which day (TZ), the bounce's status code and words, and when it came (ISO 8601 UTC). */
export interface UndeliverableAnswer {
  since: CivilDate;
  status: string | null;
  diagnostic: string | null;
  at: string;
}

/** The mark of `email` among `marks` (letter case aside), as the API gives it; undefined when not marked. */
export function markOf(marks: readonly UndeliverableRow[], email: string | null): UndeliverableAnswer | undefined {
  if (!email) return undefined;
  const m = marks.find((x) => x.email === email.toLowerCase());
  return m ? { since: m.since, status: m.status, diagnostic: m.diagnostic, at: m.at.toISOString() } : undefined;
}

/** The latest complaints from these addresses when the viewer may see complaints (admins); else null. */
export async function complaintsFor(
  deps: DirectoryDeps,
  viewer: Viewer,
  addresses: readonly (string | null)[],
): Promise<ComplaintRow[] | null> {
  if (!can(viewer, 'complaints.read', null)) return null;
  const list = [...new Set(addresses.filter((a): a is string => !!a).map((a) => a.toLowerCase()))];
  return readComplaintsFrom(deps.db, list);
}
