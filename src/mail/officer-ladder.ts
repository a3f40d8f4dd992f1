// What the officer reads of their own deadline (RULES.md 5, RULES.md 10: the officer's record):
// the steps still ahead of the reminder and escalation ladder, each with its day and who is told,
// by role, never by address. Pure: the status and the configured leads and levels come in.
import { type CivilDate, addDays } from '../domain/civil-date.ts';
import type { AlertConfig } from '../domain/alerts.ts';
import type { OfficerStatus } from '../domain/types.ts';
import { plural } from './format.ts';

export interface LadderStep {
  on: CivilDate;
  what: string;
}

/** The steps on or after `asOf` for a DUE, IN_GRACE or OVERDUE officer; [] for any other status. */
export function officerLadder(
  status: OfficerStatus,
  config: Pick<AlertConfig, 'reminderLeadDays' | 'escalationDays'>,
  asOf: CivilDate,
): LadderStep[] {
  const due = status.dueDate;
  if (!due || !['DUE', 'IN_GRACE', 'OVERDUE'].includes(status.status)) return [];
  const steps: LadderStep[] = [];
  for (const lead of [...config.reminderLeadDays].sort((a, b) => b - a))
    steps.push({
      on: addDays(due, -lead),
      what: `A reminder to your chief and your district's contacts: ${plural(lead, 'day')} left.`,
    });
  steps.push({ on: due, what: 'Your course is due: complete it by the end of this day.' });
  // RULES.md 5: the first day overdue is day 0, the day after the due date.
  config.escalationDays.forEach((days, i) =>
    steps.push({
      on: addDays(due, 1 + days),
      what:
        i === 0
          ? "If the course is not completed: your chief and your district's contacts are told the deadline was missed."
          : `Still not completed: escalation level ${i + 1}, also to your agency's and district's escalation contacts.`,
    }),
  );
  return steps.filter((s) => s.on >= asOf);
}
