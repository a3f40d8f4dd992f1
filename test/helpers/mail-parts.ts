// Reading a rendered e-mail's two parts in the mail renderer tests: the HTML part's visible
// text, and a check that a phrase is in both parts.
import { expect } from 'vitest';

/** The HTML part's visible text: tags dropped, entities decoded. */
export function visible(html: string): string {
  return html
    .replace(/<[^>]+>/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ');
}

/** `needle` is in the text part and in the HTML part's visible text (runs of white space count as one space). */
export function bothParts(m: { text: string; html: string }, needle: string): void {
  expect(m.text.replace(/\s+/g, ' ')).toContain(needle);
  expect(visible(m.html)).toContain(needle);
}
