import { z } from 'zod';
import { type CivilDate, parseCivilDate } from './civil-date.ts';

/** How a refusal is worded: a fixed message, or one made from the refused input. */
export type CivilDateError = string | ((issue: { input?: unknown }) => string);

/**
 * A string 'YYYY-MM-DD' that exists on the calendar (2026-02-30 does not), still a string so
 * that a caller can refine it further before typing it as a CivilDate (the roster bounds the
 * years it accepts). Further refinements do not run on a string that is not a calendar date.
 */
export function calendarDateString(error: CivilDateError = 'must be a calendar date YYYY-MM-DD') {
  return z.string().refine((v) => parseCivilDate(v) !== null, { error, abort: true });
}

/** zod schema of a civil date 'YYYY-MM-DD' that exists on the calendar. */
export const civilDateSchema = calendarDateString().transform((v) => v as CivilDate);
