// Times the compliance report (PDF) and the evidence packet (ZIP) of one scope, each as `sro`
// runs it (the compiled product, dist/, in a child process of its own), with its peak resident
// set size (getrusage in the child, bench/peak-rss.mjs), beside a floor measured in the same
// run: `sro report --json` of the same scope (the same rows read and evaluated, printed as JSON).
//
//   tsx bench/report-pdf.ts --demo                      the demo roster, every officer
//   tsx bench/report-pdf.ts [--officers 1000000]        a generated roster, its largest agency
//   tsx bench/report-pdf.ts --database URL [--agency A] a roster already loaded (kept)
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { projectRoot } from '../src/db/migrate.ts';
import { importFeed } from '../src/roster/import.ts';
import { openRosterFeed } from '../src/roster/load.ts';
import { generateRoster } from './generate-roster.ts';
import {
  BENCH_AS_OF,
  createBenchDatabase,
  fmt,
  intArg,
  isMain,
  logToStderr,
  parseArgs,
  printBench,
  table,
} from './support.ts';

interface Run {
  name: string;
  ms: number;
  peakRssMb: number;
  bytes: number;
}

/** `sro args` in a child process: wall time, peak RSS, and the size of what it wrote (stdout or --output). */
async function runSro(
  name: string,
  args: string[],
  env: Record<string, string>,
  dir: string,
  output: string | null,
): Promise<Run> {
  const rssFile = join(dir, `rss-${name.replace(/\W+/g, '-')}`);
  const started = performance.now();
  let stdoutBytes = 0;
  const code = await new Promise<number | null>((resolve, reject) => {
    const child = spawn(process.execPath, [join(projectRoot, 'bin', 'sro.js'), ...args], {
      env: { ...env, PEAK_RSS_FILE: rssFile, NODE_OPTIONS: `--import ${join(projectRoot, 'bench', 'peak-rss.mjs')}` },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    child.stdout.on('data', (c: Buffer) => (stdoutBytes += c.length));
    child.once('error', reject);
    child.once('exit', resolve);
  });
  const ms = performance.now() - started;
  if (code !== 0) throw new Error(`sro ${args.join(' ')} exited ${code}`);
  const bytes = output ? (await stat(output)).size : stdoutBytes;
  return { name, ms, peakRssMb: Number(await readFile(rssFile, 'utf8')) / 2 ** 20, bytes };
}

export interface ReportFigures {
  scope: string;
  officers: number;
  certificates: number;
  runs: Run[];
}

export async function benchReportPdf(options: {
  databaseUrl: string;
  scope: string[];
  asOf: string;
}): Promise<ReportFigures> {
  const dir = await mkdtemp(join(tmpdir(), 'sro-bench-report-'));
  try {
    const env = { PATH: process.env.PATH ?? '', DATABASE_URL: options.databaseUrl, TZ: 'America/Chicago' };
    const common = ['--as-of', options.asOf, ...options.scope];
    const pdf = join(dir, 'report.pdf');
    const zip = join(dir, 'evidence.zip');
    const runs = [
      await runSro('floor: sro report --json', ['report', '--json', ...common], env, dir, null),
      await runSro('sro report --format pdf', ['report', '--format', 'pdf', '--output', pdf, ...common], env, dir, pdf),
      await runSro('sro evidence', ['evidence', '--output', zip, ...common], env, dir, zip),
    ];
    const c = new pg.Client({ connectionString: options.databaseUrl });
    await c.connect();
    try {
      const agency = options.scope[0] === '--agency' ? options.scope[1]! : null;
      const officers = Number(
        (await c.query(`SELECT count(*) AS n FROM officer WHERE $1::text IS NULL OR agency_id = $1`, [agency])).rows[0]
          .n,
      );
      const certificates = Number(
        (
          await c.query(
            `SELECT count(*) AS n FROM training t JOIN officer o USING (license)
             WHERE t.certificate_sha256 IS NOT NULL AND ($1::text IS NULL OR o.agency_id = $1)`,
            [agency],
          )
        ).rows[0].n,
      );
      return { scope: options.scope.join(' ') || 'every officer', officers, certificates, runs };
    } finally {
      await c.end();
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

export function formatReportFigures(f: ReportFigures): string {
  return [
    `Compliance report and evidence packet: ${f.scope} (${fmt.int(f.officers)} officers of the scope's agency or roster, ${fmt.int(f.certificates)} certificate files)`,
    table(
      ['run', 'seconds', 'peak RSS (MiB)', 'output (KiB)'],
      f.runs.map((r) => [
        r.name,
        (r.ms / 1000).toFixed(2),
        r.peakRssMb.toFixed(1),
        fmt.int(Math.round(r.bytes / 1024)),
      ]),
    ),
  ].join('\n');
}

async function main(): Promise<string> {
  const args = parseArgs(process.argv.slice(2));
  const given = args.get('database');
  const db = given ? null : await createBenchDatabase('report_pdf');
  const databaseUrl = given ?? db!.url;
  try {
    let scope: string[] = [];
    if (!given && args.has('demo')) {
      const opened = await openRosterFeed(join(projectRoot, 'examples', 'demo-roster.json'));
      const imported = opened.ok ? await importFeed(databaseUrl, opened.feed, { replace: false }) : opened;
      if (!imported.ok) throw new Error('the demo roster did not import');
    } else if (!given) {
      await generateRoster({ officers: intArg(args, 'officers', 1_000_000), databaseUrl, seed: 1, log: logToStderr });
    }
    if (args.has('agency')) scope = ['--agency', args.get('agency')!];
    else if (!args.has('demo')) {
      const c = new pg.Client({ connectionString: databaseUrl });
      await c.connect();
      const largest = await c.query(
        `SELECT agency_id FROM officer GROUP BY agency_id ORDER BY count(*) DESC, agency_id LIMIT 1`,
      );
      await c.end();
      scope = ['--agency', largest.rows[0].agency_id as string];
    }
    const asOf = args.get('as-of') ?? (args.has('demo') ? '2026-03-02' : BENCH_AS_OF);
    return formatReportFigures(await benchReportPdf({ databaseUrl, scope, asOf }));
  } finally {
    await db?.drop();
  }
}

if (isMain(import.meta.url)) await printBench(main);
