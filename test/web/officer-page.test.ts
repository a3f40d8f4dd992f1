// The officer page as its readers use it, over plain HTTP (INTERFACE.md "Pages for people",
// the console's officer page): a status header that says where the officer stands and what to
// do next, the one form that fits the status first and the others folded away, no form that
// cannot apply, forms that fail keeping what was typed with every problem by its label, a
// refused certificate sending the form back, deletes that ask first, the certificate's file
// name, no token in a URL, an acknowledgment corrected or withdrawn (asking first, audited),
// and a print stylesheet that leaves the forms off the paper. Real
// PostgreSQL, Redis and HTTP.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays } from '../../src/domain/civil-date.ts';
import { civilDateIn } from '../../src/shell/clock.ts';
import { type ConsoleRig, type WebClient, type WebResponse, startConsoleRig } from '../helpers/console.ts';
import { ADMIN, CHIEF, CONTACT, OFFICER, PDF, albertLeaRoster } from '../helpers/console-fixtures.ts';
import { queryRows } from '../helpers/db.ts';
import { folded, formsOf, header, text } from '../helpers/officer-page.ts';
import { keepPages, visibleText, wordingProblems } from '../helpers/wording.ts';

const today = civilDateIn('America/Chicago');
/** T1's first day as an SRO, untrained: due that day, overdue from the next (RULES.md 2, rule 4). */
const STARTED = addDays(today, -20);

/**
 * T1 (Dana Olson) OVERDUE since STARTED + 1; T2 (Lee Berg) legacy, DUE by 2027-05-31; T3 (Kim
 * Lund) IN_GRACE (the course unavailable); S1 (Sam Sub) an exempt substitute.
 */
function roster() {
  const r = albertLeaRoster(STARTED, ['T1', 'T2', 'T3', 'S1']);
  const t3 = r.assignments.find((a) => a.license === 'T3')!;
  return {
    ...r,
    assignments: r.assignments.map((a) => (a === t3 ? { ...a, trainingUnavailable: true } : a)),
    trainings: [
      ...(r.trainings ?? []),
      { license: 'T2', kind: 'LEGACY_BASIC_SSC', completedOn: '2024-05-01', certificateOnFile: true },
    ],
  };
}

let rig: ConsoleRig;
/** Every HTML page this file was answered with: their words are checked at its end. */
const rendered: string[] = [];
let admin: WebClient;
let chief: WebClient;
let contact: WebClient;
let officer: WebClient;

beforeAll(async () => {
  rig = await startConsoleRig('officer-page', {
    ADMIN_EMAILS: ADMIN,
    LOGIN_LIMIT_PER_CLIENT: '1000',
    LOGIN_LIMIT_PER_ADDRESS: '100',
  });
  await rig.load(roster());
  const signIn = async (email: string) => keepPages(await rig.signIn(email), rendered);
  [admin, chief, contact, officer] = (await Promise.all([ADMIN, CHIEF, CONTACT, OFFICER].map(signIn))) as [
    WebClient,
    WebClient,
    WebClient,
    WebClient,
  ];
});
afterAll(() => rig?.close());

async function page(client: WebClient, license: string): Promise<string> {
  const r = await client.get(`/officers/${license}`);
  expect(r.status, `${license}: ${r.text.slice(0, 200)}`).toBe(200);
  return r.text;
}

/** Counts of the tables a form writes to, and of the audit log. */
async function state(): Promise<string> {
  const rows = await queryRows<{ s: string }>(
    rig.database.url,
    `SELECT concat_ws('|', (SELECT count(*) FROM training), (SELECT count(*) FROM certificate),
       (SELECT count(*) FROM acknowledgement), (SELECT count(*) FROM contact_day), (SELECT count(*) FROM audit_event)) AS s`,
  );
  return rows[0]!.s;
}

