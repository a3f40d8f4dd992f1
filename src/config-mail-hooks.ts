/**
 * SENDGRID_WEBHOOK_PUBLIC_KEY: the verification key of SendGrid's signed event webhook
 * (INTERFACE.md "Bounces", `POST /hooks/mail/sendgrid`), parsed and checked with the rest of
 * the configuration by loadConfig. SendGrid shows it as base64 (DER, SPKI, ECDSA P-256); a
 * PEM is accepted too. A problem names the variable, never its value.
 */
import { type KeyObject, createPublicKey } from 'node:crypto';
import { z } from 'zod';

/** The key from SendGrid's base64 (DER, SPKI) or a PEM; null when it is neither, or not an EC key. */
export function webhookPublicKeyOf(text: string): KeyObject | null {
  const v = text.trim();
  try {
    const key = v.startsWith('-----')
      ? createPublicKey(v)
      : createPublicKey({ key: Buffer.from(v, 'base64'), format: 'der', type: 'spki' });
    return key.asymmetricKeyType === 'ec' ? key : null;
  } catch {
    return null;
  }
}

export const sendgridWebhookPublicKey = z
  .string()
  .refine(
    (v) => webhookPublicKeyOf(v) !== null,
    "must be the verification key SendGrid shows for its signed event webhook (base64, or a PEM 'PUBLIC KEY')",
  )
  .optional();
