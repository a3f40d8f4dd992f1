// Times `sro import` beside its floor, for each roster size N (issue 15). The roster is
// generated (bench/generate-roster.ts) into a scratch database and written out as a CSV
// folder and a JSON file; then, each in a fresh database and a child process of its own
// (`node --import tsx src/cli.ts import …`, its peak RSS read from /proc/PID/status VmHWM):
//   floor       COPY FROM STDIN of each CSV file into a plain table of text columns, then the
//               unique index of its natural key (what loading the same bytes costs at least)
//   csv         sro import FOLDER into an empty database
//   again       the same folder again, unchanged (every row counted unchanged, nothing written)
//   replace     sro import FOLDER --replace, the folder without 10 % of the officers (and their facts)
//   json        sro import FILE.json into an empty database
//   dry         (only when asked: --runs csv,json,dry) before `replace`, the same folder with
//               --replace --dry-run --json: the counts and the changes listed (issue 20 item 5)
//
// A JSON file of any size is imported: sro import streams it, and never holds it as one string.
//
//   tsx bench/import.ts [--sizes 100000,1000000] [--seed 1] [--runs csv,json[,dry]] [--keep DIR]
import { spawn } from 'node:child_process';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { projectRoot } from '../src/db/migrate.ts';
import { exportRoster } from './export-roster.ts';
import { generateRoster } from './generate-roster.ts';
import { createBenchDatabase, fmt, intArg, isMain, logToStderr, parseArgs, printBench, table } from './support.ts';

export const DEFAULT_IMPORT_SIZES = [100_000, 1_000_000];

/** The natural key of each file (INTERFACE.md), the floor's unique index. */
const FLOOR_KEYS: Record<string, string[]> = {
  'agencies.csv': ['id'],
  'districts.csv': ['id'],
  'district_contacts.csv': ['district_id', 'email', 'role'],
  'officers.csv': ['license'],
  'assignments.csv': ['license', 'district_id', 'start_date'],
  'trainings.csv': ['license', 'kind', 'completed_on'],
  'policy_reviews.csv': ['license', 'agency_id', 'reviewed_on'],
  'contact_days.csv': ['license', 'district_id', 'date'],
};

export interface Run {
  ms: number;
  peakRssMb: number;
}

export interface ImportFigures {
  officers: number;
  rows: number;
  csvBytes: number;
  jsonBytes: number;
  floorMs: number;
  csv: Run | null;
  again: Run | null;
  replace: Run | null;
  /** The replace's dry run with its changes listed; null when not asked for. */
  dry: Run | null;
  replaceRows: number;
  /** Null when not asked for. */
  json: Run | null;
}

/** The floor: each file COPYed into a plain text table, then its natural key's unique index. */
async function floor(url: string, dir: string): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const started = performance.now();
    for (const [file, key] of Object.entries(FLOOR_KEYS)) {
      const header = (await readFile(join(dir, file), 'utf8')).slice(0, 400).split('\n')[0]!;
      const table = `floor_${file.slice(0, -4)}`;
      await client.query(
        `CREATE TABLE ${table} (${header
          .split(',')
          .map((c) => `${c} text`)
          .join(', ')})`,
      );
      await pipeline(
        createReadStream(join(dir, file)),
        client.query(copyFrom(`COPY ${table} FROM STDIN WITH (FORMAT csv, HEADER)`)),
      );
      await client.query(`CREATE UNIQUE INDEX ON ${table} (${key.join(', ')})`);
    }
    return performance.now() - started;
  } finally {
    await client.end();
  }
}

/** `sro import ARGS` in a child process on `url`: wall time and peak RSS (VmHWM, sampled until it exits). */
async function sroImport(url: string, args: string[]): Promise<Run> {
  const started = performance.now();
  const child = spawn(process.execPath, ['--import', 'tsx', join(projectRoot, 'src', 'cli.ts'), 'import', ...args], {
    cwd: projectRoot,
    env: { ...process.env, DATABASE_URL: url },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let peakKb = 0;
  const sample = async () => {
    try {
      const status = await readFile(`/proc/${child.pid}/status`, 'utf8');
      peakKb = Math.max(peakKb, Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0));
    } catch {
      // exited
    }
  };
  const timer = setInterval(() => void sample(), 50);
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => {
    stderr = (stderr + d.toString()).slice(-4000);
  });
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  clearInterval(timer);
  if (code !== 0) throw new Error(`sro import ${args.join(' ')} exited ${code}:\n${stderr}`);
  return { ms: performance.now() - started, peakRssMb: peakKb / 1024 };
}

/** The folder without every 10th officer (license index divisible by 10) and that officer's facts. */
async function withoutTenth(from: string, to: string): Promise<number> {
  await mkdir(to, { recursive: true });
  let rows = 0;
  for (const file of Object.keys(FLOOR_KEYS)) {
    const out = createWriteStream(join(to, file));
    const byLicense = file !== 'agencies.csv' && file !== 'districts.csv' && file !== 'district_contacts.csv';
    let header = true;
    for await (const line of createInterface({ input: createReadStream(join(from, file)), crlfDelay: Infinity })) {
      // Generated licenses are L + 8 digits: L00000120 is officer 120.
      if (!header && byLicense && line.startsWith('L') && Number(line.slice(1, 9)) % 10 === 0) continue;
      if (!header) rows++;
      header = false;
      if (!out.write(`${line}\n`)) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
    }
    await new Promise<void>((resolve) => out.end(() => resolve()));
  }
  return rows;
}

async function folderBytes(dir: string): Promise<number> {
  let n = 0;
  for (const file of Object.keys(FLOOR_KEYS)) n += (await stat(join(dir, file))).size;
  return n;
}

