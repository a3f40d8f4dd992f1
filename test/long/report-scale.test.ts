// `sro report` at 140,000 officers, as a real child process on a roster loaded by
// bench/generate-roster.ts into this file's own database. SLOW: about 30 s (the load ~10 s,
// then three reports side by side). Each report runs with a 128 MB V8 heap: before the
// streaming report the table died at this size ("Maximum call stack size exceeded", a
// spread into Math.max) and --json needed over 300 MB of heap (455 MB RSS).
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateRoster } from '../../bench/generate-roster.ts';
import { projectRoot } from '../../src/db/migrate.ts';
import { type TestDatabase, createTestDatabase, queryRows } from '../helpers/db.ts';

const OFFICERS = 140_000;
const HEAP_MB = 128;
const bin = join(projectRoot, 'bin', 'sro.js');
const GNU_TIME = '/usr/bin/time';
let t: TestDatabase;
let spill: string;

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
  seconds: number;
  /** Peak resident set size in MB, when GNU time is installed. */
  peakRssMb: number | null;
}

/** `sro report …` with a capped heap; TMPDIR is this file's own, to see the spill files go. */
async function report(args: string[], options: { closeAfterFirstChunk?: boolean } = {}): Promise<Run> {
  const rssFile = join(spill, `rss-${Math.random().toString(36).slice(2)}`);
  const node = [process.execPath, `--max-old-space-size=${HEAP_MB}`, bin, 'report', '--as-of', '2026-02-02', ...args];
  const [cmd, ...argv] = existsSync(GNU_TIME) ? [GNU_TIME, '-f', '%M', '-o', rssFile, ...node] : node;
  const started = performance.now();
  const r = await new Promise<Omit<Run, 'seconds' | 'peakRssMb'>>((resolve, reject) => {
    const child = spawn(cmd!, argv, {
      cwd: projectRoot,
      env: {
        PATH: process.env.PATH ?? '',
        DATABASE_URL: t.url,
        REDIS_URL: 'redis://127.0.0.1:6379',
        TMPDIR: join(spill, 'tmp'),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const out: string[] = [];
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      out.push(d);
      if (options.closeAfterFirstChunk) child.stdout.destroy();
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout: out.join(''), stderr });
    });
  });
  const rss = existsSync(rssFile) ? Number((await readFile(rssFile, 'utf8')).trim().split('\n').at(-1)) : NaN;
  return {
    ...r,
    seconds: (performance.now() - started) / 1000,
    peakRssMb: Number.isFinite(rss) ? Math.round(rss / 1024) : null,
  };
}

// The urgency order of the statuses, most urgent first (DUE and IN_GRACE tie): this test's own
// statement of it, not src/domain/report.ts's table, so the order is checked, not copied.
const URGENCY: readonly (readonly string[])[] = [
  ['OVERDUE'],
  ['DUE', 'IN_GRACE'],
  ['EXEMPT_SUBSTITUTE'],
  ['COMPLIANT'],
  ['INACTIVE'],
];
const RANK = (status: string) => URGENCY.findIndex((tier) => tier.includes(status));

beforeAll(async () => {
  t = await createTestDatabase('scale');
  spill = await mkdtemp(join(tmpdir(), 'sro-report-scale-'));
  await mkdir(join(spill, 'tmp'));
  await generateRoster({ officers: OFFICERS, databaseUrl: t.url, seed: 3, asOf: '2026-02-02', log: () => {} });
  // Some e-mails already sent, for the LAST ALERT SENT column.
  await queryRows(
    t.url,
    `INSERT INTO alert_ledger (key, alert_key, kind, license, recipient, as_of, status, sent_at, created_at, updated_at)
     SELECT 'k' || i, 'a' || i, 'DEADLINE_REMINDER', 'L' || lpad((i * 7)::text, 8, '0'), 'chief@agency.example', '2026-01-15', 'SENT',
            timestamptz '2026-01-15 12:00:00Z', now(), now()
     FROM generate_series(1, 5000) i`,
  );
}, 180_000);
afterAll(async () => {
  await t?.drop();
  if (spill) await rm(spill, { recursive: true, force: true });
});

describe(`sro report at ${OFFICERS.toLocaleString('en-US')} officers`, () => {
  it(`prints the whole table and the whole --json document within a ${HEAP_MB} MB heap, and stops quietly when its reader goes away`, async () => {
    const [table, json, closed] = await Promise.all([
      report([]),
      report(['--json']),
      report([], { closeAfterFirstChunk: true }),
    ]);
    for (const [what, r] of Object.entries({ table, json, closed })) {
      console.info(
        `sro report ${what}: exit ${r.code}, ${r.seconds.toFixed(1)} s, peak RSS ${r.peakRssMb ?? '?'} MB, ${r.stdout.length} characters`,
      );
    }

    expect(table.stderr).toBe('');
    expect(table.code).toBe(0);
    const lines = table.stdout.split('\n');
    expect(lines.at(-1)).toBe('');
    // The counts line may wrap to fit 120 columns: the column titles follow it and a blank line.
    const titles = lines.findIndex((l) => l.startsWith('LICENSE '));
    expect(lines[titles - 1]).toBe('');
    expect(lines.length - 1).toBe(OFFICERS + titles + 1);
    expect(lines[0]).toMatch(new RegExp(`^Status as of 2026-02-02: ${OFFICERS} officers \\(\\d+ OVERDUE, `));
    expect(lines[titles]).toMatch(/^LICENSE +NAME +AGENCY +DISTRICT +STATUS +DUE +DAYS +NOTES +LAST ALERT SENT$/);
    const widest = lines.reduce((w, l) => Math.max(w, [...l].length), 0);
    console.info(`sro report table: widest line ${widest} columns, column titles on line ${titles + 1}`);
    expect(widest).toBeLessThanOrEqual(120);
    const tableLicenses = lines.slice(titles + 1, -1).map((l) => l.slice(0, l.indexOf(' ')));

    expect(json.stderr).toBe('');
    expect(json.code).toBe(0);
    const doc = JSON.parse(json.stdout) as {
      asOf: string;
      officers: { license: string; status: string; lastAlert: unknown }[];
    };
    expect(doc.asOf).toBe('2026-02-02');
    expect(doc.officers).toHaveLength(OFFICERS);
    expect(new Set(doc.officers.map((o) => o.license)).size).toBe(OFFICERS);
    // Sorted by urgency over the whole roster, not batch by batch; the table in the same order.
    const outOfOrder = doc.officers.findIndex((o, i) => i > 0 && RANK(doc.officers[i - 1]!.status) > RANK(o.status));
    expect(outOfOrder).toBe(-1);
    expect(tableLicenses).toEqual(doc.officers.map((o) => o.license));
    expect(doc.officers.filter((o) => o.lastAlert !== null)).toHaveLength(5000);

    expect(closed.stderr).toBe('');
    expect(closed.code).toBe(0);
    expect(closed.stdout.length).toBeLessThan(table.stdout.length);
    // The spill files of all three runs are gone (tsx keeps its cache there too).
    expect((await readdir(join(spill, 'tmp'))).filter((f) => f.startsWith('sro-'))).toEqual([]);
  }, 150_000);
});
