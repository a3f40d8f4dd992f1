// Times the scan beside its floor, for each roster size N (fresh database per N):
//   read floor   a plain sequential keyset read of the same rows (officer + 4 fact tables, no processing)
//   dry run      runScan without a queue: read + status rules + alert plan + alert keys
//   full         runScan with a queue: + ledger INSERTs + addBulk of the send jobs
//   addBulk floor  BullMQ addBulk of as many send jobs as the full scan enqueued
// Each N is measured in a child process of its own, so its peak RSS (maxRSS) is that N's.
// The child runs with --max-semi-space-size=32 (as the Dockerfile sets for the worker): a
// larger young generation means fewer scavenges of a scan's short-lived rows; floor and
// scan share the flag.
//
//   tsx bench/scan.ts [--sizes 10000,100000,1000000] [--seed 1] [--batch-size 2000] [--profile]
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type pg from 'pg';
import type { Queue } from 'bullmq';
import { projectRoot } from '../src/db/migrate.ts';
import { runScan } from '../src/app/alert-scan.ts';
import { sendAlertJob, sendJobId, sendJobOptions } from '../jobs/send-alert.ts';
import { generateRoster } from './generate-roster.ts';
import {
  createBenchDatabase,
  fmt,
  intArg,
  isMain,
  logToStderr,
  measure,
  openScanRig,
  parseArgs,
  printBench,
  table,
} from './support.ts';

export const DEFAULT_SCAN_SIZES = [10_000, 100_000, 1_000_000];

export interface ScanFigures {
  officers: number;
  batchSize: number;
  factRows: number;
  readFloorMs: number;
  dryRunMs: number;
  dryRunPeakRssMb: number;
  alerts: number;
  fullMs: number;
  fullPeakRssMb: number;
  ledgerRows: number;
  enqueued: number;
  addBulkFloorMs: number;
  maxRssMb: number;
  generateMs: number;
  generateRowsPerSecond: number;
}

/** The floor: the same rows, read the simplest way (keyset batches, one query per table, in sequence). */
async function readFloor(pool: pg.Pool, batchSize: number): Promise<number> {
  let rows = 0;
  let after = '';
  for (;;) {
    const o = await pool.query({
      text: 'SELECT license, first_name, last_name, email, agency_id FROM officer WHERE license > $2 ORDER BY license LIMIT $1',
      values: [batchSize, after],
      rowMode: 'array',
    });
    if (o.rows.length === 0) break;
    const range = [o.rows[0]![0], o.rows[o.rows.length - 1]![0]];
    for (const sql of [
      'SELECT license, district_id, role, start_date, end_date, training_unavailable FROM assignment WHERE license BETWEEN $1 AND $2',
      'SELECT license, kind, completed_on, certificate_on_file FROM training WHERE license BETWEEN $1 AND $2',
      'SELECT license, agency_id, reviewed_on FROM policy_review WHERE license BETWEEN $1 AND $2',
      'SELECT license, district_id, date FROM contact_day WHERE license BETWEEN $1 AND $2',
    ]) {
      rows += (await pool.query({ text: sql, values: range, rowMode: 'array' })).rows.length;
    }
    rows += o.rows.length;
    if (o.rows.length < batchSize) break;
    after = range[1] as string;
  }
  return rows;
}

/** The enqueue floor: addBulk of `count` send jobs shaped like the scan's, 1000 per call. */
async function addBulkFloor(queue: Queue, count: number, asOf: string): Promise<void> {
  const opts = sendJobOptions(8);
  for (let i = 0; i < count; i += 1000) {
    const jobs = [];
    for (let k = i; k < Math.min(count, i + 1000); k++) {
      const key = `DEADLINE_MISSED:L${String(k).padStart(8, '0')}:PRE_MANDATE:level=3:to=chief@floor.example`;
      jobs.push({ name: sendAlertJob.name, data: { ledgerKey: key, asOf }, opts: { ...opts, jobId: sendJobId(key) } });
    }
    await queue.addBulk(jobs);
  }
}

/** Child: measures one database already holding the roster; prints one JSON line. */
async function measureOne(
  databaseUrl: string,
  batchSize: number,
): Promise<Omit<ScanFigures, 'generateMs' | 'generateRowsPerSecond'>> {
  const rig = openScanRig('scan', databaseUrl, { poolSize: 8 });
  const { pool, queue } = rig;
  try {
    // Warm the OS cache and the visibility map the same way for every phase.
    for (const t of ['officer', 'assignment', 'training', 'policy_review', 'contact_day'])
      await pool.query(`SELECT count(*) FROM ${t}`);
    const options = { ...rig.scanOptions, batchSize };
    const floor = await measure(() => readFloor(pool, batchSize));
    const dry = await measure(() => runScan(pool, { ...options, work: null }));
    const full = await measure(() => runScan(pool, { ...options, work: rig.work }));
    const ledgerRows = Number((await pool.query('SELECT count(*) AS n FROM alert_ledger')).rows[0].n);
    await queue.obliterate({ force: true });
    const bulk = await measure(() => addBulkFloor(queue, full.result.enqueued, rig.scanOptions.asOf));
    return {
      officers: dry.result.officers,
      batchSize,
      factRows: floor.result,
      readFloorMs: floor.ms,
      dryRunMs: dry.ms,
      dryRunPeakRssMb: dry.peakRssMb,
      alerts: dry.result.alerts,
      fullMs: full.ms,
      fullPeakRssMb: full.peakRssMb,
      ledgerRows,
      enqueued: full.result.enqueued,
      addBulkFloorMs: bulk.ms,
      maxRssMb: process.resourceUsage().maxRSS / 1024,
    };
  } finally {
    await rig.close();
  }
}

