// Migrates one template database per migrations checksum; each test file clones it
// (CREATE DATABASE … TEMPLATE), which takes milliseconds instead of a migrate run.
import { ensureTemplate, templateName } from '../../support/postgres.ts';
import { TEST_PG_URL } from './db.ts';

export default async function setup({ provide }: { provide: (key: string, value: unknown) => void }) {
  const template = templateName('sro_test');
  await ensureTemplate(TEST_PG_URL, template);
  provide('templateDatabase', template);
}
