// What an import would change, row by row (INTERFACE.md "Imports that say everything at once":
// a dry run lists who would be created, changed, with the fields before and after, and
// deleted, per section): the staging tables against the real ones, by the rules the counts
// and the merge follow (import-merge.ts: the same key match, the same "differs", the same
// deletable rows). Each list is at most `limit` rows, in key order: a roster of a million
// rows lists a page of them, and the counts say how many there are in all. Reads only.
import { type DeleteRule, MERGE, type MergeCounts, deletable, differs, keyMatch } from './import-merge.ts';
import type { SqlSession, StageSection } from './import-staging.ts';

/** A row as a dry run names it: its natural key (one value, or its fields by roster name) and its name where it has one. */
interface ListedRow {
  key: string | Record<string, string>;
  name?: string;
}

/** A row that would change: each changed field, by its roster (JSON) name, as [before, after]. */
interface UpdatedRow extends ListedRow {
  fields: Record<string, [unknown, unknown]>;
}

export interface SectionChanges {
  created: ListedRow[];
  updated: UpdatedRow[];
  deleted: ListedRow[];
}

/** A column as the roster names the field: first_name → firstName, chief_email → chiefEmail. */
const fieldName = (column: string) => column.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());

/** What names a row in the list, over the alias `a` (the staged row, or the real one). */
const NAME: Partial<Record<StageSection, (a: string) => string>> = {
  agencies: (a) => `${a}.name`,
  districts: (a) => `${a}.name`,
  districtContacts: (a) => `${a}.name`,
  officers: (a) => `concat_ws(' ', ${a}.first_name, ${a}.last_name)`,
};

// json, not jsonb: an object keeps its fields in the order built (the key's order), where jsonb
// would sort them by length.

/** The natural key as JSON: the value of a one-column key, else an object of the roster's field names (dates as YYYY-MM-DD). */
function keyJson(section: StageSection, a: string): string {
  const { key } = MERGE[section];
  if (key.length === 1) return `to_json(${a}.${key[0]}::text)`;
  return `json_build_object(${key.map((c) => `'${fieldName(c)}', ${a}.${c}::text`).join(', ')})`;
}

function selected(section: StageSection, a: string): string {
  const name = NAME[section];
  return `${keyJson(section, a)} AS key${name ? `, ${name(a)} AS name` : ''}`;
}

const keyOrder = (section: StageSection, a: string) => MERGE[section].key.map((c) => `${a}.${c}`).join(', ');

/** Each data column that differs as [before, after] (after: what the roster's value makes it), and the source a CONSOLE row leaves. */
function changedFields(section: StageSection): string {
  const m = MERGE[section];
  const pairs = m.data.map((c) => {
    const after = m.stored?.[c] ?? `s.${c}`;
    return `'${fieldName(c)}', CASE WHEN t.${c} IS DISTINCT FROM ${after} THEN json_build_array(t.${c}, ${after}) END`;
  });
  if (m.sourced)
    pairs.push(`'source', CASE WHEN t.source <> 'ROSTER' THEN json_build_array(t.source::text, 'ROSTER'::text) END`);
  // A field that does not change is NULL in the object, and json_strip_nulls leaves it out.
  return pairs.length === 0 ? `'{}'::json` : `json_strip_nulls(json_build_object(${pairs.join(', ')}))`;
}

const withoutNullName = <T extends ListedRow>(rows: T[]): T[] => {
  for (const r of rows) if (r.name === null) delete r.name;
  return rows;
};

/**
 * The first `limit` rows of `section` the import would create, update (with their changed
 * fields) and delete under `rule`, each list in key order; a list whose count is 0 is not
 * queried.
 */
export async function listChanges(
  session: SqlSession,
  section: StageSection,
  counts: MergeCounts,
  rule: DeleteRule,
  limit: number,
): Promise<SectionChanges> {
  const m = MERGE[section];
  const created =
    counts.created === 0
      ? []
      : await session.rows<ListedRow>(
          `SELECT ${selected(section, 's')} FROM (${m.typed}) s
           WHERE NOT EXISTS (SELECT 1 FROM ${m.target} t WHERE ${keyMatch(m)})
           ORDER BY ${keyOrder(section, 's')} LIMIT $1`,
          [limit],
        );
  const updated =
    counts.updated === 0
      ? []
      : await session.rows<UpdatedRow>(
          `SELECT ${selected(section, 's')}, ${changedFields(section)} AS fields
           FROM (${m.typed}) s JOIN ${m.target} t ON ${keyMatch(m)}
           WHERE ${differs(m)}
           ORDER BY ${keyOrder(section, 's')} LIMIT $1`,
          [limit],
        );
  const doomed = deletable(section, rule);
  const deleted =
    counts.deleted === 0 || doomed === null
      ? []
      : await session.rows<ListedRow>(
          `SELECT ${selected(section, 't')} ${doomed} ORDER BY ${keyOrder(section, 't')} LIMIT $1`,
          [limit],
        );
  return { created: withoutNullName(created), updated: withoutNullName(updated), deleted: withoutNullName(deleted) };
}