function runChild(args: string[], profile: boolean): Promise<string> {
  const script = fileURLToPath(import.meta.url);
  const nodeArgs = [
    '--import',
    'tsx',
    '--max-semi-space-size=32',
    ...(profile ? ['--cpu-prof', '--cpu-prof-dir', 'bench/profiles'] : []),
    script,
    ...args,
  ];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, nodeArgs, { cwd: projectRoot, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (b: Buffer) => (out += b.toString()));
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0 ? resolve(out) : reject(new Error(`scan bench child exited with ${code}`)),
    );
  });
}

export interface ScanBenchOptions {
  sizes: readonly number[];
  seed?: number;
  batchSize?: number;
  profile?: boolean;
  log?: (line: string) => void;
}

export async function benchScan(options: ScanBenchOptions): Promise<ScanFigures[]> {
  const log = options.log ?? logToStderr;
  const batchSize = options.batchSize ?? 2000;
  const out: ScanFigures[] = [];
  for (const n of options.sizes) {
    const db = await createBenchDatabase(`scan${n}`);
    try {
      log(`scan bench: generating ${fmt.int(n)} officers into ${db.name}`);
      const gen = await generateRoster({ officers: n, databaseUrl: db.url, seed: options.seed ?? 1, log });
      log(
        `  loaded ${fmt.int(gen.totalRows)} rows in ${fmt.s(gen.ms)} s (${fmt.int(gen.rowsPerSecond)} rows/s); measuring`,
      );
      const json = await runChild(
        ['--measure', '--database', db.url, '--batch-size', String(batchSize)],
        options.profile ?? false,
      );
      const figures = JSON.parse(json.trim().split('\n').pop()!) as ScanFigures;
      out.push({ ...figures, generateMs: gen.ms, generateRowsPerSecond: gen.rowsPerSecond });
      log(`  ${formatRow(out[out.length - 1]!).join('  ')}`);
    } finally {
      await db.drop();
    }
  }
  return out;
}

const HEADER = [
  'officers',
  'read floor s',
  'dry run s',
  'dry officers/s',
  'dry ÷ read floor',
  'dry peak RSS MB',
  'jobs',
  'addBulk floor s',
  'full s',
  'full officers/s',
  'full ÷ (read + addBulk)',
  'full peak RSS MB',
];

function formatRow(f: ScanFigures): string[] {
  return [
    fmt.int(f.officers),
    fmt.s(f.readFloorMs),
    fmt.s(f.dryRunMs),
    fmt.int((f.officers * 1000) / f.dryRunMs),
    fmt.x(f.dryRunMs / f.readFloorMs),
    fmt.mb(f.dryRunPeakRssMb),
    fmt.int(f.enqueued),
    fmt.s(f.addBulkFloorMs),
    fmt.s(f.fullMs),
    fmt.int((f.officers * 1000) / f.fullMs),
    fmt.x(f.fullMs / (f.readFloorMs + f.addBulkFloorMs)),
    fmt.mb(f.fullPeakRssMb),
  ];
}

export function formatScanFigures(figures: readonly ScanFigures[]): string {
  const lines = [table(HEADER, figures.map(formatRow))];
  for (let i = 1; i < figures.length; i++) {
    const a = figures[i - 1]!;
    const b = figures[i]!;
    const k = b.officers / a.officers;
    lines.push(
      `${fmt.int(a.officers)} → ${fmt.int(b.officers)} officers (×${k}): dry run ×${(b.dryRunMs / a.dryRunMs).toFixed(1)}, full ×${(b.fullMs / a.fullMs).toFixed(1)}, read floor ×${(b.readFloorMs / a.readFloorMs).toFixed(1)}`,
    );
  }
  lines.push(
    `process maxRSS per N (MB): ${figures.map((f) => `${fmt.int(f.officers)}: ${fmt.mb(f.maxRssMb)}`).join(', ')}`,
  );
  lines.push(
    `roster load (COPY): ${figures.map((f) => `${fmt.int(f.officers)}: ${fmt.int(f.generateRowsPerSecond)} rows/s`).join(', ')}`,
  );
  return lines.join('\n');
}

if (isMain(import.meta.url)) {
  const args = parseArgs(process.argv.slice(2));
  const batchSize = intArg(args, 'batch-size', 2000);
  if (args.has('measure')) {
    const figures = await measureOne(args.get('database')!, batchSize);
    process.stdout.write(`${JSON.stringify(figures)}\n`);
  } else {
    const sizes = args.has('sizes')
      ? args
          .get('sizes')!
          .split(',')
          .map((s) => Number(s.replaceAll('_', '')))
      : DEFAULT_SCAN_SIZES;
    await printBench(async () =>
      formatScanFigures(
        await benchScan({ sizes, seed: intArg(args, 'seed', 1), batchSize, profile: args.has('profile') }),
      ),
    );
  }
}
