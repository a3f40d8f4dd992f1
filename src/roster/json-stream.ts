// A JSON roster file read as it is staged (issue 15): tokenized by stream-json, section by
// section, each row assembled alone, validated with its section's schema (the one
// rosterSchema is made of: same messages, same paths as load.ts gives for a file in memory),
// then staged. Memory: a chunk of the file and one row; the document is never held whole.
//
// A file that is not UTF-8, not JSON, or not a JSON object is one error, as load.ts reports
// it: the rows read before the problem are forgotten.
import { createReadStream } from 'node:fs';
import { getManyValues, isMany, none } from 'stream-chain/defs.js';
import { jsonParser } from 'stream-json/parser.js';
import { EXPAND_JSON_CONTACTS, STAGE_TABLES, type StageWriter } from '../db/import-staging.ts';
import { quote } from '../shell/quote.ts';
import { ErrorPhase } from './error-list.ts';
import { type RosterFeed, type StageContext, stagedPath } from './feed.ts';
import { ROSTER_SECTIONS, ROW_SCHEMAS, type RosterDistrict, type RosterSection, rosterSchema } from './schema.ts';
import { type NestedContact, districtValues, keyOf, keyUnread, stagedValues } from './stage-rows.ts';
import { type RosterLocator, jsonLocator, located, validateRow } from './validate.ts';

const PROGRESS_EVERY = 16_384;

type Token = { name: string; value?: unknown };

/** The file is one error (syntax, encoding, not an object): its other errors and rows are forgotten. */
class WholeFileError extends Error {
  constructor(
    readonly code: 'INVALID_JSON' | 'NOT_UTF8' | 'INVALID_VALUE',
    message: string,
  ) {
    super(message);
  }
}

class SyntaxProblem extends Error {
  constructor(
    readonly problem: string,
    readonly chunk: number,
    readonly atEnd: boolean,
  ) {
    super(problem);
  }
}

/** A scalar token's value as JSON.parse gives it (numbers come as their text). */
const scalar = (tok: Token): unknown => (tok.name === 'numberValue' ? Number(tok.value) : tok.value);

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Builds one JSON value from tokens (as JSON.parse would: a "__proto__" key is an own property). */
class Assembler {
  private readonly stack: (Record<string, unknown> | unknown[])[] = [];
  private readonly keys: (string | null)[] = [];
  private key: string | null = null;
  value: unknown = undefined;

  /** Takes a token; true when the value is complete. */
  consume(tok: Token): boolean {
    switch (tok.name) {
      case 'startObject':
      case 'startArray': {
        const c = tok.name === 'startObject' ? {} : [];
        this.stack.push(c);
        this.keys.push(this.key);
        this.key = null;
        return false;
      }
      case 'endObject':
      case 'endArray': {
        const c = this.stack.pop()!;
        this.key = this.keys.pop() ?? null;
        return this.put(c);
      }
      case 'keyValue':
        this.key = tok.value as string;
        return false;
      case 'numberValue':
        return this.put(Number(tok.value));
      case 'stringValue':
      case 'nullValue':
      case 'trueValue':
      case 'falseValue':
        return this.put(tok.value);
      default:
        return false;
    }
  }

  private put(v: unknown): boolean {
    const parent = this.stack[this.stack.length - 1];
    if (parent === undefined) {
      this.value = v;
      return true;
    }
    if (Array.isArray(parent)) parent.push(v);
    else if (this.key === '__proto__')
      Object.defineProperty(parent, this.key, { value: v, enumerable: true, writable: true, configurable: true });
    else parent[this.key!] = v;
    return false;
  }
}

const STRIP = /^Parser (?:cannot parse input: |has )/;

