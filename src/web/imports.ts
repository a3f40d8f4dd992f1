// The roster upload (INTERFACE.md `POST /api/imports`, issue 14 item 7): the API, and a page
// for admins with a file picker that works without JavaScript. Who: the route hook (the rows'
// action roster.import: admins, anyone else 404); what: src/app/import-upload.ts, the same
// import as `sro import`. The multipart body is streamed into the upload's folder, never held;
// a body that stops arriving for REQUEST_BODY_TIMEOUT_SECONDS is abandoned (408, body.ts) and
// the folder removed.
//
// The fields: replace and dryRun (true or false), and allowEmpty (sections Replace may empty
// although their file was not sent; the page's boxes, or the API's field repeated or
// comma-separated), as `sro import --allow-empty`. The messages name these, never the command
// line's flags (src/app/import-upload.ts). The page also offers each section's CSV template
// (GET /imports/templates/:section.csv, src/app/import-templates.ts).
//
// Answers: 200 with the counts (the shape of `sro import --json`; a dry run also lists who would
// change: the API the first 1,000 of each list, the page the first 200); 400 with every error as
// { file, row, field, problem } and nothing written; 409 when another import holds the
// import lock (decision: 409 Conflict, the state of the server conflicts with the request
// for now; 423 Locked is WebDAV's, for a locked resource the client named); 415 without
// multipart/form-data.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { NotFound, UnsupportedFile } from '../errors.ts';
import { TEMPLATE_SECTIONS, rosterTemplate } from '../app/import-templates.ts';
import {
  RosterUpload,
  type UploadAnswer,
  type UploadReader,
  allowEmptyLabel,
  sectionWords,
} from '../app/import-upload.ts';
import { IMPORT_SECTIONS, type ImportSection, MAX_LISTED_CHANGES, parseImportSection } from '../roster/import.ts';
import { formatRosterError } from '../roster/validate.ts';
import { eachPart, keepField } from './body.ts';
import type { WebContext } from './context.ts';
import { PAGE_LISTED_CHANGES, changesView } from './import-changes.ts';
import { csrfTokenOf, sendPage } from './pages.ts';
import { type Registrar, actorOf, viewerOf } from './request.ts';
import { templateParams } from './schemas.ts';

/** Files past this many in one upload are refused (a CSV folder has eight). */
const MAX_UPLOAD_FILES = 20;
/** Fields past this many are refused: replace, dryRun, the CSRF token and a box per section. */
const MAX_UPLOAD_FIELDS = 20;

/** The upload's fields: `true` or `false` (a checkbox sends its value, `true`, or nothing). */
const flag = z
  .enum(['true', 'false', ''], { error: 'must be true or false' })
  .optional()
  .transform((v) => v === 'true');
const uploadFields = z.object({ replace: flag, dryRun: flag });

interface Received {
  answer: UploadAnswer;
  replace: boolean;
  dryRun: boolean;
  allowEmpty: ImportSection[];
}

/**
 * The sections Replace may empty although their file was not sent: the page's boxes (one
 * field each) or the API's field, repeated or comma-separated; a name that is no section is a
 * problem of the field.
 */
function allowEmptyOf(values: readonly string[]): { sections: ImportSection[]; unknown: string[] } {
  const sections: ImportSection[] = [];
  const unknown: string[] = [];
  for (const name of values.flatMap((v) => v.split(',')).map((v) => v.trim())) {
    if (name === '') continue;
    const section = parseImportSection(name);
    if (section === null) unknown.push(name);
    else if (!sections.includes(section)) sections.push(section);
  }
  return { sections, unknown };
}

/** Streams the request's files into a private folder, runs the import on them, removes the folder. */
async function receive(web: WebContext, req: FastifyRequest, reader: UploadReader): Promise<Received> {
  if (!req.isMultipart()) throw new UnsupportedFile(NOT_MULTIPART);
  const upload = await RosterUpload.create();
  try {
    const fields: Record<string, string> = {};
    const allowEmptyFields: string[] = [];
    // No file size limit here (the plugin's 10 MB is the certificate's): a roster is streamed.
    const limits = { fileSize: Number.POSITIVE_INFINITY, files: MAX_UPLOAD_FILES, fields: MAX_UPLOAD_FIELDS };
    await eachPart(req, limits, web.bodyIdleMs, async (part) => {
      if (part.type === 'field' && part.fieldname === 'allowEmpty') {
        allowEmptyFields.push(String(part.value ?? ''));
        return;
      }
      if (keepField(part, fields) || part.type !== 'file') return;
      // A file input left empty sends a part with no name and no bytes.
      if (part.filename === '') part.file.resume();
      else await upload.add(part.filename, part.fieldname, part.file);
    });
    const parsed = uploadFields.safeParse(fields);
    const allowEmpty = allowEmptyOf(allowEmptyFields);
    if (!parsed.success || allowEmpty.unknown.length > 0) {
      const errors = [
        ...(parsed.success ? [] : parsed.error.issues).map((i) => ({
          file: '(upload)',
          row: null,
          field: i.path.map(String).join('.'),
          problem: i.message,
        })),
        ...allowEmpty.unknown.map((name) => ({
          file: '(upload)',
          row: null,
          field: 'allowEmpty',
          problem: `${JSON.stringify(name)} is not a section; the sections are ${IMPORT_SECTIONS.join(', ')}`,
        })),
      ];
      return {
        answer: { kind: 'invalid', errors, totalErrors: errors.length, errorCounts: { UPLOAD: errors.length } },
        replace: fields.replace === 'true',
        dryRun: fields.dryRun === 'true',
        allowEmpty: allowEmpty.sections,
      };
    }
    const { replace, dryRun } = parsed.data;
    const answer = await upload.import(web.config.databaseUrl, {
      replace,
      dryRun,
      allowEmpty: allowEmpty.sections,
      actor: actorOf(req, viewerOf(req).email),
      reader,
      listChanges: reader === 'page' ? PAGE_LISTED_CHANGES : MAX_LISTED_CHANGES,
    });
    return { answer, replace, dryRun, allowEmpty: allowEmpty.sections };
  } finally {
    await upload.remove();
  }
}

