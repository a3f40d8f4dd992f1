// A certificate file's name when it leaves the console (INTERFACE.md "Reports for the board
// and the auditor": LICENSE-LASTNAME-KIND-DATE.ext), shared by the officer page's download and
// the evidence packet.
import { describe, expect, it } from 'vitest';
import { certificateExtension, certificateFileName } from '../../src/domain/certificate-name.ts';

describe('certificateFileName', () => {
  it('given a license, last name, kind, date and extension, then LICENSE-LASTNAME-KIND-DATE.ext', () => {
    expect(
      certificateFileName({
        license: '12345',
        lastName: 'Larson',
        kind: 'SRO_MANDATED',
        completedOn: '2026-03-02',
        ext: 'pdf',
      }),
    ).toBe('12345-Larson-SRO_MANDATED-2026-03-02.pdf');
  });

  it('given accented letters, then they lose their accents (the name stays readable in ASCII)', () => {
    const name = certificateFileName({
      license: 'A-7',
      lastName: 'Núñez Øvergård',
      kind: 'LEGACY_BASIC_NASRO',
      completedOn: '2024-08-01',
      ext: 'jpg',
    });
    expect(name).toBe('A-7-Nunez_Overgard-LEGACY_BASIC_NASRO-2024-08-01.jpg');
  });

  it('given characters a header or a file system would misread, then each run becomes one underscore', () => {
    const name = certificateFileName({
      license: '12/34 "x"',
      lastName: "O'Brien\r\nX-Evil: 1;\\",
      kind: 'SRO_SUPPLEMENTAL',
      completedOn: '2026-01-05',
      ext: '.PDF',
    });
    expect(name).toBe('12_34_x-O_Brien_X-Evil_1-SRO_SUPPLEMENTAL-2026-01-05.pdf');
    expect(name).toMatch(/^[\x21-\x7e]+$/);
  });

  it('given a last name with no Latin letter at all, then a word stands in for it (never an empty part)', () => {
    expect(
      certificateFileName({
        license: '9',
        lastName: '李',
        kind: 'SRO_MANDATED',
        completedOn: '2026-01-05',
        ext: 'png',
      }),
    ).toBe('9-officer-SRO_MANDATED-2026-01-05.png');
  });
});

describe('certificateExtension', () => {
  it('given the stored file type, then its extension', () => {
    expect(certificateExtension('application/pdf')).toBe('pdf');
    expect(certificateExtension('image/png')).toBe('png');
    expect(certificateExtension('image/jpeg')).toBe('jpg');
    expect(certificateExtension('application/zip')).toBe('bin');
  });
});
