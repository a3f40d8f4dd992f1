// Operators read `sro --help` and each command's help in an 80- to 100-column terminal: no
// line of any help is wider than 100 columns (a long usage line wraps between its options).
import { describe, expect, it } from 'vitest';
import { commands } from '../../src/commands/index.ts';
import { HELP_WIDTH, commandHelp, mainHelp, wrapWords } from '../../src/commands/help.ts';
import { displayWidth } from '../../src/shell/terminal-text.ts';

/** The lines of `text` wider than HELP_WIDTH, with their width. */
const tooWide = (text: string) =>
  text
    .split('\n')
    .filter((l) => displayWidth(l) > HELP_WIDTH)
    .map((l) => `${displayWidth(l)}: ${l}`);

describe('every sro help fits within 100 columns', () => {
  it('sro --help names every command', () => {
    const help = mainHelp();
    expect(tooWide(help)).toEqual([]);
    for (const c of commands) expect(help).toContain(`sro ${c.name} `);
  });

  it.each(commands.map((c) => [c.name, c] as const))('sro %s --help', async (_name, spec) => {
    const help = commandHelp(spec, await spec.load());
    expect(tooWide(help)).toEqual([]);
    // The usage line keeps every option, wrapped or not.
    const usage = help.slice(0, help.indexOf('\n\n')).replace(/\s+/g, ' ');
    expect(usage).toBe(`Usage: ${spec.usage}`);
  });
});

describe('a usage line wraps between its options', () => {
  it('never inside [...], continuation lines indented under the first option', () => {
    const text = '[--as-of D] [--json | --format csv] [--agency ID] [--district ID] [--status S] [--officer L]';
    expect(wrapWords(text, 40, 'Usage: sro report ', 18)).toBe(
      [
        'Usage: sro report [--as-of D]',
        '                  [--json | --format csv]',
        '                  [--agency ID]',
        '                  [--district ID]',
        '                  [--status S]',
        '                  [--officer L]',
      ].join('\n'),
    );
    expect(wrapWords('', 40, 'Usage: sro migrate ', 19)).toBe('Usage: sro migrate');
  });
});