/** The training form as a browser sends it: multipart, with the page's token. */
async function postTraining(
  client: WebClient,
  license: string,
  fields: Record<string, string>,
  file?: { name: string; type: string; bytes: Buffer },
): Promise<WebResponse> {
  const form = new FormData();
  form.append('_csrf', await client.csrfToken());
  for (const [k, v] of Object.entries(fields)) form.append(k, v);
  form.append('certificate', new Blob([file?.bytes ?? Buffer.alloc(0)], { type: file?.type }), file?.name ?? '');
  const res = await fetch(new URL(`/officers/${license}/trainings`, rig.url), {
    method: 'POST',
    headers: { cookie: [...client.cookies].map(([k, v]) => `${k}=${v}`).join('; ') },
    body: form,
    redirect: 'manual',
  });
  const body = await res.text();
  if (res.headers.get('content-type')?.startsWith('text/html')) rendered.push(body);
  return { status: res.status, headers: res.headers, text: body, json: <T>() => JSON.parse(body) as T };
}

describe('INTERFACE.md "Pages for people": the status header says where the officer stands and what to do next', () => {
  it('an overdue officer, to the chief: "Overdue since <the day after the due date> (20 days)", one sentence, the next step, and the acknowledgment form first', async () => {
    const h = header(await page(chief, 'T1'));
    expect(h.title).toBe(`Overdue since ${addDays(STARTED, 1)} (20 days)`);
    expect(h.sentence).toMatch(
      new RegExp(
        `^Dana Olson has not completed the required SRO course, which was due ${STARTED} \\([A-Z][a-z]+day, [A-Z][a-z]+ \\d{1,2}, \\d{4}\\)\\.$`,
      ),
    );
    expect(h.next).toBe(
      'What to do next: Enroll the officer in the next available POST-approved SRO course, and note the course date. Acknowledge the missed deadline, with a note and the planned completion date: everyone who receives the later notices reads it (it does not stop them).',
    );
    // The one action that fits the status is in the header itself, open; the others come after it.
    expect(formsOf(h.html, 'T1')).toEqual(['acknowledgements']);
    expect(h.html).toMatch(
      /<section class="form primary" aria-labelledby="form-ack-h"><h3 id="form-ack-h">Acknowledge the missed deadline<\/h3>/,
    );
  });

  it('a legacy officer due by 2027-05-31, to the chief: the days left, and recording the course first', async () => {
    const html = await page(chief, 'T2');
    const h = header(html);
    const left = Math.round((Date.parse('2027-05-31') - Date.parse(today)) / 86_400_000);
    expect(h.title).toBe(`Due by 2027-05-31 (${left} days left)`);
    expect(h.sentence).toMatch(
      /^Lee Berg must complete a POST-approved SRO course by 2027-05-31 \(Monday, May 31, 2027\)\.$/,
    );
    // 2027-05-31 is Memorial Day: the course must finish by the last business day before it.
    expect(h.next).toBe(
      'What to do next: Enroll the officer in a POST-approved SRO course that finishes on or before 2027-05-28. When it is completed, record it here with its certificate.',
    );
    expect(formsOf(h.html, 'T2')).toEqual(['trainings']);
    // A deadline that has not passed cannot be acknowledged: no such form anywhere on the page.
    expect(formsOf(html, 'T2')).not.toContain('acknowledgements');
  });

  it('a substitute, to the district contact and to the chief: the days served of 59, and contact days first', async () => {
    for (const client of [contact, chief]) {
      const h = header(await page(client, 'S1'));
      expect(h.title).toMatch(
        /^Exempt substitute \(V\.D\) 0 contact days served in \d{4}-\d{4} \(59 more days allowed\)$/,
      );
      expect(h.sentence).toMatch(
        /^Sam Sub serves as a substitute, exempt from the SRO course while serving fewer than 60 student contact days in \d{4}-\d{4}\.$/,
      );
      expect(h.next).toBe(
        'What to do next: Record each contact day the officer serves, so the count above stays right.',
      );
      expect(formsOf(h.html, 'S1')).toEqual(['contact-days']);
    }
  });

  it('the officer themself is spoken to, submitting their course first (RULES.md 10), and offered no form only the chief may send', async () => {
    const html = await page(officer, 'T1');
    const h = header(html);
    expect(h.sentence).toMatch(/^You must complete a POST-approved SRO course as soon as possible: it was due /);
    expect(h.next).toBe(
      'What to do next: Enroll in the next available POST-approved SRO course. When you complete it, submit it here with its certificate: it counts once your chief confirms it.',
    );
    expect(formsOf(h.html, 'T1')).toEqual(['trainings']);
    expect(h.html).toContain('<h3 id="form-training-h">Submit your completed training</h3>');
    expect(formsOf(html, 'T1')).toEqual(['trainings', 'policy-reviews']);
  });
});