export async function benchImport(options: {
  sizes: readonly number[];
  seed?: number;
  log?: (line: string) => void;
  keep?: string;
  /** Which imports to run (default csv and json; dry with csv). */
  runs?: readonly ('csv' | 'json' | 'dry')[];
}): Promise<ImportFigures[]> {
  const runs = new Set(options.runs ?? ['csv', 'json']);
  const log = options.log ?? logToStderr;
  const out: ImportFigures[] = [];
  for (const n of options.sizes) {
    const work = options.keep ?? (await mkdtemp(join(tmpdir(), 'sro-bench-import-')));
    const csv = join(work, `roster-${n}`);
    const json = join(work, `roster-${n}.json`);
    const smaller = join(work, `roster-${n}-minus-10pct`);
    try {
      const source = await createBenchDatabase(`import_src_${n}`);
      let rows: number;
      try {
        log(`N=${n}: generating, writing ${csv} and ${json}`);
        rows = (await generateRoster({ officers: n, databaseUrl: source.url, seed: options.seed ?? 1, log })).totalRows;
        await exportRoster(source.url, { csv, json });
      } finally {
        await source.drop();
      }
      const replaceRows = await withoutTenth(csv, smaller);
      const fresh = async <T>(label: string, fn: (url: string) => Promise<T>): Promise<T> => {
        const db = await createBenchDatabase(`import_${label}_${n}`);
        try {
          return await fn(db.url);
        } finally {
          await db.drop();
        }
      };
      log(`N=${n}: floor`);
      const floorMs = await fresh('floor', (url) => floor(url, csv));
      log(`N=${n}: csv, again, replace`);
      const [first, again, dry, replace] = runs.has('csv')
        ? await fresh('csv', async (url) => [
            await sroImport(url, [csv]),
            await sroImport(url, [csv]),
            runs.has('dry') ? await sroImport(url, [smaller, '--replace', '--dry-run', '--json']) : null,
            await sroImport(url, [smaller, '--replace']),
          ])
        : [null, null, null, null];
      const jsonBytes = (await stat(json)).size;
      log(`N=${n}: json (${fmt.mb(jsonBytes / 2 ** 20)} MB)`);
      const jsonRun = runs.has('json') ? await fresh('json', (url) => sroImport(url, [json])) : null;
      out.push({
        officers: n,
        rows,
        csvBytes: await folderBytes(csv),
        jsonBytes,
        floorMs,
        csv: first ?? null,
        again: again ?? null,
        dry: dry ?? null,
        replace: replace ?? null,
        replaceRows,
        json: jsonRun,
      });
    } finally {
      if (options.keep === undefined) await rm(work, { recursive: true, force: true });
    }
  }
  return out;
}

export function formatImportFigures(figures: readonly ImportFigures[]): string {
  const rowsOf = (f: ImportFigures): [string, number, Run | null][] => [
    ['floor (COPY + unique indexes)', f.rows, { ms: f.floorMs, peakRssMb: Number.NaN }],
    ['csv into an empty database', f.rows, f.csv],
    ['csv again, unchanged', f.rows, f.again],
    ...(f.dry === null
      ? []
      : [['csv --replace --dry-run --json, changes listed', f.replaceRows, f.dry] as [string, number, Run]]),
    ['csv --replace, 10 % officers fewer', f.replaceRows, f.replace],
    ['json into an empty database', f.rows, f.json],
  ];
  const lines = figures.flatMap((f) =>
    rowsOf(f).map(([what, rows, r]) =>
      r === null
        ? [fmt.int(f.officers), what, fmt.int(rows), 'not run', '', '', '']
        : [
            fmt.int(f.officers),
            what,
            fmt.int(rows),
            fmt.s(r.ms),
            fmt.int((rows * 1000) / r.ms),
            fmt.x(r.ms / f.floorMs),
            Number.isNaN(r.peakRssMb) ? '' : fmt.mb(r.peakRssMb),
          ],
    ),
  );
  const sizes = figures
    .map(
      (f) => `${fmt.int(f.officers)}: CSV ${fmt.mb(f.csvBytes / 2 ** 20)} MB, JSON ${fmt.mb(f.jsonBytes / 2 ** 20)} MB`,
    )
    .join('; ');
  return `${table(['officers', 'run', 'rows', 's', 'rows/s', '÷ floor', 'peak RSS MB'], lines)}\n\nroster sizes: ${sizes}`;
}

const USAGE = `Times sro import beside its floor, for each roster size (BENCHMARKS.md "Import").

  npx tsx bench/import.ts [--sizes 100000,1000000] [--seed 1] [--runs csv,json[,dry]] [--keep DIR]

  --sizes  officers per roster, comma-separated (default ${DEFAULT_IMPORT_SIZES.join(',')})
  --runs   csv: into an empty database, again, --replace with 10 % officers fewer; json: the
           JSON file into an empty database; dry: also the --replace as --dry-run --json
  --keep   write the rosters into DIR and keep them (default: a temporary folder, removed)`;

if (isMain(import.meta.url)) {
  if (process.argv.includes('--help')) {
    process.stdout.write(`${USAGE}\n`);
    process.exit(0);
  }
  const args = parseArgs(process.argv.slice(2));
  const sizes = (args.get('sizes') ?? DEFAULT_IMPORT_SIZES.join(','))
    .split(',')
    .map((s) => Number(s.replaceAll('_', '')));
  const seed = intArg(args, 'seed', 1);
  const runs = (args.get('runs') ?? 'csv,json').split(',') as ('csv' | 'json' | 'dry')[];
  await printBench(async () => formatImportFigures(await benchImport({ sizes, seed, runs, keep: args.get('keep') })));
}
