// The name a certificate file is given when it leaves the console: the officer page's download
// and the evidence packet (INTERFACE.md "Reports for the board and the auditor":
// `LICENSE-LASTNAME-KIND-DATE.ext`). ASCII only, so that every browser, ZIP tool and file
// system keeps it as written: letters lose their accents (Núñez → Nunez), anything else that
// is not a letter, a digit or '-' becomes '_'.

/** The file types a certificate is kept as, and the extension each file gets. */
const EXTENSION: Record<string, string> = {
  'application/pdf': 'pdf',
  'image/png': 'png',
  'image/jpeg': 'jpg',
};

/** The extension of a certificate's stored content type ('pdf', 'png', 'jpg'); 'bin' for another type. */
export function certificateExtension(contentType: string): string {
  return EXTENSION[contentType.toLowerCase()] ?? 'bin';
}

/** Letters that do not decompose into an ASCII letter and a mark (NFKD leaves them whole). */
const LETTERS: Record<string, string> = {
  ß: 'ss',
  ẞ: 'SS',
  æ: 'ae',
  Æ: 'AE',
  ø: 'o',
  Ø: 'O',
  œ: 'oe',
  Œ: 'OE',
  ł: 'l',
  Ł: 'L',
  đ: 'd',
  Đ: 'D',
  ð: 'd',
  Ð: 'D',
  þ: 'th',
  Þ: 'TH',
  ı: 'i',
};

/** One part of the name in ASCII: accents dropped, other characters '_' (one for a run), never empty. */
function asciiPart(text: string, fallback: string): string {
  const plain = [...text.normalize('NFKD')]
    .map((ch) => LETTERS[ch] ?? ch)
    .join('')
    .replace(/\p{M}+/gu, '')
    .replace(/[^A-Za-z0-9-]+/g, '_')
    .replace(/^[_-]+|[_-]+$/g, '');
  return plain === '' ? fallback : plain;
}

export interface CertificateNameParts {
  license: string;
  lastName: string;
  /** The training's kind as the roster writes it (SRO_MANDATED …). */
  kind: string;
  /** The day the course was completed (YYYY-MM-DD). */
  completedOn: string;
  /** The extension without its dot ('pdf'); see certificateExtension. */
  ext: string;
}

/** `LICENSE-LASTNAME-KIND-DATE.ext`, e.g. '12345-Larson-SRO_MANDATED-2026-03-02.pdf'. */
export function certificateFileName(p: CertificateNameParts): string {
  const ext =
    p.ext
      .replace(/^\./, '')
      .toLowerCase()
      .replace(/[^a-z0-9]/g, '') || 'bin';
  return `${asciiPart(p.license, 'license')}-${asciiPart(p.lastName, 'officer')}-${asciiPart(p.kind, 'training')}-${asciiPart(p.completedOn, 'undated')}.${ext}`;
}
