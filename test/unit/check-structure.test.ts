// scripts/check-structure.ts, the check README's "Design" names, run on a tiny tree of its own:
// each kind of finding it must report, and the imports it must let through.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Finding, checkStructure, formatFinding } from '../../scripts/check-structure.ts';

const SCRIPT = fileURLToPath(new URL('../../scripts/check-structure.ts', import.meta.url));

const TREE: Record<string, string> = {
  // A runtime cycle, and a pair that only import each other's types.
  'src/a.ts': "import { b } from './b.ts';\nexport const a = () => b;\n",
  'src/b.ts': "import { a } from './a.ts';\nexport const b = () => a;\n",
  'src/c.ts': "import type { D } from './d.ts';\nexport type C = D;\nexport const c = 1;\n",
  'src/d.ts': "import { type C } from './c.ts';\nexport type D = C;\nexport const d = 2;\n",
  'src/lazy.ts': "export const lazy = () => import('./lazy-back.ts');\n",
  'src/lazy-back.ts': "import { lazy } from './lazy.ts';\nexport const back = lazy;\n",
  // The web layer: a handler reading src/db (types count), and the composition root.
  'src/db/pool.ts': 'export const createPool = () => ({});\n',
  'src/db/officers.ts': 'export interface Officer { license: string }\nexport const readOfficer = () => null;\n',
  'src/web/officer-page.ts': "import type { Officer } from '../db/officers.ts';\nexport type Page = Officer;\n",
  'src/web/start.ts':
    "import { createPool } from '../db/pool.ts';\nimport { readOfficer } from '../db/officers.ts';\nexport const start = () => [createPool(), readOfficer()];\n",
  // A use case that knows a job.
  'jobs/send.ts': 'export const sendJob = { name: "send" };\n',
  'src/app/scan.ts': "import { sendJob } from '../../jobs/send.ts';\nexport const scan = () => sendJob;\n",
  // Who may do what: in the policy module, and decided again in a route.
  'src/app/policy.ts':
    "export const isAdmin = (v: { grants: { role: string }[] }) => v.grants.some((g) => g.role === 'ADMIN');\n",
  'src/web/route.ts': [
    "import { isAdmin } from '../app/policy.ts';",
    'type V = { grants: { role: string }[] };',
    "export const mayImport = (v: V) => v.grants.some((g) => g.role === 'ADMIN');",
    "export const mayRecord = (v: V) => isAdmin(v) || v.grants.some((g) => 'CHIEF' === g.role);",
    '',
  ].join('\n'),
  // A recipient's role choosing a message's words is no decision.
  'src/mail/deadline.ts':
    "export const opening = (r: { role: string }) => (r.role === 'CHIEF' ? 'Your officer' : 'An officer');\n",
  // Sizes: exactly at the limit, and one over it.
  'test/at-limit.test.ts': 'export {};\n'.repeat(500),
  'test/over-limit.test.ts': 'export {};\n'.repeat(501),
};

let root: string;
let findings: Finding[];
const of = (kind: Finding['kind']) => findings.filter((f) => f.kind === kind).map(formatFinding);

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'check-structure-'));
  for (const [file, text] of Object.entries(TREE)) {
    mkdirSync(dirname(join(root, file)), { recursive: true });
    writeFileSync(join(root, file), text);
  }
  findings = checkStructure(root, { knip: false });
});

afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('check:structure (README "Design": who may import whom)', () => {
  it('given a 501-line test file and a 500-line one, then only the first is over the limit', () => {
    expect(of('size')).toEqual(['test/over-limit.test.ts:501: 501 lines, over 500: split it by concern']);
  });

  it('given a runtime cycle, a type-only pair and a lazy import() back, then only the runtime cycle is one', () => {
    expect(of('cycle')).toEqual(['src/a.ts:1: runtime import cycle: src/a.ts → src/b.ts → src/a.ts']);
  });

  it('given src/web reading src/db, then a type import counts, and the web root may build a pool but not read', () => {
    expect(of('web→db')).toEqual([
      'src/web/officer-page.ts:1: src/web imports src/db/officers.ts: ask a use case in src/app',
      'src/web/start.ts:2: src/web imports src/db/officers.ts: ask a use case in src/app',
    ]);
  });

  it('given src/app importing jobs/, then it is reported', () => {
    expect(of('app→jobs')).toEqual([
      'src/app/scan.ts:1: src/app imports jobs/send.ts: enqueue through the port the worker implements',
    ]);
  });

  it('given roles inspected in a route, then each is reported; in the policy module or a mail template, none', () => {
    expect(of('policy')).toEqual([
      "src/web/route.ts:3: who may do what decided outside src/app/policy.ts (g.role === 'ADMIN'): ask can()",
      'src/web/route.ts:4: who may do what decided outside src/app/policy.ts (isAdmin(…)): ask can()',
      "src/web/route.ts:4: who may do what decided outside src/app/policy.ts ('CHIEF' === g.role): ask can()",
    ]);
  });

  it('given a file no entry point reaches and exports nothing imports, then knip reports each', () => {
    const project = mkdtempSync(join(tmpdir(), 'check-structure-knip-'));
    try {
      const files: Record<string, string> = {
        'package.json': '{ "name": "fixture", "private": true, "type": "module" }\n',
        'knip.json':
          '{ "entry": ["src/main.ts"], "project": ["src/**/*.ts"], "include": ["files", "exports", "types"] }\n',
        'src/main.ts': "import { used } from './lib.ts';\nconsole.log(used);\n",
        'src/lib.ts': 'export const used = 1;\nexport const unused = 2;\nexport type Unused = number;\n',
        'src/dead.ts': 'export const dead = 1;\n',
      };
      for (const [file, text] of Object.entries(files)) {
        mkdirSync(dirname(join(project, file)), { recursive: true });
        writeFileSync(join(project, file), text);
      }
      expect(checkStructure(project).map(formatFinding).sort()).toEqual([
        'src/dead.ts:1: unused file: no entry point reaches it',
        'src/lib.ts:2: unused export: unused',
        'src/lib.ts:3: unused exported type: Unused',
      ]);
    } finally {
      rmSync(project, { recursive: true, force: true });
    }
  });

  it('when run as a command, then it prints one FILE:LINE line per finding and exits 1', () => {
    const run = spawnSync(process.execPath, ['--import', 'tsx', SCRIPT, root, '--skip-knip'], { encoding: 'utf8' });
    expect(run.status).toBe(1);
    expect(run.stdout.trimEnd().split('\n')).toEqual(findings.map(formatFinding));
    expect(run.stderr).toContain(`check:structure: ${findings.length} finding(s)`);
  });

  it('given a tree with nothing to report, when run as a command, then it exits 0', () => {
    const clean = mkdtempSync(join(tmpdir(), 'check-structure-clean-'));
    try {
      mkdirSync(join(clean, 'src'));
      writeFileSync(join(clean, 'src/a.ts'), 'export const a = 1;\n');
      const run = spawnSync(process.execPath, ['--import', 'tsx', SCRIPT, clean, '--skip-knip'], { encoding: 'utf8' });
      expect(run.stdout).toBe('');
      expect(run.status).toBe(0);
    } finally {
      rmSync(clean, { recursive: true, force: true });
    }
  });
});
