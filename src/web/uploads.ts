// A training with its certificate file as the API and the officer page's form send it
// (multipart): its text fields, checked against the route's schema once they are all in, and
// the `certificate` file, held at most MAX_CERTIFICATE_BYTES (the multipart plugin stops it
// there) and recognized from its first bytes by file-type, never by its name or declared type.
import type { FastifyRequest } from 'fastify';
import { fileTypeFromBuffer } from 'file-type';
import type { z } from 'zod';
import { InvalidInput, TooLarge, UnsupportedFile } from '../errors.ts';
import { CERTIFICATE_TYPES, type CertificateFile, type CertificateType } from '../app/record-fact.ts';
import { eachPart, keepField } from './body.ts';
import type { WebContext } from './context.ts';

/** The certificate's limit. */
const MAX_CERTIFICATE_BYTES = 10 * 1024 * 1024;
const MEGABYTES = MAX_CERTIFICATE_BYTES / 1024 / 1024;

const tooLarge = () =>
  new TooLarge(
    `The certificate file is larger than ${MEGABYTES} MB, the most the console keeps: nothing was recorded. Scan it at a lower resolution or save it as a smaller PDF, then record the training again.`,
  );

/**
 * Reads a multipart training. Its text fields are kept on the request as they arrive
 * (`formValues`: a page sent back shows them), then checked against `schema`.
 */
export async function readTrainingUpload<S extends z.ZodType>(
  web: WebContext,
  req: FastifyRequest,
  schema: S,
): Promise<{ fields: z.output<S>; certificate: CertificateFile | null }> {
  if (!req.isMultipart())
    throw new UnsupportedFile(
      'Send the training as multipart/form-data: the fields kind, completedOn, courseNumber and provider, and the file certificate.',
    );
  const fields: Record<string, string> = {};
  req.formValues = fields;
  let certificate: CertificateFile | null = null;
  try {
    await eachPart(req, { fileSize: MAX_CERTIFICATE_BYTES, files: 2, fields: 20 }, web.bodyIdleMs, async (part) => {
      if (keepField(part, fields) || part.type !== 'file') return;
      const chunks: Buffer[] = [];
      let size = 0;
      for await (const chunk of part.file as AsyncIterable<Buffer>) {
        size += chunk.length;
        chunks.push(chunk);
      }
      if (part.file.truncated || size > MAX_CERTIFICATE_BYTES) throw tooLarge();
      if (part.fieldname !== 'certificate')
        throw new InvalidInput([
          { field: part.fieldname, problem: 'is not a file of this form: the only file is certificate' },
        ]);
      // A form submitted without choosing a file sends an empty part: no certificate.
      if (size === 0) return;
      if (certificate) throw new InvalidInput([{ field: 'certificate', problem: 'choose one file only' }]);
      const bytes = Buffer.concat(chunks, size);
      const detected = await fileTypeFromBuffer(bytes.subarray(0, 4100));
      if (!detected || !(CERTIFICATE_TYPES as readonly string[]).includes(detected.mime))
        throw new UnsupportedFile(
          `The certificate must be a PDF, PNG or JPEG file, and this one is ${detected ? `a ${detected.ext.toUpperCase()} file (${detected.mime})` : 'of no type the console recognizes'}, whatever its name says: nothing was recorded. Save or scan the certificate as a PDF, PNG or JPEG and record the training again.`,
        );
      certificate = { bytes, contentType: detected.mime as CertificateType };
    });
  } catch (e) {
    if ((e as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE') throw tooLarge();
    throw e;
  }
  const parsed = schema.safeParse(fields);
  if (!parsed.success)
    throw new InvalidInput(
      parsed.error.issues.map((i) => ({ field: i.path.map(String).join('.') || '(body)', problem: i.message })),
    );
  return { fields: parsed.data, certificate };
}

/**
 * Reads the agency's SRO policy upload (multipart: the file `policy`), a PDF of at most
 * MAX_CERTIFICATE_BYTES recognized from its first bytes (RULES.md 10).
 */
export async function readPolicyUpload(web: WebContext, req: FastifyRequest): Promise<Buffer> {
  if (!req.isMultipart()) throw new UnsupportedFile('Send the policy as multipart/form-data: the file policy.');
  const tooBig = () =>
    new TooLarge(
      `The policy file is larger than ${MEGABYTES} MB, the most the console keeps: nothing was uploaded. Save it as a smaller PDF and upload it again.`,
    );
  let file: Buffer | null = null;
  try {
    await eachPart(req, { fileSize: MAX_CERTIFICATE_BYTES, files: 2, fields: 5 }, web.bodyIdleMs, async (part) => {
      if (keepField(part, {}) || part.type !== 'file') return;
      const chunks: Buffer[] = [];
      for await (const chunk of part.file as AsyncIterable<Buffer>) chunks.push(chunk);
      if (part.file.truncated) throw tooBig();
      const bytes = Buffer.concat(chunks);
      if (part.fieldname !== 'policy' || bytes.length === 0) return;
      const detected = await fileTypeFromBuffer(bytes.subarray(0, 4100));
      if (detected?.mime !== 'application/pdf')
        throw new UnsupportedFile(
          `The policy must be a PDF file, and this one is ${detected ? `a ${detected.ext.toUpperCase()} file (${detected.mime})` : 'of no type the console recognizes'}, whatever its name says: nothing was uploaded. Save the policy as a PDF and upload it again.`,
        );
      file = bytes;
    });
  } catch (e) {
    if ((e as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE') throw tooBig();
    throw e;
  }
  if (!file) throw new InvalidInput([{ field: 'policy', problem: 'choose the policy file (a PDF) to upload' }]);
  return file;
}
