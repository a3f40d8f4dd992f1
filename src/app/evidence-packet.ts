// The evidence packet for an auditor (INTERFACE.md "Reports for the board and the auditor"): a
// ZIP of the compliance report (PDF), `officers.csv` (the same rows as the PDF and `sro report
// --format csv`, with the evidence columns), every certificate file held for the officers in
// scope named `LICENSE-LASTNAME-KIND-DATE.ext`, and `manifest.json` (each file's name, SHA-256
// and size, hashed as it streams into the ZIP).
//
// Streamed with yazl in bounded memory: the PDF and the CSV are written in one pass over the
// sorted rows to a private temporary directory, then every entry is read as a stream, one at
// a time (a certificate in chunks from PostgreSQL), and the manifest goes last, once every
// hash is known. Nothing holds the packet, or one whole certificate, in memory.
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable, Transform, type Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { once } from 'node:events';
import type pg from 'pg';
import yazl from 'yazl';
import { certificateExtension, certificateFileName } from '../domain/certificate-name.ts';
import { readCertificateChunks } from '../db/report-evidence.ts';
import { writeCompliancePdf } from './compliance-pdf.ts';
import type { ComplianceReport, EvidenceLine } from './compliance-report.ts';
import { CSV_HEADER, csvRow, csvTextField } from './report-csv.ts';

const PACKET_PDF_NAME = 'compliance-report.pdf';
const PACKET_CSV_NAME = 'officers.csv';
const PACKET_MANIFEST_NAME = 'manifest.json';

interface ManifestEntry {
  name: string;
  /** Hex. */
  sha256: string;
  bytes: number;
}

export interface Manifest {
  scope: { kind: 'agency' | 'district'; id: string; name: string | null } | { kind: 'everything' };
  asOf: string;
  /** An ISO instant (UTC). */
  generatedAt: string;
  files: ManifestEntry[];
}

// `sro report --format csv`'s columns, then the evidence the PDF shows beside the status.
const EVIDENCE_COLUMNS: [string, (l: EvidenceLine) => string | null][] = [
  ['training_kind', (l) => l.evidence.training?.kind ?? null],
  ['training_completed_on', (l) => l.evidence.training?.completedOn ?? null],
  ['course_number', (l) => l.evidence.courseNumber],
  ['provider', (l) => l.evidence.provider],
  ['certificate_on_file', (l) => (l.evidence.training ? String(l.evidence.training.certificateOnFile) : null)],
  ['latest_policy_review', (l) => l.evidence.latestPolicyReview],
  ['acknowledged_on', (l) => l.evidence.acknowledgement?.acknowledgedOn ?? null],
  ['planned_completion_on', (l) => l.evidence.acknowledgement?.plannedCompletionOn ?? null],
];

const withoutLineEnd = (record: string) => record.slice(0, -2);

/** The header record of `officers.csv`. */
const PACKET_CSV_HEADER = `${withoutLineEnd(CSV_HEADER)},${EVIDENCE_COLUMNS.map(([t]) => t).join(',')}\r\n`;

/** One record of `officers.csv`: the report's CSV record and the evidence, formula cells defused the same way. */
function packetCsvRow(l: EvidenceLine, names: ComplianceReport['names']): string {
  const extra = EVIDENCE_COLUMNS.map(([, of]) => {
    const v = of(l);
    return v === null ? '' : csvTextField(v);
  });
  return `${withoutLineEnd(csvRow(l, names))},${extra.join(',')}\r\n`;
}

function manifestScope(r: Pick<ComplianceReport, 'scope' | 'scopeName'>): Manifest['scope'] {
  if ('agencyId' in r.scope) return { kind: 'agency', id: r.scope.agencyId, name: r.scopeName };
  if ('districtId' in r.scope) return { kind: 'district', id: r.scope.districtId, name: r.scopeName };
  return { kind: 'everything' };
}

/** A stream's bytes passed through, hashed and counted; `done` gets the entry at its end. */
function hashing(name: string, done: (e: ManifestEntry) => void): Transform {
  const hash = createHash('sha256');
  let bytes = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      hash.update(chunk);
      bytes += chunk.length;
      callback(null, chunk);
    },
    flush(callback) {
      done({ name, sha256: hash.digest('hex'), bytes });
      callback();
    },
  });
}

