// A pg driver adapter for the Prisma CLI's JS schema engine (migrations only).
// It mends two defects of the stock @prisma/adapter-pg 6.19 when used for migrate:
//  1. catalog columns of type `name` (OID 19) and `"char"` (OID 18) are not
//     deserialized (prisma/orm#27403): we report them as `text` (OID 25);
//  2. connectToShadowDb() given a connection string replays migrations into the
//     main database: we create a scratch database and drop it on dispose;
//  3. executeScript() splits a migration at every ';', so a function body ($$ … $$)
//     breaks: we send the script whole (PostgreSQL's simple query runs it statement by
//     statement, in one implicit transaction).
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { PrismaPg } from '@prisma/adapter-pg';

const OID_CHAR = 18;
const OID_NAME = 19;
const OID_TEXT = 25;

type Field = { dataTypeID: number };
function asTextFields(result: unknown): unknown {
  for (const r of Array.isArray(result) ? result : [result]) {
    const fields = (r as { fields?: Field[] } | undefined)?.fields;
    if (!fields) continue;
    for (const f of fields) if (f.dataTypeID === OID_NAME || f.dataTypeID === OID_CHAR) f.dataTypeID = OID_TEXT;
  }
  return result;
}

class CatalogSafeClient extends pg.Client {
  // pg's query() has many overloads; we only post-process the result.
  override query(...args: unknown[]): never {
    const last = args.at(-1);
    if (typeof last === 'function') {
      const cb = last as (err: unknown, res: unknown) => void;
      args[args.length - 1] = (err: unknown, res: unknown) => cb(err, err ? res : asTextFields(res));
      return (super.query as (...a: unknown[]) => never)(...args);
    }
    const out = (super.query as (...a: unknown[]) => unknown)(...args);
    if (out && typeof (out as Promise<unknown>).then === 'function') {
      return (out as Promise<unknown>).then(asTextFields) as never;
    }
    return out as never;
  }
}

function withDatabase(connectionString: string, database: string): string {
  const url = new URL(connectionString);
  url.pathname = `/${database}`;
  return url.toString();
}

type ScriptAdapter = {
  executeScript(script: string): Promise<void>;
  client: { query(sql: string): Promise<unknown> };
  onError(e: unknown): never;
};

function wholeScripts<T>(adapter: T): T {
  const a = adapter as unknown as ScriptAdapter;
  a.executeScript = async (script: string) => {
    try {
      await a.client.query(script);
    } catch (e) {
      a.onError(e);
    }
  };
  return adapter;
}

class MigrationAdapterFactory extends PrismaPg {
  override async connect() {
    return wholeScripts(await super.connect());
  }

  constructor(private readonly connectionString: string) {
    super(
      new pg.Pool({
        connectionString,
        Client: CatalogSafeClient,
        max: 2,
        allowExitOnIdle: true,
        idleTimeoutMillis: 200,
      }),
      { disposeExternalPool: true },
    );
  }

  override async connectToShadowDb() {
    const database = `sro_shadow_${randomUUID().replaceAll('-', '')}`;
    const admin = new pg.Client({ connectionString: this.connectionString });
    await admin.connect();
    await admin.query(`CREATE DATABASE "${database}"`);
    const shadow = new PrismaPg(
      new pg.Pool({
        connectionString: withDatabase(this.connectionString, database),
        Client: CatalogSafeClient,
        max: 2,
        allowExitOnIdle: true,
        idleTimeoutMillis: 200,
      }),
      { disposeExternalPool: true },
    );
    const adapter = wholeScripts(await shadow.connect());
    const dispose = adapter.dispose.bind(adapter);
    adapter.dispose = async () => {
      await dispose();
      try {
        await admin.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
      } finally {
        await admin.end();
      }
    };
    return adapter;
  }
}

export function migrationAdapterFactory(connectionString: string): PrismaPg {
  return new MigrationAdapterFactory(connectionString);
}
