// SUBSTITUTE_NEARING_LIMIT: an untrained substitute has served 45, 50, 55 … of the fewer
// than 60 student contact days a school year allows without the course (V.D).
import { SUBSTITUTE_DAY_LIMIT } from '../../domain/status.ts';
import { DEADLINE_BASIS, type MailDocument, isoAndLong, plural, restrictedDutiesText } from '../format.ts';
import type { AlertContext } from './context.ts';
import { NEXT_STEP, chiefStep } from './deadline.ts';
import { alertDocument } from './document.ts';

export function substituteNearingLimit(c: AlertContext): MailDocument {
  const { input } = c;
  const served = input.status.contactDays;
  const allowed = SUBSTITUTE_DAY_LIMIT - 1;
  const left = Math.max(allowed - served, 0);
  const year = input.alert.schoolYear ?? input.status.schoolYear.label;
  const basis = DEADLINE_BASIS.SUBSTITUTE_LIMIT_REACHED;
  const restricted = restrictedDutiesText(input.status.restrictedDuties);
  const facts: [string, string][] = [
    ['School year', `${year} (${input.status.schoolYear.start} to ${input.status.schoolYear.end})`],
    ['Contact days served', `${served} as of ${input.asOf}`],
  ];
  facts.push([
    'Limit without the course',
    `fewer than ${SUBSTITUTE_DAY_LIMIT} contact days (at most ${allowed}); ${plural(left, 'day')} left`,
  ]);
  if (input.status.projected60thDay)
    facts.push([`Scheduled ${SUBSTITUTE_DAY_LIMIT}th day`, isoAndLong(input.status.projected60thDay)]);
  if (input.status.firstServedDay) facts.push(['First contact day this year', isoAndLong(input.status.firstServedDay)]);
  if (restricted) facts.push(['Restricted duties', restricted]);
  const lead = [
    `Substitute ${c.who} of ${input.agency.name} has served ${plural(served, 'student contact day')} in school year ${year} without the SRO course. ${plural(left, 'more day')} can be served before the ${SUBSTITUTE_DAY_LIMIT}-day limit.`,
    basis.rule,
  ];
  if (input.status.projected60thDay)
    lead.push(
      `On the current schedule, the officer's ${SUBSTITUTE_DAY_LIMIT}th contact day is ${isoAndLong(input.status.projected60thDay)}.`,
    );
  if (restricted) lead.push(restricted);
  return alertDocument(c, {
    subject: {
      officerLabel: 'Substitute Officer',
      part: { label: 'school year', value: year },
      text: (officer, schoolYear) =>
        `${officer}: ${plural(served, 'contact day')} served in ${schoolYear} — ${plural(left, 'day')} left before day ${SUBSTITUTE_DAY_LIMIT}`,
    },
    banner: `Substitute SRO nearing the ${SUBSTITUTE_DAY_LIMIT}-day limit: ${plural(served, 'day')} served`,
    tone: 'warning',
    lead,
    facts,
    basis,
    steps: [
      NEXT_STEP.substituteLimit(year),
      "Keep the officer's review of the agency's SRO policy on record (V.D).",
      chiefStep(c),
      c.officerPage === null
        ? 'Have each contact day the officer serves added to the SRO roster, so the count above stays right.'
        : NEXT_STEP.keepContactDays(" on the officer's page (the link below)"),
    ],
  });
}
