// Opens a roster on disk as a feed the import stages while it reads it (bounded memory, any
// size): a .json file (INTERFACE.md "Roster: JSON") or a folder of CSV files ("Roster: CSV
// folder"). Every row is validated as it is read; duplicate keys and references between
// sections are checked by the import (src/roster/import.ts), which can also see the database.
import { stat } from 'node:fs/promises';
import { basename, extname } from 'node:path';
import { type OpenedFeed, openCsvFeed } from './csv-stream.ts';
import { jsonFeed } from './json-stream.ts';
import type { RosterError } from './validate.ts';

export { formatRosterError } from './validate.ts';
export type { RosterError } from './validate.ts';

function failure(code: RosterError['code'], file: string, message: string): OpenedFeed {
  return { ok: false, errors: [{ code, file, row: null, field: null, message }], warnings: [] };
}

/**
 * The roster at `path` as a feed that reads it while the import stages it: what `sro import`,
 * the console's upload and `sro demo` run. Problems of the path itself (absent, neither a
 * .json file nor a folder) come back at once; the rest while staging.
 */
export async function openRosterFeed(path: string): Promise<OpenedFeed> {
  let s: Awaited<ReturnType<typeof stat>>;
  try {
    s = await stat(path);
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code;
    return failure(
      'UNREADABLE',
      path,
      code === 'ENOENT' ? 'no such file or folder' : `cannot be read (${code ?? String(cause)})`,
    );
  }
  try {
    if (s.isDirectory()) return await openCsvFeed(path);
    const ext = extname(path).toLowerCase();
    // No size limit: the file is streamed, never held as one string. A 1,000,000-officer
    // roster is 751 MB (issue 15).
    if (s.isFile() && ext === '.json') return { ok: true, feed: jsonFeed(path, basename(path)), warnings: [] };
    if (s.isFile() && ext === '.csv') {
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