describe('the other forms are closed until opened, and no form that cannot apply is shown', () => {
  it('every other form is a closed <details> (it opens without JavaScript: the page has no script)', async () => {
    const html = await page(chief, 'T1');
    expect(folded(html)).toEqual({ training: false, review: false });
    // The directory's forms (an assignment, the officer's name) fold away the same way.
    expect([...html.matchAll(/<details class="card form"( open)?>/g)].map((m) => m[1] ?? 'closed')).toEqual([
      'closed',
      'closed',
      'closed',
    ]);
    expect(html).not.toMatch(/<script/i);
  });

  it('a regular officer has no contact-days form, for anyone; a substitute has one for the chief and the district contact', async () => {
    for (const client of [admin, chief, contact])
      for (const license of ['T1', 'T2', 'T3'])
        expect(formsOf(await page(client, license), license)).not.toContain('contact-days');
    for (const client of [admin, chief, contact])
      expect(formsOf(await page(client, 'S1'), 'S1')).toContain('contact-days');
  });

  it('a district contact is offered neither the training nor the acknowledgment form of an overdue officer (only the chief records and acknowledges)', async () => {
    const forms = formsOf(await page(contact, 'T1'), 'T1');
    expect(forms).not.toContain('trainings');
    expect(forms).not.toContain('acknowledgements');
    expect(header(await page(contact, 'T1')).next).toBe(
      'What to do next: Make sure the officer is enrolled in the next available POST-approved SRO course.',
    );
  });

  it('no page or form carries a token in a URL', async () => {
    for (const [client, license] of [
      [chief, 'T1'],
      [contact, 'S1'],
      [officer, 'T1'],
      [admin, 'T2'],
    ] as const) {
      const html = await page(client, license);
      const urls = [...html.matchAll(/(?:href|action|src)="([^"]*)"/g)].map((m) => m[1]!);
      expect(urls.length).toBeGreaterThan(3);
      for (const url of urls) expect(url, url).not.toMatch(/[?&](_csrf|csrf|token|session)=/i);
    }
  });
});

