// RULES.md 12 through SendGrid's signed event webhook (src/bounces/sendgrid.ts): the signature
// SendGrid makes (ECDSA P-256, SHA-256, over the timestamp then the raw body), and what each
// event says about the e-mail it names.
import { createSign, generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { sendgridEvents, sendgridSigned } from '../../src/bounces/sendgrid.ts';

const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
const sign = (timestamp: string, body: string) =>
  createSign('sha256')
    .update(timestamp + body)
    .sign(privateKey)
    .toString('base64');
const RETURN_PATH = 'b-2s-0123456789abcdef0123@bounces.sro.example';

describe("SendGrid's signature", () => {
  const body = '[{"event":"bounce"}]';
  const signature = sign('1772460000', body);
  it('verifies over the timestamp and the exact body', () => {
    expect(sendgridSigned(publicKey, signature, '1772460000', Buffer.from(body))).toBe(true);
  });
  it('fails for another timestamp, another body, another key or a signature that is not one', () => {
    expect(sendgridSigned(publicKey, signature, '1772460001', Buffer.from(body))).toBe(false);
    expect(sendgridSigned(publicKey, signature, '1772460000', Buffer.from(`${body} `))).toBe(false);
    const other = generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).publicKey;
    expect(sendgridSigned(other, signature, '1772460000', Buffer.from(body))).toBe(false);
    expect(sendgridSigned(publicKey, 'bm90IGEgc2lnbmF0dXJlIGF0IGFsbA==', '1772460000', Buffer.from(body))).toBe(false);
    expect(sendgridSigned(publicKey, '', '', Buffer.from(body))).toBe(false);
  });
});

describe('what each SendGrid event says', () => {
  const read = (events: unknown[]) =>
    sendgridEvents(
      Buffer.from(JSON.stringify(events.map((e) => ({ sro_return_path: RETURN_PATH, ...(e as object) })))),
    ) ?? [];

  it('bounce is hard (its status, else 5.0.0) and dropped is hard; blocked and deferred are soft', () => {
    expect(read([{ event: 'bounce', type: 'bounce', status: '5.1.1', reason: '550 5.1.1 unknown\r\nuser' }])).toEqual([
      { returnPath: RETURN_PATH, report: { kind: 'hard', status: '5.1.1', diagnostic: '550 5.1.1 unknown user' } },
    ]);
    expect(read([{ event: 'bounce', reason: 'unable to get mx info' }])[0]!.report).toEqual({
      kind: 'hard',
      status: '5.0.0',
      diagnostic: 'unable to get mx info',
    });
    expect(read([{ event: 'dropped', reason: 'Bounced Address' }])[0]!.report).toMatchObject({
      kind: 'hard',
      diagnostic: 'Bounced Address',
    });
    expect(read([{ event: 'bounce', type: 'blocked', status: '4.7.1', reason: 'try later' }])[0]!.report).toEqual({
      kind: 'soft',
      status: '4.7.1',
      diagnostic: 'try later',
      action: 'blocked',
    });
    expect(read([{ event: 'deferred', response: '452 mailbox full' }])[0]!.report).toMatchObject({
      kind: 'soft',
      diagnostic: '452 mailbox full',
    });
  });

  it('spamreport is a complaint, delivered is delivered; opens, clicks and processed are not read', () => {
    expect(
      read([
        { event: 'spamreport' },
        { event: 'delivered' },
        { event: 'open' },
        { event: 'click' },
        { event: 'processed' },
      ]).map((e) => e.report.kind),
    ).toEqual(['complaint', 'delivered']);
  });

  it('an event without the unique argument names no row; a body that is not an array of objects is null', () => {
    expect(sendgridEvents(Buffer.from('[{"event":"bounce"}]'))![0]!.returnPath).toBeNull();
    for (const body of ['', '{"event":"bounce"}', '[1]', '[null]', '[[]]', '\u0000\u00ff'])
      expect(sendgridEvents(Buffer.from(body))).toBeNull();
  });
});
