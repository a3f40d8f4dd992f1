// What the use cases hand to the worker. A use case never names a queue, a job or its id:
// it asks for work through this interface, and the composition roots (the worker runtime,
// the console, `sro scan`) pass the one implementation, over BullMQ (src/worker/queue.ts).
// Job ids are derived from the work (the ledger key, the change), so asking twice for the
// same work is one job; the ledger in PostgreSQL, not Redis, decides what was sent.
import type { CivilDate } from '../domain/civil-date.ts';

/** One owed ledger row to deliver, re-checked as of `asOf`, counted for run `runId`. */
interface OwedSend {
  key: string;
  asOf: CivilDate;
  runId?: string | null;
}

/** One license range of a whole-roster scan split across workers (exclusive lower, inclusive upper bound). */
interface ScanPart {
  asOf: CivilDate;
  afterLicense: string | null;
  throughLicense: string | null;
  /** The run the range's ledger rows are written for: the whole scan's. */
  runId: string;
  today: CivilDate | null;
  skipStale: boolean;
}

export interface WorkQueue {
  /** One send per owed row (a row whose send is already queued is not added twice); resolves to the rows handed over. */
  sendAlerts(rows: readonly OwedSend[]): Promise<number>;
  /** The range scans of a split scan, their ids derived from the scan's; resolves to those ids, in order. */
  scanParts(scanJobId: string, parts: readonly ScanPart[]): Promise<string[]>;
  /**
   * RULES.md 7 "re-evaluated at once": a scan of one officer as of `asOf`, ahead of a daily
   * scan's range jobs, one per change (`changeId`); resolves to its job id.
   */
  officerScan(asOf: CivilDate, license: string, changeId: string): Promise<string>;
}