describe('a form that fails keeps what was typed and names every problem at its field by its label', () => {
  it('the acknowledgment with a past planned completion and a note too long: 400, both problems by label, what was typed kept, nothing recorded', async () => {
    const before = await state();
    const note = `Enrolled in the spring course. ${'x'.repeat(500)}`;
    const yesterday = addDays(today, -1);
    const r = await chief.post('/officers/T1/acknowledgements', {
      form: { dueDate: STARTED, note, plannedCompletionOn: yesterday },
    });
    expect(r.status).toBe(400);
    const summary = text(/<div class="error-summary"[\s\S]*?<\/div>/.exec(r.text)?.[0] ?? '');
    expect(summary).toBe(
      `Nothing was recorded: please correct these Note is longer than 500 characters Planned completion: ${yesterday} is before today (${today})`,
    );
    expect(r.text).toMatch(/<a href="#ack-note">Note is longer/);
    expect(r.text).toMatch(/<a href="#ack-plannedCompletionOn">Planned completion:/);
    expect(r.text).toMatch(
      /<textarea id="ack-note"[^>]*aria-invalid="true"[^>]*>Enrolled in the spring course\. x+<\/textarea>/,
    );
    expect(r.text).toMatch(new RegExp(`id="ack-plannedCompletionOn"[^>]*value="${yesterday}" aria-invalid="true"`));
    // Next to its field (under its label), a problem that names its value stands alone.
    expect(r.text).toMatch(
      new RegExp(
        `id="ack-plannedCompletionOn-error"><span class="visually-hidden">Error: </span>${yesterday} is before today \\(${today}\\)</p>`,
      ),
    );
    expect(r.text).toMatch(
      /id="ack-note-error"><span class="visually-hidden">Error: <\/span>Note is longer than 500 characters<\/p>/,
    );
    // The page names fields by their labels, never by their codes.
    expect(text(r.text)).not.toMatch(/plannedCompletionOn|dueDate/);
    expect(await state()).toBe(before);
  });

  it('the training form, folded away, comes back open with each problem at its field and what was typed', async () => {
    const before = await state();
    const tomorrow = addDays(today, 1);
    const r = await postTraining(chief, 'T1', {
      kind: '',
      completedOn: tomorrow,
      courseNumber: 'POST-2291',
      provider: 'Hennepin Tech',
    });
    expect(r.status).toBe(400);
    expect(folded(r.text).training).toBe(true);
    const summary = [
      ...(/<div class="error-summary"[\s\S]*?<\/div>/.exec(r.text)?.[0] ?? '').matchAll(/<li>([\s\S]*?)<\/li>/g),
    ].map((m) => text(m[1]!));
    expect(summary).toHaveLength(2);
    expect(summary[0]).toBe('Course: choose the course');
    expect(summary[1]).toBe(`Completed on: ${tomorrow} is after today (${today}): record a course once completed`);
    expect(r.text).toMatch(/<select id="training-kind" name="kind" required aria-invalid="true"/);
    expect(r.text).toMatch(new RegExp(`id="training-completedOn"[^>]*value="${tomorrow}"`));
    expect(r.text).toMatch(/id="training-courseNumber"[^>]*value="POST-2291"/);
    expect(r.text).toMatch(/id="training-provider"[^>]*value="Hennepin Tech"/);
    expect(await state()).toBe(before);
  });

  it('a certificate refused for its type (415) or its size (413) sends the training form back with the message at its file, never a bare error page', async () => {
    const before = await state();
    const exe = Buffer.concat([Buffer.from('7f454c46020101000000000000000000', 'hex'), Buffer.alloc(64)]);
    const tooBig = Buffer.concat([PDF, Buffer.alloc(10 * 1024 * 1024 + 1 - PDF.length)]);
    for (const [status, bytes, message] of [
      [415, exe, /The certificate must be a PDF, PNG or JPEG file, and this one is an? [A-Z]+ file/],
      [413, tooBig, /The certificate file is larger than 10 MB, the most the console keeps: nothing was recorded\./],
    ] as const) {
      const r = await postTraining(
        chief,
        'T1',
        { kind: 'SRO_MANDATED', completedOn: today, courseNumber: 'POST-7781' },
        { name: 'certificate.pdf', type: 'application/pdf', bytes },
      );
      expect(r.status).toBe(status);
      expect(r.headers.get('content-type')).toMatch(/^text\/html/);
      // The officer's page, with the form open and the message at the file input.
      expect(r.text).toMatch(/<h1>Dana Olson <span class="license">#T1<\/span><\/h1>/);
      expect(folded(r.text).training).toBe(true);
      expect(r.text).toMatch(/<input type="file" id="training-certificate"[^>]*aria-invalid="true"/);
      const atField = /id="training-certificate-error">([\s\S]*?)<\/p>/.exec(r.text)?.[1] ?? '';
      expect(text(atField)).toMatch(message);
      expect(r.text).toMatch(/<a href="#training-certificate">Certificate file: The certificate /);
      expect(r.text).toContain('Choose the file again: a form sent back cannot keep it.');
      expect(r.text).toMatch(/id="training-courseNumber"[^>]*value="POST-7781"/);
      expect(r.text).toMatch(/<option value="SRO_MANDATED" selected>/);
    }
    expect(await state()).toBe(before);
  });
});

describe('deleting asks first; the certificate downloads under the officer’s name', () => {
  let sha = '';

  it('a course recorded with its certificate: the page links it, and it downloads as LICENSE-LASTNAME-KIND-DATE.pdf', async () => {
    const r = await postTraining(
      chief,
      'T3',
      { kind: 'SRO_MANDATED', completedOn: today },
      { name: 'scan 7.pdf', type: 'application/pdf', bytes: PDF },
    );
    expect(r.status, r.text.slice(0, 300)).toBe(303);
    const html = await page(chief, 'T3');
    sha = /href="\/api\/officers\/T3\/certificates\/([0-9a-f]{64})">on file \(download\)<\/a>/.exec(html)?.[1] ?? '';
    expect(sha).toMatch(/^[0-9a-f]{64}$/);
    const file = await chief.get(`/api/officers/T3/certificates/${sha}`);
    expect(file.status).toBe(200);
    expect(file.headers.get('content-disposition')).toBe(`attachment; filename="T3-Lund-SRO_MANDATED-${today}.pdf"`);
  });

  it('the delete button only opens a step that says what goes; its own button deletes, and the deletion is audited', async () => {
    const html = await page(chief, 'T3');
    const id = (
      await queryRows<{ id: string }>(
        rig.database.url,
        `SELECT id::text FROM training WHERE license = 'T3' AND source = 'CONSOLE'`,
      )
    )[0]!.id;
    const confirm =
      new RegExp(`<details class="confirm" id="delete-training-${id}">([\\s\\S]*?)</details>`).exec(html)?.[1] ?? '';
    expect(text(/<summary>([\s\S]*?)<\/summary>/.exec(confirm)?.[1] ?? '')).toBe(`Delete the training of ${today}`);
    expect(text(/<p>([\s\S]*?)<\/p>/.exec(confirm)?.[1] ?? '')).toBe(
      `Delete the POST-approved SRO course of ${today}? The status is worked out again without it, and the deletion is kept in the audit log.`,
    );
    expect(confirm).toMatch(new RegExp(`<form method="post" action="/officers/T3/trainings/${id}/delete"`));
    expect(confirm).toMatch(/<button type="submit" class="small danger">Yes, delete the training<\/button>/);
    // Every delete form of the page sits inside such a step.
    const deletes = [...html.matchAll(/action="[^"]*\/delete"/g)].length;
    const inSteps = [...html.matchAll(/<details class="confirm"[\s\S]*?<\/details>/g)].filter((m) =>
      /\/delete"/.test(m[0]),
    ).length;
    expect(deletes).toBe(inSteps);

    const r = await chief.post(`/officers/T3/trainings/${id}/delete`, { form: {} });
    expect(r.status).toBe(303);
    expect(r.headers.get('location')).toBe('/officers/T3?done=training-deleted');
    expect((await chief.get('/officers/T3?done=training-deleted')).text).toContain(
      'The training recorded in the console was deleted.',
    );
    const audit = await queryRows<{ action: string }>(
      rig.database.url,
      `SELECT action FROM audit_event WHERE license = 'T3' ORDER BY id`,
    );
    expect(audit.map((a) => a.action)).toEqual(['training.record', 'training.delete']);
    expect((await chief.get(`/api/officers/T3/certificates/${sha}`)).status).toBe(404);
  });
});

describe('an acknowledgment can be corrected or withdrawn, asking first, and both are in the audit log', () => {
  let id = '';
  const ackRow = async () =>
    (
      await queryRows<{ note: string | null; planned: string | null }>(
        rig.database.url,
        `SELECT note, planned_completion_on::text AS planned FROM acknowledgement WHERE license = 'T1'`,
      )
    )[0] ?? null;

  it('the chief acknowledges; under it, a closed form to correct or withdraw it, for the chief and admins only', async () => {
    const planned = addDays(today, 30);
    const r = await chief.post('/officers/T1/acknowledgements', {
      form: { dueDate: STARTED, note: 'Enrolled in the January course.', plannedCompletionOn: planned },
    });
    expect(r.status, r.text.slice(0, 300)).toBe(303);
    id = (
      await queryRows<{ id: string }>(rig.database.url, `SELECT id::text FROM acknowledgement WHERE license = 'T1'`)
    )[0]!.id;
    for (const client of [chief, admin]) {
      const html = await page(client, 'T1');
      expect(html).toContain(`<details class="card form no-print" id="ackEdit-${id}">`);
      expect(html).toMatch(/<summary><h3 id="ackEdit-\d+-h">Correct or withdraw this acknowledgment<\/h3><\/summary>/);
      expect(html).toMatch(
        new RegExp(`<textarea id="ackEdit-${id}-note"[^>]*>Enrolled in the January course\\.</textarea>`),
      );
      expect(html).toMatch(new RegExp(`id="ackEdit-${id}-plannedCompletionOn"[^>]*value="${planned}"`));
    }
    // The district contact (who did not make it) and the officer see the acknowledgment, not the form.
    for (const client of [contact, officer]) {
      const html = await page(client, 'T1');
      expect(text(html)).toContain('Enrolled in the January course.');
      expect(html).not.toContain('ackEdit-');
    }
    const before = await state();
    const refused = await contact.post(`/officers/T1/acknowledgements/${id}`, { form: { note: 'Not mine' } });
    expect(refused.status).toBe(403);
    expect(text(refused.text)).toContain(
      "Only the person who made the acknowledgment, the officer's chief and admins may correct or withdraw it.",
    );
    expect((await contact.post(`/officers/T1/acknowledgements/${id}/withdraw`, { form: {} })).status).toBe(403);
    expect(await state()).toBe(before);
  });

  it('a correction that fails comes back open, its problem by label at its field, what was typed kept', async () => {
    const before = await ackRow();
    const yesterday = addDays(today, -1);
    const r = await chief.post(`/officers/T1/acknowledgements/${id}`, {
      form: { note: 'Moved to the February course.', plannedCompletionOn: yesterday },
    });
    expect(r.status).toBe(400);
    expect(r.text).toContain(`<details class="card form no-print" id="ackEdit-${id}" open>`);
    expect(r.text).toContain(
      `<a href="#ackEdit-${id}-plannedCompletionOn">Planned completion: ${yesterday} is before today (${today})</a>`,
    );
    expect(r.text).toMatch(
      new RegExp(`id="ackEdit-${id}-plannedCompletionOn"[^>]*value="${yesterday}" aria-invalid="true"`),
    );
    expect(r.text).toMatch(
      new RegExp(`<textarea id="ackEdit-${id}-note"[^>]*>Moved to the February course\\.</textarea>`),
    );
    expect(await ackRow()).toEqual(before);
  });

  it('a correction goes through: the page shows it, and the audit log says who changed which field', async () => {
    const planned = addDays(today, 60);
    const r = await chief.post(`/officers/T1/acknowledgements/${id}`, {
      form: { note: 'Moved to the February course.', plannedCompletionOn: planned },
    });
    expect(r.status, r.text.slice(0, 300)).toBe(303);
    expect(r.headers.get('location')).toBe('/officers/T1?done=acknowledgement-corrected');
    const html = (await chief.get('/officers/T1?done=acknowledgement-corrected')).text;
    expect(html).toContain('The acknowledgment was corrected.');
    expect(text(html)).toContain(`completion planned for ${planned}`);
    expect(text(html)).toContain('Moved to the February course.');
    expect(await ackRow()).toEqual({ note: 'Moved to the February course.', planned });
    const [event] = await queryRows<{ before: { note: string }; after: { note: string } }>(
      rig.database.url,
      `SELECT before, after FROM audit_event WHERE action = 'acknowledgement.correct' AND license = 'T1'`,
    );
    expect(event!.before.note).toBe('Enrolled in the January course.');
    expect(event!.after.note).toBe('Moved to the February course.');
    const audit = text((await admin.get('/audit?license=T1')).text);
    expect(audit).toContain('corrected the acknowledgment of the missed deadline of Dana Olson');
  });

  it('withdrawing asks first; its own button withdraws it, and the audit log keeps it', async () => {
    const html = await page(chief, 'T1');
    const step =
      new RegExp(`<details class="confirm" id="withdraw-ack-${id}">([\\s\\S]*?)</details>`).exec(html)?.[1] ?? '';
    expect(text(/<summary>([\s\S]*?)<\/summary>/.exec(step)?.[1] ?? '')).toBe(
      `Withdraw the acknowledgment of ${today}`,
    );
    expect(text(/<p>([\s\S]*?)<\/p>/.exec(step)?.[1] ?? '')).toBe(
      `Withdraw the acknowledgment of ${today}? Later e-mails about this deadline no longer show it, and the withdrawal is kept in the audit log.`,
    );
    expect(step).toContain(`action="/officers/T1/acknowledgements/${id}/withdraw"`);
    expect(step).toContain('Yes, withdraw the acknowledgment</button>');
    const r = await chief.post(`/officers/T1/acknowledgements/${id}/withdraw`, { form: {} });
    expect(r.status).toBe(303);
    expect(r.headers.get('location')).toBe('/officers/T1?done=acknowledgement-withdrawn');
    const after = text((await chief.get('/officers/T1?done=acknowledgement-withdrawn')).text);
    expect(after).toContain('The acknowledgment was withdrawn.');
    expect(after).toContain('No missed deadline of this officer has been acknowledged.');
    expect(await ackRow()).toBeNull();
    const [event] = await queryRows<{ before: { note: string }; after: unknown }>(
      rig.database.url,
      `SELECT before, after FROM audit_event WHERE action = 'acknowledgement.withdraw' AND license = 'T1'`,
    );
    expect(event!.before.note).toBe('Moved to the February course.');
    expect(event!.after).toBeNull();
    expect(text((await admin.get('/audit?license=T1')).text)).toContain(
      'withdrew the acknowledgment of the missed deadline of Dana Olson',
    );
  });
});

describe('the print stylesheet puts the status, facts and alerts on paper, no forms or buttons', () => {
  it('console.css hides forms, buttons and the folded forms in print; the page marks its form sections so, never the status, facts or alerts', async () => {
    const css = (await chief.get('/assets/console.css')).text;
    const print = /@media print \{([\s\S]*?)\n\}/.exec(css)?.[1] ?? '';
    const hidden =
      /([^{}]+)\{\s*display: none !important;\s*\}/
        .exec(print)?.[1]
        ?.split(',')
        .map((s) => s.trim()) ?? [];
    for (const selector of ['form', 'button', '.no-print', 'details.card.form', 'details.confirm', '.form.primary'])
      expect(hidden, selector).toContain(selector);
    const html = await page(chief, 'T1');
    expect(html).toMatch(/<section aria-labelledby="record-h" class="record no-print">/);
    for (const id of ['status-h', 'facts-h', 'alerts-h'])
      expect(new RegExp(`<section aria-labelledby="${id}"[^>]*>`).exec(html)?.[0], id).not.toContain('no-print');
  });
});

describe('INTERFACE.md "Pages for people": the words of every page above', () => {
  it('no page this file rendered (forms sent back, refusals included) holds RULES.md, a field code with a colon, a UTC time or a British spelling', () => {
    expect(rendered.length).toBeGreaterThan(40);
    for (const html of rendered) expect(wordingProblems(visibleText(html))).toEqual([]);
  });
});
