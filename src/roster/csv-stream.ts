// A CSV roster folder read as it is staged (issue 15): each file through csv-parse's stream
// API, one record at a time, each row converted and validated by csv.ts's rules (header,
// cells, line numbers and messages), then staged. Memory: a
// chunk of the file, one record, and the district ids (contacts belong to a district listed
// in districts.csv; districts are the roster's small section).
//
// A file that turns out not to be UTF-8, or not CSV, is reported by that one error for the
// file, none of its rows. Its rows read so far are forgotten (the file's
// errors and its staging table; files are read one after the other).
import { createReadStream } from 'node:fs';
import { isUtf8 } from 'node:buffer';
import { Transform, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { CsvError, parse } from 'csv-parse';
import { STAGE_TABLES, type StageWriter } from '../db/import-staging.ts';
import { quote } from '../shell/quote.ts';
import {
  CSV_FILES,
  CSV_NOT_UTF8,
  CSV_OPTIONS,
  FILE_OF,
  type FileSpec,
  checkHeader,
  checkRecord,
  columnOf,
  fileOrder,
  lineBreaks,
  toObject,
} from './csv.ts';
import { scanCsvFolder } from './csv-folder.ts';
import { csvParseError } from './csv-parse-errors.ts';
import { ErrorPhase, type ErrorList } from './error-list.ts';
import type { ImportSection, RosterFeed, StageContext } from './feed.ts';
import { ROW_SCHEMAS, districtContactSchema, districtSchema } from './schema.ts';
import { contactValues, districtValues, keyOf, stagedValues } from './stage-rows.ts';
import {
  type LocatedError,
  type RosterError,
  type RosterLocation,
  type RosterLocator,
  located,
  sortedErrors,
  validateRow,
} from './validate.ts';

/** Rows between two progress reports. */
const PROGRESS_EVERY = 16_384;

/**
 * The longest record a streamed CSV file may have, in characters. Files have no size limit,
 * but csv-parse holds one record at a time whole: without a bound, a file with no line break
 * (a binary file, a sparse file of zeros) would be held entire. A roster row is a few hundred
 * characters; 1 MiB leaves room for any real one.
 */
const MAX_CSV_RECORD_CHARS = 1024 * 1024;

/** Passes a file's bytes through, failing at the first chunk that is not UTF-8 (a sequence cut at a chunk's end is carried). */
class Utf8Check extends Transform {
  private carry: Buffer = Buffer.alloc(0);
  /** Every chunk passed on, for the line counter (which drops them as it goes). */
  constructor(private readonly onChunk: (chunk: Buffer) => void) {
    super();
  }
  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    const bytes = this.carry.length === 0 ? chunk : Buffer.concat([this.carry, chunk]);
    // A lead byte in the last three whose sequence is not complete: carried to the next chunk.
    let cut = bytes.length;
    for (let i = bytes.length - 1; i >= Math.max(0, bytes.length - 3); i--) {
      const b = bytes[i]!;
      if ((b & 0xc0) === 0x80) continue;
      const need = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : b >= 0xc0 ? 2 : 1;
      if (bytes.length - i < need) cut = i;
      break;
    }
    const whole = bytes.subarray(0, cut);
    this.carry = Buffer.from(bytes.subarray(cut));
    if (!isUtf8(whole)) {
      done(new NotUtf8());
      return;
    }
    this.onChunk(whole);
    done(null, whole);
  }
  override _flush(done: TransformCallback): void {
    done(this.carry.length === 0 ? null : new NotUtf8());
  }
}

class NotUtf8 extends Error {}

/** The line (1-based) on which a record ends, from csv-parse's `info.bytes`, as csv.ts counts it, over a stream of chunks. */
class LineCounter {
  private readonly chunks: Buffer[] = [];
  private base = 0;
  private pos = 0;
  private breaks = 0;
  private prev = -1;
  push(chunk: Buffer): void {
    this.chunks.push(chunk);
  }
  endLine(end: number): number {
    while (this.pos < end && this.chunks.length > 0) {
      const c = this.chunks[0]!;
      const stop = Math.min(c.length, end - this.base);
      let prev = this.prev;
      for (let i = this.pos - this.base; i < stop; i++) {
        const b = c[i]!;
        if (b === 0x0d || (b === 0x0a && prev !== 0x0d)) this.breaks++;
        prev = b;
      }
      this.prev = prev;
      this.pos = this.base + stop;
      if (stop === c.length) {
        this.base += c.length;
        this.chunks.shift();
      }
    }
    return this.prev === 0x0a || this.prev === 0x0d ? this.breaks : this.breaks + 1;
  }
}

