// The layering README's "Design" draws, held by a check: `npm run check:structure` (part of
// `npm run lint`). One line per finding, `FILE:LINE: problem`, exit 1 when there is any:
//   size    a source file under src/, jobs/, bench/, scripts/ or test/ over 500 lines
//   cycle   a runtime import cycle among src/ and jobs/ (type-only and lazy `import()` edges
//           load nothing at start-up, so they do not count)
//   web→db  src/web importing src/db, types included: the web layer asks src/app (a
//           composition root may import the client constructors)
//   app→jobs  src/app importing jobs/: a use case enqueues through the port the worker implements
//   policy  who-may-do-what decided outside src/app/policy.ts: a grant's role compared, `isAdmin(`
//   unused  a dead file or an export nothing imports (knip, configured in knip.json)
// Usage: tsx scripts/check-structure.ts [ROOT] [--skip-knip]
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

export type FindingKind = 'size' | 'cycle' | 'web→db' | 'app→jobs' | 'policy' | 'unused';

export interface Finding {
  kind: FindingKind;
  /** Relative to the checked root, with forward slashes. */
  file: string;
  line: number;
  message: string;
}

const MAX_LINES = 500;
const SIZED_FOLDERS = ['src', 'jobs', 'bench', 'scripts', 'test'];
const GRAPH_FOLDERS = ['src', 'jobs'];
const NOT_OURS = new Set(['node_modules', 'src/generated']);
const CODE_FILE = /\.[cm]?[jt]s$/;

/** The composition roots: they build the pools and clients every other module is handed. */
const COMPOSITION_ROOTS = [
  /^src\/cli\.ts$/,
  /^src\/commands\/[^/]+\.ts$/,
  /^src\/web\/start\.ts$/,
  /^src\/worker\/runtime\.ts$/,
];
/** What a composition root under src/web may take from src/db: the constructors of clients. */
const CLIENT_CONSTRUCTORS = new Set(['src/db/pool.ts', 'src/db/client.ts']);

const POLICY_MODULE = /^src\/app\/policy(\.ts$|\/)/;
/** The console's grant roles (RULES.md 7, INTERFACE.md's scopes). */
const GRANT_ROLES = new Set(['ADMIN', 'CHIEF', 'OFFICER', 'DISTRICT_CONTACT']);
/**
 * Where requests and jobs are answered, so where a decision could hide. Elsewhere a role is a
 * fact (src/db reads which roles an address holds) or whom a message addresses (src/mail).
 */
const DECIDING_LAYERS = /^(src\/(app|web|commands|worker)\/|src\/cli\.ts$|jobs\/)/;

interface Import {
  target: string;
  line: number;
  typeOnly: boolean;
  lazy: boolean;
}

const posix = (path: string) => path.split(sep).join('/');

function codeFilesUnder(root: string, folder: string): string[] {
  const files: string[] = [];
  const visit = (rel: string) => {
    if (NOT_OURS.has(rel) || rel.split('/').some((part) => part.startsWith('.'))) return;
    const abs = join(root, rel);
    if (!existsSync(abs)) return;
    if (statSync(abs).isDirectory()) for (const name of readdirSync(abs).sort()) visit(`${rel}/${name}`);
    else if (CODE_FILE.test(rel)) files.push(rel);
  };
  visit(folder);
  return files;
}

function lineOf(sf: ts.SourceFile, node: ts.Node): number {
  return sf.getLineAndCharacterOfPosition(node.getStart(sf)).line + 1;
}

/** A relative specifier as the file it names (`./x.ts`, `./x.js` for x.ts, `./x`, `./x/index.ts`). */
function resolveSpecifier(root: string, from: string, specifier: string): string | null {
  if (!specifier.startsWith('.')) return null;
  const base = resolve(root, dirname(from), specifier);
  for (const candidate of [base, base.replace(/\.js$/, '.ts'), `${base}.ts`, join(base, 'index.ts')])
    if (existsSync(candidate) && statSync(candidate).isFile()) return posix(relative(root, candidate));
  return null;
}

const allTypeOnly = (elements: readonly { isTypeOnly: boolean }[]) =>
  elements.length > 0 && elements.every((e) => e.isTypeOnly);

const isRoleAccess = (node: ts.Node) =>
  (ts.isIdentifier(node) && node.text === 'role') || (ts.isPropertyAccessExpression(node) && node.name.text === 'role');
const isGrantRole = (node: ts.Node) => ts.isStringLiteralLike(node) && GRANT_ROLES.has(node.text);
const EQUALITY = new Set([
  ts.SyntaxKind.EqualsEqualsEqualsToken,
  ts.SyntaxKind.ExclamationEqualsEqualsToken,
  ts.SyntaxKind.EqualsEqualsToken,
  ts.SyntaxKind.ExclamationEqualsToken,
]);

