// The audit log in words (INTERFACE.md "Pages for people"): each event as a sentence with the
// roster's names ("Chief Morgan Ellis recorded the POST-approved SRO course for Nolan Berg"),
// the browser in a short form ("Chrome on Windows"), and the state before and after as the
// fields that changed, by their labels. Pure: the names come in from src/app/audit-log.ts.
// The CSV export and `GET /api/audit` keep the raw values.
import type { AuditEvent, AuditNames } from '../app/audit-log.ts';
import type { CivilDate } from '../domain/civil-date.ts';
import type { TrainingKind } from '../domain/types.ts';
import { TRAINING_LABEL, dateText, instantText, plural } from '../mail/format.ts';

/** A field of a change in words: its label and its value before and after ('' for none). */
export interface AuditFieldChange {
  label: string;
  before: string;
  after: string;
}

// The labels the console's forms and pages give these fields.
const LABELS: Record<string, string> = {
  kind: 'Course',
  completedOn: 'Completed on',
  courseNumber: 'Course number',
  provider: 'Provider',
  certificate: 'Certificate file',
  certificateSha256: 'Certificate file',
  certificateOnFile: 'Certificate on file',
  reviewedOn: 'Reviewed on',
  agencyId: 'Agency',
  districtId: 'District',
  added: 'Contact days added',
  alreadyRecorded: 'Contact days already on record',
  dates: 'Contact days',
  dueDate: 'Due date',
  note: 'Note',
  plannedCompletionOn: 'Planned completion',
  acknowledgedByName: 'Acknowledged by',
  acknowledgedOn: 'Acknowledged on',
  name: 'Name',
  chief: 'Chief',
  escalationEmails: 'Escalation e-mails',
  contacts: 'Contacts',
  nonSchoolDays: 'Days without school',
  kindOfDistrict: 'Kind',
  firstName: 'First name',
  lastName: 'Last name',
  email: 'E-mail',
  school: 'School',
  role: 'Role',
  startDate: 'From',
  endDate: 'Until',
  trainingUnavailable: 'Course unavailable',
  path: 'File',
  counts: 'Rows',
  replace: 'Replace',
  undeliverable: 'Undeliverable',
  size: 'Size in bytes',
  uploadedAt: 'Uploaded',
  reason: 'Reason',
  status: 'Review',
  submittedAt: 'Submitted',
  reviewedAt: 'Answered',
};

// Bookkeeping an event carries that says nothing a reader needs: the row's id, who recorded
// it (the sentence names them), the officer (the sentence names them), where it came from.
const HIDDEN = new Set([
  'id',
  'license',
  'certificateSha256',
  'recordedBy',
  'acknowledgedBy',
  'source',
  'createdAt',
  'updatedAt',
  'sha256',
  'uploadedBy',
  'submittedBy',
  'reviewedBy',
  'trainingId',
]);

/** 'completedOn' → 'Completed on' for a field without a label. */
function labelOf(key: string): string {
  const known = LABELS[key];
  if (known) return known;
  const words = key
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/[_-]+/g, ' ')
    .toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

const isDate = (v: unknown): v is CivilDate => typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v);
const isInstant = (v: unknown): v is string =>
  typeof v === 'string' && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(v) && !Number.isNaN(Date.parse(v));
const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A submitted training's review state (RULES.md 10), as the officer page words it. */
const REVIEW_WORDS: Readonly<Record<string, string>> = {
  PENDING_REVIEW: "waiting for the chief's review",
  CONFIRMED: 'confirmed',
  REJECTED: 'rejected',
};

/** How values are worded: the time zone of instants, the roster's names of agencies and districts. */
interface ValueWords {
  timeZone: string;
  names: AuditNames;
}

