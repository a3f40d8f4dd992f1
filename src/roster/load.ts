// Reads a roster from disk: a .json file (INTERFACE.md "Roster: JSON") or a folder of CSV
// files ("Roster: CSV folder"), and validates it completely before anything touches the
// database: schema, calendar dates, e-mail addresses, duplicate natural keys. References
// between sections are checked by importRoster, which can also see the database.
import { readFile, stat } from 'node:fs/promises';
import { basename, extname } from 'node:path';
import { readCsvRoster } from './csv.ts';
import { type OpenedFeed, openCsvFeed } from './csv-stream.ts';
import { jsonFeed } from './json-stream.ts';
import type { Roster } from './schema.ts';
import {
  MAX_ROSTER_FILE_BYTES,
  type RosterError,
  jsonLocator,
  tooLargeMessage,
  validateRosterInput,
} from './validate.ts';

export { formatRosterError, MAX_ROSTER_FILE_BYTES } from './validate.ts';
export type { RosterError, RosterErrorCode } from './validate.ts';

export type LoadResult = ({ ok: true; roster: Roster } | { ok: false; errors: RosterError[] }) & {
  /** What was left out without being an error (a CSV folder's entries that are not *.csv files), one message each. */
  warnings?: string[];
};

function failure(code: RosterError['code'], file: string, message: string, row: number | null = null): LoadResult {
  return { ok: false, errors: [{ code, file, row, field: null, message }] };
}

/** Line and column (1-based) of character `offset` in `text`. */
function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  return { line, column: offset - before.lastIndexOf('\n') };
}

/**
 * A roster from the text of a JSON file; `file` names it in errors (see RosterError for
 * what row and field mean in a JSON file).
 */
export function parseJsonRoster(content: string | Uint8Array, file: string): LoadResult {
  if (typeof content !== 'string' && content.length > MAX_ROSTER_FILE_BYTES)
    return failure('TOO_LARGE', file, tooLargeMessage(content.length));
  let text: string;
  try {
    text = typeof content === 'string' ? content : new TextDecoder('utf-8', { fatal: true }).decode(content);
  } catch (cause) {
    // The decoder throws a TypeError for bytes that are not UTF-8, and nothing else is that.
    if (!(cause instanceof TypeError)) return failure('UNREADABLE', file, `cannot be read as text (${String(cause)})`);
    return failure('NOT_UTF8', file, 'is not UTF-8 text; JSON files must be UTF-8');
  }
  if (text.startsWith('\uFEFF')) text = text.slice(1); // editors on Windows add a BOM
  let input: unknown;
  try {
    input = JSON.parse(text);
  } catch (cause) {
    // V8 quotes the whole input in some messages; keep the problem, drop the quote.
    let problem = String((cause as Error).message ?? cause)
      .replace(/, ".*" is not valid JSON$/s, '')
      .replace(/^Unexpected end of JSON input$/, 'the file ends before the JSON does (a missing "}" or "]"?)');
    const at = / in JSON at position (\d+)(?: \(line \d+ column \d+\))?/.exec(problem);
    if (at) {
      const where = lineAndColumn(text, Number(at[1]));
      problem = `${problem.slice(0, at.index)} at line ${where.line}, column ${where.column}`;
    }
    if (text.trim() === '') problem = 'is empty; a roster is a JSON object such as {"officers": []}';
    return {
      ok: false,
      errors: [{ code: 'INVALID_JSON', file, row: null, field: null, message: `is not valid JSON: ${problem}` }],
    };
  }
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    return failure('INVALID_VALUE', file, 'must be a JSON object with the sections agencies, districts, officers, …');
  }
  return validateRosterInput(input, jsonLocator(file));
}

/**
 * Loads the roster at `path`: a `.json` file or a folder of CSV files. Never throws for a
 * bad roster or a bad path; every problem found is in `errors`.
 */
export async function loadRoster(path: string): Promise<LoadResult> {
  let kind: 'file' | 'folder' | 'other';
  let size = 0;
  try {
    const s = await stat(path);
    kind = s.isDirectory() ? 'folder' : s.isFile() ? 'file' : 'other';
    size = s.size;
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code;
    return failure(
      'UNREADABLE',
      path,
      code === 'ENOENT' ? 'no such file or folder' : `cannot be read (${code ?? String(cause)})`,
    );
  }
  try {
    if (kind === 'folder') return await readCsvRoster(path);
    const ext = extname(path).toLowerCase();
    if (kind === 'file' && ext === '.json') {
      // Before reading: a file too large to decode would otherwise be read whole, then fail.
      if (size > MAX_ROSTER_FILE_BYTES) return failure('TOO_LARGE', basename(path), tooLargeMessage(size));
      return parseJsonRoster(await readFile(path), basename(path));
    }
    if (kind === 'file' && ext === '.csv') {
      return failure(
        'UNSUPPORTED_PATH',
        path,
        'is one CSV file; pass the folder that holds the roster\u2019s CSV files (agencies.csv, officers.csv, …)',
      );
    }
    return failure('UNSUPPORTED_PATH', path, 'is neither a .json file nor a folder of CSV files');
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code;
    return failure('UNREADABLE', path, `cannot be read (${code ?? String(cause)})`);
  }
}

/**
 * The roster at `path` as a feed that reads it while the import stages it (bounded memory:
 * what `sro import` runs), of any size. Problems of the path itself (absent, neither a .json
 * file nor a folder) come back at once, as loadRoster reports them; the rest while staging.
 */
export async function openRosterFeed(path: string): Promise<OpenedFeed> {
  let s: Awaited<ReturnType<typeof stat>>;
  const fail = (r: LoadResult): OpenedFeed => ({ ok: false, errors: r.ok ? [] : r.errors, warnings: [] });
  try {
    s = await stat(path);
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code;
    return fail(
      failure(
        'UNREADABLE',
        path,
        code === 'ENOENT' ? 'no such file or folder' : `cannot be read (${code ?? String(cause)})`,
      ),
    );
  }
  try {
    if (s.isDirectory()) return await openCsvFeed(path);
    const ext = extname(path).toLowerCase();
    if (s.isFile() && ext === '.json') {
      // No size limit: the file is streamed, never held as one string (MAX_ROSTER_FILE_BYTES
      // bounds loadRoster only). A 1,000,000-officer roster is 751 MB (issue 15).
      return { ok: true, feed: jsonFeed(path, basename(path)), warnings: [] };
    }
    if (s.isFile() && ext === '.csv') {
      return fail(
        failure(
          'UNSUPPORTED_PATH',
          path,
          'is one CSV file; pass the folder that holds the roster\u2019s CSV files (agencies.csv, officers.csv, …)',
        ),
      );
    }
    return fail(failure('UNSUPPORTED_PATH', path, 'is neither a .json file nor a folder of CSV files'));
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code;
    return fail(failure('UNREADABLE', path, `cannot be read (${code ?? String(cause)})`));
  }
}
