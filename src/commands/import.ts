import { createDb } from '../db/client.ts';
import { loadRoster, formatRosterError } from '../roster/load.ts';
import { importRoster } from '../roster/import.ts';
import type { Command } from './command.ts';

export const importCommand: Command = {
  name: 'import',
  summary: 'load a roster (.json file or folder of CSV files)',
  usage: 'sro import PATH [--replace]',
  help: `Loads a roster into the database: a .json file, or a folder of CSV files
(agencies.csv, districts.csv, district_contacts.csv, officers.csv, assignments.csv,
trainings.csv, policy_reviews.csv, contact_days.csv; a missing file is an empty section).
Formats: INTERFACE.md, and the JSON Schema in schema/roster.schema.json.

Rows are upserted by their natural keys (agency id, district id, officer license,
assignment license+district+start date, ...). All or nothing: if any row is invalid,
nothing is written and every error is listed as FILE:ROW: FIELD: problem (exit 1).
Prints how many rows were created, updated, unchanged and deleted per section.

Options:
  --replace     make the database equal to the roster: rows not in the file are deleted
                (the alert ledger, the audit trail of e-mails sent, is never deleted)

Examples:
  sro import examples/demo-roster.json
  sro import ./district-241-export/ --replace`,
  options: { replace: { type: 'boolean', default: false } },
  positionals: [1, 1],
  async run(ctx) {
    const path = ctx.positionals[0] as string;
    const config = ctx.config();
    const loaded = await loadRoster(path);
    if (!loaded.ok) {
      for (const e of loaded.errors) ctx.log.error(formatRosterError(e));
      ctx.log.error(`${loaded.errors.length} error(s); nothing was imported`);
      return 1;
    }
    const db = createDb(config.databaseUrl);
    try {
      const result = await importRoster(db, loaded.roster, { replace: ctx.values.replace === true });
      if (!result.ok) {
        for (const e of result.errors) ctx.log.error(formatRosterError(e));
        ctx.log.error(`${result.errors.length} error(s); nothing was imported`);
        return 1;
      }
      const lines = Object.entries(result.counts).map(
        ([section, c]) => `${section.padEnd(16)} created ${c.created}, updated ${c.updated}, unchanged ${c.unchanged}, deleted ${c.deleted}`,
      );
      ctx.log.info(`imported ${path}${ctx.values.replace ? ' (replace)' : ''}\n${lines.join('\n')}`);
      return 0;
    } finally {
      await db.$disconnect();
    }
  },
};