/** A value in words: dates and times as the pages show them, yes/no, lists joined, a person as 'Name <e-mail>'. */
function valueText(key: string, v: unknown, w: ValueWords): string {
  if (v === null || v === undefined || v === '') return '';
  if (key === 'agencyId' && typeof v === 'string') return w.names.agencies.get(v) ?? v;
  if (key === 'districtId' && typeof v === 'string') return w.names.districts.get(v) ?? v;
  if (isInstant(v)) return instantText(v, w.timeZone);
  if (typeof v === 'boolean') return v ? 'yes' : 'no';
  if (key === 'status' && typeof v === 'string' && Object.hasOwn(REVIEW_WORDS, v)) return REVIEW_WORDS[v]!;
  if (key === 'kind' && typeof v === 'string' && Object.hasOwn(TRAINING_LABEL, v))
    return TRAINING_LABEL[v as TrainingKind];
  if (isDate(v)) return dateText(v);
  if (typeof v === 'string' || typeof v === 'number') return String(v);
  if (Array.isArray(v)) return v.map((x) => valueText(key, x, w)).join(', ');
  if (isRecord(v)) {
    if ('email' in v && ('name' in v || 'role' in v)) {
      const extra = typeof v.role === 'string' ? `, ${v.role.toLowerCase()}` : '';
      const name = typeof v.name === 'string' && v.name ? v.name : '';
      const email = typeof v.email === 'string' ? v.email : '';
      return name ? `${name} <${email}>${extra}` : `${email}${extra}`;
    }
    if ('sha256' in v) {
      const type =
        typeof v.contentType === 'string' ? v.contentType.replace(/^application\/|^image\//, '').toUpperCase() : 'file';
      return typeof v.size === 'number' ? `${type}, ${Math.max(1, Math.round(v.size / 1024))} KB` : type;
    }
    return Object.entries(v)
      .filter(([k]) => !HIDDEN.has(k))
      .map(([k, x]) => `${labelOf(k).toLowerCase()} ${valueText(k, x, w)}`)
      .join(', ');
  }
  return JSON.stringify(v);
}

/** The fields an event changed, by their labels: each field of what was added or removed, else those that differ. */
export function auditChanges(e: Pick<AuditEvent, 'before' | 'after'>, w: ValueWords): AuditFieldChange[] {
  const before = isRecord(e.before) ? e.before : {};
  const after = isRecord(e.after) ? e.after : {};
  const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].filter((k) => !HIDDEN.has(k));
  const out: AuditFieldChange[] = [];
  for (const k of keys) {
    if (JSON.stringify(before[k]) === JSON.stringify(after[k])) continue;
    const b = valueText(k, before[k], w);
    const a = valueText(k, after[k], w);
    if (b === a) continue;
    out.push({ label: labelOf(k), before: b, after: a });
  }
  return out;
}

/** The roster's name of an address, else the address. */
function personOf(names: AuditNames, email: string): string {
  return names.people.get(email.toLowerCase()) ?? email;
}

/** 'Nolan Berg' (the roster's name), else 'officer 12345'. */
function officerOfEvent(names: AuditNames, license: string | null): string | null {
  if (license === null) return null;
  return names.officers.get(license) ?? `officer ${license}`;
}

function field(v: unknown, key: string): unknown {
  return isRecord(v) ? v[key] : undefined;
}

function countOf(v: unknown): number {
  return Array.isArray(v) ? v.length : 0;
}

/**
 * What happened, as a sentence whose subject is who did it and whose object is the officer (or
 * the agency or district): the officer's part is returned apart, so the page links it.
 */
