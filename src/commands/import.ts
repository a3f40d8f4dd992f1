import { userInfo } from 'node:os';
import { basename, resolve } from 'node:path';
import { MAX_LISTED_ERRORS } from '../roster/error-list.ts';
import {
  IMPORT_SECTIONS,
  MAX_LISTED_CHANGES,
  type ImportProgress,
  type ImportResult,
  type ImportSection,
  ImportBusyError,
  importFeed,
  parseImportSection,
} from '../roster/import.ts';
import { formatRosterError, openRosterFeed } from '../roster/load.ts';
import { quote } from '../shell/quote.ts';
import { plural } from '../domain/plural.ts';
import { type Command, type CommandContext, UsageError } from './command.ts';

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
nothing is written and every error is listed as FILE:ROW: FIELD: problem (exit 1), in one
run: values that are wrong, duplicate keys and references to an agency, district or
officer that neither the roster nor the database holds, all together. CSV dates may be
written M/D/YYYY (8/15/2025) as spreadsheets write them, or YYYY-MM-DD.
Prints how many rows were created, updated, unchanged and deleted per section.
The roster is read as it is loaded (a million officers in bounded memory); past
${MAX_LISTED_ERRORS} errors the first ${MAX_LISTED_ERRORS} are listed, then how many there are of each kind.
On a terminal, progress (rows read per section, then the merge) is shown on stderr.
One import runs at a time: if another is running, this one waits for it up to 30 s,
then gives up (exit 3, nothing written).

Options:
  --replace     make the database equal to the roster: rows not in the file are deleted
                (the alert ledger, the audit trail of e-mails sent, is never deleted).
                From a CSV folder, a section whose file is absent is NOT emptied: the
                import is refused (exit 1) if the database holds rows of that section,
                so that a missing or misnamed file cannot delete it. To empty a section,
                give its file with the header row alone, or use --allow-empty.
  --dry-run     check and count everything, print what would be created, updated,
                left unchanged and deleted, and write nothing. With --json, also who:
                "changes": {SECTION: {"created": [{"key", "name"?}], "updated": [{"key",
                "name"?, "fields": {FIELD: [BEFORE, AFTER]}}], "deleted": [...],
                "unlisted": {"created", "updated", "deleted"}}}, each list its first
                ${MAX_LISTED_CHANGES} rows in key order, "unlisted" how many more.
  --json        print the result on stdout as JSON: {"path", "replace", "dryRun",
                "counts": {SECTION: {"created", "updated", "unchanged", "deleted"}}};
                for an invalid roster {"path", "errors": [{"code", "file", "row",
                "field", "message"}], "totalErrors", "errorCounts": {CODE: n}} (exit 1).
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
  sro import ./district-241-export/ --replace --allow-empty contact_days,policy_reviews
  sro import ./district-241-export/ --replace --dry-run`,
  options: {
    replace: { type: 'boolean', default: false },
    'allow-empty': { type: 'string', multiple: true },
    'dry-run': { type: 'boolean', default: false },
    json: { type: 'boolean', default: false },
  },
  positionals: [1, 1],
  async run(ctx) {
    const path = ctx.positionals[0] as string;
    const replace = ctx.values.replace === true;
    const allowEmpty = allowedEmpty(ctx.values['allow-empty']);
    if (allowEmpty.length > 0 && !replace)
      ctx.log.warn('--allow-empty has no effect without --replace (nothing is deleted without it)');
    const dryRun = ctx.values['dry-run'] === true;
    const json = ctx.values.json === true;
    const config = ctx.config();
    const opened = await openRosterFeed(path);
    for (const w of opened.warnings) ctx.log.warn(w);
    if (!opened.ok) return rejected(ctx, path, { ok: false, errors: opened.errors }, json);
    const progress = terminalProgress();
    try {
      const result = await importFeed(config.databaseUrl, opened.feed, {
        replace,
        allowEmpty,
        dryRun,
        onProgress: progress.report,
        audit: { actor: { email: cliActor(), clientAddress: null, userAgent: null }, path: basename(resolve(path)) },
      });
      progress.done();
      if (!result.ok) return rejected(ctx, path, result, json);
      const lines = Object.entries(result.counts).map(
        ([section, c]) =>
          `${section.padEnd(16)} created ${c.created}, updated ${c.updated}, unchanged ${c.unchanged}, deleted ${c.deleted}`,
      );
      const mode = `${replace ? ' (replace)' : ''}`;
      ctx.log.info(
        `${dryRun ? `dry run: would import ${path}${mode}; nothing was written` : `imported ${path}${mode}`}\n${lines.join('\n')}`,
      );
      if (json) {
        const changes = result.changes === undefined ? {} : { changes: result.changes };
        ctx.stdout(`${JSON.stringify({ path, replace, dryRun, counts: result.counts, ...changes })}\n`);
      }
      return 0;
    } catch (e) {
      progress.done();
      if (!(e instanceof ImportBusyError)) throw e;
      ctx.log.error(e.message);
      return 3;
    }
  },
};

/** Who runs the command, as the audit log names it: `cli:` and the OS user name (their uid when the system has no name for it). */
/** Who runs a command, as the audit log names them: `cli:` and the OS user. */
export function cliActor(): string {
  try {
    return `cli:${userInfo().username}`;
  } catch {
    // A container's uid without a passwd entry: userInfo throws (SystemError ENOENT).
    return `cli:uid ${process.getuid?.() ?? 'unknown'}`;
  }
}

/** Lists the errors (at most MAX_LISTED_ERRORS; then the totals by kind) and says nothing was imported: exit 1. */
function rejected(ctx: CommandContext, path: string, result: ImportResult & { ok: false }, json: boolean): number {
  for (const e of result.errors) ctx.log.error(formatRosterError(e));
  const total = result.totalErrors ?? result.errors.length;
  const counts = result.errorCounts ?? countByCode(result.errors);
  if (total > result.errors.length) {
    const kinds = Object.entries(counts)
      .sort(([, a], [, b]) => b - a)
      .map(([code, n]) => `${code} ${n}`)
      .join(', ');
    ctx.log.error(
      `${plural(total, 'error')} (${kinds}); the first ${result.errors.length} are listed; nothing was imported`,
    );
  } else ctx.log.error(`${plural(total, 'error')}; nothing was imported`);
  if (json) ctx.stdout(`${JSON.stringify({ path, errors: result.errors, totalErrors: total, errorCounts: counts })}\n`);
  return 1;
}

function countByCode(errors: readonly { code: string }[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const e of errors) out[e.code] = (out[e.code] ?? 0) + 1;
  return out;
}

/** Progress on stderr while it is a terminal (one line, rewritten at most every 200 ms); silent otherwise. */
function terminalProgress(): { report: (p: ImportProgress) => void; done: () => void } {
  const tty = process.stderr.isTTY === true;
  let last = 0;
  let shown = false;
  const show = (line: string, force = false) => {
    const now = Date.now();
    if (!force && now - last < 200) return;
    last = now;
    shown = true;
    process.stderr.write(`\r\u001b[2K${line}`);
  };
  return {
    report(p) {
      if (!tty) return;
      if (p.stage === 'reading') show(`reading ${p.section}: ${p.rows.toLocaleString('en-US')} rows`);
      else if (p.stage === 'checking') show('checking duplicate keys and references…', true);
      else show(`merging ${p.section}…`, true);
    },
    done() {
      if (tty && shown) process.stderr.write('\r\u001b[2K');
      shown = false;
    },
  };
}
