// CSV downloads of the console (the audit log, the officer list): one cell writer for both.

/**
 * One CSV cell (RFC 4180: always quoted, quotes doubled). A cell a spreadsheet would read as
 * a formula (= + - @, or a tab or carriage return before one) gets a leading apostrophe: the
 * cells hold text people typed (notes, names, course names, user agents), and opening the
 * export must not run it (OWASP "CSV injection").
 */
export function csvCell(value: unknown): string {
  let s = value === null || value === undefined ? '' : typeof value === 'string' ? value : JSON.stringify(value);
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return `"${s.replace(/"/g, '""')}"`;
}

/** One CSV line of cells, CRLF-terminated. */
export function csvLine(cells: readonly unknown[]): string {
  return `${cells.map(csvCell).join(',')}\r\n`;
}