export function auditSentence(
  e: AuditEvent,
  names: AuditNames,
): { who: string; did: string; officer: string | null; tail: string } {
  const who = personOf(names, e.actor);
  const officer = officerOfEvent(names, e.license);
  const course = (v: unknown) => {
    const kind = field(v, 'kind');
    return typeof kind === 'string' && Object.hasOwn(TRAINING_LABEL, kind)
      ? TRAINING_LABEL[kind as TrainingKind]
      : 'a training';
  };
  const agency = e.agencyId ? (names.agencies.get(e.agencyId) ?? e.agencyId) : 'an agency';
  const district = e.districtId ? (names.districts.get(e.districtId) ?? e.districtId) : 'a district';
  const s = (did: string, tail = '') => ({ who, did, officer, tail });
  switch (e.action) {
    case 'training.record':
      return s(`recorded ${course(e.after)} for`);
    case 'training.delete':
      return s(`deleted ${course(e.before)} of`);
    case 'training.submit':
      // RULES.md 10: the officer submits their own training; it counts once the chief confirms it.
      return {
        who,
        did: `submitted ${course(e.after)} with its certificate for the chief's review`,
        officer: null,
        tail: '',
      };
    case 'training.confirm':
      return s(`confirmed ${course(e.after)} submitted by`);
    case 'training.reject':
      return s(`did not confirm ${course(e.after)} submitted by`);
    case 'agency-policy.upload':
      return { who, did: `uploaded the SRO policy of ${agency}`, officer: null, tail: '' };
    case 'policy-review.record':
      return s('recorded a review of the SRO policy by');
    case 'policy-review.attest':
      // The officer attests their own review: they are the one who did it.
      return { who, did: 'attested having reviewed the SRO policy', officer: null, tail: '' };
    case 'policy-review.delete':
      return s('deleted a review of the SRO policy by');
    case 'contact-days.record':
      return s(`recorded ${plural(countOf(field(e.after, 'added')), 'contact day')} for`);
    case 'contact-days.delete':
      return s(`deleted ${plural(countOf(field(e.before, 'dates')), 'contact day')} of`);
    case 'acknowledgement.record':
      return s('acknowledged the missed deadline of');
    case 'acknowledgement.correct':
      return s('corrected the acknowledgment of the missed deadline of');
    case 'acknowledgement.withdraw':
      return s('withdrew the acknowledgment of the missed deadline of');
    case 'officer.create':
      return s('added the officer');
    case 'officer.update':
      return s('changed the name or e-mail of');
    case 'assignment.create':
      return s('added an assignment of', ` in ${district}`);
    case 'assignment.update':
      return s('changed an assignment of', ` in ${district}`);
    case 'agency.update':
      return { who, did: `changed the agency ${agency}`, officer: null, tail: '' };
    case 'district.update':
      return { who, did: `changed the district ${district}`, officer: null, tail: '' };
    case 'import':
      return { who, did: 'imported the roster', officer: null, tail: '' };
    case 'import.replace':
      return { who, did: 'imported the roster, replacing it', officer: null, tail: '' };
    default:
      return { who, did: `made a change (${e.action})${officer === null ? '' : ' about'}`, officer, tail: '' };
  }
}

/** The browser in a short form: 'Chrome on Windows', 'Safari on iPhone'; a tool by its name ('curl'). */
export function browserShort(userAgent: string | null): string | null {
  if (!userAgent) return null;
  const ua = userAgent;
  const browser = /Edg(?:e|A|iOS)?\//.test(ua)
    ? 'Edge'
    : /OPR\/|Opera/.test(ua)
      ? 'Opera'
      : /Firefox\/|FxiOS\//.test(ua)
        ? 'Firefox'
        : /Chrome\/|Chromium\/|CriOS\//.test(ua)
          ? 'Chrome'
          : /Safari\//.test(ua) && /Version\//.test(ua)
            ? 'Safari'
            : null;
  const system = /iPhone/.test(ua)
    ? 'iPhone'
    : /iPad/.test(ua)
      ? 'iPad'
      : /Android/.test(ua)
        ? 'Android'
        : /Windows/.test(ua)
          ? 'Windows'
          : /CrOS/.test(ua)
            ? 'ChromeOS'
            : /Macintosh|Mac OS X/.test(ua)
              ? 'Mac'
              : /Linux/.test(ua)
                ? 'Linux'
                : null;
  if (browser) return system ? `${browser} on ${system}` : browser;
  // A tool or script: the product name before its version ('curl/8.5.0' → 'curl').
  const product = /^([A-Za-z][\w.-]*)/.exec(ua)?.[1];
  return product && product !== 'Mozilla' ? product : 'another program';
}
