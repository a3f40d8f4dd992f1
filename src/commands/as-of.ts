import type { Config } from '../config.ts';
import { civilDateIn } from '../shell/clock.ts';
import { type CivilDate, parseCivilDate } from '../domain/civil-date.ts';
import { UsageError } from './command.ts';

/** `--as-of D`, or today in TZ. */
export function asOfOption(value: string | boolean | undefined, config: Config): CivilDate {
  if (value === undefined) return civilDateIn(config.timeZone);
  const d = typeof value === 'string' ? parseCivilDate(value) : null;
  if (d === null) throw new UsageError(`--as-of: ${JSON.stringify(value)} is not a calendar date (YYYY-MM-DD)`);
  return d;
}

export const AS_OF_HELP = `  --as-of D     evaluate as of the end of civil day D (YYYY-MM-DD); default: today in TZ`;
