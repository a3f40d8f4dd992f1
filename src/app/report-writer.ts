// `sro report`: evaluates every officer as of D, reading the database in batches, and writes
// the table, the CSV or the JSON document in bounded memory, however many officers there are.
//
// The table is sorted by urgency over the whole roster, and its first line counts every
// status, so nothing can be printed before the last officer is read. The rows go through an
// external sort (src/shell/external-sort.ts): runs of `runSize` rows are sorted and spilled
// to a private temporary directory as NDJSON, then merged (at most `fanIn` files open at
// once). Memory holds one batch of officers and one run; the disk holds the rows as compact
// JSON (about 2/3 of the --json output). A roster that fits in one run never touches the
// disk. Everything the database is asked for is read (from one snapshot) before the first
// byte is written, so a database failure leaves nothing on stdout.
import { tmpdir } from 'node:os';
import type pg from 'pg';
import type { CivilDate } from '../domain/civil-date.ts';
import type { RulesConfig } from '../domain/types.ts';
import { readDirectory } from '../db/officer-reader.ts';
import { openSnapshot } from '../db/snapshot.ts';
import { endOfCivilDay } from '../shell/clock.ts';
import { ExternalSort } from '../shell/external-sort.ts';
import { CSV_HEADER, csvRow } from './report-csv.ts';
import { TableStats } from './report-table.ts';
import {
  DEFAULT_TIME_ZONE,
  type ReportFilter,
  type ReportLine,
  type ReportNames,
  type ReportOptions,
  addLastAlerts,
  byLineUrgency,
  checkFilter,
  reportBatches,
  reportNames,
} from './status-report.ts';

export type ReportFormat = 'table' | 'json' | 'csv';

export interface WriteReportOptions extends ReportOptions {
  /** Only these officers (`--officer`); the same as filter.licenses. */
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
 * Writes `sro report` (the table; with format 'json' exactly the bytes of
 * `JSON.stringify({ asOf, officers }, null, 2)` and a newline; with 'csv' a header record and
 * one record per officer) through `out`, in chunks of about 64 KiB; `out` may return a
 * promise to hold the next chunk back (a slow reader). An `--agency` or `--district` id the
 * roster does not have throws UnknownFilterIdError before anything is written.
 */
export async function writeReport(
  pool: pg.Pool,
  asOf: CivilDate,
  rules: RulesConfig,
  format: ReportFormat,
  out: (chunk: string) => void | Promise<void>,
  options: WriteReportOptions = {},
): Promise<{ officers: number }> {
  const filter: ReportFilter = { ...options.filter, licenses: options.licenses ?? options.filter?.licenses ?? null };
  const sentBefore = endOfCivilDay(asOf, options.timeZone ?? DEFAULT_TIME_ZONE);
  const sorter = new ExternalSort<ReportLine>(
    byLineUrgency,
    options.runSize ?? 10_000,
    options.fanIn ?? 64,
    options.tmpDir ?? tmpdir(),
  );
  try {
    let stats: TableStats;
    let names: ReportNames;
    // The directory and every batch from one snapshot, as the scan reads them: an import
    // committing meanwhile is seen whole or not at all. The ledger is read outside it.
    const snapshot = await openSnapshot(pool);
    try {
      const directory = await readDirectory(snapshot);
      checkFilter(filter, directory);
      names = reportNames(directory);
      stats = new TableStats({ names, filter, timeZone: options.timeZone ?? DEFAULT_TIME_ZONE });
      for await (const batch of reportBatches(snapshot, directory, asOf, rules, filter)) {
        options.signal?.throwIfAborted();
        await addLastAlerts(pool, batch, sentBefore);
        for (const l of batch) {
          stats.add(l);
          await sorter.add(l);
        }
      }
    } finally {
      await snapshot.release();
    }
    const output = new ChunkedOutput(out, options.signal);
    if (format === 'table') {
      await output.write(stats.header(asOf));
      for await (const l of sorter.sorted()) await output.write(stats.row(l));
    } else if (format === 'csv') {
      await output.write(CSV_HEADER);
      for await (const l of sorter.sorted()) await output.write(csvRow(l, names));
    } else {
      // JSON.stringify(…, null, 2) of the document, one officer at a time: each officer is
      // its own stringify, indented two levels (a JSON string holds no raw newline).
      await output.write(`{\n  "asOf": ${JSON.stringify(asOf)},\n  "officers": [`);
      let first = true;
      for await (const l of sorter.sorted()) {
        await output.write(`${first ? '\n' : ',\n'}    ${JSON.stringify(l.officer, null, 2).replace(/\n/g, '\n    ')}`);
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
