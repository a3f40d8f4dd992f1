// `sro report`: evaluates every officer as of D, reading the database in batches, and writes
// the table (or the JSON document) in bounded memory, however many officers there are.
//
// The table is sorted by urgency over the whole roster, and its first line counts every
// status, so nothing can be printed before the last officer is read. The rows are sorted
// the way a database sorts what does not fit in memory: runs of `runSize` rows are sorted
// and spilled to a private temporary directory as NDJSON, then merged (at most `fanIn`
// files open at once, in several passes if need be). Memory holds one batch of officers
// and one run; the disk holds the rows as compact JSON (about 2/3 of the --json output).
// A roster that fits in one run never touches the disk. Everything the database is asked
// for is read (from one snapshot) before the first byte is written, so a database failure
// leaves nothing on stdout.
import { randomBytes } from 'node:crypto';
import { type FileHandle, mkdtemp, open, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type pg from 'pg';
import type { CivilDate } from '../domain/civil-date.ts';
import { hasNoContactOnFile } from '../domain/recipients.ts';
import { type OfficerReport, byUrgency, officerReport } from '../domain/report.ts';
import { officerEvaluator } from '../domain/status.ts';
import type { OfficerStatusCode, RulesConfig } from '../domain/types.ts';
import { readDirectory, readOfficerBatches } from '../db/officer-reader.ts';
import { type Queryable, openSnapshot } from '../db/snapshot.ts';
import { type LastAlert, readLastAlerts } from '../db/ledger.ts';

/** The report rows of each batch of officers, in license order (unsorted across batches). */
async function* reportBatches(source: Queryable, asOf: CivilDate, rules: RulesConfig, licenses: readonly string[] | null): AsyncGenerator<OfficerReport[]> {
  const directory = await readDirectory(source);
  const evaluate = officerEvaluator(asOf, rules);
  for await (const batch of readOfficerBatches(source, { licenses })) {
    const out: OfficerReport[] = new Array(batch.length);
    for (let i = 0; i < batch.length; i++) {
      const facts = batch[i]!;
      const status = evaluate(facts);
      const noContact = status.status !== 'INACTIVE' && hasNoContactOnFile(facts, asOf, directory.agencies.get(facts.agencyId), directory.districts);
      out[i] = officerReport(facts, status, noContact);
    }
    yield out;
  }
}

/** Every officer's report, sorted by urgency, in memory (tests, small rosters; `sro report` streams with writeReport). */
export async function buildReport(pool: pg.Pool, asOf: CivilDate, rules: RulesConfig, licenses: readonly string[] | null = null): Promise<OfficerReport[]> {
  const out: OfficerReport[] = [];
  for await (const batch of reportBatches(pool, asOf, rules, licenses)) for (const r of batch) out.push(r);
  return out.sort(byUrgency);
}

/** A report row with the delivery log's last word on the officer (null: nothing sent yet). */
export interface OfficerReportWithDelivery extends OfficerReport {
  lastAlert: LastAlert | null;
}

/** Adds each officer's last alert sent (from the ledger, whatever the as-of date). */
export async function withLastAlerts(pool: pg.Pool, rows: readonly OfficerReport[]): Promise<OfficerReportWithDelivery[]> {
  const last = await readLastAlerts(pool, rows.map((r) => r.license));
  return rows.map((r) => ({ ...r, lastAlert: last.get(r.license) ?? null }));
}

const COLUMNS: { title: string; get: (r: OfficerReportWithDelivery) => string }[] = [
  { title: 'LICENSE', get: (r) => r.license },
  { title: 'NAME', get: (r) => r.name },
  { title: 'AGENCY', get: (r) => r.agencyId },
  { title: 'STATUS', get: (r) => r.status },
  { title: 'DUE', get: (r) => r.dueDate ?? '' },
  { title: 'DAYS', get: (r) => (r.daysRemaining === null ? '' : String(r.daysRemaining)) },
  { title: 'REASON', get: (r) => r.reason ?? '' },
  { title: 'CONTACT DAYS', get: (r) => (r.contactDays ? String(r.contactDays) + (r.projected60thDay ? ` (60th ${r.projected60thDay})` : '') : '') },
  { title: 'RESTRICTED', get: (r) => (r.restrictedDuties.length ? `cl. ${r.restrictedDuties.join(',')}` : '') },
  { title: 'ISSUES', get: (r) => [...r.issues, ...(r.completedLate ? ['COMPLETED_LATE'] : [])].join(',') },
  { title: 'LAST ALERT SENT', get: (r) => (r.lastAlert ? `${r.lastAlert.kind} ${r.lastAlert.sentAt.slice(0, 10)}` : '') },
];

// Control characters in names are shown as '?', so a roster cannot move the cursor.
const cellsOf = (r: OfficerReportWithDelivery): string[] => COLUMNS.map((c) => c.get(r).replace(/[\u0000-\u001f\u007f]/g, '?'));
const tableLine = (values: readonly string[], widths: readonly number[]) => values.map((v, i) => v.padEnd(widths[i] as number)).join('  ').trimEnd();

/**
 * What the table's first lines need from the whole table, gathered one row at a time: the
 * widest cell of each column, and how many officers of each status (listed in the order
 * each status first appears in the table, i.e. by its most urgent officer).
 */
class TableStats {
  readonly widths = COLUMNS.map((c) => c.title.length);
  readonly counts = new Map<OfficerStatusCode, { n: number; first: OfficerReportWithDelivery }>();
  total = 0;

  add(r: OfficerReportWithDelivery): void {
    this.total++;
    const cells = cellsOf(r);
    for (let i = 0; i < cells.length; i++) if ((cells[i] as string).length > (this.widths[i] as number)) this.widths[i] = (cells[i] as string).length;
    const c = this.counts.get(r.status);
    if (!c) this.counts.set(r.status, { n: 1, first: r });
    else {
      c.n++;
      if (byUrgency(r, c.first) < 0) c.first = r;
    }
  }

  header(asOf: CivilDate): string {
    const summary = [...this.counts]
      .sort(([, a], [, b]) => byUrgency(a.first, b.first))
      .map(([s, c]) => `${c.n} ${s}`)
      .join(', ');
    return `Status as of ${asOf}: ${this.total} officers${summary ? ` (${summary})` : ''}\n\n${tableLine(COLUMNS.map((c) => c.title), this.widths)}\n`;
  }

  row(r: OfficerReportWithDelivery): string {
    return `${tableLine(cellsOf(r), this.widths)}\n`;
  }
}

/** The whole table as one string (rows already sorted): for callers holding the rows in memory. */
export function formatReportTable(rows: readonly OfficerReportWithDelivery[], asOf: CivilDate): string {
  const stats = new TableStats();
  for (const r of rows) stats.add(r);
  let out = stats.header(asOf);
  for (const r of rows) out += stats.row(r);
  return out;
}

export interface WriteReportOptions {
  /** Only these officers (`--officer`). */
  licenses?: readonly string[] | null;
  /** Rows sorted in memory before a run is spilled to disk (default 10,000). */
  runSize?: number;
  /** Runs merged at once (default 64; more runs take several passes). */
  fanIn?: number;
  /** Where the private spill directory is made (default os.tmpdir(), i.e. TMPDIR). */
  tmpDir?: string;
  /** Stops between batches and between output chunks (SIGINT): the spill files are removed. */
  signal?: AbortSignal;
}

/**
 * Writes `sro report` (the table, or with format 'json' exactly the bytes of
 * `JSON.stringify({ asOf, officers }, null, 2)` and a newline) through `out`, in chunks of
 * about 64 KiB; `out` may return a promise to hold the next chunk back (a slow reader).
 */
export async function writeReport(
  pool: pg.Pool,
  asOf: CivilDate,
  rules: RulesConfig,
  format: 'table' | 'json',
  out: (chunk: string) => void | Promise<void>,
  options: WriteReportOptions = {},
): Promise<{ officers: number }> {
  const sorter = new ExternalSort<OfficerReportWithDelivery>(byUrgency, options.runSize ?? 10_000, options.fanIn ?? 64, options.tmpDir ?? tmpdir());
  try {
    const stats = new TableStats();
    // The directory and every batch from one snapshot, as the scan reads them: an import
    // committing meanwhile is seen whole or not at all. The ledger is read outside it.
    const snapshot = await openSnapshot(pool);
    try {
      for await (const batch of reportBatches(snapshot, asOf, rules, options.licenses ?? null)) {
        options.signal?.throwIfAborted();
        const last = await readLastAlerts(pool, batch.map((r) => r.license));
        for (const r of batch) {
          const row: OfficerReportWithDelivery = { ...r, lastAlert: last.get(r.license) ?? null };
          stats.add(row);
          await sorter.add(row);
        }
      }
    } finally {
      await snapshot.release();
    }
    const output = new ChunkedOutput(out, options.signal);
    if (format === 'table') {
      await output.write(stats.header(asOf));
      for await (const r of sorter.sorted()) await output.write(stats.row(r));
    } else {
      // JSON.stringify(…, null, 2) of the document, one officer at a time: each officer is
      // its own stringify, indented two levels (a JSON string holds no raw newline).
      await output.write(`{\n  "asOf": ${JSON.stringify(asOf)},\n  "officers": [`);
      let first = true;
      for await (const r of sorter.sorted()) {
        await output.write(`${first ? '\n' : ',\n'}    ${JSON.stringify(r, null, 2).replace(/\n/g, '\n    ')}`);
        first = false;
      }
      await output.write(first ? ']\n}\n' : '\n  ]\n}\n');
    }
    await output.flush();
    return { officers: stats.total };
  } finally {
    await sorter.dispose();
  }
}

/** Gathers small strings into writes of about 64 KiB, awaiting `out` for each. */
class ChunkedOutput {
  private parts: string[] = [];
  private size = 0;
  constructor(
    private readonly out: (chunk: string) => void | Promise<void>,
    private readonly signal: AbortSignal | undefined,
  ) {}

  async write(text: string): Promise<void> {
    this.parts.push(text);
    this.size += text.length;
    if (this.size >= 65_536) await this.flush();
  }

  async flush(): Promise<void> {
    if (this.size === 0) return;
    this.signal?.throwIfAborted();
    const chunk = this.parts.join('');
    this.parts = [];
    this.size = 0;
    await this.out(chunk);
  }
}

/**
 * Sorts any number of items in bounded memory: `runSize` items at a time are sorted and
 * written to a file (one JSON value a line), and the files are merged `fanIn` at a time.
 * Items must survive JSON (plain data); `compare` must be a total order for a stable result.
 */
export class ExternalSort<T> {
  private buffer: T[] = [];
  private runs: string[] = [];
  private dir: string | null = null;
  private files = 0;

  constructor(
    private readonly compare: (a: T, b: T) => number,
    private readonly runSize: number,
    private readonly fanIn: number,
    private readonly tmpRoot: string,
  ) {
    if (!(runSize >= 1) || !(fanIn >= 2)) throw new RangeError('runSize must be at least 1 and fanIn at least 2');
  }

  async add(item: T): Promise<void> {
    this.buffer.push(item);
    if (this.buffer.length >= this.runSize) await this.spill();
  }

  /** How many files were written (spilled runs and merge passes): 0 when everything fit in memory. */
  get filesWritten(): number {
    return this.files;
  }

  /** The items in order. Call once, after the last add. */
  async *sorted(): AsyncGenerator<T> {
    if (this.runs.length === 0) {
      const items = this.buffer.sort(this.compare);
      this.buffer = [];
      yield* items;
      return;
    }
    if (this.buffer.length) await this.spill();
    while (this.runs.length > this.fanIn) {
      const next: string[] = [];
      for (let i = 0; i < this.runs.length; i += this.fanIn) {
        const group = this.runs.slice(i, i + this.fanIn);
        if (group.length === 1) {
          next.push(group[0] as string);
          continue;
        }
        const writer = await this.newRun();
        for await (const item of this.merge(group)) await writer.write(`${JSON.stringify(item)}\n`);
        await writer.close();
        next.push(writer.path);
        for (const path of group) await rm(path, { force: true });
      }
      this.runs = next;
    }
    yield* this.merge(this.runs);
  }

  async dispose(): Promise<void> {
    this.buffer = [];
    if (this.dir) await rm(this.dir, { recursive: true, force: true });
    this.dir = null;
  }

  private async spill(): Promise<void> {
    this.buffer.sort(this.compare);
    const writer = await this.newRun();
    for (const item of this.buffer) await writer.write(`${JSON.stringify(item)}\n`);
    await writer.close();
    this.runs.push(writer.path);
    this.buffer = [];
  }

  private async newRun(): Promise<RunWriter> {
    // mkdtemp makes the directory 0700: the rows name officers; no other user reads them.
    this.dir ??= await mkdtemp(join(this.tmpRoot, 'sro-report-'));
    const path = join(this.dir, `run-${this.files++}-${randomBytes(4).toString('hex')}.ndjson`);
    return new RunWriter(path, await open(path, 'wx', 0o600));
  }

  /** A k-way merge of sorted run files through a binary heap of their current items. */
  private async *merge(paths: readonly string[]): AsyncGenerator<T> {
    const readers = paths.map((p) => new LineReader(p));
    try {
      const heap: { item: T; reader: LineReader }[] = [];
      const less = (i: number, j: number) => this.compare(heap[i]!.item, heap[j]!.item) < 0;
      const swap = (i: number, j: number) => {
        const t = heap[i]!;
        heap[i] = heap[j]!;
        heap[j] = t;
      };
      const down = (start: number) => {
        for (let i = start; ; ) {
          const l = 2 * i + 1;
          const r = l + 1;
          let m = i;
          if (l < heap.length && less(l, m)) m = l;
          if (r < heap.length && less(r, m)) m = r;
          if (m === i) return;
          swap(i, m);
          i = m;
        }
      };
      for (const reader of readers) {
        const line = await reader.next();
        if (line !== null) heap.push({ item: JSON.parse(line) as T, reader });
      }
      for (let i = (heap.length >> 1) - 1; i >= 0; i--) down(i);
      while (heap.length) {
        const top = heap[0]!;
        yield top.item;
        const line = await top.reader.next();
        if (line !== null) top.item = JSON.parse(line) as T;
        else {
          const last = heap.pop()!;
          if (heap.length) heap[0] = last;
        }
        down(0);
      }
    } finally {
      for (const r of readers) await r.close();
    }
  }
}

/** Appends to a run file in writes of about 64 KiB. */
class RunWriter {
  private parts: string[] = [];
  private size = 0;
  constructor(
    readonly path: string,
    private readonly file: FileHandle,
  ) {}

  async write(text: string): Promise<void> {
    this.parts.push(text);
    this.size += text.length;
    if (this.size >= 65_536) await this.flush();
  }

  private async flush(): Promise<void> {
    if (this.size === 0) return;
    const chunk = this.parts.join('');
    this.parts = [];
    this.size = 0;
    await this.file.write(chunk);
  }

  async close(): Promise<void> {
    try {
      await this.flush();
    } finally {
      await this.file.close();
    }
  }
}

/** Reads a file line by line ('\n' never occurs inside a UTF-8 sequence, nor in JSON text). */
class LineReader {
  private file: Promise<FileHandle> | null;
  private lines: string[] = [];
  private at = 0;
  private rest: Buffer = Buffer.alloc(0);
  private done = false;
  private readonly chunk = Buffer.allocUnsafe(65_536);

  constructor(path: string) {
    this.file = open(path, 'r');
    this.file.catch(() => undefined);
  }

  async next(): Promise<string | null> {
    while (this.at >= this.lines.length) {
      if (this.done) return null;
      await this.fill();
    }
    return this.lines[this.at++] as string;
  }

  private async fill(): Promise<void> {
    const { bytesRead } = await (await this.file!).read(this.chunk, 0, this.chunk.length, null);
    this.lines = [];
    this.at = 0;
    if (bytesRead === 0) {
      this.done = true;
      if (this.rest.length) this.lines.push(this.rest.toString('utf8'));
      this.rest = Buffer.alloc(0);
      return;
    }
    const data = this.rest.length ? Buffer.concat([this.rest, this.chunk.subarray(0, bytesRead)]) : this.chunk.subarray(0, bytesRead);
    let start = 0;
    for (let nl = data.indexOf(10, start); nl !== -1; nl = data.indexOf(10, start)) {
      this.lines.push(data.toString('utf8', start, nl));
      start = nl + 1;
    }
    // Copied: `chunk` is reused by the next read.
    this.rest = Buffer.from(data.subarray(start));
  }

  async close(): Promise<void> {
    const file = this.file;
    this.file = null;
    if (file) await (await file.catch(() => null))?.close();
  }
}
