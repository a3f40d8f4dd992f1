// Validation of SCAN_CRON / DIGEST_CRON. Two checks, both must pass:
//
// 1. Classic cron syntax only (crontab(5)): numbers, `*`, ranges `a-b` with a ≤ b, steps
//    `*/n` and `a-b/n`, lists, and month / weekday names as whole tokens. node-cron accepts
//    more, and reads some of it in ways an operator would not expect (checked against
//    node-cron 4.6): a reversed range `5-1` wraps round (5–59 and 0–1); `L`, `W`, `#` and
//    `?` are Quartz extensions; `5*` is read as 50–59 and `2*/5` as 20–55; month `janfeb`
//    as 12 (names are replaced as substrings: "jan"→1, "feb"→2); `*/90` in minutes runs at
//    :00 only; and a day of month and a day of week both restricted must both match,
//    where classic cron runs on days matching either. All refused, with what to write.
// 2. node-cron's own parser, so what the configuration accepts is exactly what the
//    scheduler runs (it also refuses a day that no month has, such as 30 2).
import cron from 'node-cron';

interface FieldSpec {
  name: string;
  min: number;
  max: number;
  names?: readonly string[];
}

const MONTHS = [
  'january',
  'february',
  'march',
  'april',
  'may',
  'june',
  'july',
  'august',
  'september',
  'october',
  'november',
  'december',
];
const WEEKDAYS = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'];

const SECOND: FieldSpec = { name: 'second', min: 0, max: 59 };
const FIVE_FIELDS: readonly FieldSpec[] = [
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day of month', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12, names: MONTHS },
  // 0 and 7 are both Sunday.
  { name: 'day of week', min: 0, max: 7, names: WEEKDAYS },
];

/** A value of the field: a number in range, or a name ('mon', 'Monday'; 'jan', 'January'). */
function valueOf(token: string, spec: FieldSpec): number | string {
  if (/^\d+$/.test(token)) {
    const n = Number(token);
    return n >= spec.min && n <= spec.max ? n : `${token} is out of range (${spec.min}–${spec.max})`;
  }
  if (spec.names && /^[a-z]+$/i.test(token)) {
    const lower = token.toLowerCase();
    const i = spec.names.findIndex((full) => lower === full || lower === full.slice(0, 3));
    if (i !== -1) return i + spec.min;
  }
  if (token === '?') return `'?' is a Quartz extension, not accepted; write *`;
  if (/^(?:\d*L|L-\d+|\d*L?W)$/i.test(token))
    return `'L' (last day) and 'W' (nearest weekday) are node-cron and Quartz extensions, not accepted`;
  if (token.includes('#')) return `'#' (nth weekday of the month) is a node-cron and Quartz extension, not accepted`;
  if (token.includes('*')) return `${JSON.stringify(token)}: '*' stands alone (or as */step), not inside a number`;
  return `${JSON.stringify(token)} is not a number${spec.names ? ', a name' : ''} or *`;
}

/** The list that says what node-cron makes of a reversed range low-high (low > high). */
function wrapped(low: number, high: number, spec: FieldSpec): string {
  const top = spec.names === WEEKDAYS ? 6 : spec.max;
  const range = (a: number, b: number) => (a === b ? String(a) : `${a}-${b}`);
  // Weekday 7 is Sunday, the 0 the second part starts with.
  return low > top ? range(spec.min, high) : `${range(low, top)},${range(spec.min, high)}`;
}

/** What is wrong with one field (its list items), or null. */
function fieldProblem(text: string, spec: FieldSpec): string | null {
  const where = `${spec.name} ${JSON.stringify(text)}`;
  for (const item of text.split(',')) {
    if (item === '') return `${where}: an empty list item`;
    const parts = item.split('/');
    if (parts.length > 2) return `${where}: more than one '/' in ${JSON.stringify(item)}`;
    const [base, stepText] = parts as [string, string | undefined];
    let step: number | null = null;
    if (stepText !== undefined) {
      if (!/^\d+$/.test(stepText)) return `${where}: the step ${JSON.stringify(stepText)} is not a whole number`;
      step = Number(stepText);
      if (step === 0) return `${where}: a step of 0 never advances`;
    }
    let low: number;
    let high: number;
    if (base === '*') {
      low = spec.min;
      high = spec.names === WEEKDAYS ? 6 : spec.max;
    } else {
      const ends = base.split('-');
      if (ends.length > 2 || ends.some((e) => e === ''))
        return `${where}: ${JSON.stringify(base)} is not a value or a range a-b`;
      const values = ends.map((e) => valueOf(e, spec));
      const bad = values.find((v) => typeof v === 'string');
      if (bad !== undefined) return `${where}: ${bad}`;
      [low, high] = [values[0] as number, (values[1] ?? values[0]) as number];
      if (ends.length === 1 && step !== null)
        return `${where}: a step needs a range: write ${base}-${spec.max}/${step} or */${step}`;
      if (low > high)
        return `${where}: the range ${base} runs backwards (node-cron would wrap it round); write ${wrapped(low, high, spec)} if that is meant`;
    }
    if (step !== null && step > high - low) {
      return `${where}: the step ${step} is larger than the range ${low}-${high}, so it fires at ${low} only, not every ${step}`;
    }
  }
  return null;
}

/** A message naming what is wrong, or null when `expression` is a valid 5- or 6-field node-cron expression. */
export function validateCronExpression(expression: string): string | null {
  const fields = expression.trim().split(/\s+/);
  if (fields.length !== 5 && fields.length !== 6) {
    return `must have 5 fields (minute hour day month weekday) or 6 (seconds first), got ${fields.length}: ${JSON.stringify(expression)}`;
  }
  const specs = fields.length === 6 ? [SECOND, ...FIVE_FIELDS] : FIVE_FIELDS;
  for (let i = 0; i < fields.length; i++) {
    const problem = fieldProblem(fields[i] as string, specs[i] as FieldSpec);
    if (problem) return `is not accepted: ${problem} (in ${JSON.stringify(expression)})`;
  }
  const dayOfMonth = fields[fields.length - 3] as string;
  const dayOfWeek = fields[fields.length - 1] as string;
  if (!dayOfMonth.startsWith('*') && !dayOfWeek.startsWith('*')) {
    return (
      `is not accepted: it restricts both the day of month (${dayOfMonth}) and the day of week (${dayOfWeek}); ` +
      `node-cron would run only on days matching both, classic cron on days matching either. Restrict one, leave the other * (in ${JSON.stringify(expression)})`
    );
  }
  const result = cron.validateDetailed(expression);
  if (result.valid) return null;
  const detail = result.errors
    .map((e) => `${e.field}${e.value === undefined ? '' : ` ${JSON.stringify(e.value)}`}: ${e.message}`)
    .join('; ');
  return `is not a valid cron expression (${detail || JSON.stringify(expression)})`;
}
