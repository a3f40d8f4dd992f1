// The agency's SRO policy as a PDF (RULES.md 10; V.C/V.D and Minn. Stat. § 626.8482 subd. 6:
// the officer reviews the agency's policy): an admin or the chief uploads it per agency, a new
// upload replacing the old, audited; the agency's people download it (the officer before
// attesting a review). Who may is the policy module's; the route asked it before the upload
// was read.
import { createHash } from 'node:crypto';
import type pg from 'pg';
import { appendAuditEvent } from '../db/audit.ts';
import { agencyExists } from '../db/console-facts.ts';
import { type AgencyPolicyMeta, readAgencyPolicyFile, replaceAgencyPolicy } from '../db/agency-policy.ts';
import { inTransaction } from '../db/transaction.ts';
import { NotFound } from '../errors.ts';
import { type Recorder, authorize } from './fact-change.ts';

/** Stores `bytes` (a PDF, recognized from its content by the caller) as the agency's SRO policy. */
export async function uploadAgencyPolicy(
  pool: pg.Pool,
  who: Recorder,
  agencyId: string,
  bytes: Buffer,
): Promise<AgencyPolicyMeta> {
  authorize(who.viewer, 'agencyPolicy.update', { agencyId });
  if (!(await agencyExists(pool, agencyId))) throw new NotFound('not found');
  const sha256 = createHash('sha256').update(bytes).digest();
  return inTransaction(pool, async (client) => {
    const { before, after } = await replaceAgencyPolicy(client, {
      agencyId,
      sha256,
      bytes,
      uploadedBy: who.viewer.email,
    });
    await appendAuditEvent(client, {
      actor: who.actor,
      action: 'agency-policy.upload',
      license: null,
      agencyId,
      before,
      after,
    });
    return after;
  });
}

/** The agency's policy file to download, named for the agency; NotFound when none was uploaded. */
export async function agencyPolicyFile(
  pool: pg.Pool,
  agencyId: string,
): Promise<{ bytes: Buffer; fileName: string; sha256: string }> {
  const f = await readAgencyPolicyFile(pool, agencyId);
  if (!f) throw new NotFound('not found');
  // ASCII only: the name goes into a header.
  const safe = agencyId.replace(/[^A-Za-z0-9_-]/g, '_');
  return { bytes: f.bytes, fileName: `${safe}-SRO-policy.pdf`, sha256: f.sha256 };
}
