// `sro alerts`'s table: one line per ledger row, each value in its column, a value too wide
// for it cut at a character boundary and ended with '…' (the --json output holds every value
// whole). Values come from the roster and the mail server (a recipient, a license, an error),
// so control characters are escaped (\u009b), never passed to the terminal.
import type { LedgerListing } from '../db/ledger.ts';
import { escapeControls, fitCell } from '../shell/terminal-text.ts';

interface LedgerColumn {
  title: string;
  width: number;
  cell: (r: LedgerListing) => string;
  align?: 'right';
}

/** lead 60, level 2 or threshold 45: the step of its ladder a row is. */
function step(r: LedgerListing): string {
  if (r.lead !== null) return `lead ${r.lead}`;
  if (r.level !== null) return `level ${r.level}`;
  if (r.threshold !== null) return `threshold ${r.threshold}`;
  return '';
}

/**
 * RULES.md 12: a bounce first ('bounced 5.1.1 2026-03-02T14:35:00.000Z', what the row's line is
 * read for), the receiving server's words last with the other errors (they can run long).
 */
const detail = (r: LedgerListing) =>
  [
    r.bounce ? ['bounced', r.bounce.status, r.bounce.at].filter(Boolean).join(' ') : '',
    r.dueDate ? `due ${r.dueDate}` : '',
    step(r),
    r.sentAt ? `sent ${r.sentAt}` : '',
    r.bounce?.diagnostic ?? '',
    r.error ?? '',
  ]
    .filter(Boolean)
    .join('; ');

/** The columns, widths in terminal columns; the last one is cut too (a mail server's error can run long). */
export const LEDGER_COLUMNS: readonly LedgerColumn[] = [
  { title: 'CREATED (UTC)', width: 24, cell: (r) => r.createdAt },
  { title: 'STATUS', width: 10, cell: (r) => r.status },
  { title: 'KIND', width: 24, cell: (r) => r.kind },
  { title: 'OFFICER', width: 12, cell: (r) => r.license ?? '' },
  { title: 'RECIPIENT', width: 34, cell: (r) => r.recipient },
  { title: 'ATT', width: 3, cell: (r) => String(r.attempts), align: 'right' },
  { title: 'DETAIL', width: 72, cell: detail },
];

function line(values: readonly string[]): string {
  return LEDGER_COLUMNS.map((c, i) => {
    const v = fitCell(escapeControls(values[i] ?? ''), c.width);
    return c.align === 'right' ? v.trimEnd().padStart(c.width) : v;
  })
    .join('  ')
    .trimEnd();
}

export function ledgerTableHeader(): string {
  return `${line(LEDGER_COLUMNS.map((c) => c.title))}\n`;
}

export function ledgerTableRow(r: LedgerListing): string {
  return `${line(LEDGER_COLUMNS.map((c) => c.cell(r)))}\n`;
}