/** One pass over a file: what it imports, and where it decides who may do what itself. */
function readModule(root: string, file: string) {
  const sf = ts.createSourceFile(file, readFileSync(join(root, file), 'utf8'), ts.ScriptTarget.Latest, true);
  const imports: Import[] = [];
  const roleChecks: { line: number; text: string }[] = [];
  const add = (node: ts.Node, specifier: ts.Expression | undefined, typeOnly: boolean, lazy = false) => {
    if (!specifier || !ts.isStringLiteralLike(specifier)) return;
    const target = resolveSpecifier(root, file, specifier.text);
    if (target) imports.push({ target, line: lineOf(sf, node), typeOnly, lazy });
  };
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node)) {
      const clause = node.importClause;
      const bindings = clause?.namedBindings;
      const typeOnly =
        !!clause &&
        (clause.isTypeOnly ||
          (!clause.name && !!bindings && ts.isNamedImports(bindings) && allTypeOnly(bindings.elements)));
      add(node, node.moduleSpecifier, typeOnly);
    } else if (ts.isExportDeclaration(node)) {
      const clause = node.exportClause;
      add(
        node,
        node.moduleSpecifier,
        node.isTypeOnly || (!!clause && ts.isNamedExports(clause) && allTypeOnly(clause.elements)),
      );
    } else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
      add(node, node.arguments[0], false, true);
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument)) {
      add(node, node.argument.literal as ts.Expression, true);
    } else if (
      ts.isBinaryExpression(node) &&
      EQUALITY.has(node.operatorToken.kind) &&
      ((isRoleAccess(node.left) && isGrantRole(node.right)) || (isRoleAccess(node.right) && isGrantRole(node.left)))
    ) {
      roleChecks.push({ line: lineOf(sf, node), text: node.getText(sf) });
    } else if (
      ts.isSwitchStatement(node) &&
      isRoleAccess(node.expression) &&
      node.caseBlock.clauses.some((c) => ts.isCaseClause(c) && isGrantRole(c.expression))
    ) {
      roleChecks.push({ line: lineOf(sf, node), text: `switch (${node.expression.getText(sf)})` });
    } else if (
      ts.isCallExpression(node) &&
      ((ts.isIdentifier(node.expression) && node.expression.text === 'isAdmin') ||
        (ts.isPropertyAccessExpression(node.expression) && node.expression.name.text === 'isAdmin'))
    ) {
      roleChecks.push({ line: lineOf(sf, node), text: `${node.expression.getText(sf)}(…)` });
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return { imports, roleChecks };
}

function oversized(root: string): Finding[] {
  return SIZED_FOLDERS.flatMap((folder) => codeFilesUnder(root, folder)).flatMap((file) => {
    const text = readFileSync(join(root, file), 'utf8');
    const lines = text.split('\n').length - (text.endsWith('\n') ? 1 : 0);
    return lines > MAX_LINES
      ? [
          {
            kind: 'size' as const,
            file,
            line: MAX_LINES + 1,
            message: `${lines} lines, over ${MAX_LINES}: split it by concern`,
          },
        ]
      : [];
  });
}