/** Whether the whole file is UTF-8. */
async function isUtf8File(path: string): Promise<boolean> {
  try {
    await pipeline(createReadStream(path), new Utf8Check(() => undefined), async (source: AsyncIterable<unknown>) => {
      for await (const _ of source);
    });
    return true;
  } catch (cause) {
    if (cause instanceof NotUtf8) return false;
    throw cause;
  }
}

/** The line of a file's first byte that is not UTF-8, as csv.ts names it (the line of the first U+FFFD of a lossy decode). */
async function firstBadLine(path: string): Promise<number | null> {
  const decoder = new TextDecoder('utf-8');
  let line = 1;
  for await (const chunk of createReadStream(path)) {
    const text = decoder.decode(chunk as Buffer, { stream: true });
    const bad = text.indexOf('\uFFFD');
    const upto = bad < 0 ? text : text.slice(0, bad);
    for (let i = upto.indexOf('\n'); i >= 0; i = upto.indexOf('\n', i + 1)) line++;
    if (bad >= 0) return line;
  }
  return null;
}

interface CsvRecord {
  record: string[];
  info: { bytes: number };
}

/** Streams one file's records (header first) to `onRecord`; rejects with NotUtf8, or csv-parse's error. */
async function streamRecords(path: string, onRecord: (r: CsvRecord, line: () => number) => Promise<void> | undefined) {
  const lines = new LineCounter();
  const parser = parse({ ...CSV_OPTIONS, max_record_size: MAX_CSV_RECORD_CHARS });
  // What stopped the reading, as it was thrown: pipeline() may report instead the AbortError
  // it destroys the streams before the consumer with, and the caller decides by the class.
  let stopped: unknown = null;
  const consume = async (source: AsyncIterable<CsvRecord>) => {
    try {
      for await (const r of source) {
        const wait = onRecord(r, () => lines.endLine(r.info.bytes) - lineBreaks(r.record));
        if (wait) await wait;
      }
    } catch (e) {
      stopped = e;
      throw e;
    }
  };
  try {
    await pipeline(
      createReadStream(path, { highWaterMark: 256 * 1024 }),
      new Utf8Check((c) => lines.push(c)),
      parser,
      consume,
    );
  } catch (e) {
    throw stopped ?? e;
  }
}

/** What one folder's files stage; the district ids of districts.csv travel from that file to district_contacts.csv. */
class CsvFolderStager {
  /** The line of each district id's first row in districts.csv. */
  private readonly districtLines = new Map<string, number>();

  constructor(
    private readonly files: ReadonlyMap<string, string>,
    private readonly ctx: StageContext,
  ) {}

  private where(spec: FileSpec) {
    const order = fileOrder(spec.key) * 1e9;
    return (row: number | null, field: string | null): RosterLocation => ({
      file: spec.file,
      row,
      field,
      order: order + (row ?? 0),
    });
  }

  private csvLocator(spec: FileSpec, line: number): RosterLocator {
    const order = fileOrder(spec.key) * 1e9 + line;
    return {
      // Paths are [section, index, ...field] (a row validated alone): the field names the column.
      locate: (path) => ({ file: spec.file, row: line, field: columnOf(path.slice(2)), order }),
      describe: () => `line ${line}`,
    };
  }

  private add(errors: ErrorList, list: readonly LocatedError[], phase: ErrorPhase, group: string) {
    for (const e of list) errors.add(e, phase, group);
  }

  /** How many contacts district_contacts.csv gives each district (a district with more than the schema allows is reported once, not its contacts). */
  private async contactsPerDistrict(path: string): Promise<Map<string, number> | null> {
    const counts = new Map<string, number>();
    let column = -1;
    let width = 0;
    let first = true;
    try {
      await streamRecords(path, ({ record }) => {
        if (first) {
          first = false;
          column = record.findIndex((h) => h.trim().toLowerCase() === 'district_id');
          width = record.length;
          return undefined;
        }
        // The rows csv.ts attaches to a district: not blank, as many cells as the header.
        if (record.length !== width || record.every((c) => c.trim() === '')) return undefined;
        const id = record[column]?.trim() ?? '';
        if (id !== '') counts.set(id, (counts.get(id) ?? 0) + 1);
        return undefined;
      });
    } catch {
      return null; // reported by the pass that stages the file
    }
    return counts;
  }