/** Decoded text chunks of a file (UTF-8, fatal), the BOM dropped; `onChunk` is told each chunk's index. */
async function* textChunks(path: string): AsyncGenerator<string> {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let first = true;
  for await (const bytes of createReadStream(path, { highWaterMark: 256 * 1024 })) {
    let text: string;
    try {
      text = decoder.decode(bytes as Buffer, { stream: true });
    } catch {
      throw new WholeFileError('NOT_UTF8', 'is not UTF-8 text; JSON files must be UTF-8');
    }
    if (first && text !== '') {
      first = false;
      if (text.startsWith('\uFEFF')) text = text.slice(1); // editors on Windows add a BOM
    }
    yield text;
  }
  try {
    decoder.decode();
  } catch {
    throw new WholeFileError('NOT_UTF8', 'is not UTF-8 text; JSON files must be UTF-8');
  }
}

function tokensOf(out: unknown): Token[] {
  if (out === none) return [];
  if (isMany(out)) return getManyValues(out) as Token[];
  return [out as Token];
}

/**
 * Where the tokenizer fails: the file read again, the failing chunk fed one character at a
 * time. Line and column (1-based) as load.ts gives them for JSON.parse's position.
 */
async function syntaxPosition(path: string, failing: number): Promise<{ line: number; column: number }> {
  const tokenize = jsonParser({ packValues: true, streamValues: false });
  let line = 1;
  let column = 1;
  let i = 0;
  const advance = (text: string) => {
    for (const ch of text) {
      if (ch === '\n') {
        line++;
        column = 1;
      } else column += ch.length;
    }
  };
  for await (const text of textChunks(path)) {
    if (i++ < failing) {
      tokenize(text);
      advance(text);
      continue;
    }
    for (let k = 0; k < text.length; k++) {
      try {
        tokenize(text[k]!);
      } catch {
        return { line, column };
      }
      advance(text[k]!);
    }
    break;
  }
  return { line, column };
}

/** Reads the file's tokens, calling `onToken` (awaited when it returns a promise). */
async function readTokens(path: string, onToken: (tok: Token) => Promise<void> | undefined): Promise<boolean> {
  const tokenize = jsonParser({ packValues: true, streamValues: false });
  let chunk = 0;
  let any = false;
  for await (const text of textChunks(path)) {
    if (text.trim() !== '') any = true;
    let toks: Token[];
    try {
      toks = tokensOf(tokenize(text));
    } catch (cause) {
      throw new SyntaxProblem(String((cause as Error).message).replace(STRIP, ''), chunk, false);
    }
    chunk++;
    for (const t of toks) {
      const wait = onToken(t);
      if (wait) await wait;
    }
  }
  try {
    for (const t of tokensOf(tokenize(none as unknown as string))) {
      const wait = onToken(t);
      if (wait) await wait;
    }
  } catch (cause) {
    throw new SyntaxProblem(String((cause as Error).message).replace(STRIP, ''), chunk, true);
  }
  return any;
}

/** One JSON file's sections into the staging tables. */
class JsonStager {
  private readonly locator: RosterLocator;
  private state: 'start' | 'top' | 'value' | 'rows' | 'row' | 'skip' | 'assemble' | 'end' = 'start';
  private notObject = false;
  private depth = 0;
  private key = '';
  private section: RosterSection | null = null;
  private index = 0;
  private writer: StageWriter | null = null;
  private asm: Assembler | null = null;
  private readonly seen = new Set<string>();

  constructor(
    private readonly file: string,
    private readonly ctx: StageContext,
  ) {
    this.locator = jsonLocator(file);
  }

  private error(
    code: 'INVALID_VALUE' | 'UNKNOWN_FIELD',
    path: PropertyKey[],
    message: string,
    phase = ErrorPhase.schema,
  ) {
    this.ctx.errors.add(located(code, this.locator.locate(path), message), phase);
  }

