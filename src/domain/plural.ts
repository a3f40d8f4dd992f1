// A count in words for people: '1 officer', '2 officers', '0 officers'. The one helper for
// every count a command, an import message or an e-mail prints (--json output keeps numbers).

/** `n` and the noun in the number it takes: plural(1, 'officer') → '1 officer'; plural(2, 'entry', 'entries') → '2 entries'. */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${Math.abs(n) === 1 ? one : many}`;
}