  async stageFile(spec: FileSpec, path: string): Promise<void> {
    const { session, errors } = this.ctx;
    const group = spec.file;
    const where = this.where(spec);
    const section: ImportSection = spec.key;
    const table = STAGE_TABLES[section];
    const contactCounts = spec.key === 'districtContacts' ? await this.contactsPerDistrict(path) : null;
    const tooMany = new Set<string>();
    let names: string[] | null = null;
    let headerSeen = false;
    let rows = 0;
    let w: StageWriter | null = session.stage(table);
    const local: LocatedError[] = [];
    try {
      await streamRecords(path, ({ record }, lineOf) => {
        const line = lineOf();
        if (!headerSeen) {
          headerSeen = true;
          names = checkHeader(spec, record, line, where, local);
          this.add(errors, local.splice(0), ErrorPhase.reader, group);
          if (names === null) this.ctx.unreadable(section);
          return undefined;
        }
        if (names === null) return undefined; // a header that cannot be trusted: no rows
        const row = checkRecord(record, line, names, where, local);
        // A row whose cells do not match the header is not staged: its key is not known.
        if (row === null && local.length > 0) this.ctx.unreadable(section);
        let wait: Promise<void> | undefined;
        if (row !== null)
          wait = this.stageRow(spec, row.line, toObject(spec, row, local), local, w!, contactCounts, tooMany);
        if (local.length > 0) this.add(errors, local.splice(0), ErrorPhase.reader, group);
        if (++rows % PROGRESS_EVERY === 0) this.ctx.progress(section, rows);
        return wait;
      });
      await w.end();
      w = null;
    } catch (cause) {
      if (!(cause instanceof NotUtf8) && !(cause instanceof CsvError)) {
        // Not the file's fault (the disk, the database, an input that stopped): the COPY in
        // progress is failed, or the import's ROLLBACK would wait behind it for ever.
        if (w !== null) await w.abort(cause instanceof Error ? cause : new Error(String(cause)));
        throw cause;
      }
      // The file is one error, as csv.ts reports it (the encoding first, as it decodes the
      // whole file before parsing): its rows read so far are forgotten, staged and erroneous.
      // Every csv-parse error is such an error, whatever its code (a stray quote is one).
      this.ctx.unreadable(section);
      if (w !== null) await w.end();
      errors.dropGroup(group);
      await session.run(`TRUNCATE ${table.name}`);
      if (spec.key === 'districts') this.districtLines.clear();
      if (cause instanceof NotUtf8 || !(await isUtf8File(path)))
        errors.add(located('NOT_UTF8', where(await firstBadLine(path), null), CSV_NOT_UTF8), ErrorPhase.reader, group);
      else errors.add(await csvParseError(cause, where, path), ErrorPhase.reader, group);
      return;
    }
    if (!headerSeen) {
      errors.add(
        located(
          'MISSING_HEADER',
          where(null, null),
          `is empty; it needs a header row (${spec.columns.map((c) => c.name).join(',')})`,
        ),
        ErrorPhase.reader,
        group,
      );
    }
    this.ctx.progress(section, rows);
    // A district with more contacts than the schema allows: one error on its districts.csv line.
    for (const id of tooMany) {
      const line = this.districtLines.get(id)!;
      const districts = CSV_FILES.find((f) => f.key === 'districts')!;
      const check = validateRow(
        districtSchema.shape.contacts,
        Array.from({ length: contactCounts!.get(id)! }, () => ({})),
        ['districts', 0, 'contacts'],
        this.csvLocator(districts, line),
      );
      if (!check.ok) this.add(errors, check.errors, ErrorPhase.schema, districts.file);
    }
  }

