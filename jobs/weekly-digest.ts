// weekly-digest: one e-mail per chief and per PRIMARY district contact, covering their
// officers, once per ISO week (the ledger key holds the week's Monday).
import { z } from 'zod';
import type pg from 'pg';
import type { Queue } from 'bullmq';
import { civilDateSchema } from '../src/domain/civil-date-schema.ts';
import { digestLedgerRow, digestTargets } from '../src/digest.ts';
import { insertLedgerRows, readPending } from '../src/db/ledger.ts';
import { enqueueSends } from '../src/scan.ts';

export const weeklyDigestPayload = z.object({ asOf: civilDateSchema });
export type WeeklyDigestPayload = z.infer<typeof weeklyDigestPayload>;

export interface DigestDeps {
  pool: pg.Pool;
  sendQueue: Queue;
  sendAttempts: number;
}

export interface DigestSummary {
  asOf: string;
  digests: number;
  noContact: number;
  enqueued: number;
}

export function digestJobId(asOf: string, suffix = ''): string {
  return `digest-${asOf}${suffix}`;
}

export async function weeklyDigest(deps: DigestDeps, payload: WeeklyDigestPayload): Promise<DigestSummary> {
  const targets = await digestTargets(deps.pool, payload.asOf);
  await insertLedgerRows(deps.pool, targets.map((t) => digestLedgerRow(t, payload.asOf)));
  // Every digest still owed (including ones whose job Redis lost).
  const pending = await readPending(deps.pool, { digestsOnly: true, limit: 1_000_000 });
  const enqueued = await enqueueSends(deps.sendQueue, pending.map((p) => ({ key: p.key, asOf: payload.asOf })), deps.sendAttempts);
  return {
    asOf: payload.asOf,
    digests: targets.filter((t) => t.recipient).length,
    noContact: targets.filter((t) => !t.recipient).length,
    enqueued,
  };
}
