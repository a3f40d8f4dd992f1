// What reaches a terminal or a log pipeline never carries a raw control character: a value
// from a roster or a mail server holding U+009B (a C1 control that starts a terminal escape
// sequence) or a direction override is shown escaped, in roster errors, CLI log lines and
// worker JSON lines alike.
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../src/shell/log.ts';
import { formatRosterError } from '../../src/roster/load.ts';
import { parseJsonRoster } from '../oracle/roster-in-memory.ts';

const CSI = '\u009b';
const RLO = '\u202e';

function capture(format: 'text' | 'json'): { lines: string[]; log: ReturnType<typeof createLogger> } {
  const lines: string[] = [];
  return { lines, log: createLogger('debug', format, (l) => lines.push(l)) };
}

describe('controls are shown escaped, never raw', () => {
  it('given a roster name with U+009B, then the import error names it as \\u009b', () => {
    const r = parseJsonRoster(JSON.stringify({ agencies: [{ id: 'MN1', name: `Evil${CSI}31m PD` }] }), 'roster.json');
    expect(r.ok).toBe(false);
    if (r.ok) return;
    const text = r.errors.map(formatRosterError).join('\n');
    expect(text).toContain('\\u009b');
    expect(text).not.toContain(CSI);
  });

  it('given a CLI log line whose message and fields carry U+009B and U+202E, then the text line shows them escaped', () => {
    const { lines, log } = capture('text');
    log.warn(`chief ${CSI}31m`, { name: `x${RLO}y`, error: new Error(`boom${CSI}`).message });
    expect(lines.join('')).toContain('\\u009b31m');
    expect(lines.join('')).toContain('\\u202e');
    expect(lines.join('')).not.toMatch(/[\u0080-\u009f\u202a-\u202e]/);
  });

  it('given a worker JSON log line with the same, then it is still one valid JSON object and holds no raw control', () => {
    const { lines, log } = capture('json');
    log.error(`relay said ${CSI}2J`, { detail: `a${RLO}b`, err: new Error(`stack${CSI}`) });
    expect(lines).toHaveLength(1);
    expect(lines[0]).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u0080-\u009f\u202a-\u202e]/);
    const parsed = JSON.parse(lines[0]!) as {
      msg: string;
      detail: string;
      level: string;
      err: { message: string; stack: string };
    };
    expect(parsed).toMatchObject({ level: 'error', msg: `relay said ${CSI}2J`, detail: `a${RLO}b` });
    expect(parsed.err.stack).toContain('Error: stack');
  });

  it('given secrets under the redacted paths, then the JSON line has *** in their place', () => {
    const { lines, log } = capture('json');
    log.info('config', { smtpUrl: 'smtp://u:hunter2@relay', nested: { password: 'hunter2' } });
    expect(lines[0]).not.toContain('hunter2');
    expect(JSON.parse(lines[0]!)).toMatchObject({ smtpUrl: '***', nested: { password: '***' } });
  });
});
