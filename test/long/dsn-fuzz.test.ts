// RULES.md 12: malformed bounces through `sro bounces`' receiver over SMTP (the parser alone is
// test/unit/dsn-fuzz.test.ts). Every case is addressed to a genuine signed bounce address of a
// SENT row, so only the message's content stands between it and the ledger: a message the
// receiver cannot read as a report (malformed MIME, huge headers, missing parts, cut short,
// binary) is answered, changes nothing and is counted as unreadable. SMTP itself may mend a
// case on the way (a bare CR or LF arrives as CRLF), so what counts is what the receiver read,
// which the test takes from the receiver's own record call. The receiver keeps answering
// throughout, and a genuine DSN afterwards still bounces a row.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bounceAddresses } from '../../src/app/bounce-address.ts';
import { type BounceReport, recordBounce } from '../../src/app/record-bounce.ts';
import { parseBounce } from '../../src/bounces/dsn.ts';
import { type BounceReceiver, startBounceReceiver } from '../../src/bounces/receiver.ts';
import { type Config, loadConfig } from '../../src/config.ts';
import { civilDate } from '../../src/domain/civil-date.ts';
import { silentLogger } from '../../src/shell/log.ts';
import { type Runtime, createRuntime } from '../../src/worker/runtime.ts';
import { BOUNCE_DOMAIN, deliverBounce, dsn } from '../helpers/bounces.ts';
import { type TestDatabase, createTestDatabase } from '../helpers/db.ts';
import { everyMutationOnce, fuzzCases } from '../helpers/dsn-fuzz.ts';
import { TEST_REDIS_URL, deletePrefix, uniquePrefix } from '../helpers/redis.ts';
import { consoleEnv } from '../helpers/service-env.ts';

const CHIEF = 'chief@lakeside-pd.example';

let database: TestDatabase;
let prefix: string;
let config: Config;
let runtime: Runtime;
let receiver: BounceReceiver;
/** What the receiver read of each message it took, in order. */
const read: BounceReport['kind'][] = [];

/** The ledger and the marks, whole: "nothing changed" is this being equal. */
const state = async () => ({
  ledger: (await runtime.pool.query('SELECT * FROM alert_ledger ORDER BY key')).rows,
  marks: (await runtime.pool.query('SELECT * FROM undeliverable_address ORDER BY email')).rows,
});
const tally = async () =>
  Object.fromEntries(
    (await runtime.pool.query('SELECT kind, n::int AS n FROM bounce_tally ORDER BY kind')).rows.map((r) => [
      r.kind,
      r.n,
    ]),
  ) as Record<string, number>;

/** A SENT reminder to the chief, and its bounce address. */
async function sentRow(lead: number): Promise<{ id: string; address: string }> {
  const r = await runtime.pool.query(
    `INSERT INTO alert_ledger (key, alert_key, kind, license, recipient, due_date, lead, as_of, status, sent_at, updated_at)
     VALUES ($1 || ':to=' || $2, $1, 'DEADLINE_REMINDER', '10001', $2, '2026-04-01', $3, '2026-03-02', 'SENT', now(), now())
     RETURNING id::text AS id`,
    [`DEADLINE_REMINDER:10001:NEW_SRO:lead=${lead}`, CHIEF, lead],
  );
  const id = r.rows[0].id as string;
  return { id, address: bounceAddresses(BOUNCE_DOMAIN, config.secretKey!).addressOf(id) };
}

beforeAll(async () => {
  database = await createTestDatabase('dsn-fuzz');
  prefix = uniquePrefix('dsn-fuzz');
  config = loadConfig({
    ...consoleEnv({
      databaseUrl: database.url,
      redisUrl: TEST_REDIS_URL,
      smtpUrl: 'smtp://127.0.0.1:9',
      queuePrefix: prefix,
    }),
    BOUNCE_DOMAIN,
    ADMIN_EMAILS: 'admin@sro.example',
  });
  runtime = createRuntime(config, silentLogger, { work: false });
  const deps = {
    pool: runtime.pool,
    work: runtime.work,
    adminEmails: config.adminEmails,
    log: silentLogger,
    today: () => civilDate('2026-03-02'),
  };
  receiver = await startBounceReceiver({
    host: '127.0.0.1',
    port: 0,
    addresses: bounceAddresses(BOUNCE_DOMAIN, config.secretKey!),
    maxBytes: config.bounceMaxBytes,
    tls: null,
    record: (rowId, report) => {
      read.push(report.kind);
      return recordBounce(deps, rowId, report);
    },
    refused: async () => undefined,
    log: silentLogger,
  });
});

afterAll(async () => {
  await receiver?.close();
  await runtime?.close();
  await deletePrefix(prefix);
  await database?.drop();
});

describe('RULES.md 12: malformed bounces to a genuine bounce address', () => {
  it('each is answered (250, or 552 past BOUNCE_MAX_BYTES); one the receiver cannot read changes nothing and is counted unreadable', async () => {
    const row = await sentRow(30);
    // The cases the parser alone cannot read (the others are reports, damaged or not).
    const cases = [];
    for (const c of [...everyMutationOnce(3), ...fuzzCases(20261208, 30)])
      if ((await parseBounce(c.raw)).kind === 'unreadable') cases.push(c);
    expect(cases.length).toBeGreaterThan(25);

    let unreadable = 0;
    let mended = 0;
    for (const c of cases) {
      const before = await state();
      const took = read.length;
      const answer = await deliverBounce(receiver.port, row.address, c.raw);
      if (!answer.accepted) {
        expect(answer.code, `${c.name}: ${answer.message}`).toBe(552);
        expect(read.length, c.name).toBe(took);
      } else {
        expect(read.length, c.name).toBe(took + 1);
        if (read.at(-1) === 'unreadable') unreadable++;
        else {
          // Mended on the way (line endings): a report after all, applied as one. Put the row back.
          mended++;
          await runtime.pool.query(`DELETE FROM alert_ledger WHERE stands_in_for IS NOT NULL`);
          await runtime.pool.query(`DELETE FROM undeliverable_address`);
          await runtime.pool.query(
            `UPDATE alert_ledger SET status = 'SENT', bounce_status = NULL, bounce_diagnostic = NULL, bounced_at = NULL,
               delivery_note = NULL, delivery_noted_at = NULL, complaint_at = NULL, complaint_note = NULL`,
          );
          continue;
        }
      }
      expect(await state(), c.name).toEqual(before);
    }
    expect(mended).toBeLessThan(cases.length / 4);
    expect((await tally()).unreadable).toBe(unreadable);
  }, 60_000);

  it('the receiver still answers, and a genuine DSN bounces its row', async () => {
    const row = await sentRow(14);
    const answer = await deliverBounce(
      receiver.port,
      row.address,
      dsn({
        to: row.address,
        recipient: CHIEF,
        action: 'failed',
        status: '5.1.1',
        diagnostic: '550 5.1.1 User unknown',
      }),
    );
    expect(answer.accepted).toBe(true);
    const status = await runtime.pool.query('SELECT status::text AS status FROM alert_ledger WHERE id = $1', [row.id]);
    expect(status.rows[0].status).toBe('BOUNCED');
  });
});
