// The console's sign-in tokens and sessions (INTERFACE.md "Console"). Every value that
// signs someone in arrives here already hashed (src/app/secrets.ts): the tables hold keyed
// hashes only. Instants are the database's clock, so replicas agree on what has expired.
import type pg from 'pg';
import { inTransaction } from './transaction.ts';

/** A sign-in link and code, valid `minutes`. */
export async function insertLoginToken(
  pool: pg.Pool,
  t: { email: string; tokenHash: Buffer; codeHash: Buffer; minutes: number },
): Promise<void> {
  await pool.query(
    `INSERT INTO login_token (email, token_hash, code_hash, expires_at)
     VALUES ($1, $2, $3, now() + make_interval(mins => $4))`,
    [t.email, t.tokenHash, t.codeHash, t.minutes],
  );
}

/**
 * Issues a sign-in link and code valid `minutes` unless `limit` were issued to `email` in the
 * last `windowMinutes`; answers whether it did. The count and the insert are one step: a
 * transaction-scoped advisory lock per address queues concurrent requests for that address,
 * and the INSERT … SELECT counts on a snapshot taken after the lock, so a burst of requests
 * issues (and e-mails) at most `limit`. With `minutes` ≤ `windowMinutes` that also bounds the
 * live codes, the budget five wrong guesses each are counted against.
 */
export async function issueLoginToken(
  pool: pg.Pool,
  t: { email: string; tokenHash: Buffer; codeHash: Buffer; minutes: number; windowMinutes: number; limit: number },
): Promise<boolean> {
  return inTransaction(pool, async (client) => {
    await client.query(`SELECT pg_advisory_xact_lock(hashtextextended('sro:login-token:' || $1, 0))`, [t.email]);
    const r = await client.query(
      `INSERT INTO login_token (email, token_hash, code_hash, expires_at)
       SELECT $1, $2, $3, now() + make_interval(mins => $4)
       WHERE (SELECT count(*) FROM login_token
              WHERE email = $1 AND created_at > now() - make_interval(mins => $5)) < $6`,
      [t.email, t.tokenHash, t.codeHash, t.minutes, t.windowMinutes, t.limit],
    );
    return r.rowCount === 1;
  });
}

/** The address of a live, unused link, which it spends; null when unknown, used or expired. */
export async function spendLoginToken(pool: pg.Pool, tokenHash: Buffer): Promise<string | null> {
  const r = await pool.query<{ email: string }>(
    `UPDATE login_token SET used_at = now()
     WHERE token_hash = $1 AND used_at IS NULL AND expires_at > now()
     RETURNING email`,
    [tokenHash],
  );
  return r.rows[0]?.email ?? null;
}

/** Whether a live, unused link exists (the link's page says so before anyone submits it). */
export async function isLoginTokenLive(pool: pg.Pool, tokenHash: Buffer): Promise<boolean> {
  const r = await pool.query(
    `SELECT 1 FROM login_token WHERE token_hash = $1 AND used_at IS NULL AND expires_at > now()`,
    [tokenHash],
  );
  return r.rows.length > 0;
}

/**
 * Tries a typed code against the address's live tokens in one statement: a match spends
 * that token and answers true; a miss counts a wrong code on every live token of the
 * address, and a token with `maxWrong` wrong codes is spent (no more guesses).
 */
export async function spendLoginCode(
  pool: pg.Pool,
  email: string,
  codeHash: Buffer,
  maxWrong: number,
): Promise<boolean> {
  const r = await pool.query<{ hit: boolean }>(
    `WITH live AS (
       SELECT id, code_hash FROM login_token
       WHERE email = $1 AND used_at IS NULL AND expires_at > now()
       FOR UPDATE),
     hit AS (
       UPDATE login_token SET used_at = now()
       WHERE id = (SELECT id FROM live WHERE code_hash = $2 ORDER BY id DESC LIMIT 1)
       RETURNING id),
     miss AS (
       UPDATE login_token
       SET wrong_codes = wrong_codes + 1,
           used_at = CASE WHEN wrong_codes + 1 >= $3 THEN now() END
       WHERE id IN (SELECT id FROM live) AND NOT EXISTS (SELECT 1 FROM hit)
       RETURNING id)
     SELECT EXISTS (SELECT 1 FROM hit) AS hit, (SELECT count(*) FROM miss) AS misses`,
    [email, codeHash, maxWrong],
  );
  return r.rows[0]!.hit;
}

export interface SessionRow {
  email: string;
  expiresAt: Date;
  /** roster_version now, read with the session (the console's caches are keyed on it). */
  rosterVersion: string;
  /** The alert ledger's change counter now (its value may run ahead of a commit: caches on it are short-lived). */
  ledgerVersion: string;
}

/** The live session with this id hash, or null. */
export async function readSession(pool: pg.Pool, idHash: Buffer): Promise<SessionRow | null> {
  const r = await pool.query<{ email: string; expires_at: Date; roster_version: string; ledger_version: string }>(
    `SELECT email, expires_at, (SELECT version::text FROM roster_version WHERE id = 1) AS roster_version,
            (SELECT last_value::text FROM ledger_change_seq) AS ledger_version
     FROM web_session WHERE id_hash = $1 AND expires_at > now()`,
    [idHash],
  );
  const row = r.rows[0];
  return row
    ? {
        email: row.email,
        expiresAt: row.expires_at,
        rosterVersion: row.roster_version,
        ledgerVersion: row.ledger_version,
      }
    : null;
}

export async function insertSession(
  pool: pg.Pool,
  s: { idHash: Buffer; email: string; hours: number; clientAddress: string | null; userAgent: string | null },
): Promise<void> {
  await pool.query(
    `INSERT INTO web_session (id_hash, email, expires_at, client_address, user_agent)
     VALUES ($1, $2, now() + make_interval(hours => $3), $4, $5)`,
    [s.idHash, s.email, s.hours, s.clientAddress, s.userAgent?.slice(0, 500) ?? null],
  );
}

export async function deleteSession(pool: pg.Pool, idHash: Buffer): Promise<void> {
  await pool.query(`DELETE FROM web_session WHERE id_hash = $1`, [idHash]);
}

/** Removes expired sessions and sign-in tokens older than a day (housekeeping; any replica may run it). */
export async function deleteExpiredSignIns(pool: pg.Pool): Promise<void> {
  await pool.query(`DELETE FROM web_session WHERE expires_at < now()`);
  await pool.query(`DELETE FROM login_token WHERE expires_at < now() - interval '1 day'`);
}