  /** A top-level key's value other than a section's list (null, a scalar, an object), or $schema. */
  private topValue(key: string, value: unknown): void {
    const schema = (rosterSchema.shape as Record<string, { safeParse: unknown } | undefined>)[key];
    if (key !== '$schema' && !ROSTER_SECTIONS.includes(key as RosterSection)) return;
    const checked = validateRow(schema as typeof rosterSchema.shape.$schema, value, [key], this.locator);
    if (!checked.ok) for (const e of checked.errors) this.ctx.errors.add(e, ErrorPhase.schema);
    // A section that is not a list: its rows, if it meant any, are not known.
    if (!checked.ok && key !== '$schema') this.ctx.unreadable(key as RosterSection);
  }

  token(tok: Token): Promise<void> | undefined {
    const opens = tok.name === 'startObject' || tok.name === 'startArray';
    const closes = tok.name === 'endObject' || tok.name === 'endArray';
    const isValue = opens || (!closes && tok.name !== 'keyValue');
    switch (this.state) {
      case 'start':
        if (tok.name === 'startObject') this.state = 'top';
        else {
          this.notObject = true;
          this.state = 'skip';
          this.depth = opens ? 1 : 0;
          if (!opens) this.state = 'end';
        }
        return undefined;
      case 'skip':
        if (opens) this.depth++;
        else if (closes) this.depth--;
        if (this.depth === 0) this.state = this.notObject ? 'end' : 'top';
        return undefined;
      case 'end':
        return undefined;
      case 'top':
        if (tok.name === 'endObject') {
          this.state = 'end';
          return undefined;
        }
        this.key = tok.value as string;
        this.state = 'value';
        return undefined;
      case 'value':
        return this.value(tok, opens, isValue);
      case 'assemble':
        if (this.asm!.consume(tok)) {
          const v = this.asm!.value;
          this.asm = null;
          this.state = 'top';
          this.topValue(this.key, v);
        }
        return undefined;
      case 'rows':
        if (tok.name === 'endArray') return this.endSection();
        if (opens) {
          this.asm = new Assembler();
          this.asm.consume(tok);
          this.state = 'row';
          return undefined;
        }
        return this.row(scalar(tok));
      case 'row':
        if (this.asm!.consume(tok)) {
          const v = this.asm!.value;
          this.asm = null;
          this.state = 'rows';
          return this.row(v);
        }
        return undefined;
      default: {
        const _exhaustive: never = this.state;
        throw new Error(`unhandled state ${String(_exhaustive)}`);
      }
    }
  }

  private value(tok: Token, opens: boolean, isValue: boolean): Promise<void> | undefined {
    if (!isValue) return undefined;
    const key = this.key;
    const isSection = ROSTER_SECTIONS.includes(key as RosterSection);
    if (isSection && this.seen.has(key)) {
      // JSON.parse keeps the last of two equal keys; staging both would import (or reject)
      // rows a reader of the file would not expect. Decision: an error, naming the section.
      this.error('INVALID_VALUE', [key], `the section ${quote(key)} appears twice in the file; give each section once`);
    }
    this.seen.add(key);
    if (!isSection && key !== '$schema') {
      this.error(
        'UNKNOWN_FIELD',
        [key],
        `unknown section ${quote(key)} (the sections are ${ROSTER_SECTIONS.join(', ')})`,
      );
      return this.skipValue(opens);
    }
    if (isSection && tok.name === 'startArray') {
      this.section = key as RosterSection;
      this.index = 0;
      this.writer = this.ctx.session.stage(STAGE_TABLES[this.section]);
      this.state = 'rows';
      return undefined;
    }
    if (isSection && tok.name === 'startObject') {
      // Not a list: the schema's message for an object, without assembling what may be large.
      this.topValue(key, {});
      return this.skipValue(true);
    }
    if (opens) {
      this.asm = new Assembler();
      this.asm.consume(tok);
      this.state = 'assemble';
      return undefined;
    }
    this.state = 'top';
    this.topValue(key, scalar(tok));
    return undefined;
  }

  private skipValue(opens: boolean): undefined {
    if (opens) {
      this.state = 'skip';
      this.depth = 1;
    } else this.state = 'top';
    return undefined;
  }

