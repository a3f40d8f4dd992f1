// Sorting more items than memory holds, the way a database sorts what does not fit: runs
// sorted in memory and spilled to a private temporary directory as NDJSON, then merged k at
// a time through a binary heap, in several passes if need be.
import { randomBytes } from 'node:crypto';
import { type FileHandle, mkdtemp, open, rm } from 'node:fs/promises';
import { join } from 'node:path';

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
    // mkdtemp makes the directory 0700: the items may be personal (a report's rows name officers).
    this.dir ??= await mkdtemp(join(this.tmpRoot, 'sro-sort-'));
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
        for (let i = start; ;) {
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
    const data = this.rest.length
      ? Buffer.concat([this.rest, this.chunk.subarray(0, bytesRead)])
      : this.chunk.subarray(0, bytesRead);
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
