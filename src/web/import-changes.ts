// What the /imports page shows of a dry run's changes (INTERFACE.md "Imports that say
// everything at once"): per section, who would be created, changed (each field in words,
// before → after) and deleted, the first PAGE_LISTED_CHANGES of each, and how many more.
import { type ImportChanges, sectionWords } from '../app/import-upload.ts';
import { IMPORT_SECTIONS } from '../roster/import.ts';

/** How many rows of each list the page shows; the rest are counted. */
export const PAGE_LISTED_CHANGES = 200;

/** A roster field in words, as a person reads it (never `completedOn:`). */
const FIELD_LABEL: Record<string, string> = {
  name: 'name',
  chiefName: 'chief\u2019s name',
  chiefEmail: 'chief\u2019s e-mail',
  escalationEmails: 'escalation e-mails',
  kind: 'kind',
  firstName: 'first name',
  lastName: 'last name',
  email: 'e-mail',
  agencyId: 'agency',
  school: 'school',
  role: 'role',
  endDate: 'end date',
  trainingUnavailable: 'training unavailable',
  certificateOnFile: 'certificate on file',
  courseNumber: 'course number',
  provider: 'provider',
  source: 'kept by',
};

/** A value as the page shows it. */
function shown(field: string, v: unknown): string {
  if (v === null || v === undefined || (Array.isArray(v) && v.length === 0)) return '(none)';
  if (field === 'source') return v === 'CONSOLE' ? 'the console' : 'the roster';
  if (typeof v === 'boolean') return v ? 'yes' : 'no';
  if (Array.isArray(v)) return v.map(String).join('; ');
  return String(v);
}

/** A row named by its key (the values of a key of several fields, joined) and its name. */
function who(row: { key: string | Record<string, string>; name?: string }): string {
  const key = typeof row.key === 'string' ? row.key : Object.values(row.key).join(' \u00b7 ');
  return row.name ? `${key} (${row.name})` : key;
}

interface ListView {
  rows: string[];
  /** Rows of the list not shown. */
  more: number;
}

export interface SectionChangesView {
  section: string;
  created: ListView;
  updated: ListView;
  deleted: ListView;
}

/** The sections that would change, in import order, each list cut at PAGE_LISTED_CHANGES. */
export function changesView(changes: ImportChanges): SectionChangesView[] {
  const out: SectionChangesView[] = [];
  for (const s of IMPORT_SECTIONS) {
    const c = changes[s];
    const total = (list: keyof typeof c.unlisted) => c[list].length + c.unlisted[list];
    if (total('created') + total('updated') + total('deleted') === 0) continue;
    const cut = <T>(list: 'created' | 'updated' | 'deleted', rows: T[], show: (r: T) => string): ListView => ({
      rows: rows.slice(0, PAGE_LISTED_CHANGES).map(show),
      more: total(list) - Math.min(rows.length, PAGE_LISTED_CHANGES),
    });
    out.push({
      section: sectionWords(s),
      created: cut('created', c.created, who),
      updated: cut(
        'updated',
        c.updated,
        (r) =>
          `${who(r)}: ${Object.entries(r.fields)
            .map(([f, [before, after]]) => `${FIELD_LABEL[f] ?? f} ${shown(f, before)} \u2192 ${shown(f, after)}`)
            .join('; ')}`,
      ),
      deleted: cut('deleted', c.deleted, who),
    });
  }
  return out;
}
