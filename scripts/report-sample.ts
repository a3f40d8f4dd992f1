// The sample compliance report in the README (docs/samples/compliance-report.pdf) and a picture
// of its first page (docs/samples/compliance-report-page-1.png), made from the demo roster.
//
//   npx tsx scripts/report-sample.ts
//
// Needs PostgreSQL (SAMPLE_DATABASE_URL, default postgresql://postgres@127.0.0.1:5432/postgres:
// the server on which it creates, and afterwards drops, a database of its own) and, for the
// picture, Debian's `pdftoppm` (poppler-utils). What it does: a fresh migrated database,
// examples/demo-roster.json imported as `sro demo` imports it, an acknowledgement of the
// overdue officer's deadline (as a chief would record it), then the report of every agency and
// district as of 2026-03-02, made at a fixed instant by the demo admin: re-running it changes
// nothing unless the report's layout or the demo roster does.
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createWriteStream, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { writeCompliancePdf } from '../src/app/compliance-pdf.ts';
import { readComplianceReport } from '../src/app/compliance-report.ts';
import { applyMigrations, projectRoot } from '../src/db/migrate.ts';
import { createPool } from '../src/db/pool.ts';
import { civilDate } from '../src/domain/civil-date.ts';
import { importFeed } from '../src/roster/import.ts';
import { openRosterFeed } from '../src/roster/load.ts';
import { databaseUrlFor, dropDatabase, withClient } from '../support/postgres.ts';

const PG_URL = process.env.SAMPLE_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
const OUT = join(projectRoot, 'docs', 'samples');
const AS_OF = civilDate('2026-03-02');

async function main(): Promise<void> {
  mkdirSync(OUT, { recursive: true });
  const name = `sro_report_sample_${randomBytes(4).toString('hex')}`;
  const databaseUrl = databaseUrlFor(PG_URL, name);
  try {
    await applyMigrations(databaseUrl);
    const opened = await openRosterFeed(join(projectRoot, 'examples', 'demo-roster.json'));
    const imported = opened.ok ? await importFeed(databaseUrl, opened.feed, { replace: false }) : opened;
    if (!imported.ok) throw new Error(`demo roster did not import: ${JSON.stringify(imported.errors)}`);
    await withClient(databaseUrl, (c) =>
      c.query(
        `INSERT INTO acknowledgement (license, due_date, note, planned_completion_on, acknowledged_by, acknowledged_by_name, acknowledged_on, acknowledged_at)
         VALUES ('24108', '2026-01-05', 'Enrolled in the POST-approved course of March 16', '2026-03-20',
           'chief.ellis@albertlea-pd.example', 'Chief Morgan Ellis', '2026-01-12', '2026-01-12T15:30:00Z')`,
      ),
    );
    const pool = createPool(databaseUrl);
    try {
      const report = await readComplianceReport(pool, {
        asOf: AS_OF,
        rules: { schoolYearStart: { month: 7, day: 1 } },
        timeZone: 'America/Chicago',
        scope: { everything: true },
        generatedBy: 'admin@demo.example',
        now: new Date('2026-03-03T14:05:00Z'),
      });
      await writeCompliancePdf(report, createWriteStream(join(OUT, 'compliance-report.pdf')));
      await report.dispose();
    } finally {
      await pool.end();
    }
    const png = spawnSync(
      'pdftoppm',
      ['-png', '-r', '110', '-f', '1', '-l', '1', '-singlefile', 'compliance-report.pdf', 'compliance-report-page-1'],
      {
        cwd: OUT,
        encoding: 'utf8',
      },
    );
    if (png.error || png.status !== 0)
      process.stderr.write(
        `no picture of page 1: pdftoppm (apt-get install poppler-utils): ${png.error?.message ?? png.stderr}\n`,
      );
    process.stderr.write(`wrote ${join(OUT, 'compliance-report.pdf')}\n`);
  } finally {
    await dropDatabase(PG_URL, name);
  }
}

await main();
