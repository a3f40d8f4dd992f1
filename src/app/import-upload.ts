// The console's roster upload (INTERFACE.md `POST /api/imports`, issue 14 item 7): the files
// an admin sent, written as they arrive into a private folder of their own, then the same
// streamed, all-or-nothing import as `sro import` on that folder (or on its one JSON file),
// audited with the admin as actor. The folder is removed afterwards, whatever happened.
import { createWriteStream } from 'node:fs';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { AuditActor } from '../db/audit.ts';
import {
  type ImportChanges,
  ImportBusyError,
  type ImportSection,
  type ImportWords,
  type SectionCounts,
  importFeed,
} from '../roster/import.ts';
import { openRosterFeed } from '../roster/load.ts';
import type { RosterErrorCode } from '../roster/validate.ts';

export type { ImportChanges } from '../roster/import.ts';

/** A problem of the upload or of the roster, as `POST /api/imports` answers it. */
export interface UploadProblem {
  file: string;
  row: number | null;
  field: string | null;
  problem: string;
  code?: RosterErrorCode | 'UPLOAD';
}

export type UploadAnswer =
  | {
      kind: 'imported';
      /** The shape of `sro import --json` (with `changes` for a dry run). */
      result: {
        path: string;
        replace: boolean;
        dryRun: boolean;
        counts: Record<ImportSection, SectionCounts>;
        changes?: ImportChanges;
      };
    }
  | {
      kind: 'invalid';
      errors: UploadProblem[];
      totalErrors: number;
      errorCounts: Partial<Record<string, number>>;
    }
  | { kind: 'busy'; message: string };

/**
 * How long an upload waits for another import to finish: a person is waiting for the page,
 * and a nightly import can take minutes; the answer says to try again (409).
 */
const UPLOAD_LOCK_WAIT_MS = 2_000;

/** Who reads the upload's messages: a person on the /imports page, or a script of the API. */
export type UploadReader = 'page' | 'api';

/** A section in words, as the page's boxes name it: districtContacts → district contacts. */
export const sectionWords = (s: ImportSection) => s.replace(/[A-Z]/g, (c) => ` ${c.toLowerCase()}`);

/** The page's box that lets Replace empty a section whose file was not sent. */
export const allowEmptyLabel = (s: ImportSection) => `Allow emptying ${sectionWords(s)}`;

// The import's messages name its options as the reader knows them: the page its boxes, the
// API its fields (the command line its flags: src/roster/import.ts CLI_WORDS).
const WORDS: Record<UploadReader, ImportWords> = {
  page: {
    withReplace: "with 'Replace' ticked",
    absentFile: (section, what) =>
      `was not sent, so with 'Replace' ticked the import would delete ${what} in the database; ` +
      `send the file (its header row alone empties the section), or tick '${allowEmptyLabel(section)}' to empty it`,
  },
  api: {
    withReplace: 'with replace',
    absentFile: (section, what) =>
      `was not sent, so with replace the import would delete ${what} in the database; ` +
      `send the file (its header row alone empties the section), or add ${section} to the field allowEmpty to empty it`,
  },
};

/** A roster file's name as uploaded: a plain name, no folder, nothing hidden. */
const SAFE_NAME = /^[A-Za-z0-9][A-Za-z0-9._ -]{0,99}$/;

/** The uploaded files of one request, as they are written into the upload's private folder. */
export class RosterUpload {
  private readonly names: string[] = [];
  private readonly problems: UploadProblem[] = [];
  private constructor(readonly dir: string) {}

  /** A private folder (0700) under the system's temporary folder; call remove() when done. */
  static async create(): Promise<RosterUpload> {
    const dir = await mkdtemp(join(tmpdir(), 'sro-upload-'));
    await chmod(dir, 0o700); // mkdtemp's mode already; said again, as the files are rosters
    return new RosterUpload(dir);
  }

