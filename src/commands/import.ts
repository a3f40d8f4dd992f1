import { createDb } from '../db/client.ts';
import { loadRoster, formatRosterError } from '../roster/load.ts';
import {
  IMPORT_SECTIONS,
  type ImportSection,
  ImportBusyError,
  importRoster,
  parseImportSection,
} from '../roster/import.ts';
import { quote } from '../shell/quote.ts';
import { plural } from '../domain/plural.ts';
import { type Command, UsageError } from './command.ts';

const camelToSnake = (s: string) => s.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

/** The sections named by --allow-empty (repeatable, each a comma-separated list). */
function allowedEmpty(values: unknown): ImportSection[] {
  const given = Array.isArray(values) ? (values as string[]) : typeof values === 'string' ? [values] : [];
  const out: ImportSection[] = [];
  for (const name of given
    .flatMap((v) => v.split(','))
    .map((v) => v.trim())
    .filter((v) => v !== '')) {
    const section = parseImportSection(name);
    if (section === null) {
      throw new UsageError(
        `--allow-empty: unknown section ${quote(name)}; the sections are ${IMPORT_SECTIONS.map(camelToSnake).join(', ')} (or their file names, or the JSON names such as contactDays)`,
      );
    }
    out.push(section);
  }
  return out;
}

export const importCommand: Command = {
  help: `Loads a roster into the database: a .json file, or a folder of CSV files
(agencies.csv, districts.csv, district_contacts.csv, officers.csv, assignments.csv,
trainings.csv, policy_reviews.csv, contact_days.csv; a missing file is an empty section).
Files in the folder that are symbolic links are read through them. Any other *.csv file
is an error; entries that are not *.csv files are ignored, each named in a warning.
Formats: INTERFACE.md, and the JSON Schema in schema/roster.schema.json.

Rows are upserted by their natural keys (agency id, district id, officer license,
assignment license+district+start date, ...). All or nothing: if any row is invalid,
nothing is written and every error is listed as FILE:ROW: FIELD: problem (exit 1).
Prints how many rows were created, updated, unchanged and deleted per section.
One import runs at a time: if another is running, this one waits for it up to 30 s,
then gives up (exit 3, nothing written).

Options:
  --replace     make the database equal to the roster: rows not in the file are deleted
                (the alert ledger, the audit trail of e-mails sent, is never deleted).
                From a CSV folder, a section whose file is absent is NOT emptied: the
                import is refused (exit 1) if the database holds rows of that section,
                so that a missing or misnamed file cannot delete it. To empty a section,
                give its file with the header row alone, or use --allow-empty.
  --allow-empty SECTION
                with --replace, let a section whose CSV file is absent be emptied.
                Repeatable, or comma-separated. SECTION as the file or the JSON section:
                agencies, districts, district_contacts, officers, assignments, trainings,
                policy_reviews (policyReviews), contact_days (contactDays); allowing
                districts allows their contacts too.

Exit codes: 0 imported; 1 the roster is invalid or refused (nothing written);
2 usage error; 3 another import is running, or the database failed (nothing written).

Examples:
  sro import examples/demo-roster.json
  sro import ./district-241-export/ --replace
  sro import ./district-241-export/ --replace --allow-empty contact_days,policy_reviews`,
  options: { replace: { type: 'boolean', default: false }, 'allow-empty': { type: 'string', multiple: true } },
  positionals: [1, 1],
  async run(ctx) {
    const path = ctx.positionals[0] as string;
    const replace = ctx.values.replace === true;
    const allowEmpty = allowedEmpty(ctx.values['allow-empty']);
    if (allowEmpty.length > 0 && !replace)
      ctx.log.warn('--allow-empty has no effect without --replace (nothing is deleted without it)');
    const config = ctx.config();
    const loaded = await loadRoster(path);
    for (const w of loaded.warnings ?? []) ctx.log.warn(w);
    if (!loaded.ok) {
      for (const e of loaded.errors) ctx.log.error(formatRosterError(e));
      ctx.log.error(`${plural(loaded.errors.length, 'error')}; nothing was imported`);
      return 1;
    }
    const db = createDb(config.databaseUrl);
    try {
      const result = await importRoster(db, loaded.roster, { replace, allowEmpty });
      if (!result.ok) {
        for (const e of result.errors) ctx.log.error(formatRosterError(e));
        ctx.log.error(`${plural(result.errors.length, 'error')}; nothing was imported`);
        return 1;
      }
      const lines = Object.entries(result.counts).map(
        ([section, c]) =>
          `${section.padEnd(16)} created ${c.created}, updated ${c.updated}, unchanged ${c.unchanged}, deleted ${c.deleted}`,
      );
      ctx.log.info(`imported ${path}${replace ? ' (replace)' : ''}\n${lines.join('\n')}`);
      return 0;
    } catch (e) {
      if (!(e instanceof ImportBusyError)) throw e;
      ctx.log.error(e.message);
      return 3;
    } finally {
      await db.$disconnect();
    }
  },
};
