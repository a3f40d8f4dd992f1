// The console's secrets: random sign-in tokens, codes and session ids, and the keyed hash
// (HMAC-SHA256 under SECRET_KEY) that is all the database ever holds of them.
import { createHmac, randomBytes, randomInt } from 'node:crypto';

type SecretPurpose = 'login-token' | 'login-code' | 'session' | 'csrf' | 'oidc-state' | 'bounce-address';

export interface Secrets {
  /** The keyed hash of `value` for `purpose` (a value of one purpose never matches another's). */
  hash(purpose: SecretPurpose, value: string): Buffer;
}

export function secretsOf(secretKey: string): Secrets {
  return {
    hash: (purpose, value) => createHmac('sha256', secretKey).update(`${purpose}\0${value}`).digest(),
  };
}

/** 256 random bits, URL-safe. */
export const newToken = () => randomBytes(32).toString('base64url');

/** Six random digits, leading zeros kept. */
export const newCode = () => String(randomInt(0, 1_000_000)).padStart(6, '0');

/** A code is hashed with its address: the same six digits of two addresses hash apart. */
export const codeSubject = (email: string, code: string) => `${email}\0${code}`;