/** The certificate files' names in the packet, each unique (a second file of the same name gets '-2'). */
function certificateNames(report: ComplianceReport): string[] {
  const used = new Set<string>([PACKET_PDF_NAME, PACKET_CSV_NAME, PACKET_MANIFEST_NAME]);
  return report.certificates.map((c) => {
    const base = certificateFileName({
      license: c.license,
      lastName: c.lastName,
      kind: c.kind,
      completedOn: c.completedOn,
      ext: certificateExtension(c.contentType),
    });
    let name = base;
    for (let n = 2; used.has(name); n++) name = base.replace(/(\.[^.]*)?$/, (ext) => `-${n}${ext}`);
    used.add(name);
    return name;
  });
}

export interface PacketOptions {
  /** Where the private directory of the PDF and the CSV is made (default os.tmpdir()). */
  tmpDir?: string;
}

/**
 * Writes the packet into `out` (ended when the ZIP is complete) and resolves with its
 * manifest. Consumes `report.lines()` and disposes of the report. The certificates are read
 * from `pool` as the ZIP reaches them.
 */
export async function writeEvidencePacket(
  pool: Pick<pg.Pool, 'query'>,
  report: ComplianceReport,
  out: Writable,
  options: PacketOptions = {},
): Promise<Manifest> {
  const dir = await mkdtemp(join(options.tmpDir ?? tmpdir(), 'sro-evidence-'));
  try {
    const pdfPath = join(dir, PACKET_PDF_NAME);
    const csvPath = join(dir, PACKET_CSV_NAME);
    const csv = createWriteStream(csvPath);
    csv.write(PACKET_CSV_HEADER);
    // One pass over the sorted rows: the PDF draws each row, and the CSV gets it as it goes by.
    const tee: ComplianceReport = {
      ...report,
      lines: async function* () {
        for await (const l of report.lines()) {
          if (!csv.write(packetCsvRow(l, report.names))) await once(csv, 'drain');
          yield l;
        }
      },
    };
    await writeCompliancePdf(tee, createWriteStream(pdfPath));
    csv.end();
    await finished(csv);
    await report.dispose();

    const files: ManifestEntry[] = [];
    const zip = new yazl.ZipFile();
    const mtime = report.generatedAt;
    const entry = (name: string, compress: boolean, open: () => Readable) =>
      zip.addReadStreamLazy(name, { mtime, compress }, (cb) => {
        const source = open();
        const hasher = hashing(name, (e) => files.push(e));
        source.once('error', (e) => hasher.destroy(e));
        cb(null, source.pipe(hasher));
      });
    entry(PACKET_PDF_NAME, true, () => createReadStream(pdfPath));
    entry(PACKET_CSV_NAME, true, () => createReadStream(csvPath));
    // Certificates are PDF, PNG or JPEG, compressed already: stored as they are.
    const names = certificateNames(report);
    report.certificates.forEach((c, i) =>
      entry(names[i]!, false, () => Readable.from(readCertificateChunks(pool, c.sha256, c.size))),
    );
    const manifest: Manifest = {
      scope: manifestScope(report),
      asOf: report.asOf,
      generatedAt: report.generatedAt.toISOString(),
      files,
    };
    // yazl reads its entries one after the other: when it asks for the manifest, every file before it was hashed.
    zip.addReadStreamLazy(PACKET_MANIFEST_NAME, { mtime, compress: true }, (cb) =>
      cb(null, Readable.from([Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`)])),
    );
    const written = new Promise<void>((resolve, reject) => {
      zip.once('error', reject);
      out.once('error', reject);
      out.once('finish', resolve);
      out.once('close', resolve);
    });
    zip.outputStream.pipe(out);
    zip.end();
    try {
      await written;
    } catch (e) {
      zip.outputStream.unpipe(out);
      out.destroy(e as Error);
      throw e;
    }
    return manifest;
  } finally {
    await report.dispose();
    await rm(dir, { recursive: true, force: true });
  }
}
