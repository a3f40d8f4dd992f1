// A CSV file csv-parse cannot read, as the file's one error (issue 19): every csv-parse error
// is the reader's FILE:ROW: FIELD: problem line like any other, never an exception that leaves
// the import's COPY open. A stray quote, the commonest, is said in the words of someone who
// edits the roster in a spreadsheet, with the column it is in.
import { open } from 'node:fs/promises';
import type { CsvError } from 'csv-parse';
import { parse as parseText } from 'csv-parse/sync';
import { CSV_OPTIONS, csvSyntaxError } from './csv.ts';
import { type LocatedError, type RosterLocation, located } from './validate.ts';

/** How to mend a cell's quotes, said once for each of csv-parse's quote errors. */
const QUOTE_MEND = 'put the whole cell in double quotes and double each quote inside it, as in "O""Hara"';

/**
 * The header's column names (trimmed, lower case) read from the file's first bytes, or null.
 * A parse error past the header can reach the stream before the header record reaches the
 * reader (they were in one chunk): the error's column is named from this.
 */
async function headerNames(path: string): Promise<string[] | null> {
  const file = await open(path);
  try {
    const { buffer, bytesRead } = await file.read(Buffer.alloc(64 * 1024), 0, 64 * 1024, 0);
    const [header] = parseText(buffer.subarray(0, bytesRead).toString('utf8'), { ...CSV_OPTIONS, info: false, to: 1 });
    return Array.isArray(header) ? header.map((h: string) => h.trim().toLowerCase()) : null;
  } catch {
    return null;
  } finally {
    await file.close();
  }
}

/**
 * A csv-parse error as the file's one error, at the line it names: a stray quote in the
 * user's words and with its column (past the header); anything else as csv.ts words it.
 */
export async function csvParseError(
  cause: CsvError,
  where: (row: number | null, field: string | null) => RosterLocation,
  path: string,
): Promise<LocatedError> {
  const e = cause as CsvError & { column?: unknown; lines?: unknown };
  const past = typeof e.lines === 'number' && e.lines > 1 && typeof e.column === 'number';
  return csvParseProblem(cause, where, past ? await headerNames(path) : null);
}

/** csvParseError's wording, given the header's column names (null: the column is not named). */
export function csvParseProblem(
  cause: CsvError,
  where: (row: number | null, field: string | null) => RosterLocation,
  names: readonly string[] | null,
): LocatedError {
  const e = cause as CsvError & { column?: unknown; lines?: unknown };
  const line = typeof e.lines === 'number' ? e.lines : null;
  const column = line !== null && line > 1 && typeof e.column === 'number' ? e.column : null;
  const field = names !== null && column !== null ? (names[column] ?? null) : null;
  const at = (row: number | null) => where(row, field);
  switch (e.code) {
    case 'INVALID_OPENING_QUOTE':
      return located(
        'CSV_SYNTAX',
        at(line),
        `is not valid CSV: a quote (") inside a cell that does not start with one; ${QUOTE_MEND}`,
      );
    case 'CSV_INVALID_CLOSING_QUOTE':
    case 'CSV_NON_TRIMABLE_CHAR_AFTER_CLOSING_QUOTE':
      return located(
        'CSV_SYNTAX',
        at(line),
        `is not valid CSV: a quoted cell goes on after its closing quote; ${QUOTE_MEND}`,
      );
    case 'CSV_QUOTE_NOT_CLOSED':
      // csv-parse names the line it stopped on (the file's end), not where the quote opened.
      return located(
        'CSV_SYNTAX',
        where(line, null),
        `is not valid CSV: a quoted cell is still open at the end of the file; find the cell that opens with a quote (") and close it, or ${QUOTE_MEND}`,
      );
    default:
      // A row too long, or what csv-parse may add: about the row, not one cell.
      return csvSyntaxError(cause, where);
  }
}
