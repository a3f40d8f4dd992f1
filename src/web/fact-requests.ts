// What the JSON API (facts.ts) and the officer page's forms (forms.ts) do alike with a
// request that records a fact: the use cases' deps and recorder, who may record a training
// (asked before the upload is read), and the multipart training with its certificate file.
// Each side keeps its own words for the problems: sentences for the API, pages for the forms.
import type { FastifyRequest } from 'fastify';
import { type FileTypeResult, fileTypeFromBuffer } from 'file-type';
import { rulesOf } from '../config.ts';
import {
  CERTIFICATE_TYPES,
  type CertificateFile,
  type CertificateType,
  FactNotFound,
  InvalidFact,
  MayNotRecord,
  type RecordDeps,
  type Recorder,
  mayRecordTraining,
} from '../app/record-fact.ts';
import { readOfficerContext } from '../db/console-facts.ts';
import type { WebContext } from './server.ts';

/** The certificate's limit (also the multipart plugin's fileSize in server.ts). */
export const MAX_CERTIFICATE_BYTES = 10 * 1024 * 1024;

export const licenseOf = (req: FastifyRequest) => (req.params as { license: string }).license;

/** The record-fact use cases' deps, from the console's. */
export function recordDepsOf(web: WebContext): RecordDeps {
  return { pool: web.deps.pool, work: web.deps.work, rules: rulesOf(web.config), log: web.deps.log };
}

/** Who records: the signed-in viewer, audited with their address and browser, as of the console's today. */
export function recorderOf(web: WebContext): (req: FastifyRequest) => Recorder {
  return (req) => ({
    viewer: req.viewer!,
    actor: {
      email: req.viewer!.email,
      clientAddress: req.ip ?? null,
      userAgent: typeof req.headers['user-agent'] === 'string' ? req.headers['user-agent'] : null,
    },
    today: web.today(),
  });
}

/** Who may record is known before the upload is read: a refused role sends nothing to store. */
export async function checkMayRecordTraining(
  deps: RecordDeps,
  req: FastifyRequest,
  license: string,
  notFound: string,
): Promise<void> {
  const o = await readOfficerContext(deps.pool, license);
  if (!o) throw new FactNotFound(notFound);
  if (!mayRecordTraining(req.viewer!, o))
    throw new MayNotRecord("Only the officer's chief and admins may record a training or a certificate (RULES.md 7).");
}

/** The answers of a training upload's problems, in the words of the side that reads it. */
export interface TrainingUploadProblems {
  /** The file is larger than MAX_CERTIFICATE_BYTES (413). */
  tooLarge(): Error;
  /** The file's bytes are none of CERTIFICATE_TYPES (415). */
  notACertificate(detected: FileTypeResult | undefined): Error;
  /** The problem of a file part other than `certificate`. */
  unexpectedFile: string;
  /** The problem of a second certificate file. */
  oneFileOnly: string;
}

/**
 * Reads a multipart training: its text fields into `fields` as they arrive (so that a page
 * sent back shows them), and the `certificate` file, held at most MAX_CERTIFICATE_BYTES (the
 * multipart plugin stops the file there) and recognised from its first bytes by file-type,
 * never by its name or declared type.
 */
export async function readTrainingParts(
  req: FastifyRequest,
  fields: Record<string, string>,
  problems: TrainingUploadProblems,
): Promise<CertificateFile | null> {
  let certificate: CertificateFile | null = null;
  for await (const part of req.parts()) {
    if (part.type === 'field') {
      if (part.fieldname !== '_csrf') fields[part.fieldname] = String(part.value ?? '');
      continue;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of part.file as AsyncIterable<Buffer>) {
      size += chunk.length;
      chunks.push(chunk);
    }
    if (part.file.truncated || size > MAX_CERTIFICATE_BYTES) throw problems.tooLarge();
    if (part.fieldname !== 'certificate')
      throw new InvalidFact([{ field: part.fieldname, problem: problems.unexpectedFile }]);
    // A form submitted without choosing a file sends an empty part: no certificate.
    if (size === 0) continue;
    if (certificate) throw new InvalidFact([{ field: 'certificate', problem: problems.oneFileOnly }]);
    const bytes = Buffer.concat(chunks, size);
    const detected = await fileTypeFromBuffer(bytes.subarray(0, 4100));
    if (!detected || !(CERTIFICATE_TYPES as readonly string[]).includes(detected.mime))
      throw problems.notACertificate(detected);
    certificate = { bytes, contentType: detected.mime as CertificateType };
  }
  return certificate;
}
