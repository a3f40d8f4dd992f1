// Validation of SCAN_CRON / DIGEST_CRON with node-cron's own parser, so what the
// configuration accepts is exactly what the scheduler runs.
import cron from 'node-cron';

/** A message naming what is wrong, or null when `expression` is a valid 5- or 6-field node-cron expression. */
export function validateCronExpression(expression: string): string | null {
  const fields = expression.trim().split(/\s+/);
  if (fields.length !== 5 && fields.length !== 6) {
    return `must have 5 fields (minute hour day month weekday) or 6 (seconds first), got ${fields.length}: ${JSON.stringify(expression)}`;
  }
  const result = cron.validateDetailed(expression);
  if (result.valid) return null;
  const detail = result.errors.map((e) => `${e.field}${e.value === undefined ? '' : ` ${JSON.stringify(e.value)}`}: ${e.message}`).join('; ');
  return `is not a valid cron expression (${detail || JSON.stringify(expression)})`;
}
