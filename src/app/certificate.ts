// A training's certificate file read back (INTERFACE.md `GET /api/officers/:license/
// certificates/:sha256`; V.E: the chief holds the copy). Whether the viewer may read it is the
// policy module's ('certificate.read'), asked by the route before this runs.
import type pg from 'pg';
import { readCertificate } from '../db/console-facts.ts';
import { certificateExtension, certificateFileName } from '../domain/certificate-name.ts';
import { NotFound } from '../errors.ts';
import type { CertificateType } from './record-fact.ts';

/**
 * The file of one of this officer's trainings by its SHA-256 (hex), with the name it is
 * downloaded as (`LICENSE-LASTNAME-KIND-DATE.ext`, as in the evidence packet); NotFound for any other.
 */
export async function certificateFile(
  pool: pg.Pool,
  license: string,
  sha256Hex: string,
): Promise<{ contentType: CertificateType; bytes: Buffer; fileName: string }> {
  const hex = sha256Hex.toLowerCase();
  const file = /^[0-9a-f]{64}$/.test(hex) ? await readCertificate(pool, license, Buffer.from(hex, 'hex')) : null;
  if (!file) throw new NotFound('not found');
  const fileName = certificateFileName({
    license,
    lastName: file.lastName,
    kind: file.kind,
    completedOn: file.completedOn,
    ext: certificateExtension(file.contentType),
  });
  return { contentType: file.contentType as CertificateType, bytes: file.bytes, fileName };
}
