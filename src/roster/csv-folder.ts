// A roster's CSV folder as a whole (INTERFACE.md "Roster: CSV folder"): which entries are
// roster files, what is wrong with the folder (an unknown *.csv file, a broken link, no
// roster file at all), and which entries are ignored, each named in a warning with the
// roster file a mis-saved name probably meant. The files themselves are read by csv-stream.ts.
//
// - A *.csv entry that is a symbolic link is read through it (deploy tools and shared drives
//   make them); a link that is broken, loops, or leads to something other than a regular
//   file (a folder, a pipe) is an error naming it, as is a *.csv entry that is a folder.
// - Unknown *.csv files are errors, so a typo cannot silently empty a section (which
//   --replace would then delete); entries that are not *.csv files are ignored, each named
//   in a warning.
import { readdir, readlink, stat } from 'node:fs/promises';
import type { Dirent, Stats } from 'node:fs';
import { join } from 'node:path';
import { escapeUnseen, quote } from '../shell/quote.ts';
import { CSV_FILES } from './csv.ts';
import { type LocatedError, located } from './validate.ts';

/** Edit distance (insertions, deletions, substitutions) between two short names. */
function distance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++)
      row[j] = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = row;
  }
  return prev[b.length]!;
}

/** The roster file a mis-saved or misspelt name probably meant (trainings.xlsx, training.txt), if any. */
function likelyRosterFile(name: string): string | null {
  const stem = name
    .toLowerCase()
    .replace(/^\.+/, '')
    .split('.')[0]!
    .replace(/[\s-]+/g, '_');
  let best: { file: string; d: number } | null = null;
  for (const f of CSV_FILES) {
    const d = distance(stem, f.file.slice(0, -'.csv'.length));
    if (d <= 2 && (best === null || d < best.d)) best = { file: f.file, d };
  }
  return best?.file ?? null;
}

const ROSTER_FILE_LIST = CSV_FILES.map((f) => f.file).join(', ');

/** What a folder entry that is not a roster file is, for the warning that it is ignored. */
function entryKind(entry: Dirent): string {
  if (entry.isDirectory()) return 'folder';
  if (entry.isSymbolicLink()) return 'symbolic link';
  if (entry.isFile()) return 'file';
  return 'special file';
}

/** What a *.csv entry leads to when it is not a regular file. */
function notAFile(s: Stats): string {
  if (s.isDirectory()) return 'a folder';
  if (s.isFIFO()) return 'a named pipe';
  if (s.isSocket()) return 'a socket';
  return 'a device';
}

/** Checks one *.csv entry of the folder, following a symbolic link: its path when it is a file that can be read, or null (the problem in `errors`). */
async function checkEntry(folder: string, entry: Dirent, errors: LocatedError[]): Promise<string | null> {
  const path = join(folder, entry.name);
  const fail = (code: 'UNREADABLE', message: string) => {
    errors.push(located(code, { file: entry.name, row: null, field: null, order: -1 }, message));
    return null;
  };
  const link = entry.isSymbolicLink() ? await readlink(path).catch(() => null) : null;
  const linkTo = link === null ? 'is a symbolic link' : `is a symbolic link to ${quote(link)}`;
  let s: Stats;
  try {
    s = await stat(path); // follows links: a linked file is read like any other
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code;
    if (entry.isSymbolicLink() && code === 'ENOENT')
      return fail(
        'UNREADABLE',
        `${linkTo}, which does not exist (a broken link); fix the link, or put the file itself in the folder`,
      );
    if (code === 'ELOOP')
      return fail('UNREADABLE', `${linkTo} that leads back to itself (a loop of links); fix the link`);
    return fail('UNREADABLE', `cannot be read (${code ?? String(cause)})`);
  }
  if (!s.isFile()) {
    const what = notAFile(s);
    return fail(
      'UNREADABLE',
      entry.isSymbolicLink() ? `${linkTo}, which is ${what}, not a file` : `is ${what}, not a file`,
    );
  }
  // No size limit: a file is streamed, one record at a time (csv-stream.ts).
  return path;
}

export interface CsvFolder {
  /** The folder's *.csv files that can be read, by name, with their paths. */
  files: Map<string, string>;
  /** What is wrong with the folder's entries (a broken link, a file too large, an unknown *.csv). */
  errors: LocatedError[];
  /** The entries that were ignored (not *.csv files), one message each. */
  warnings: string[];
}

/** Lists `folder` as a roster: its *.csv files (checked, not read), what is wrong with them, and what is ignored. */
export async function scanCsvFolder(folder: string): Promise<CsvFolder> {
  const files = new Map<string, string>();
  const errors: LocatedError[] = [];
  const warnings = await eachCsvEntry(folder, async (entry) => {
    const path = await checkEntry(folder, entry, errors);
    if (path !== null) files.set(entry.name, path);
  });
  errors.push(...folderErrors(files.keys(), folder, errors.length === 0));
  return { files, errors, warnings };
}

/** Unknown *.csv files, and (when nothing else was wrong) a folder holding no roster file at all. */
export function folderErrors(names: Iterable<string>, folder: string, checkEmpty: boolean): LocatedError[] {
  const out: LocatedError[] = [];
  const byName = new Set(CSV_FILES.map((f) => f.file));
  let any = false;
  for (const name of names) {
    if (byName.has(name)) {
      any = true;
      continue;
    }
    out.push(
      located(
        'UNKNOWN_FILE',
        { file: name, row: null, field: null, order: -1 },
        `is not a roster file; a roster folder holds ${ROSTER_FILE_LIST} (rename the file, or move it out of the folder)`,
      ),
    );
  }
  if (checkEmpty && !any) {
    out.push(
      located(
        'NO_ROSTER_FILES',
        { file: folder, row: null, field: null, order: -1 },
        `holds none of ${CSV_FILES.map((f) => f.file).join(', ')}`,
      ),
    );
  }
  return out;
}

/**
 * Visits `folder`'s *.csv entries in name order, one at a time; returns the other entries,
 * which a roster folder ignores, one warning each.
 */
async function eachCsvEntry(folder: string, visit: (entry: Dirent) => Promise<void>): Promise<string[]> {
  const entries = await readdir(folder, { withFileTypes: true });
  const warnings: string[] = [];
  for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : 1))) {
    if (!entry.name.toLowerCase().endsWith('.csv')) {
      warnings.push(ignoredEntry(entry, entries));
      continue;
    }
    await visit(entry);
  }
  return warnings;
}

function ignoredEntry(entry: Dirent, entries: readonly Dirent[]): string {
  const meant = likelyRosterFile(entry.name);
  const hint =
    meant !== null && !entries.some((e) => e.name === meant)
      ? `; if it holds the ${meant.slice(0, -4).replace(/_/g, ' ')}, save it as ${meant}`
      : '';
  return `${escapeUnseen(entry.name)}: ignored: this ${entryKind(entry)} is not a *.csv file${hint} (a roster folder holds ${ROSTER_FILE_LIST})`;
}
