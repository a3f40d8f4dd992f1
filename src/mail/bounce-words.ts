// What came back about an e-mail (RULES.md 12), in words for the people who read pages and
// e-mails: the enhanced status code a receiving server answered (RFC 3463, 'class.subject.detail')
// said as what happened to the address, with the code itself after it for whoever fixes it
// ('the address does not exist (5.1.1)'). Pure.

// RFC 3463 section 3: subject.detail codes that say what is wrong with the address or mailbox.
const DETAIL_WORDS: Record<string, string> = {
  '1.1': 'the address does not exist',
  '1.2': "the address's mail domain does not exist",
  '1.3': 'the address is not a valid e-mail address',
  '1.6': 'the mailbox has moved',
  '1.10': 'the address does not accept e-mail',
  '2.1': 'the mailbox is disabled',
  '2.2': 'the mailbox is full',
  '2.3': 'the e-mail is larger than the mailbox accepts',
  '3.2': 'the receiving mail server does not accept e-mail now',
  '4.1': 'the receiving mail server did not answer',
  '4.4': "the address's mail domain cannot be reached",
  '4.7': 'it could not be delivered in time',
  '7.1': 'the receiving mail server refused it',
};

const STATUS_CODE = /^([245])\.(\d{1,3})\.(\d{1,3})$/;

/**
 * A bounce in words: 'the address does not exist (5.1.1)'; a code without words of its own
 * by its class ('the receiving mail server refused it (5.9.9)'); no code at all, the refusal alone.
 */
export function bounceReasonText(status: string | null): string {
  const m = status ? STATUS_CODE.exec(status.trim()) : null;
  if (!m) return 'the receiving mail server refused it';
  const words =
    DETAIL_WORDS[`${Number(m[2])}.${Number(m[3])}`] ??
    (m[1] === '4' ? 'delivery was delayed' : 'the receiving mail server refused it');
  return `${words} (${status!.trim()})`;
}

/** One e-mail of the ledger as the officer page's alert list words its fate. */
interface DeliveredRow {
  status: 'PENDING' | 'SENT' | 'FAILED' | 'SUPERSEDED' | 'BOUNCED';
  error: string | null;
  bounce: { status: string | null; at: string | null } | null;
}

/**
 * 'Sent', 'Owed', 'Failed: …', 'Superseded', and for a hard bounce (RULES.md 12: accepted is
 * not delivered) 'Bounced: the address does not exist (5.1.1) on 2026-03-02 08:35 CST', the
 * instant worded by `when` (in TZ).
 */
export function deliveryText(row: DeliveredRow, when: (at: string) => string): string {
  switch (row.status) {
    case 'SENT':
      return 'Sent';
    case 'PENDING':
      return 'Owed';
    case 'FAILED':
      return row.error ? `Failed: ${row.error}` : 'Failed';
    case 'SUPERSEDED':
      return 'Superseded';
    case 'BOUNCED': {
      const on = row.bounce?.at ? ` on ${when(row.bounce.at)}` : '';
      return `Bounced: ${bounceReasonText(row.bounce?.status ?? null)}${on}`;
    }
    default: {
      const _exhaustive: never = row.status;
      return _exhaustive;
    }
  }
}

/** An address marked undeliverable (RULES.md 12), in words: 'Bounced on 2026-03-02 08:35 CST: the address does not exist (5.1.1).' */
export function undeliverableText(mark: { status: string | null; at: string }, when: (at: string) => string): string {
  return `Bounced on ${when(mark.at)}: ${bounceReasonText(mark.status)}.`;
}
