// The directory's pages (INTERFACE.md "Keeping the directory in the console": each request has
// a page doing the same): the admins' list, an agency's page for its chief, a district's page
// for its contacts. Their forms work without JavaScript and call the very use cases of the API
// (src/app/directory/): success is 303 back to the page with a confirmation; bad input (400) or
// a change that needs the confirmation (409) is the page again with each problem next to its
// field, by its label, and what was typed kept. The route hook checked the scope and the row's
// action, the CSRF token before it.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { agencyPage, districtPage } from '../app/directory/pages.ts';
import type { ComplaintRow } from '../app/directory/deliverability.ts';
import { undeliverableText } from '../mail/bounce-words.ts';
import { alertKindInWords, instantText } from '../mail/format.ts';
import { changeAgency } from '../app/directory/agencies.ts';
import { createOfficerOf } from '../app/directory/officers.ts';
import { changeDistrict } from '../app/directory/districts.ts';
import { directoryFor } from '../app/directory/list.ts';
import { Conflict, type FieldProblem, InvalidInput } from '../errors.ts';
import { can, refusalOf } from '../app/policy.ts';
import { sessionViewer } from '../app/sign-in.ts';
import type { WebContext } from './context.ts';
import { sendPage } from './pages.ts';
import { type Registrar, changerOf, viewerOf } from './request.ts';
import { agencyForm, directoryPageQuery, directoryParams, districtForm, newOfficerForm } from './schemas.ts';

const noQuery = z.object({});

/** A form sent back: each problem under the key of its input, with the input's label. */
interface FormState {
  errors: { key: string; label: string; problem: string }[];
  values: Record<string, string | string[]>;
}

/** The 400 or 409 of a form's use case as the page's problems (anything else is the error handler's). */
function problemsOf(e: unknown): { status: number; problems: FieldProblem[] } | null {
  if (e instanceof InvalidInput) return { status: 400, problems: e.errors };
  // A confirmation is asked for at its checkbox.
  if (e instanceof Conflict)
    return { status: 409, problems: e.errors.map((p) => ({ field: 'confirmNoContact', problem: p.problem })) };
  return null;
}

/** A textarea's list: one item a line (commas and spaces separate them too), blanks left out. */
const listOf = (v: string | undefined) => (v ?? '').split(/[\s,;]+/).filter((x) => x !== '');

const AGENCY_LABELS: Record<string, string> = {
  name: 'Agency name',
  chiefName: "Chief's name",
  chiefEmail: "Chief's e-mail",
  escalationEmails: 'Escalation e-mails',
  confirmNoContact: 'Confirmation',
};

/** The input an agency problem belongs to. */
function agencyKey(field: string): string {
  if (field === 'chief.name') return 'chiefName';
  if (field === 'chief' || field === 'chief.email') return 'chiefEmail';
  if (field.startsWith('escalationEmails')) return 'escalationEmails';
  return field in AGENCY_LABELS ? field : 'name';
}

const NEW_OFFICER_LABELS: Record<string, string> = {
  license: 'License number',
  firstName: 'First name',
  lastName: 'Last name',
  email: 'E-mail',
};

const CONTACT_LABELS: Record<string, string> = { name: 'name', email: 'e-mail', role: 'role' };

