// Text that reaches a terminal or a spreadsheet: control characters escaped, and how many
// columns a string takes on a terminal (wide CJK and emoji take two, combining marks none),
// so a table can pad and cut its cells at character boundaries.
import { escapeCharacter } from './quote.ts';

// (they make a name display as another): the roster refuses them all (src/roster/schema.ts),
// but a name written to the database behind the import's back may still hold one.
const UNSAFE_CHARACTER = /[\p{Cc}\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/gu;

/** `text` with every control character written as its escape, `\u009b`. */
export function escapeControls(text: string): string {
  return text.replace(UNSAFE_CHARACTER, escapeCharacter);
}

const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;
const segmenter = new Intl.Segmenter('en', { granularity: 'grapheme' });
// East Asian Wide and Fullwidth blocks, and emoji shown as pictures: two terminal columns.
const WIDE =
  /^(?:[\u1100-\u115f\u231a\u231b\u2329\u232a\u23e9-\u23ec\u23f0\u23f3\u25fd\u25fe\u2614\u2615\u2648-\u2653\u267f\u2693\u26a1\u26aa\u26ab\u26bd\u26be\u26c4\u26c5\u26ce\u26d4\u26ea\u26f2\u26f3\u26f5\u26fa\u26fd\u2705\u270a\u270b\u2728\u274c\u274e\u2753-\u2755\u2757\u2795-\u2797\u27b0\u27bf\u2b1b\u2b1c\u2b50\u2b55\u2e80-\u303e\u3041-\u33ff\u3400-\u4dbf\u4e00-\u9fff\ua000-\ua4cf\ua960-\ua97f\uac00-\ud7a3\uf900-\ufaff\ufe10-\ufe19\ufe30-\ufe6f\uff00-\uff60\uffe0-\uffe6]|[\u{16fe0}-\u{18aff}\u{1b000}-\u{1b2ff}\u{1f004}\u{1f0cf}\u{1f18e}\u{1f191}-\u{1f19a}\u{1f200}-\u{1f64f}\u{1f680}-\u{1f6ff}\u{1f7e0}-\u{1f7eb}\u{1f90c}-\u{1f9ff}\u{1fa70}-\u{1faff}\u{20000}-\u{3fffd}])/u;

function graphemeWidth(g: string): number {
  if (WIDE.test(g) || g.includes('\ufe0f')) return 2;
  // A cluster of marks or format characters only (a lone combining accent, ZWJ): nothing of its own.
  return /^[\p{M}\p{Cf}]+$/u.test(g) ? 0 : 1;
}

/** How many terminal columns `text` takes (escaped text: no control characters). */
export function displayWidth(text: string): number {
  if (PRINTABLE_ASCII.test(text)) return text.length;
  let w = 0;
  for (const { segment } of segmenter.segment(text)) w += graphemeWidth(segment);
  return w;
}

/** `text` in exactly `width` columns: padded with spaces, or cut at a character boundary and ended with '…'. */
export function fitCell(text: string, width: number): string {
  const w = displayWidth(text);
  if (w <= width) return text + ' '.repeat(width - w);
  if (width <= 0) return '';
  let out = '';
  let used = 0;
  if (PRINTABLE_ASCII.test(text)) {
    out = text.slice(0, width - 1);
    used = out.length;
  } else {
    for (const { segment } of segmenter.segment(text)) {
      const gw = graphemeWidth(segment);
      if (used + gw > width - 1) break;
      out += segment;
      used += gw;
    }
  }
  return `${out}…${' '.repeat(width - 1 - used)}`;
}