  private stageRow(
    spec: FileSpec,
    line: number,
    object: Record<string, unknown>,
    local: LocatedError[],
    w: StageWriter,
    contactCounts: Map<string, number> | null,
    tooMany: Set<string>,
  ): Promise<void> | undefined {
    const { errors } = this.ctx;
    const locator = this.csvLocator(spec, line);
    if (spec.key === 'districtContacts') {
      const { districtId, ...contact } = object;
      const at = { file: spec.file, row: line, field: 'district_id', order: fileOrder(spec.key) * 1e9 + line };
      if (typeof districtId !== 'string') {
        local.push(located('INVALID_VALUE', at, 'is required'));
        return undefined;
      }
      if (!this.districtLines.has(districtId)) {
        local.push(
          located(
            'DANGLING_REFERENCE',
            at,
            `no district ${quote(districtId)} in districts.csv (list the district there too: contacts are imported with their district)`,
          ),
        );
        return undefined;
      }
      this.add(errors, local.splice(0), ErrorPhase.reader, spec.file);
      const key = keyOf('districtContacts', object);
      // Over the limit, the schema reports the district alone (as zod does for the whole list).
      if ((contactCounts?.get(districtId) ?? 0) > districtContactLimit()) {
        tooMany.add(districtId);
        return w.add(contactValues(line, 0, key, null));
      }
      const checked = validateRow(districtContactSchema, contact, ['districts', 0, 'contacts', 0], {
        locate: (path) => locator.locate(['districts', 0, ...path.slice(4)]),
        describe: locator.describe,
      });
      if (!checked.ok) this.add(errors, checked.errors, ErrorPhase.schema, spec.file);
      return w.add(contactValues(line, 0, key, checked.ok ? checked.value.name : null));
    }
    const section = spec.key;
    if (section === 'districts') {
      object.contacts = [];
      if (typeof object.id === 'string' && !this.districtLines.has(object.id)) this.districtLines.set(object.id, line);
    }
    // A column the reader refused (a date that is no day) is not refused again by the schema.
    const refused = local.length === 0 ? null : new Set(local.map((e) => e.error.field));
    this.add(errors, local.splice(0), ErrorPhase.reader, spec.file);
    const checked = validateRow(
      ROW_SCHEMAS[section] as (typeof ROW_SCHEMAS)['agencies'],
      object,
      [section, 0],
      locator,
    );
    if (!checked.ok)
      this.add(
        errors,
        refused === null ? checked.errors : checked.errors.filter((e) => !refused.has(e.error.field)),
        ErrorPhase.schema,
        spec.file,
      );
    const value = checked.ok ? checked.value : null;
    const key = keyOf(section, object);
    if (section === 'districts') return w.add(districtValues(line, key, value as never, null));
    return w.add(
      stagedValues(section, line, key, value, checked.ok ? undefined : { raw: object, fields: checked.fields }),
    );
  }
}

let contactLimit: number | null = null;
/** The most contacts a district may have (the schema's own bound, read from it once). */
function districtContactLimit(): number {
  if (contactLimit !== null) return contactLimit;
  for (let n = 1; ; n++) {
    const r = districtSchema.shape.contacts.safeParse(
      Array.from({ length: n }, () => ({ name: 'n', email: 'a@b.example', role: 'PRIMARY' })),
    );
    if (!r.success) return (contactLimit = n - 1);
  }
}

export type OpenedFeed =
  { ok: true; feed: RosterFeed; warnings: string[] } | { ok: false; errors: RosterError[]; warnings: string[] };

/** A CSV folder as a feed; problems of the folder itself that leave nothing to read come back at once. */
export async function openCsvFeed(folder: string): Promise<OpenedFeed> {
  const scanned = await scanCsvFolder(folder);
  if (scanned.errors.some((e) => e.error.code === 'NO_ROSTER_FILES'))
    return { ok: false, errors: sortedErrors(scanned.errors), warnings: scanned.warnings };
  const feed: RosterFeed = {
    async stage(ctx) {
      for (const e of scanned.errors) ctx.errors.add(e, ErrorPhase.reader, 'folder');
      const stager = new CsvFolderStager(scanned.files, ctx);
      for (const spec of CSV_FILES) {
        const path = scanned.files.get(spec.file);
        if (path !== undefined) await stager.stageFile(spec, path);
      }
    },
    locate: (section, r, _sub, field) => ({
      file: FILE_OF[section],
      row: r,
      field: field === null ? null : columnOf([field]),
      order: fileOrder(section) * 1e9 + r,
    }),
    describe: (_section, r) => `line ${r}`,
    absent: () =>
      CSV_FILES.filter((f) => !scanned.files.has(f.file)).map((f) => ({
        section: f.key,
        file: f.file,
      })),
  };
  return { ok: true, feed, warnings: scanned.warnings };
}
