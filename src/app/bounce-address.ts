// RULES.md 12: each alert goes out with an envelope sender (Return-Path) naming its ledger
// row, b-<row>-<signature>@BOUNCE_DOMAIN, so a bounce says exactly which (alert, recipient)
// failed. The row is its number in base 36; the signature the first 80 bits of an HMAC under
// SECRET_KEY, in hex. Lower-case only (some relays lower-case local parts) and well within
// the 64 characters a local part may hold (RFC 5321 4.5.3.1.1).
import { timingSafeEqual } from 'node:crypto';
import { secretsOf } from './secrets.ts';

export interface BounceAddresses {
  /** BOUNCE_DOMAIN, lower-cased. */
  readonly domain: string;
  /** The envelope sender of the ledger row numbered `rowId` (a decimal string, as PostgreSQL's bigint comes). */
  addressOf(rowId: string): string;
  /** The row a bounce address names, when the service signed it (any letter case); else null. */
  rowIdOf(address: string): string | null;
}

const LOCAL_PART = /^b-([0-9a-z]{1,13})-([0-9a-f]{20})$/;

export function bounceAddresses(domain: string, secretKey: string): BounceAddresses {
  const secrets = secretsOf(secretKey);
  const signature = (rowId: string) => secrets.hash('bounce-address', rowId).subarray(0, 10);
  return {
    domain,
    addressOf(rowId) {
      return `b-${BigInt(rowId).toString(36)}-${signature(rowId).toString('hex')}@${domain}`;
    },
    rowIdOf(address) {
      const at = address.lastIndexOf('@');
      if (at < 0 || address.slice(at + 1).toLowerCase() !== domain) return null;
      const m = LOCAL_PART.exec(address.slice(0, at).toLowerCase());
      if (!m) return null;
      let id = 0n;
      for (const ch of m[1]!) id = id * 36n + BigInt(parseInt(ch, 36));
      const rowId = id.toString();
      const given = Buffer.from(m[2]!, 'hex');
      return timingSafeEqual(given, signature(rowId)) ? rowId : null;
    },
  };
}
