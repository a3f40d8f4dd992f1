// The roster upload (INTERFACE.md `POST /api/imports`, issue 14 item 7): the API, and a page
// for admins with a file picker that works without JavaScript. Who: the server's hook (the
// rows' access ADMIN, anyone else 404); what: src/app/import-upload.ts, the same import as
// `sro import`. The multipart body is streamed into the upload's folder, never held.
//
// Answers: 200 with the counts (the shape of `sro import --json`); 400 with every error as
// { file, row, field, problem } and nothing written; 409 when another import holds the
// import lock (decision: 409 Conflict, the state of the server conflicts with the request
// for now; 423 Locked is WebDAV's, for a locked resource the client named); 415 without
// multipart/form-data.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { RosterUpload, type UploadAnswer } from '../app/import-upload.ts';
import { IMPORT_SECTIONS } from '../roster/import.ts';
import { formatRosterError } from '../roster/validate.ts';
import { type WebContext, layoutData } from './server.ts';

/** Files past this many in one upload are refused (a CSV folder has eight). */
const MAX_UPLOAD_FILES = 20;

/** What the form asked: `true` or `false` (a checkbox sends its value, `true`, or nothing). */
function flag(fields: Record<string, string>, name: string, problems: string[]): boolean {
  const v = fields[name];
  if (v === undefined || v === '' || v === 'false') return false;
  if (v === 'true') return true;
  problems.push(name);
  return false;
}

interface Received {
  answer: UploadAnswer;
  replace: boolean;
  dryRun: boolean;
}

/** Streams the request's files into a private folder, runs the import on them, removes the folder. */
async function receive(web: WebContext, req: FastifyRequest): Promise<Received | null> {
  if (!req.isMultipart()) return null;
  const upload = await RosterUpload.create();
  try {
    const fields: Record<string, string> = {};
    // No file size limit here (the plugin's 10 MB is the certificate's): a roster is streamed.
    for await (const part of req.parts({
      limits: { fileSize: Number.POSITIVE_INFINITY, files: MAX_UPLOAD_FILES, fields: 10 },
    })) {
      if (part.type === 'field') {
        if (part.fieldname !== '_csrf') fields[part.fieldname] = String(part.value ?? '');
        continue;
      }
      // A file input left empty sends a part with no name and no bytes.
      if (part.filename === '') {
        part.file.resume();
        continue;
      }
      await upload.add(part.filename, part.fieldname, part.file);
    }
    const bad: string[] = [];
    const replace = flag(fields, 'replace', bad);
    const dryRun = flag(fields, 'dryRun', bad);
    if (bad.length > 0) {
      const errors = bad.map((field) => ({ file: '(upload)', row: null, field, problem: 'must be true or false' }));
      return {
        answer: { kind: 'invalid', errors, totalErrors: errors.length, errorCounts: { UPLOAD: errors.length } },
        replace,
        dryRun,
      };
    }
    const answer = await upload.import(web.config.databaseUrl, {
      replace,
      dryRun,
      actor: {
        email: req.viewer!.email,
        clientAddress: req.ip ?? null,
        userAgent: typeof req.headers['user-agent'] === 'string' ? req.headers['user-agent'] : null,
      },
    });
    return { answer, replace, dryRun };
  } finally {
    await upload.remove();
  }
}

const STATUS: Record<UploadAnswer['kind'], number> = { imported: 200, invalid: 400, busy: 409 };

const NOT_MULTIPART =
  'send the roster as multipart/form-data: one .json file, or the .csv files of a roster folder, and the fields replace and dryRun (true or false)';

/** The sections as the page names them: districtContacts → district contacts. */
const sectionLabel = (s: string) => s.replace(/[A-Z]/g, (c) => ` ${c.toLowerCase()}`);

function renderPage(
  web: WebContext,
  req: FastifyRequest,
  reply: FastifyReply,
  status: number,
  data: { received?: Received; problem?: string },
) {
  const a = data.received?.answer;
  const layout = layoutData(req, reply);
  return reply
    .code(status)
    .header('cache-control', 'no-store')
    .type('text/html; charset=utf-8')
    .send(
      web.views.render('import', {
        title: 'Import a roster',
        ...layout,
        // The form's token, in the action's query too: a multipart body is unread when CSRF is checked (server.ts getToken).
        action: `/imports?_csrf=${encodeURIComponent(layout.csrf)}`,
        replace: data.received?.replace ?? false,
        dryRun: data.received?.dryRun ?? true,
        problem: data.problem ?? (a?.kind === 'busy' ? a.message : null),
        counts:
          a?.kind === 'imported'
            ? IMPORT_SECTIONS.map((s) => ({ section: sectionLabel(s), ...a.result.counts[s] }))
            : null,
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
      }),
    );
}

export function importRoutes(web: WebContext): void {
  web.route('apiImport', async (req, reply) => {
    reply.header('cache-control', 'no-store');
    const received = await receive(web, req);
    if (received === null) return reply.code(415).send({ error: NOT_MULTIPART });
    const a = received.answer;
    if (a.kind === 'imported') return reply.code(200).send(a.result);
    if (a.kind === 'busy') return reply.code(409).send({ error: a.message });
    return reply.code(400).send({ errors: a.errors, totalErrors: a.totalErrors, errorCounts: a.errorCounts });
  });

  web.route('importForm', async (req, reply) => renderPage(web, req, reply, 200, {}));

  web.route('formImport', async (req, reply) => {
    const received = await receive(web, req);
    if (received === null) return renderPage(web, req, reply, 415, { problem: NOT_MULTIPART });
    return renderPage(web, req, reply, STATUS[received.answer.kind], { received });
  });
}
