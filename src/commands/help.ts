// The help `sro --help` and `sro <command> --help` print, within HELP_WIDTH columns: a usage
// line too long for a terminal wraps between its options, each continuation line indented
// under the first option.
import { displayWidth } from '../shell/terminal-text.ts';
import type { Command, CommandSpec } from './command.ts';
import { commands } from './index.ts';

/** The widest line any help may print (a terminal of 100 columns shows it unbroken). */
export const HELP_WIDTH = 100;

/**
 * `words` (split at spaces, but never inside [...] or (...)) wrapped to `width` columns: the
 * first line after `first`, the others after `indent` spaces.
 */
export function wrapWords(text: string, width: number, first: string, indent: number): string {
  const words: string[] = [];
  let depth = 0;
  let word = '';
  for (const c of text) {
    if (c === ' ' && depth === 0) {
      if (word) words.push(word);
      word = '';
      continue;
    }
    if (c === '[' || c === '(') depth++;
    if ((c === ']' || c === ')') && depth > 0) depth--;
    word += c;
  }
  if (word) words.push(word);
  const lines: string[] = [];
  let line = first;
  let empty = true;
  for (const w of words) {
    if (!empty && displayWidth(`${line} ${w}`) > width) {
      lines.push(line);
      line = `${' '.repeat(indent)}${w}`;
    } else line = empty ? `${line}${w}` : `${line} ${w}`;
    empty = false;
  }
  lines.push(empty ? line.trimEnd() : line);
  return lines.join('\n');
}

/** `Usage: sro report [--as-of D] …`, wrapped under the command's first option. */
export function usageLine(spec: CommandSpec): string {
  const lead = `Usage: sro ${spec.name} `;
  return wrapWords(spec.usage.replace(/^sro \S+ ?/, ''), HELP_WIDTH, lead, lead.length);
}

/** What `sro <command> --help` prints. */
export function commandHelp(spec: CommandSpec, command: Command): string {
  return `${usageLine(spec)}\n\n${command.help}\n`;
}

/** What `sro --help` prints: each command by name with its summary (its options are in its own help). */
export function mainHelp(): string {
  const names = commands.map((c) => `sro ${c.name}`);
  const width = Math.max(...names.map((n) => n.length));
  const list = commands
    .map((c, i) => wrapWords(c.summary, HELP_WIDTH, `  ${names[i]!.padEnd(width)}  `, width + 4))
    .join('\n');
  return `sro — compliance reminders for Minnesota school resource officers
(Minn. Stat. § 626.8482, school-board policy 507.5)

Usage: sro <command> [options]      sro <command> --help for its options and examples

Commands:
${list}

Configuration comes from the environment (DATABASE_URL, REDIS_URL, SMTP_URL, TZ, ...);
see README.md. Exit status: 0 ok, 1 invalid input, 2 usage error,
3 operational failure (a service unreachable, or e-mails that could not be delivered).
`;
}
