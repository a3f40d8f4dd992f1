import { createReadStream } from 'node:fs';
import { mkdtemp, open, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type pg from 'pg';
import { createPool } from '../db/pool.ts';
import { listLedger } from '../db/ledger.ts';
import { plural } from '../domain/plural.ts';
import { ledgerTableHeader, ledgerTableRow } from '../app/ledger-table.ts';
import type { Command, CommandContext } from './command.ts';
import { stdoutDrained } from '../shell/stdout.ts';

export const alertsCommand: Command = {
  help: `Lists the alert ledger, one row per (alert, recipient), oldest first: the audit trail a
district can show an auditor. Columns: key, kind, officer license, recipient, due date,
lead/level/threshold, status (PENDING, SENT, FAILED, SUPERSEDED, BOUNCED), created, sent,
attempts, last error and the mail server's message id. NO_CONTACT_ON_FILE rows record an alert
the rules addressed to someone with no e-mail on file. A BOUNCED row came back undelivered:
its "bounce" holds the status code, the receiving server's words and when; the row that
carried its step to the next people names it in "standsInFor". In the table, a value too
long for its column is cut and ends with "…"; --json holds every value whole.

Options:
  --officer L   only the alerts about the officer with license L
  --json        {"alerts": [...]} on stdout (INTERFACE.md)`,
  options: { officer: { type: 'string' }, json: { type: 'boolean', default: false } },
  async run(ctx) {
    const config = ctx.config();
    const pool = createPool(config.databaseUrl);
    try {
      const license = (ctx.values.officer as string | undefined) ?? null;
      if (ctx.values.json) {
        await printLedgerJson(ctx, pool, license);
        return 0;
      }
      let n = 0;
      ctx.stdout(ledgerTableHeader());
      for await (const page of listLedger(pool, { license })) {
        for (const r of page) {
          n++;
          ctx.stdout(ledgerTableRow(r));
        }
      }
      ctx.stdout(`${plural(n, 'ledger row')}\n`);
      return 0;
    } finally {
      await pool.end();
    }
  },
};

/**
 * `--json` prints a whole document or nothing: the ledger can be millions of rows, too many
 * to hold in memory, and a failure after part of it was printed (database unreachable or
 * restarted between pages) cannot be taken back. So the document is written to a private
 * temporary file (0600, in a 0700 directory, removed afterwards) page by page, and copied to
 * stdout only once the last page was read. The cost: disk space the size of the output, and
 * no output before the whole ledger is read.
 */
async function printLedgerJson(ctx: CommandContext, pool: pg.Pool, license: string | null): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'sro-alerts-'));
  try {
    const path = join(dir, 'alerts.json');
    const file = await open(path, 'wx', 0o600);
    try {
      let chunk = '{ "alerts": [';
      let first = true;
      for await (const page of listLedger(pool, { license })) {
        ctx.signal.throwIfAborted();
        for (const row of page) {
          chunk += `${first ? '\n' : ',\n'}  ${JSON.stringify(row)}`;
          first = false;
        }
        await file.write(chunk);
        chunk = '';
      }
      await file.write(`${chunk}${first ? '' : '\n'}] }\n`);
    } finally {
      await file.close();
    }
    for await (const text of createReadStream(path, { encoding: 'utf8', highWaterMark: 65_536 })) {
      ctx.stdout(text as string);
      await stdoutDrained();
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
