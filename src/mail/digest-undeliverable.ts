// RULES.md 12 in the weekly digest: an address the digest's officers' alerts go to (the chief,
// a district's primary SRO contact) bounced and is marked undeliverable. One sentence per
// address at the top of the digest, not a line per officer: the mark is the address's, and
// every officer whose alerts go there is affected alike. Pure.
import type { UndeliverableContact } from '../domain/recipients.ts';
import { bounceReasonText } from './bounce-words.ts';
import { isoAndLong } from './format.ts';

/** The digest's own scope: its chief reads "the chief's address", another reader the agency's name. */
interface DigestScope {
  kind: 'AGENCY' | 'DISTRICT';
  id: string;
}

function sentence(c: UndeliverableContact, scope: DigestScope, where: 'console' | 'roster'): string {
  const when = `bounced on ${isoAndLong(c.mark.since)}: ${bounceReasonText(c.mark.status ?? null)}`;
  if (c.kind === 'CHIEF') {
    const whose =
      scope.kind === 'AGENCY' && scope.id === c.agencyId
        ? "The chief's address"
        : `The address of the chief of ${c.agencyName}`;
    const fix = where === 'console' ? "on the agency's page in the console" : 'in the SRO roster';
    return `${whose}, ${c.mark.email}, ${when}. Until it is corrected ${fix}, the chief's alerts also go to the agency's escalation e-mails (to the administrators where there are none).`;
  }
  const school = c.districtKind === 'CHARTER' ? "school's" : "district's";
  const fix = where === 'console' ? `on the ${school} page in the console` : 'in the SRO roster';
  return `The address of the primary SRO contact of ${c.districtName}, ${c.mark.email}, ${when}. Until it is corrected ${fix}, the ${school} alerts also go to its escalation contacts (to the administrators where there are none).`;
}

/** One sentence per address marked undeliverable among the officers' contacts, in the order first met. */
export function undeliverableSentences(
  officers: readonly { undeliverableContacts?: readonly UndeliverableContact[] }[],
  scope: DigestScope,
  where: 'console' | 'roster',
): string[] {
  const byAddress = new Map<string, string>();
  for (const e of officers)
    for (const c of e.undeliverableContacts ?? []) {
      const key = `${c.kind === 'CHIEF' ? c.agencyId : c.districtId}\0${c.mark.email}`;
      if (!byAddress.has(key)) byAddress.set(key, sentence(c, scope, where));
    }
  return [...byAddress.values()];
}