export function directoryPages(r: Registrar, web: WebContext): void {
  const deps = web.directory;

  r.route('directoryPage', { querystring: noQuery }, async (req, reply) => {
    const d = await directoryFor(deps, viewerOf(req));
    return sendPage(web, req, reply, 'directory', { title: 'Directory', ...d });
  });

  const renderAgency = async (
    req: FastifyRequest,
    reply: FastifyReply,
    id: string,
    options: { done?: 'saved' | 'policy'; form?: FormState; newOfficer?: FormState; status?: number },
  ) => {
    const viewer = viewerOf(req);
    const p = await agencyPage(deps, viewer, id);
    const added = options.newOfficer;
    return sendPage(
      web,
      req,
      reply,
      'agency',
      {
        title: options.form ? `Error: ${p.agency.name}` : p.agency.name,
        ...p,
        ...bounceWords(web),
        // While the chief's address is marked, the chief's alerts also go to these (the app says who).
        chiefStandIns:
          p.chiefStandIns === 'ESCALATION'
            ? "Until the chief's e-mail is changed here, the chief's alerts also go to the escalation e-mails."
            : "Until the chief's e-mail is changed here, the chief's alerts also go to the console's administrators.",
        refusal: refusalOf('agency.update'),
        done:
          options.done === 'saved'
            ? 'The agency was saved. Alerts from now on go to the addresses above.'
            : options.done === 'policy'
              ? "The SRO policy was uploaded. The agency's officers can read it on their own page now."
              : null,
        ...formHelpers(options.form),
        // The new officer form sent back: its problems in the summary, its values its own.
        ...(added
          ? { form: added, fieldError: (key: string) => added.errors.find((e) => e.key === key)?.problem ?? null }
          : {}),
        newValue: (field: string) => {
          const v = added?.values[field];
          return typeof v === 'string' ? v : '';
        },
      },
      options.status,
    );
  };

  r.route('agencyPage', { params: directoryParams, querystring: directoryPageQuery }, async (req, reply) =>
    renderAgency(req, reply, req.params.id, { done: req.query.done ?? undefined }),
  );

  r.route('formAgency', { params: directoryParams, querystring: noQuery, body: agencyForm }, async (req, reply) => {
    const f = req.body;
    const id = req.params.id;
    // Fields left empty are none (null), as in the API.
    const chief = f.chiefName || f.chiefEmail ? { name: f.chiefName || null, email: f.chiefEmail || null } : null;
    try {
      await changeAgency(deps, changerOf(web, req), id, {
        name: f.name ?? '',
        chief,
        escalationEmails: listOf(f.escalationEmails),
        confirmNoContact: f.confirmNoContact === 'yes',
      });
    } catch (e) {
      const sent = problemsOf(e);
      if (!sent) throw e;
      const errors = sent.problems.map((p) => {
        const key = agencyKey(p.field);
        return { key, label: AGENCY_LABELS[key]!, problem: p.problem };
      });
      return renderAgency(req, reply, id, { form: { errors, values: keptValues(f) }, status: sent.status });
    }
    // A chief who handed the agency over to another address may no longer see its page: they
    // land on their officers (RULES.md 11: scopes follow on the next request), not on a 404.
    const after = req.sessionId ? await sessionViewer(web.signIn, req.sessionId) : null;
    if (!after || !can(after, 'agency.read', { agencyId: id })) return reply.redirect('/?done=handed-over', 303);
    return reply.redirect(`/agencies/${encodeURIComponent(id)}?done=saved`, 303);
  });

  r.route(
    'formCreateOfficer',
    { params: directoryParams, querystring: noQuery, body: newOfficerForm },
    async (req, reply) => {
      const f = req.body;
      const id = req.params.id;
      let license: string;
      try {
        ({ license } = await createOfficerOf(deps, changerOf(web, req), {
          license: f.license ?? '',
          firstName: f.firstName ?? '',
          lastName: f.lastName ?? '',
          // An e-mail left empty is none.
          email: f.email?.trim() ? f.email.trim() : null,
          agencyId: id,
        }));
      } catch (e) {
        // A license on file already (409) is named at its field, as bad input (400) is.
        const sent =
          e instanceof InvalidInput
            ? { status: 400, problems: e.errors }
            : e instanceof Conflict
              ? { status: 409, problems: e.errors }
              : null;
        if (!sent) throw e;
        const errors = sent.problems.map((p) => {
          const field = p.field in NEW_OFFICER_LABELS ? p.field : 'license';
          return { key: `new-${field}`, label: NEW_OFFICER_LABELS[field]!, problem: p.problem };
        });
        return renderAgency(req, reply, id, { newOfficer: { errors, values: keptValues(f) }, status: sent.status });
      }
      // The new officer's page, where their assignment is added next.
      return reply.redirect(`/officers/${encodeURIComponent(license)}?done=officer-added`, 303);
    },
  );

  const renderDistrict = async (
    req: FastifyRequest,
    reply: FastifyReply,
    id: string,
    options: { done?: boolean; form?: FormState; status?: number },
  ) => {
    const viewer = viewerOf(req);
    const p = await districtPage(deps, viewer, id);
    return sendPage(
      web,
      req,
      reply,
      'district',
      {
        title: options.form ? `Error: ${p.district.name}` : p.district.name,
        ...p,
        ...bounceWords(web),
        // While a primary contact's address is marked, the district's alerts also go to these (the app says who).
        contactStandIns:
          p.contactStandIns === 'ESCALATION'
            ? "Until this address is changed here, the district's alerts also go to its escalation contacts."
            : "Until this address is changed here, the district's alerts also go to the console's administrators.",
        refusal: refusalOf('district.update', { districtId: id }),
        done: options.done ? 'The district was saved. Alerts from now on go to the contacts above.' : null,
        ...formHelpers(options.form),
      },
      options.status,
    );
  };

  r.route('districtPage', { params: directoryParams, querystring: directoryPageQuery }, async (req, reply) =>
    renderDistrict(req, reply, req.params.id, { done: req.query.done === 'saved' }),
  );

  r.route('formDistrict', { params: directoryParams, querystring: noQuery, body: districtForm }, async (req, reply) => {
    const f = req.body;
    const id = req.params.id;
    // The rows filled in (a row left blank is no contact), and which row each came from.
    const names = f.contactName ?? [];
    const emails = f.contactEmail ?? [];
    const roles = f.contactRole ?? [];
    const rows = Math.max(names.length, emails.length, roles.length);
    const contacts: { name: string; email: string; role: string }[] = [];
    const rowOf: number[] = [];
    for (let i = 0; i < rows; i++) {
      const c = { name: (names[i] ?? '').trim(), email: (emails[i] ?? '').trim(), role: roles[i] ?? '' };
      if (c.name === '' && c.email === '') continue;
      contacts.push(c);
      rowOf.push(i);
    }
    try {
      await changeDistrict(deps, changerOf(web, req), id, {
        name: f.name ?? '',
        contacts,
        nonSchoolDays: listOf(f.nonSchoolDays),
        confirmNoContact: f.confirmNoContact === 'yes',
      });
    } catch (e) {
      const sent = problemsOf(e);
      if (!sent) throw e;
      const errors = sent.problems.map((p) => {
        const m = /^contacts\.(\d+)\.(name|email|role)$/.exec(p.field);
        if (m) {
          const row = rowOf[Number(m[1])] ?? 0;
          return {
            key: `contact-${row}-${m[2]}`,
            label: `Contact ${row + 1}, ${CONTACT_LABELS[m[2]!]}`,
            problem: p.problem,
          };
        }
        if (p.field.startsWith('nonSchoolDays'))
          return { key: 'nonSchoolDays', label: 'Days without school', problem: p.problem };
        if (p.field === 'confirmNoContact')
          return { key: 'confirmNoContact', label: 'Confirmation', problem: p.problem };
        if (p.field.startsWith('contacts')) return { key: 'contact-0-name', label: 'Contacts', problem: p.problem };
        return { key: 'name', label: 'District name', problem: p.problem };
      });
      return renderDistrict(req, reply, id, { form: { errors, values: keptValues(f) }, status: sent.status });
    }
    return reply.redirect(`/districts/${encodeURIComponent(id)}?done=saved`, 303);
  });
}

