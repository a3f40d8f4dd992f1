// `npm run bench`: the scan benchmark (10k, 100k, 1M officers) and the send benchmark
// (1 and 4 worker processes), with their floors, printed as Markdown tables.
import { cpus, totalmem } from 'node:os';
import { DEFAULT_SCAN_SIZES, benchScan, formatScanFigures } from './scan.ts';
import { benchSend, formatSendFigures } from './send.ts';
import { dropBenchTemplate } from './support.ts';

console.log(
  `machine: ${cpus().length} cores (${cpus()[0]?.model ?? 'unknown'}), ${Math.round(totalmem() / 2 ** 30)} GB, Node ${process.version}`,
);
try {
  const scan = await benchScan({ sizes: DEFAULT_SCAN_SIZES });
  console.log('\n## Scan\n');
  console.log(formatScanFigures(scan));
  const send = await benchSend();
  console.log('\n## Send\n');
  console.log(formatSendFigures(send));
} finally {
  await dropBenchTemplate();
}
