// The console's officer list beyond its filters (issue 21 item 6): the order a column asks for,
// where each listed officer serves (District and School), the status counts in urgency order,
// and the whole filtered list for the "Download CSV" link. The filtering and paging are
// listOfficers' (src/app/console.ts).
import type { CivilDate } from '../domain/civil-date.ts';
import { byUrgency, type OfficerReport } from '../domain/report.ts';
import type { OfficerStatusCode } from '../domain/types.ts';
import { type Placement, readPlacements } from '../db/officer-placements.ts';
import { type ConsoleContext, type ListQuery, type OfficerList, listOfficers } from './console.ts';
import type { Viewer } from './policy.ts';

export type { Placement };

/** The columns the list sorts by: the status (urgency, the default), the officer's name, the due date. */
export const LIST_SORTS = ['urgency', 'name', 'due'] as const;
export type ListSort = (typeof LIST_SORTS)[number];
export type SortOrder = 'asc' | 'desc';

/** The status counts as the page shows them: overdue first, compliant last. */
export const STATUSES_BY_URGENCY: readonly OfficerStatusCode[] = [
  'OVERDUE',
  'DUE',
  'IN_GRACE',
  'EXEMPT_SUBSTITUTE',
  'INACTIVE',
  'COMPLIANT',
];

const byName = (a: OfficerReport, b: OfficerReport) =>
  a.name.localeCompare(b.name, 'en', { sensitivity: 'base' }) || byUrgency(a, b);

/** No due date sorts after every due date, whichever the order. */
const byDue = (order: SortOrder) => (a: OfficerReport, b: OfficerReport) => {
  if (a.dueDate !== b.dueDate) {
    if (a.dueDate === null) return 1;
    if (b.dueDate === null) return -1;
    return (a.dueDate < b.dueDate ? -1 : 1) * (order === 'asc' ? 1 : -1);
  }
  return byUrgency(a, b);
};

/** The comparator a column's link asks for. */
function comparatorOf(sort: ListSort, order: SortOrder): (a: OfficerReport, b: OfficerReport) => number {
  switch (sort) {
    case 'urgency':
      return order === 'asc' ? byUrgency : (a, b) => byUrgency(b, a);
    case 'name':
      return order === 'asc' ? byName : (a, b) => byName(b, a);
    case 'due':
      return byDue(order);
    default: {
      const _exhaustive: never = sort;
      return _exhaustive;
    }
  }
}

export interface SortedListQuery extends ListQuery {
  sort: ListSort;
  order: SortOrder;
}

export interface PlacedOfficerList extends OfficerList {
  /** License → where the officer serves as of the list's date. */
  placements: Map<string, Placement[]>;
  /** False when the list comes from the status snapshot, which is read by urgency only. */
  sortable: boolean;
}

/** One page of the list in the order asked for, with where each officer on it serves. */
export async function listOfficersSorted(
  c: ConsoleContext,
  v: Viewer,
  asOf: CivilDate,
  today: CivilDate,
  q: SortedListQuery,
  pageSize = 50,
): Promise<PlacedOfficerList> {
  const list = await listOfficers(c, v, asOf, today, { ...q, compare: comparatorOf(q.sort, q.order) }, pageSize);
  const placements = await readPlacements(
    c.pool,
    list.officers.map((o) => o.license),
    asOf,
  );
  return { ...list, placements, sortable: list.freshness === null };
}

/** Officers per read of the whole list for the CSV export (a snapshot's is read page by page). */
const EXPORT_BATCH = 5000;

/** Every officer the filters keep, in the page's order, in batches, each with where they serve. */
export async function* exportOfficers(
  c: ConsoleContext,
  v: Viewer,
  asOf: CivilDate,
  today: CivilDate,
  q: SortedListQuery,
): AsyncGenerator<{ officers: OfficerReport[]; placements: Map<string, Placement[]> }> {
  for (let page = 1; ; page++) {
    const list = await listOfficers(
      c,
      v,
      asOf,
      today,
      { ...q, page, compare: comparatorOf(q.sort, q.order) },
      EXPORT_BATCH,
    );
    // listOfficers clamps a page past the end to the last one: stop there.
    if (list.page < page) return;
    yield {
      officers: list.officers,
      placements: await readPlacements(
        c.pool,
        list.officers.map((o) => o.license),
        asOf,
      ),
    };
    if (list.page >= list.pageCount) return;
  }
}
