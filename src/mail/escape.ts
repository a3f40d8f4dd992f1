// Escaping at the two places where roster text meets a mail format: HTML bodies and
// header values. Roster data (names, addresses) comes from CSV/JSON files people edit
// by hand, so it is treated as hostile here, not trusted to be clean upstream.
import { PermanentError } from '../errors.ts';

const HTML_ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Text → HTML text or attribute value: escapes & < > " '. */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => HTML_ENTITIES[c] as string);
}

/**
 * A value that would split or forge a header line. Permanent: retrying renders the same
 * bytes, so the send job fails the row instead of retrying (jobs/send-alert.ts).
 */
export class HeaderInjectionError extends PermanentError {
  readonly code = 'HEADER_INJECTION';
  /** The header (or header part, e.g. 'Subject: officer name') the value was meant for. */
  readonly header: string;

  constructor(header: string, value: string) {
    // JSON.stringify shows the offending CR/LF as \r\n instead of breaking the log line.
    super(
      `${header} must not contain line breaks or control characters: ${JSON.stringify(value.slice(0, 200))}. Correct the roster entry and re-import it.`,
    );
    this.name = 'HeaderInjectionError';
    this.header = header;
  }
}

// C0 controls (CR, LF, TAB, NUL …), DEL, C1 controls (NEL U+0085 included) and the Unicode
// line/paragraph separators, which some clients also treat as line breaks.
const HEADER_UNSAFE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;

/** Throws HeaderInjectionError when `value` holds CR, LF or another control character. */
export function assertHeaderSafe(header: string, value: string): void {
  if (HEADER_UNSAFE.test(value)) throw new HeaderInjectionError(header, value);
}

/** `value` unchanged once checked by assertHeaderSafe: for building subjects and headers inline. */
export function headerSafe(header: string, value: string): string {
  assertHeaderSafe(header, value);
  return value;
}
