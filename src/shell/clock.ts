// The shell's clock: the one place that turns an instant into a civil date, in TZ.
import { type CivilDate, civilDate } from '../domain/civil-date.ts';

/** The civil date of `instant` in `timeZone` (America/Chicago: 05:30 UTC on Nov 23 is still Nov 22). */
export function civilDateIn(timeZone: string, instant: Date = new Date()): CivilDate {
  // en-CA formats as YYYY-MM-DD.
  const text = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(
    instant,
  );
  return civilDate(text);
}
