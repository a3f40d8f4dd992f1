// What a bounce says (RULES.md 12), read from the message the bounce address received:
// a delivery status notification (RFC 3464: multipart/report; report-type=delivery-status,
// its message/delivery-status part holding a block per recipient with Action, Status and
// Diagnostic-Code) or an abuse report (RFC 5965 ARF: a message/feedback-report part).
// Parsed with mailparser; nothing here writes anything, so a message that is not a report,
// or is malformed in any way, gives `unreadable` and changes nothing.
import { simpleParser } from 'mailparser';
import type { BounceReport } from '../app/record-bounce.ts';

/** A diagnostic is shown to people and kept on the row: no control characters, one line, bounded. */
const MAX_TEXT = 500;
function clean(v: string | undefined | null): string | null {
  if (v === undefined || v === null) return null;
  const t = v
    .replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  if (t === '') return null;
  return t.length > MAX_TEXT ? `${t.slice(0, MAX_TEXT - 1)}…` : t;
}

/**
 * The blocks of a message/delivery-status body (RFC 3464 2.1): header-style fields, folded
 * lines unfolded, names lower-cased; blocks separated by blank lines. The first block is
 * about the message, the others one recipient each.
 */
function statusBlocks(body: string): Map<string, string>[] {
  const blocks: Map<string, string>[] = [];
  let current: Map<string, string> | null = null;
  let last: string | null = null;
  for (const line of body.split(/\r?\n/)) {
    if (line.trim() === '') {
      current = null;
      last = null;
      continue;
    }
    if (/^[ \t]/.test(line) && current && last) {
      current.set(last, `${current.get(last) ?? ''} ${line.trim()}`);
      continue;
    }
    const m = /^([!-9;-~]+)[ \t]*:(.*)$/.exec(line);
    if (!m) continue;
    if (!current) blocks.push((current = new Map()));
    last = m[1]!.toLowerCase();
    if (!current.has(last)) current.set(last, m[2]!.trim());
  }
  return blocks;
}

const STATUS = /^([245])\.(\d{1,3})\.(\d{1,3})\b/;

/** One recipient block as a report: hard, soft, delivered, or null when it says nothing usable. */
function recipientReport(block: Map<string, string>): BounceReport | null {
  const action = clean(block.get('action'))?.toLowerCase() ?? null;
  const statusMatch = STATUS.exec(clean(block.get('status')) ?? '');
  const status = statusMatch ? statusMatch[0] : null;
  // 'smtp; 550 5.1.1 user unknown': the diagnostic type before the semicolon is not for people.
  const diagnostic = clean((block.get('diagnostic-code') ?? '').replace(/^\s*[A-Za-z-]+\s*;/, ''));
  if (action === 'failed' || status?.startsWith('5'))
    return { kind: 'hard', status: status?.startsWith('5') ? status : '5.0.0', diagnostic };
  if (action === 'delayed' || status?.startsWith('4')) return { kind: 'soft', status, diagnostic, action };
  if (action === 'delivered' || action === 'relayed' || action === 'expanded' || status?.startsWith('2'))
    return { kind: 'delivered' };
  return null;
}

const SEVERITY: Record<BounceReport['kind'], number> = { hard: 4, complaint: 3, soft: 2, delivered: 1, unreadable: 0 };

/** Reads a bounce message; never throws. */
export async function parseBounce(raw: Buffer): Promise<BounceReport> {
  let parsed;
  try {
    parsed = await simpleParser(raw, { keepDeliveryStatus: true, skipHtmlToText: true, skipTextToHtml: true });
  } catch (e) {
    return { kind: 'unreadable', why: `not a readable message: ${clean((e as Error).message) ?? 'parse error'}` };
  }
  const parts = parsed.attachments ?? [];
  const status = parts.find(
    (a) => a.contentType === 'message/delivery-status' || a.contentType === 'message/global-delivery-status',
  );
  if (status) {
    const blocks = statusBlocks(status.content.toString('utf8'));
    let best: BounceReport | null = null;
    for (const block of blocks.slice(1)) {
      const r = recipientReport(block);
      if (r && (!best || SEVERITY[r.kind] > SEVERITY[best.kind])) best = r;
    }
    return best ?? { kind: 'unreadable', why: 'a delivery status report with no recipient Action or Status' };
  }
  const feedback = parts.find((a) => a.contentType === 'message/feedback-report');
  if (feedback) {
    const [fields] = statusBlocks(feedback.content.toString('utf8'));
    const feedbackType = clean(fields?.get('feedback-type'))?.toLowerCase() ?? 'abuse';
    const by = clean(fields?.get('reporting-mta') ?? fields?.get('user-agent'));
    return {
      kind: 'complaint',
      feedbackType,
      note: `${feedbackType} report${by ? ` from ${by}` : ''}`.slice(0, MAX_TEXT),
    };
  }
  return { kind: 'unreadable', why: 'neither a delivery status notification nor an abuse report' };
}