/** Strongly connected sets (Tarjan) of the graph, each of more than one module or a self-import. */
function cyclicSets(graph: Map<string, string[]>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const sets: string[][] = [];
  const connect = (v: string) => {
    index.set(v, index.size);
    low.set(v, index.get(v)!);
    stack.push(v);
    for (const w of graph.get(v) ?? []) {
      if (!index.has(w)) {
        connect(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (stack.includes(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) !== index.get(v)) return;
    const set: string[] = [];
    for (let w = stack.pop()!; ; w = stack.pop()!) {
      set.push(w);
      if (w === v) break;
    }
    if (set.length > 1 || graph.get(v)?.includes(v)) sets.push(set.sort());
  };
  for (const v of [...graph.keys()].sort()) if (!index.has(v)) connect(v);
  return sets;
}

/** The shortest path from → to inside `within` (both ends included), breadth first. */
function shortestPath(graph: Map<string, string[]>, within: Set<string>, from: string, to: string): string[] {
  const previous = new Map<string, string>();
  const queue = [from];
  for (let v = queue.shift(); v !== undefined; v = queue.shift()) {
    for (const w of graph.get(v) ?? []) {
      if (!within.has(w) || previous.has(w)) continue;
      previous.set(w, v);
      if (w === to) {
        const path = [to];
        while (path[0] !== from || path.length === 1) path.unshift(previous.get(path[0]!)!);
        return path;
      }
      queue.push(w);
    }
  }
  return [];
}

/** Each cyclic set as cycles through one module, until every module of the set is on one of them. */
function cycles(modules: Map<string, Import[]>): Finding[] {
  const graph = new Map<string, string[]>();
  for (const [file, imports] of modules)
    graph.set(file, [
      ...new Set(imports.filter((i) => !i.typeOnly && !i.lazy && modules.has(i.target)).map((i) => i.target)),
    ]);
  return cyclicSets(graph).flatMap((set) => {
    const within = new Set(set);
    // From the module most of the set's edges touch (server.ts that six handlers import back).
    const degree = (m: string) =>
      graph.get(m)!.filter((w) => within.has(w)).length + set.filter((v) => graph.get(v)!.includes(m)).length;
    const start = [...set].sort((a, b) => degree(b) - degree(a))[0]!;
    const covered = new Set<string>();
    const found: Finding[] = [];
    for (const module of set) {
      if (covered.has(module)) continue;
      const path =
        module === start
          ? shortestPath(graph, within, start, start)
          : [...shortestPath(graph, within, start, module).slice(0, -1), ...shortestPath(graph, within, module, start)];
      path.forEach((m) => covered.add(m));
      const line = modules.get(start)!.find((i) => i.target === path[1] && !i.typeOnly && !i.lazy)!.line;
      found.push({ kind: 'cycle', file: start, line, message: `runtime import cycle: ${path.join(' → ')}` });
    }
    return found;
  });
}

function boundaries(modules: Map<string, Import[]>): Finding[] {
  const found: Finding[] = [];
  for (const [file, imports] of modules) {
    for (const { target, line } of imports) {
      if (file.startsWith('src/web/') && target.startsWith('src/db/')) {
        const root = COMPOSITION_ROOTS.some((r) => r.test(file));
        if (!(root && CLIENT_CONSTRUCTORS.has(target)))
          found.push({ kind: 'web→db', file, line, message: `src/web imports ${target}: ask a use case in src/app` });
      }
      if (file.startsWith('src/app/') && target.startsWith('jobs/'))
        found.push({
          kind: 'app→jobs',
          file,
          line,
          message: `src/app imports ${target}: enqueue through the port the worker implements`,
        });
    }
  }
  return found;
}

/** knip's issue types (knip.json "include") in words. */
const KNIP_ISSUES: Record<string, string> = {
  files: 'unused file',
  exports: 'unused export',
  nsExports: 'unused export of a namespace-imported module',
  types: 'unused exported type',
  nsTypes: 'unused exported type of a namespace-imported module',
  enumMembers: 'unused enum member',
  namespaceMembers: 'unused namespace member',
  duplicates: 'exported twice under these names',
};

/** Dead files and unused exports, as knip (knip.json) finds them from the project's entry points. */
function unusedCode(root: string): Finding[] {
  const require = createRequire(import.meta.url);
  const knip = join(dirname(require.resolve('knip')), '..', 'bin', 'knip.js');
  const run = spawnSync(process.execPath, [knip, '--reporter', 'json', '--no-progress', '--no-config-hints'], {
    cwd: root,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (run.status !== 0 && run.status !== 1) throw new Error(`knip failed (exit ${run.status}): ${run.stderr.trim()}`);
  type Named = { name: string; line?: number };
  type Row = { file: string } & Record<string, Named[] | Named[][] | string>;
  const found: Finding[] = [];
  for (const row of (JSON.parse(run.stdout) as { issues: Row[] }).issues) {
    for (const [type, symbols] of Object.entries(row)) {
      if (!Array.isArray(symbols)) continue;
      for (const symbol of symbols) {
        const what = KNIP_ISSUES[type] ?? type;
        if (Array.isArray(symbol)) {
          const names = symbol.map((s) => s.name).join(', ');
          found.push({ kind: 'unused', file: row.file, line: symbol[0]?.line ?? 1, message: `${what}: ${names}` });
        } else if (type === 'files') {
          found.push({ kind: 'unused', file: row.file, line: 1, message: `${what}: no entry point reaches it` });
        } else {
          found.push({ kind: 'unused', file: row.file, line: symbol.line ?? 1, message: `${what}: ${symbol.name}` });
        }
      }
    }
  }
  return found;
}

export function checkStructure(root: string, options: { knip?: boolean } = {}): Finding[] {
  const modules = new Map<string, Import[]>();
  const policy: Finding[] = [];
  for (const file of GRAPH_FOLDERS.flatMap((folder) => codeFilesUnder(root, folder)).filter((f) => f.endsWith('.ts'))) {
    const { imports, roleChecks } = readModule(root, file);
    modules.set(file, imports);
    if (POLICY_MODULE.test(file) || !DECIDING_LAYERS.test(file)) continue;
    for (const { line, text } of roleChecks)
      policy.push({
        kind: 'policy',
        file,
        line,
        message: `who may do what decided outside src/app/policy.ts (${text}): ask can()`,
      });
  }
  return [
    ...oversized(root),
    ...cycles(modules),
    ...boundaries(modules),
    ...policy,
    ...(options.knip === false ? [] : unusedCode(root)),
  ];
}

export function formatFinding(f: Finding): string {
  return `${f.file}:${f.line}: ${f.message}`;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const root = resolve(args.find((a) => !a.startsWith('--')) ?? '.');
  const findings = checkStructure(root, { knip: !args.includes('--skip-knip') });
  for (const f of findings) process.stdout.write(`${formatFinding(f)}\n`);
  const counts = new Map<string, number>();
  for (const f of findings) counts.set(f.kind, (counts.get(f.kind) ?? 0) + 1);
  const summary = [...counts].map(([kind, n]) => `${kind} ${n}`).join(', ');
  process.stderr.write(`check:structure: ${findings.length} finding(s)${summary ? ` (${summary})` : ''}\n`);
  process.exitCode = findings.length > 0 ? 1 : 0;
}
