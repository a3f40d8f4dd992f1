// Writes schema/roster.schema.json from the zod schema that validates rosters (src/roster/schema.ts).
// Run `npm run schema` after changing the schema; test/unit/roster-validation-json.test.ts fails
// while the committed file is stale.
import { writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { renderRosterJsonSchema } from '../src/roster/schema.ts';

const target = fileURLToPath(new URL('../schema/roster.schema.json', import.meta.url));
await writeFile(target, renderRosterJsonSchema());
process.stderr.write(`wrote ${target}\n`);