  private row(value: unknown): Promise<void> | undefined {
    const section = this.section!;
    const i = this.index++;
    if (this.index % PROGRESS_EVERY === 0) this.ctx.progress(section, this.index);
    const checked = validateRow(
      ROW_SCHEMAS[section] as (typeof ROW_SCHEMAS)['agencies'],
      value,
      [section, i],
      this.locator,
    );
    if (!checked.ok) for (const e of checked.errors) this.ctx.errors.add(e, ErrorPhase.schema);
    const valid = checked.ok ? (checked.value as unknown) : null;
    const key = keyOf(section, value);
    if (keyUnread(section, value)) this.ctx.unreadable(section);
    const failed = checked.ok ? undefined : { raw: value, fields: checked.fields };
    if (section !== 'districts') return this.writer!.add(stagedValues(section, i, key, valid, failed));
    // Contacts are keyed with their district's id (staged with it: see EXPAND_JSON_CONTACTS).
    const contacts: NestedContact[] = [];
    const raw = isRecord(value) && Array.isArray(value.contacts) ? value.contacts : [];
    const district = valid as RosterDistrict | null;
    raw.forEach((c: unknown, j: number) => {
      if (!isRecord(c) || typeof c.email !== 'string' || typeof c.role !== 'string') return;
      contacts.push([j, c.email.trim(), c.role.trim(), district?.contacts[j]?.name ?? null]);
    });
    return this.writer!.add(districtValues(i, key, district, contacts));
  }

  private async endSection(): Promise<void> {
    const section = this.section!;
    this.ctx.progress(section, this.index);
    await this.writer!.end();
    this.writer = null;
    if (section === 'districts') await this.ctx.session.run(EXPAND_JSON_CONTACTS);
    this.section = null;
    this.state = 'top';
  }

  get isObject(): boolean {
    return !this.notObject;
  }

  async abandon(): Promise<void> {
    if (this.writer !== null) await this.writer.end().catch(() => undefined);
    this.writer = null;
  }
}

/** A JSON roster file as a feed; `file` names it in errors. */
export function jsonFeed(path: string, file: string): RosterFeed {
  const locator = jsonLocator(file);
  return {
    async stage(ctx) {
      const stager = new JsonStager(file, ctx);
      let problem: WholeFileError | null = null;
      try {
        const any = await readTokens(path, (t) => stager.token(t));
        if (!any)
          problem = new WholeFileError(
            'INVALID_JSON',
            'is not valid JSON: is empty; a roster is a JSON object such as {"officers": []}',
          );
        else if (!stager.isObject)
          problem = new WholeFileError(
            'INVALID_VALUE',
            'must be a JSON object with the sections agencies, districts, officers, …',
          );
      } catch (cause) {
        if (cause instanceof WholeFileError) problem = cause;
        else if (cause instanceof SyntaxProblem) {
          if (cause.atEnd)
            problem = new WholeFileError(
              'INVALID_JSON',
              'is not valid JSON: the file ends before the JSON does (a missing "}" or "]"?)',
            );
          else {
            const at = await syntaxPosition(path, cause.chunk);
            problem = new WholeFileError(
              'INVALID_JSON',
              `is not valid JSON: ${cause.problem} at line ${at.line}, column ${at.column}`,
            );
          }
        } else throw cause;
      }
      if (problem === null) return;
      await stager.abandon();
      ctx.errors.dropGroup('');
      await ctx.session.run(
        `TRUNCATE ${Object.values(STAGE_TABLES)
          .map((t) => t.name)
          .join(', ')}`,
      );
      ctx.errors.add(
        located(problem.code, { file, row: null, field: null, order: -1 }, problem.message),
        ErrorPhase.reader,
      );
    },
    locate: (section, r, sub, field) =>
      locator.locate(field === null ? stagedPath(section, r, sub) : [...stagedPath(section, r, sub), field]),
    describe: (section, r, sub) => locator.describe(stagedPath(section, r, sub)),
    absent: () => [],
  };
}
