// What a chief reads in each alert e-mail (RULES.md 5): who, what, when, the provision it
// rests on and what to do next, the same in the text and HTML parts; hostile roster text
// cannot inject markup or headers; reminders carry an RFC 5545 calendar entry.
// This file: hostile roster text in every kind and part, and escape.ts.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { civilDate as d } from '../../src/domain/civil-date.ts';
import { HeaderInjectionError, assertHeaderSafe, escapeHtml, headerSafe } from '../../src/mail/escape.ts';
import { type AlertMailInput, renderAlert } from '../../src/mail/render-alert.ts';
import { officerSchema } from '../../src/roster/schema.ts';
import { OFFICER_ALERT_KINDS } from '../helpers/alert-fixtures.ts';
import { CHIEF, PRIMARY, alert, input, codeOf } from '../helpers/alert-mail-input.ts';

describe('hostile roster text', () => {
  it('HTML escapes an officer named <script>alert(1)</script> <b>Bob</b>; the text part shows it as typed', () => {
    const m = renderAlert(
      input({ officer: { license: '10001', firstName: '<script>alert(1)</script>', lastName: '<b>Bob</b>' } }),
    );
    expect(m.html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(m.html).toContain('&lt;b&gt;Bob&lt;/b&gt;');
    expect(m.html).not.toContain('<script>');
    expect(m.html).not.toContain('<b>Bob</b>');
    expect(m.text).toContain('Officer <script>alert(1)</script> <b>Bob</b> (#10001)');
    expect(m.subject).toContain('<b>Bob</b>');
  });

  it('HTML escapes agency, district and recipient names, and quotes', () => {
    const m = renderAlert(
      input({
        agency: { id: 'A', name: 'Smith & "Sons" <PD>', chiefName: null },
        districts: [{ id: 'ISD900', name: "O'Neil <i>Schools</i>", kind: 'CHARTER' }],
        recipient: { ...PRIMARY, name: '<img src=x onerror=alert(1)>' },
      }),
    );
    expect(m.html).toContain('Smith &amp; &quot;Sons&quot; &lt;PD&gt;');
    expect(m.html).toContain('O&#39;Neil &lt;i&gt;Schools&lt;/i&gt; (charter school ISD900)');
    expect(m.html).not.toContain('<img');
  });

  it.each([
    [
      'a CR/LF in the officer first name',
      { officer: { license: '10001', firstName: 'Dana\r\nBcc: victim@example.com', lastName: 'Larson' } },
    ],
    [
      'a LF in the officer last name',
      { officer: { license: '10001', firstName: 'Dana', lastName: 'Larson\nX-Evil: 1' } },
    ],
    ['a NUL in the license', { officer: { license: '10001\u0000', firstName: 'Dana', lastName: 'Larson' } }],
    [
      'a CR/LF in the recipient address',
      { recipient: { ...CHIEF, email: 'chief@lakeside-pd.example\r\nBcc: victim@example.com' } },
    ],
    ['a LF in the recipient name', { recipient: { ...CHIEF, name: 'Ruth\nAnders' } }],
    ['a LF in the ledger key', { ledgerKey: 'DEADLINE_REMINDER:10001\n:to=x' }],
  ] as [string, Partial<AlertMailInput>][])('%s throws HEADER_INJECTION', (_label, over) => {
    expect(() => renderAlert(input(over))).toThrow(HeaderInjectionError);
    expect(codeOf(() => renderAlert(input(over)))).toBe('HEADER_INJECTION');
  });

  it('CR/LF in a name throws for every kind, not only reminders', () => {
    const over = { officer: { license: '10001', firstName: 'A\r\nB', lastName: 'C' } };
    for (const kind of ['DEADLINE_MISSED', 'RESOLVED', 'CERTIFICATE_MISSING'] as const) {
      expect(
        codeOf(() =>
          renderAlert(
            input({ ...over, alert: alert({ kind, key: `${kind}:10001`, dueDate: d('2026-04-01'), level: 1 }) }),
          ),
        ),
      ).toBe('HEADER_INJECTION');
    }
  });
});

describe('escape.ts', () => {
  it('escapeHtml escapes & < > " \'', () => {
    expect(escapeHtml(`&<>"'`)).toBe('&amp;&lt;&gt;&quot;&#39;');
    expect(escapeHtml('Dana Larson')).toBe('Dana Larson');
  });

  it('headerSafe passes clean values (Unicode included) and refuses control characters and line separators', () => {
    expect(headerSafe('Subject', 'Officer Zoë Ødegård — due 2026-04-01')).toBe('Officer Zoë Ødegård — due 2026-04-01');
    for (const bad of ['a\rb', 'a\nb', 'a\tb', 'a\u0000b', 'a\u007fb', 'a\u0085b', 'a\u2028b']) {
      expect(codeOf(() => assertHeaderSafe('Subject', bad))).toBe('HEADER_INJECTION');
    }
    const err = new HeaderInjectionError('Subject', 'x\r\ny');
    expect(err.message).toContain('"x\\r\\ny"');
    expect(err.header).toBe('Subject');
  });
});

// The importer rejects names with line breaks (schema.ts), so these can only reach the
// renderer from a database edited by hand: the renderer is the last guard, for every kind.
describe('hostile roster text, every alert kind and every line separator', () => {
  const KINDS = OFFICER_ALERT_KINDS;
  const kindInput = (kind: (typeof KINDS)[number], over: Partial<AlertMailInput>) =>
    input({
      ...over,
      alert: alert({
        kind,
        key: `${kind}:10001:x`,
        dueDate: d('2026-04-01'),
        level: 1,
        threshold: 45,
        schoolYear: '2025-2026',
      }),
    });

  it.each(KINDS)('%s: CR, LF, CRLF, NEL, U+2028 and U+2029 in an officer name throw HEADER_INJECTION', (kind) => {
    for (const sep of ['\r', '\n', '\r\n', '\u0085', '\u2028', '\u2029']) {
      expect(
        codeOf(() =>
          renderAlert(
            kindInput(kind, {
              officer: { license: '10001', firstName: `Dana${sep}Bcc: victim@example.com`, lastName: 'Larson' },
            }),
          ),
        ),
      ).toBe('HEADER_INJECTION');
      expect(
        codeOf(() =>
          renderAlert(
            kindInput(kind, { officer: { license: '10001', firstName: 'Dana', lastName: `Larson${sep}X-Evil: 1` } }),
          ),
        ),
      ).toBe('HEADER_INJECTION');
    }
  });

  it.each(KINDS)('%s: <script> in officer, agency and recipient names is escaped in the HTML part', (kind) => {
    const m = renderAlert(
      kindInput(kind, {
        officer: { license: '10001', firstName: '<script>alert(1)</script>', lastName: '<b>Bob</b>' },
        agency: { id: 'MN0900100', name: '<script>alert(2)</script>', chiefName: '<script>alert(3)</script>' },
        recipient: { ...CHIEF, name: '<script>alert(4)</script>' },
      }),
    );
    expect(m.html).not.toMatch(/<script|<b>Bob/i);
    expect(m.html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
  });

  it('property: a name the roster accepts renders without breaking a header or the HTML; any other is refused with HEADER_INJECTION', () => {
    const name = fc.oneof(
      fc.string({ unit: 'grapheme', minLength: 1, maxLength: 30 }),
      fc.string({ unit: 'binary', minLength: 1, maxLength: 30 }),
      fc.constantFrom(
        '<script>alert(1)</script>',
        '=HYPERLINK("http://x","y")',
        'A\r\nBcc: v@x.example',
        'A\u2028B',
        'A"B<C>D&E',
      ),
    );
    fc.assert(
      fc.property(name, fc.constantFrom(...KINDS), (firstName, kind) => {
        const render = () =>
          renderAlert(kindInput(kind, { officer: { license: '10001', firstName, lastName: 'Larson' } }));
        if (/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/.test(firstName)) {
          expect(codeOf(render)).toBe('HEADER_INJECTION');
          return;
        }
        // What the importer accepts is a subset of what the renderer accepts.
        if (officerSchema.shape.firstName.safeParse(firstName).success) expect(render).not.toThrow();
        const m = render();
        expect(m.subject).not.toMatch(/[\r\n]/);
        for (const v of Object.values(m.headers)) expect(v).not.toMatch(/[\r\n]/);
        // The HTML holds the name only escaped, and nowhere else: it is the HTML of a plain
        // placeholder name with each placeholder replaced by the escaped name. (A bare
        // substring test cannot tell a name such as "&" or "<p" from the template's own text.)
        expect(m.html).toContain(escapeHtml(firstName));
        const placeholder = 'Qzxplaceholderq';
        const plain = renderAlert(
          kindInput(kind, { officer: { license: '10001', firstName: placeholder, lastName: 'Larson' } }),
        );
        expect(m.html).toBe(plain.html.split(placeholder).join(escapeHtml(firstName)));
      }),
      { numRuns: 300 },
    );
  });
});
