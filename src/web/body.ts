// Reading a request's body (INTERFACE.md REQUEST_BODY_TIMEOUT_SECONDS): a body that stops
// arriving for longer than the limit is abandoned with InputStalled (408), and whatever read
// it fails with that error, so an upload's folder is removed and an import's transaction
// rolls back. Node's own timers would answer only after a minute or more, and Fastify sets
// none by default.
//
// JSON and form bodies are read by Fastify's parsers from the stream `idleLimited` gives them
// (a preParsing hook); a multipart body is read by @fastify/multipart straight from the
// request, so `eachPart` watches that stream as it is piped to the parser. Only the
// client's silence counts: while the reader holds the stream back (a slow disk, a busy
// database), the clock does not run.
import { Transform, type Readable } from 'node:stream';
import type { Multipart } from '@fastify/multipart';
import type { FastifyRequest } from 'fastify';
import { InputStalled, InvalidInput } from '../errors.ts';

const stalled = (idleMs: number) =>
  new InputStalled(
    `The request's body stopped arriving for ${Math.round(idleMs / 1000)} s and was abandoned; nothing was kept. Send it again.`,
  );

/** A body stream that fails with InputStalled when no byte arrives for `idleMs` (the reader's own pauses aside). */
export function idleLimited(source: Readable, idleMs: number): Readable {
  let timer: NodeJS.Timeout | undefined;
  const out = new Transform({
    transform(chunk, _encoding, done) {
      arm();
      done(null, chunk);
    },
    flush(done) {
      clearTimeout(timer);
      done();
    },
  });
  const arm = () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      // The reader is holding the stream back, not the client: wait on.
      if (source.readableFlowing === false || out.writableNeedDrain) return arm();
      source.unpipe(out);
      out.destroy(stalled(idleMs));
    }, idleMs);
  };
  out.on('close', () => clearTimeout(timer));
  // The reader listens for the wrapper's errors while it reads; one that gave up early (a body
  // over its limit) has stopped listening, and an error then must not bring the process down.
  out.on('error', () => undefined);
  // A client that goes away mid-body ends the read at once, as it would without the wrapper.
  source.once('aborted', () => out.destroy(new Error('the client closed the request before its body ended')));
  source.once('error', (e) => out.destroy(e));
  source.once('close', () => clearTimeout(timer));
  source.pipe(out);
  arm();
  return out;
}

/** A multipart upload's limits (the plugin's own stop a file at fileSize and answer 413). */
export interface MultipartLimits {
  fileSize: number;
  files: number;
  fields: number;
}

/**
 * Hands each part of a multipart body to `onPart` as it arrives (a file part's stream is read
 * by `onPart` before the next part comes). InputStalled when no byte arrives for `idleMs`
 * while the body is unfinished (the file being read fails with it too). A body whose
 * multipart framing is broken (no boundary, a part cut short, a malformed header) is
 * InvalidInput: the client's mistake, not the server's.
 */
export async function eachPart(
  req: FastifyRequest,
  limits: MultipartLimits,
  idleMs: number,
  onPart: (part: Multipart) => Promise<void>,
): Promise<void> {
  const raw = req.raw;
  const iterator = req.parts({ limits })[Symbol.asyncIterator]();
  let file: Readable | null = null;
  let timer: NodeJS.Timeout | undefined;
  let stall!: (e: InputStalled) => void;
  const stalledBody = new Promise<never>((_, reject) => (stall = reject));
  stalledBody.catch(() => undefined);
  const arm = () => {
    clearTimeout(timer);
    if (raw.complete) return;
    timer = setTimeout(() => {
      if (raw.complete) return;
      // The reader is holding the body back (backpressure), not the client: wait on.
      if (raw.readableFlowing === false) return arm();
      const e = stalled(idleMs);
      raw.unpipe();
      file?.destroy(e);
      stall(e);
    }, idleMs);
  };
  // A form's CSRF token still to check (server.ts): the first part must be its `_csrf` field.
  let csrf = req.bodyCsrf;
  try {
    // The first next() starts the plugin's parser (the request is piped to it from then on).
    let next = iterator.next();
    raw.on('data', arm);
    arm();
    for (;;) {
      const r = await Promise.race([next, stalledBody]);
      if (csrf) {
        const part = r.done ? null : r.value;
        await csrf(part?.type === 'field' && part.fieldname === '_csrf' ? String(part.value ?? '') : '');
        csrf = null;
        req.bodyCsrf = null;
        if (part?.type === 'field') {
          next = iterator.next();
          continue;
        }
      }
      if (r.done) return;
      file = r.value.type === 'file' ? r.value.file : null;
      await onPart(r.value);
      file = null;
      next = iterator.next();
    }
  } catch (e) {
    throw asClientError(e);
  } finally {
    clearTimeout(timer);
    raw.off('data', arm);
  }
}

/** Collects a multipart body's text fields (the CSRF field aside) into `fields` as they come. */
export function keepField(part: Multipart, fields: Record<string, string>): boolean {
  if (part.type !== 'field') return false;
  if (part.fieldname !== '_csrf') fields[part.fieldname] = String(part.value ?? '');
  return true;
}

/** The multipart parser's own errors about the body's framing (busboy's plain Errors), as the client's bad input. */
function asClientError(e: unknown): unknown {
  if (!(e instanceof Error) || Object.getPrototypeOf(e) !== Error.prototype || 'statusCode' in e || 'code' in e)
    return e;
  return new InvalidInput([{ field: '(body)', problem: `is not a readable multipart/form-data body (${e.message})` }]);
}