  /** Writes one uploaded file as it streams (never held whole), or drains it and notes why not. */
  async add(name: string, field: string, file: Readable): Promise<void> {
    const lower = name.toLowerCase();
    const problem = !SAFE_NAME.test(name)
      ? `the file name ${JSON.stringify(name)} is not a plain file name (letters, digits, . _ - and spaces)`
      : !lower.endsWith('.json') && !lower.endsWith('.csv')
        ? 'is neither a .json roster nor a .csv file of a roster folder (agencies.csv, officers.csv, …)'
        : this.names.some((n) => n.toLowerCase() === lower)
          ? 'was sent twice'
          : null;
    if (problem !== null) {
      file.resume();
      this.problems.push({ file: name || field, row: null, field, problem, code: 'UPLOAD' });
      return;
    }
    this.names.push(name);
    await pipeline(file, createWriteStream(join(this.dir, name), { flags: 'wx', mode: 0o600 }));
  }

  /** Runs the import on what was uploaded (nothing is written when anything is wrong). */
  async import(
    databaseUrl: string,
    options: {
      replace: boolean;
      dryRun: boolean;
      /** Sections Replace may empty although their file was not sent. */
      allowEmpty: readonly ImportSection[];
      actor: AuditActor;
      reader: UploadReader;
      /** How many rows of each list of a dry run's changes to list. */
      listChanges: number;
    },
  ): Promise<UploadAnswer> {
    const json = this.names.filter((n) => n.toLowerCase().endsWith('.json'));
    const csv = this.names.filter((n) => n.toLowerCase().endsWith('.csv'));
    const problems = [...this.problems];
    const upload = (problem: string): UploadProblem => ({
      file: '(upload)',
      row: null,
      field: 'roster',
      problem,
      code: 'UPLOAD',
    });
    if (this.names.length === 0 && problems.length === 0)
      problems.push(upload('no roster file: send one roster .json file, or the .csv files of a roster folder'));
    if (json.length > 1 || (json.length === 1 && csv.length > 0))
      problems.push(
        upload(
          `send one .json roster, or .csv files, not both or several rosters (got ${this.names.map((n) => JSON.stringify(n)).join(', ')})`,
        ),
      );
    if (problems.length > 0)
      return {
        kind: 'invalid',
        errors: problems,
        totalErrors: problems.length,
        errorCounts: { UPLOAD: problems.length },
      };

    const path = json.length === 1 ? join(this.dir, json[0]!) : this.dir;
    const label = json.length === 1 ? json[0]! : csv.join(', ');
    const opened = await openRosterFeed(path);
    const asProblem = (e: {
      file: string;
      row: number | null;
      field: string | null;
      message: string;
      code: RosterErrorCode;
    }) => ({
      // A problem of the folder itself names the folder: here, the upload.
      file: e.file === this.dir ? '(upload)' : e.file,
      row: e.row,
      field: e.field,
      problem: e.message,
      code: e.code,
    });
    if (!opened.ok)
      return {
        kind: 'invalid',
        errors: opened.errors.map(asProblem),
        totalErrors: opened.errors.length,
        errorCounts: {},
      };
    try {
      const result = await importFeed(databaseUrl, opened.feed, {
        replace: options.replace,
        allowEmpty: options.allowEmpty,
        dryRun: options.dryRun,
        lockWaitMs: UPLOAD_LOCK_WAIT_MS,
        audit: { actor: options.actor, path: label },
        words: WORDS[options.reader],
        listChanges: options.listChanges,
      });
      if (!result.ok)
        return {
          kind: 'invalid',
          errors: result.errors.map(asProblem),
          totalErrors: result.totalErrors ?? result.errors.length,
          errorCounts: result.errorCounts ?? {},
        };
      const { counts, changes } = result;
      return {
        kind: 'imported',
        result: { path: label, replace: options.replace, dryRun: options.dryRun, counts, ...(changes && { changes }) },
      };
    } catch (e) {
      if (e instanceof ImportBusyError) return { kind: 'busy', message: e.message };
      throw e;
    }
  }

  async remove(): Promise<void> {
    await rm(this.dir, { recursive: true, force: true });
  }
}