/** RULES.md 12 in the directory's pages: an address's mark and the complaints (admins), in words and TZ. */
function bounceWords(web: WebContext) {
  const when = (at: Date | string) => instantText(at, web.config.timeZone);
  return {
    /** 'Bounced on 2026-03-02 08:35 CST: the address does not exist (5.1.1).' */
    undeliverableText: (mark: { status: string | null; at: string }) => undeliverableText(mark, when),
    /** One complaint as a row: when it was reported, from which address, about which e-mail, what it said. */
    complaintCells: (c: ComplaintRow) => ({
      at: when(c.at),
      from: c.recipient,
      about: `${alertKindInWords(c.kind, c.level)}${c.license ? ` about officer #${c.license}` : ''}`,
      note: c.note ?? '',
    }),
  };
}

/** The fields as typed, for the page sent back. */
function keptValues(f: Record<string, unknown>): Record<string, string | string[]> {
  const kept: Record<string, string | string[]> = {};
  for (const [k, v] of Object.entries(f))
    if (typeof v === 'string' || (Array.isArray(v) && v.every((x) => typeof x === 'string'))) kept[k] = v;
  return kept;
}

/** What a template needs of a form sent back: its problems, each input's problem and kept value. */
function formHelpers(form: FormState | undefined) {
  return {
    form: form ?? null,
    fieldError: (key: string) => form?.errors.find((e) => e.key === key)?.problem ?? null,
    /** The value typed (the `index`th of a repeated field) when the form came back, else `fallback`. */
    value: (field: string, fallback = '', index?: number) => {
      if (!form) return fallback;
      const v = form.values[field];
      if (index === undefined) return typeof v === 'string' ? v : '';
      return Array.isArray(v) ? (v[index] ?? '') : index === 0 && typeof v === 'string' ? v : '';
    },
    /** How many rows a repeated field came back with. */
    rows: (field: string) => {
      const v = form?.values[field];
      return Array.isArray(v) ? v.length : typeof v === 'string' ? 1 : 0;
    },
  };
}
