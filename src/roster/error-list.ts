// The errors of one import, in bounded memory (issue 15): a million bad rows must not build a
// million-line message. It keeps the first MAX_LISTED_ERRORS in the order they are listed
// (section, then row; at one place, reader problems, then schema, then duplicates, each in
// the order found) and counts every error by code.
import type { LocatedError, RosterError, RosterErrorCode } from './validate.ts';

/** How many errors an import lists; past that it lists these and the totals by code. */
export const MAX_LISTED_ERRORS = 1000;

/** When errors are found, at one place: the reader's, the schema's, then duplicates and references. */
export const ErrorPhase = { reader: 0, schema: 1, check: 2 } as const;
export type ErrorPhase = (typeof ErrorPhase)[keyof typeof ErrorPhase];

interface Entry {
  order: number;
  phase: number;
  seq: number;
  /** Drop group (a CSV file whose errors give way to its syntax or encoding error). */
  group: string;
  error: RosterError;
}

const before = (a: Entry, b: Entry) =>
  a.order !== b.order ? a.order < b.order : a.phase !== b.phase ? a.phase < b.phase : a.seq < b.seq;

/** The listed errors of a failed import, and how many there were in all, by code. */
export interface ErrorSummary {
  /** The first MAX_LISTED_ERRORS, sorted. */
  errors: RosterError[];
  total: number;
  byCode: Partial<Record<RosterErrorCode, number>>;
}

export class ErrorList {
  // A max-heap on the listing order: the root is the last error kept, replaced when an
  // earlier one comes.
  private readonly heap: Entry[] = [];
  private seq = 0;
  private readonly counts = new Map<string, Map<RosterErrorCode, number>>();
  total = 0;

  constructor(private readonly limit = MAX_LISTED_ERRORS) {}

  add(e: LocatedError, phase: ErrorPhase, group = ''): void {
    const entry: Entry = { order: e.order, phase, seq: this.seq++, group, error: e.error };
    this.total++;
    let byCode = this.counts.get(group);
    if (byCode === undefined) this.counts.set(group, (byCode = new Map()));
    byCode.set(e.error.code, (byCode.get(e.error.code) ?? 0) + 1);
    const heap = this.heap;
    if (heap.length < this.limit) {
      heap.push(entry);
      this.up(heap.length - 1);
    } else if (before(entry, heap[0]!)) {
      heap[0] = entry;
      this.down(0);
    }
  }

  /** Counts `n` errors of `code` that are never listed (each has MAX_LISTED_ERRORS listed before it). */
  count(code: RosterErrorCode, n: number, group = ''): void {
    this.total += n;
    let byCode = this.counts.get(group);
    if (byCode === undefined) this.counts.set(group, (byCode = new Map()));
    byCode.set(code, (byCode.get(code) ?? 0) + n);
  }

  /**
   * Forgets every error of `group`. Only for a group whose errors are the last found so far
   * (a CSV file read to its syntax error: files are read one after the other), so that no
   * error of another group was pushed out by them.
   */
  dropGroup(group: string): void {
    const byCode = this.counts.get(group);
    if (byCode === undefined) return;
    for (const n of byCode.values()) this.total -= n;
    this.counts.delete(group);
    const kept = this.heap.filter((e) => e.group !== group);
    this.heap.length = 0;
    for (const e of kept) {
      this.heap.push(e);
      this.up(this.heap.length - 1);
    }
  }

  get size(): number {
    return this.total;
  }

  summary(): ErrorSummary {
    const sorted = [...this.heap].sort((a, b) => (before(a, b) ? -1 : before(b, a) ? 1 : 0));
    const byCode: Partial<Record<RosterErrorCode, number>> = {};
    for (const m of this.counts.values()) for (const [code, n] of m) byCode[code] = (byCode[code] ?? 0) + n;
    return { errors: sorted.map((e) => e.error), total: this.total, byCode };
  }

  private up(i: number): void {
    const heap = this.heap;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(heap[parent]!, heap[i]!)) break;
      [heap[parent], heap[i]] = [heap[i]!, heap[parent]!];
      i = parent;
    }
  }

  private down(i: number): void {
    const heap = this.heap;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let largest = i;
      if (l < heap.length && before(heap[largest]!, heap[l]!)) largest = l;
      if (r < heap.length && before(heap[largest]!, heap[r]!)) largest = r;
      if (largest === i) return;
      [heap[largest], heap[i]] = [heap[i]!, heap[largest]!];
      i = largest;
    }
  }
}
