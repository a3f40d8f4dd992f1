// Where `sro demo` works: the database DATABASE_URL names (sro_demo when unset), a queue
// prefix derived from it, and the `sro report` command it prints for that database.
import { describe, expect, it } from 'vitest';
import { databaseNameOf, demoDatabaseUrl, demoQueuePrefix, demoReportCommand } from '../../src/commands/demo.ts';
import { civilDate } from '../../src/domain/civil-date.ts';

describe('demoDatabaseUrl', () => {
  it('given DATABASE_URL set, then its own database, not a renamed one', () => {
    const url = demoDatabaseUrl('postgresql://postgres@db.example:5433/sro_x', true);
    expect(url).toBe('postgresql://postgres@db.example:5433/sro_x');
    expect(databaseNameOf(url)).toBe('sro_x');
  });

  it('given DATABASE_URL unset (the default URL), then sro_demo on the default server', () => {
    expect(demoDatabaseUrl('postgresql://postgres@127.0.0.1:5432/sro', false)).toBe(
      'postgresql://postgres@127.0.0.1:5432/sro_demo',
    );
  });

  it('given a DATABASE_URL that names no database, then sro_demo on that server', () => {
    expect(demoDatabaseUrl('postgresql://postgres@db.example:5432', true)).toBe(
      'postgresql://postgres@db.example:5432/sro_demo',
    );
    expect(demoDatabaseUrl('postgresql://postgres@db.example:5432/', true)).toBe(
      'postgresql://postgres@db.example:5432/sro_demo',
    );
  });

  it('keeps the query string (sslmode and the like)', () => {
    expect(demoDatabaseUrl('postgresql://u@h/sro_x?sslmode=require', true)).toBe(
      'postgresql://u@h/sro_x?sslmode=require',
    );
  });
});

describe('demoQueuePrefix', () => {
  const QUEUE_PREFIX = /^[A-Za-z0-9_-]+$/;

  it('given a plain database name, then sro-demo-<name>', () => {
    expect(demoQueuePrefix('sro_demo')).toBe('sro-demo-sro_demo');
    expect(demoQueuePrefix('sro_x')).toBe('sro-demo-sro_x');
  });

  it('given characters QUEUE_PREFIX does not allow, then they are replaced and the prefix still tells the names apart', () => {
    const dotted = demoQueuePrefix('sro.x');
    const spaced = demoQueuePrefix('sro x');
    for (const p of [dotted, spaced, demoQueuePrefix('sröx'), demoQueuePrefix('a:b/c')])
      expect(p).toMatch(QUEUE_PREFIX);
    expect(dotted).toMatch(/^sro-demo-sro_x-[0-9a-f]{8}$/);
    expect(new Set([dotted, spaced, demoQueuePrefix('sro_x')]).size).toBe(3);
  });

  it('given two databases, then two prefixes', () => {
    expect(demoQueuePrefix('sro_a')).not.toBe(demoQueuePrefix('sro_b'));
  });
});

describe('demoReportCommand', () => {
  const asOf = civilDate('2026-11-23');

  it('given a URL without a password, then the command as it runs', () => {
    expect(demoReportCommand('postgresql://postgres@127.0.0.1:5432/sro_x', asOf)).toBe(
      'DATABASE_URL=postgresql://postgres@127.0.0.1:5432/sro_x npx sro report --as-of 2026-11-23',
    );
  });

  it('given a password, then it is masked, and the URL quoted for the shell', () => {
    const cmd = demoReportCommand('postgresql://sro:s3cr%40t@db.example:5432/sro_x', asOf);
    expect(cmd).not.toContain('s3cr');
    expect(cmd).toBe("DATABASE_URL='postgresql://sro:***@db.example:5432/sro_x' npx sro report --as-of 2026-11-23");
  });

  it('given a query string, then the URL is quoted so the shell does not split it at &', () => {
    expect(demoReportCommand('postgresql://u@h/sro_x?sslmode=require&connect_timeout=5', asOf)).toBe(
      "DATABASE_URL='postgresql://u@h/sro_x?sslmode=require&connect_timeout=5' npx sro report --as-of 2026-11-23",
    );
  });
});
