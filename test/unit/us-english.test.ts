// US English everywhere people read (issue "In the users' words", INTERFACE.md "Pages for
// people": "enroll", "recognize"): the pages and e-mails are test/web/wording.test.ts's; here,
// every `sro` help and the README, word by word against the British spellings that check knows.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { commands } from '../../src/commands/index.ts';
import { commandHelp, mainHelp } from '../../src/commands/help.ts';
import { projectRoot } from '../../src/db/migrate.ts';
import { BRITISH } from '../helpers/wording.ts';

/** Each British spelling of `text`, with the line it is on. */
function britishSpellings(text: string): string[] {
  const global = new RegExp(BRITISH.source, 'gi');
  return text
    .split('\n')
    .flatMap((line, i) => [...line.matchAll(global)].map((m) => `${i + 1}: ${m[0]} in "${line.trim()}"`));
}

describe('US English in what operators read', () => {
  it('sro --help', () => {
    expect(britishSpellings(mainHelp())).toEqual([]);
  });

  it.each(commands.map((c) => [c.name, c] as const))('sro %s --help', async (_name, spec) => {
    expect(britishSpellings(commandHelp(spec, await spec.load()))).toEqual([]);
  });

  it("README.md, its prose (code, paths and names in backticks are the program's)", () => {
    const readme = readFileSync(join(projectRoot, 'README.md'), 'utf8')
      .replace(/^```[\s\S]*?^```/gm, (block) => block.replace(/[^\n]/g, ''))
      .replace(/`[^`\n]*`/g, '');
    expect(britishSpellings(readme)).toEqual([]);
  });

  it('the check finds what it looks for', () => {
    expect(britishSpellings('Enrol the officer\nthe certificate is recognised')).toEqual([
      '1: Enrol in "Enrol the officer"',
      '2: recognised in "the certificate is recognised"',
    ]);
    expect(britishSpellings('Enroll the officer; an acknowledgment is recognized')).toEqual([]);
  });
});