const STATUS: Record<UploadAnswer['kind'], number> = { imported: 200, invalid: 400, busy: 409 };

const NOT_MULTIPART =
  'send the roster as multipart/form-data: one .json file, or the .csv files of a roster folder, and the fields replace and dryRun (true or false)';

function renderPage(
  web: WebContext,
  req: FastifyRequest,
  reply: FastifyReply,
  status: number,
  data: { received?: Received; problem?: string },
) {
  const a = data.received?.answer;
  const csrf = csrfTokenOf(web, req, reply);
  return sendPage(
    web,
    req,
    reply,
    'import',
    {
      title: 'Import a roster',
      csrf,
      // The token is the form's first field, checked as the body is read (server.ts, body.ts eachPart).
      action: '/imports',
      replace: data.received?.replace ?? false,
      dryRun: data.received?.dryRun ?? true,
      allowEmpty: IMPORT_SECTIONS.map((s) => ({
        section: s,
        label: allowEmptyLabel(s),
        checked: data.received?.allowEmpty.includes(s) ?? false,
      })),
      // Open when a box is ticked, or when a message asks to tick one.
      allowEmptyOpen:
        (data.received?.allowEmpty.length ?? 0) > 0 ||
        (a?.kind === 'invalid' && a.errors.some((e) => e.code === 'ABSENT_FILE')),
      templates: TEMPLATE_SECTIONS.map((s) => ({ file: `${s}.csv`, href: `/imports/templates/${s}.csv` })),
      problem: data.problem ?? (a?.kind === 'busy' ? a.message : null),
      counts:
        a?.kind === 'imported'
          ? IMPORT_SECTIONS.map((s) => ({ section: sectionWords(s), ...a.result.counts[s] }))
          : null,
      changes: a?.kind === 'imported' && a.result.changes ? changesView(a.result.changes) : null,
      listedChanges: PAGE_LISTED_CHANGES,
      result: a?.kind === 'imported' ? a.result : null,
      errors:
        a?.kind === 'invalid'
          ? a.errors.map((e) =>
              formatRosterError({
                code: 'INVALID_VALUE',
                file: e.file,
                row: e.row,
                field: e.field,
                message: e.problem,
              }),
            )
          : null,
      totalErrors: a?.kind === 'invalid' ? a.totalErrors : 0,
    },
    status,
  );
}

const noQuery = z.object({});

export function importApi(r: Registrar, web: WebContext): void {
  r.route(
    'apiImport',
    { querystring: noQuery },
    async (req, reply) => {
      reply.header('cache-control', 'no-store');
      const a = (await receive(web, req, 'api')).answer;
      if (a.kind === 'imported') return reply.code(200).send(a.result);
      if (a.kind === 'busy') return reply.code(409).send({ error: a.message });
      return reply.code(400).send({ errors: a.errors, totalErrors: a.totalErrors, errorCounts: a.errorCounts });
    },
    { multipart: true },
  );
}

export function importPages(r: Registrar, web: WebContext): void {
  r.route('importForm', { querystring: noQuery }, async (req, reply) => renderPage(web, req, reply, 200, {}));

  // A section's CSV template: its header row and one example row (src/app/import-templates.ts).
  r.route('importTemplate', { params: templateParams, querystring: noQuery }, async (req, reply) => {
    const template = rosterTemplate(req.params.section);
    if (template === null) throw new NotFound(`no template ${req.params.section}.csv`);
    return reply
      .type('text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="${template.file}"`)
      .header('x-content-type-options', 'nosniff')
      .send(template.text);
  });

  r.route(
    'formImport',
    { querystring: noQuery },
    async (req, reply) => {
      const received = await receive(web, req, 'page');
      return renderPage(web, req, reply, STATUS[received.answer.kind], { received });
    },
    { multipart: true },
  );
}
