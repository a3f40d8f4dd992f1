// Values quoted in roster error messages. A message must show what is wrong with a value,
// and a character that does not show (a zero-width space, a direction mark, a line break)
// must not reach the terminal raw: it would hide the very problem being reported, or let a
// roster forge output lines. So values are quoted as JSON string literals (which escapes
// C0 controls, quotes and lone surrogates) and every other character that does not show is
// escaped too, JSON-style: "24101\u200b".

// Controls, format characters (zero-width space, direction marks, BOM), separators other
// than the plain space (no-break space, line and paragraph separators), private-use and
// unassigned code points, and the default-ignorable ones that render as nothing
// (U+3164 HANGUL FILLER, variation selectors).
const UNSEEN = /(?! )[\p{Cc}\p{Cf}\p{Co}\p{Cn}\p{Z}\p{Default_Ignorable_Code_Point}\u2800]/gu;

/** `\u200b`, or a surrogate pair `\udb40\udc01` for a code point above U+FFFF (as JSON writes it). */
export function escapeCharacter(c: string): string {
  let out = '';
  for (let i = 0; i < c.length; i++) out += `\\u${c.charCodeAt(i).toString(16).padStart(4, '0')}`;
  return out;
}

/** `value` as JSON (a string as a string literal) in which every character that does not show is escaped. */
export function quote(value: unknown): string {
  return (JSON.stringify(value) ?? String(value)).replace(UNSEEN, escapeCharacter);
}

/** `value` without quotes, every character that does not show escaped (for file names and column names). */
export function escapeUnseen(value: string): string {
  // In a `u` regex a lone surrogate is a code point of its own; a pair is one visible character.
  return value.replace(UNSEEN, escapeCharacter).replace(/[\uD800-\uDFFF]/gu, escapeCharacter);
}

/** `U+200B` for the first code point of `c`. */
export function codePointLabel(c: string): string {
  return `U+${(c.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`;
}
