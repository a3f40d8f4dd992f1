// Malformed bounces for the DSN parser's fuzz tests (RULES.md 12; src/bounces/dsn.ts): the
// messages `sro bounces` may be handed by anyone who can reach port 25. Each case starts from
// a well-formed report (a hard or soft DSN, an abuse report) and breaks it one way or several:
// cut short anywhere, binary bytes spliced in, huge headers and huge fields, parts removed,
// boundaries broken, content types swapped, multiparts nested deep, encodings that do not
// decode, line endings mixed. A seeded generator: the same seed gives the same cases, and a
// failing case names its seed and mutations.
import { arf, dsn } from './bounces.ts';

export interface FuzzCase {
  /** Seed and mutations, to find the case again. */
  name: string;
  raw: Buffer;
}

/** mulberry32: small, fast, seedable. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Random = () => number;
const int = (r: Random, n: number) => Math.floor(r() * n);
const pick = <T>(r: Random, xs: readonly T[]): T => xs[int(r, xs.length)]!;
const bytes = (r: Random, n: number) => Buffer.from(Array.from({ length: n }, () => int(r, 256)));

const TO = 'b-2s-0123456789abcdef0123@bounces.sro.example';
const RECIPIENT = 'chief@lakeside-pd.example';

function seeds(r: Random): string {
  return pick(r, [
    () =>
      dsn({ to: TO, recipient: RECIPIENT, action: 'failed', status: '5.1.1', diagnostic: '550 5.1.1 User unknown' }),
    () => dsn({ to: TO, recipient: RECIPIENT, action: 'delayed', status: '4.2.2', diagnostic: '452 Mailbox full' }),
    () => dsn({ to: TO, recipient: RECIPIENT, action: 'delivered', status: '2.0.0', diagnostic: '250 OK' }),
    () => arf({ to: TO, recipient: RECIPIENT }),
  ])();
}

/** Replaces the first occurrence of `what` (when there is one) with `by`. */
const swap = (s: string, what: RegExp, by: string) => s.replace(what, by);

