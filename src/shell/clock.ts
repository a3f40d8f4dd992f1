// The shell's clock: the one place that turns instants into civil dates and back, in TZ.
import { Temporal } from 'temporal-polyfill';
import { type CivilDate, addDays, civilDate } from '../domain/civil-date.ts';

/** A function giving the civil date of an instant in `timeZone` (one formatter, for many instants). */
export function civilDateFormatter(timeZone: string): (instant: Date) => CivilDate {
  // en-CA formats as YYYY-MM-DD.
  const format = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
  return (instant) => civilDate(format.format(instant));
}

/** The civil date of `instant` in `timeZone` (America/Chicago: 05:30 UTC on Nov 23 is still Nov 22). */
export function civilDateIn(timeZone: string, instant: Date = new Date()): CivilDate {
  return civilDateFormatter(timeZone)(instant);
}

/**
 * The instant civil day D ends: the first instant of the next day in `timeZone` ("as of D" is
 * the end of day D, RULES.md). Whatever happened from then on had not happened as of D.
 */
export function endOfCivilDay(asOf: CivilDate, timeZone: string): Date {
  return new Date(Temporal.PlainDate.from(addDays(asOf, 1)).toZonedDateTime({ timeZone }).epochMilliseconds);
}

/** An instant as people read it in `timeZone`, with the zone's abbreviation: '2026-12-07 08:35 CST'. */
export function instantInZone(instant: Date, timeZone: string): string {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
    timeZoneName: 'short',
  }).formatToParts(instant);
  const part = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? '';
  return `${part('year')}-${part('month')}-${part('day')} ${part('hour')}:${part('minute')} ${part('timeZoneName')}`;
}
