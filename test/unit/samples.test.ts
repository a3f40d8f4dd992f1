// docs/samples/ holds what scripts/render-samples.ts renders: the same function renders them
// here, without writing, and each file must match byte for byte. A template change that
// alters an e-mail fails here until the samples are rendered again (npx tsx scripts/render-samples.ts).
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SAMPLES_DIR, renderSamples } from '../../scripts/render-samples.ts';

describe('docs/samples: the sample e-mails are what the templates render today', () => {
  const files = renderSamples();

  it('holds exactly the files the script writes (beside the compliance report of scripts/report-sample.ts)', () => {
    const emails = readdirSync(SAMPLES_DIR).filter((name) => !name.startsWith('compliance-report'));
    expect(emails.sort()).toEqual(Object.keys(files).sort());
  });

  it.each(Object.keys(files))('%s is byte for byte what renderSamples() returns', (name) => {
    const onDisk = readFileSync(join(SAMPLES_DIR, name));
    const rendered = files[name] ?? '';
    expect(onDisk.toString('utf8')).toBe(rendered);
    expect(onDisk.equals(Buffer.from(rendered, 'utf8'))).toBe(true);
  });
});