const MUTATIONS: Record<string, (s: Buffer, r: Random) => Buffer> = {
  truncated: (s, r) => s.subarray(0, int(r, s.length)),
  'binary spliced in': (s, r) => {
    const at = int(r, s.length);
    return Buffer.concat([s.subarray(0, at), bytes(r, 1 + int(r, 300)), s.subarray(at)]);
  },
  'bytes flipped': (s, r) => {
    const out = Buffer.from(s);
    for (let i = 0; i < 1 + int(r, 40); i++) out[int(r, out.length)] = int(r, 256);
    return out;
  },
  'huge header line': (s, r) => Buffer.concat([Buffer.from(`X-Junk: ${'A'.repeat(100_000 + int(r, 600_000))}\r\n`), s]),
  'huge folded header': (s, r) =>
    Buffer.concat([Buffer.from(`Subject: x${'\r\n folded'.repeat(10_000 + int(r, 40_000))}\r\n`), s]),
  'thousands of headers': (s, r) =>
    Buffer.concat([
      Buffer.from(Array.from({ length: 2000 + int(r, 8000) }, (_, i) => `X-H${i}: v${i}\r\n`).join('')),
      s,
    ]),
  'huge diagnostic': (s, r) =>
    Buffer.from(
      swap(
        s.toString('latin1'),
        /Diagnostic-Code: smtp; /,
        `Diagnostic-Code: smtp; ${'\u0007x\u0000y\u2028'.repeat(20_000 + int(r, 50_000))}`,
      ),
      'latin1',
    ),
  'status part removed': (s) =>
    Buffer.from(
      swap(s.toString('latin1'), /--BOUNDARY\r\nContent-Type: message\/delivery-status[\s\S]*?(?=--BOUNDARY)/, ''),
      'latin1',
    ),
  'feedback part removed': (s) =>
    Buffer.from(
      swap(s.toString('latin1'), /--ARF\r\nContent-Type: message\/feedback-report[\s\S]*?(?=--ARF)/, ''),
      'latin1',
    ),
  'boundary renamed': (s) =>
    Buffer.from(swap(s.toString('latin1'), /boundary="(BOUNDARY|ARF)"/, 'boundary="NOT-THERE"'), 'latin1'),
  'boundary removed': (s) => Buffer.from(swap(s.toString('latin1'), /; boundary="(BOUNDARY|ARF)"/, ''), 'latin1'),
  'closing boundary removed': (s) => Buffer.from(s.toString('latin1').replace(/--(BOUNDARY|ARF)--\r\n/, ''), 'latin1'),
  'report type swapped': (s, r) =>
    Buffer.from(
      s
        .toString('latin1')
        .replace(
          /message\/(delivery-status|feedback-report)/,
          pick(r, ['text/plain', 'message/rfc822', 'application/octet-stream', 'message/global-delivery-status']),
        ),
      'latin1',
    ),
  'fields garbled': (s, r) =>
    Buffer.from(
      s
        .toString('latin1')
        .replace(/Status: [^\r\n]*/, `Status: ${pick(r, ['5.999999.1', '9.9.9', '', '5.', '５.1.1', '4.4.4.4.4'])}`)
        .replace(/Action: [^\r\n]*/, `Action: ${pick(r, ['FAILED', '', 'fail ed', 'delayed;failed', '\u0000'])}`),
      'latin1',
    ),
  'part base64 that does not decode': (s) =>
    Buffer.from(
      s
        .toString('latin1')
        .replace(
          /Content-Type: message\/(delivery-status|feedback-report)\r\n/,
          (m) => `${m}Content-Transfer-Encoding: base64\r\n`,
        ),
      'latin1',
    ),
  'charset unknown': (s) =>
    Buffer.from(s.toString('latin1').replace(/charset=us-ascii/, 'charset="x-no-such-charset-\u00ff"'), 'latin1'),
  'nested deep': (s, r) => {
    const depth = 20 + int(r, 80);
    let body = s.toString('latin1');
    for (let i = 0; i < depth; i++)
      body = `Content-Type: multipart/mixed; boundary="N${i}"\r\n\r\n--N${i}\r\n${body}\r\n--N${i}--\r\n`;
    return Buffer.from(`MIME-Version: 1.0\r\n${body}`, 'latin1');
  },
  'line endings mixed': (s, r) =>
    Buffer.from(
      s
        .toString('latin1')
        .split('\r\n')
        .map((l) => l + pick(r, ['\r\n', '\n', '\r', '\r\r\n']))
        .join(''),
      'latin1',
    ),
  'many recipient blocks': (s, r) =>
    Buffer.from(
      s
        .toString('latin1')
        .replace(
          /(Final-Recipient: [\s\S]*?)(\r\n\r\n)/,
          (_m, block: string, end: string) => `${`${block}\r\n\r\n`.repeat(200 + int(r, 2000))}${end}`,
        ),
      'latin1',
    ),
  'random bytes only': (_s, r) => bytes(r, int(r, 5000)),
  empty: () => Buffer.alloc(0),
};

/** `n` cases from `seed`, each one or three mutations of a well-formed report. */
export function fuzzCases(seed: number, n: number): FuzzCase[] {
  const r = rng(seed);
  const names = Object.keys(MUTATIONS);
  const cases: FuzzCase[] = [];
  for (let i = 0; i < n; i++) {
    let raw: Buffer = Buffer.from(seeds(r), 'latin1');
    const applied: string[] = [];
    for (let k = 0; k < 1 + int(r, 3); k++) {
      const name = pick(r, names);
      raw = MUTATIONS[name]!(raw, r);
      applied.push(name);
    }
    cases.push({ name: `seed ${seed} case ${i}: ${applied.join(', ')}`, raw });
  }
  return cases;
}

/** Every mutation once, on the hard DSN: each kind of damage is tried whatever the seed. */
export function everyMutationOnce(seed: number): FuzzCase[] {
  const r = rng(seed);
  const hard = Buffer.from(
    dsn({ to: TO, recipient: RECIPIENT, action: 'failed', status: '5.1.1', diagnostic: '550 5.1.1 User unknown' }),
    'latin1',
  );
  const complaint = Buffer.from(arf({ to: TO, recipient: RECIPIENT }), 'latin1');
  return Object.entries(MUTATIONS).flatMap(([name, mutate]) => [
    { name: `${name} (DSN)`, raw: mutate(hard, r) },
    { name: `${name} (abuse report)`, raw: mutate(complaint, r) },
  ]);
}
