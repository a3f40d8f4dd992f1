// RULES.md 8 "Say so": a due date corrected since the people were last told, as e-mails, the
// digest and the officer's page say it, so two messages with two dates never contradict each
// other silently. Pure words: the facts come in as data.
import type { CivilDate } from '../domain/civil-date.ts';

export interface DueDateCorrection {
  /** The due date the people had been told. */
  from: CivilDate;
  /** The due date now. */
  to: CivilDate;
  /** The recorded change that moved it, in words ('a contact day on 2026-11-05 was recorded'); null when unknown. */
  because: string | null;
  /** Who recorded that change (the address the audit log holds); null when unknown. */
  recordedBy: string | null;
  /** When it was recorded (an ISO instant); null when unknown. */
  recordedAt: string | null;
  /** The civil day (TZ) it was recorded; null when unknown. */
  recordedOn: CivilDate | null;
}

/** 'The due date was corrected from 2026-11-10 to 2026-11-09: a contact day on 2026-10-20 was recorded by pat@district.example on 2026-11-02.' */
export function dueDateCorrectionText(c: DueDateCorrection): string {
  const base = `The due date was corrected from ${c.from} to ${c.to}`;
  if (c.because === null) return `${base}.`;
  const by = c.recordedBy ? ` by ${c.recordedBy}` : '';
  const on = c.recordedOn ? ` on ${c.recordedOn}` : '';
  return `${base}: ${c.because}${by}${on}.`;
}
