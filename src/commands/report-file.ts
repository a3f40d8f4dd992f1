// What `sro report --format pdf` and `sro evidence` share (INTERFACE.md "Reports for the board
// and the auditor"): one scope (`--agency A` or `--district D`, or the whole roster), the as-of
// date, and `--output FILE`, written to a temporary file beside it and renamed when complete,
// so a failure never leaves half a report under the name asked for. Each report made is in
// the audit log, made by `cli:` and the OS user.
import { createWriteStream } from 'node:fs';
import { rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, resolve } from 'node:path';
import { rulesOf } from '../config.ts';
import { type ReportScope } from '../app/policy.ts';
import { type ReportKind, prepareReport } from '../app/reports.ts';
import { UnknownFilterIdError } from '../app/status-report.ts';
import { createPool } from '../db/pool.ts';
import { plural } from '../domain/plural.ts';
import { asOfOption } from './as-of.ts';
import { type CommandContext, InputError, UsageError } from './command.ts';
import { cliActor } from './import.ts';

/** `--agency A`, `--district D` (each at most once, not both), or the whole roster. */
function scopeOption(ctx: CommandContext): ReportScope {
  const list = (name: string) => {
    const v = ctx.values[name] as unknown as string[] | string | undefined;
    return v === undefined ? [] : Array.isArray(v) ? v : [v];
  };
  const agencies = list('agency');
  const districts = list('district');
  if (agencies.length > 1 || districts.length > 1)
    throw new UsageError(
      `--${agencies.length > 1 ? 'agency' : 'district'}: give one; a report covers one agency, one district or the whole roster`,
    );
  if (agencies.length && districts.length)
    throw new UsageError('--agency and --district: give one of them; a report covers one agency or one district');
  if (agencies[0] !== undefined) return { agencyId: agencies[0] };
  if (districts[0] !== undefined) return { districtId: districts[0] };
  return { everything: true };
}

/** Writes the PDF or the packet to `--output`; exit 0, or an error naming the option. */
export async function writeReportFile(ctx: CommandContext, kind: ReportKind): Promise<number> {
  for (const name of ['status', 'officer', 'json'])
    if (ctx.values[name] !== undefined && ctx.values[name] !== false)
      throw new UsageError(`--${name}: not with --format pdf: the report shows every officer of its scope`);
  const output = ctx.values.output;
  const example = kind === 'pdf' ? 'report.pdf' : 'evidence.zip';
  if (typeof output !== 'string' || output.trim() === '')
    throw new UsageError(`--output: required: the file to write, e.g. --output ${example}`);
  const scope = scopeOption(ctx);
  const config = ctx.config();
  const asOf = asOfOption(ctx.values['as-of'], config);
  const path = resolve(output);
  const folder = await stat(dirname(path)).catch(() => null);
  if (!folder?.isDirectory()) throw new InputError(`--output: ${output}: the folder ${dirname(path)} does not exist`);
  const partial = `${path}.partial-${process.pid}`;
  const pool = createPool(config.databaseUrl);
  try {
    const prepared = await prepareReport({ pool, rules: rulesOf(config), timeZone: config.timeZone }, kind, {
      scope,
      asOf,
      actor: { email: cliActor(), clientAddress: null, userAgent: null },
      now: new Date(),
    });
    const manifest = await prepared.write(createWriteStream(partial));
    await rename(partial, path);
    const files = manifest ? `, ${plural(manifest.files.length, 'file')} and manifest.json` : '';
    ctx.stdout(`${basename(path)}: ${plural(prepared.officers, 'officer')} as of ${asOf}${files}\n`);
    return 0;
  } catch (e) {
    await rm(partial, { force: true });
    if (e instanceof UnknownFilterIdError) throw new InputError(e.message);
    throw e;
  } finally {
    await pool.end();
  }
}
