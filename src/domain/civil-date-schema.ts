import { z } from 'zod';
import { type CivilDate, parseCivilDate } from './civil-date.ts';

/** zod schema of a civil date 'YYYY-MM-DD' that exists on the calendar. */
export const civilDateSchema = z.string().refine((v) => parseCivilDate(v) !== null, 'must be a calendar date YYYY-MM-DD').transform((v) => v as CivilDate);
