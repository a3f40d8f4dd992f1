// Reading a PDF back the way a screen reader or `pdftotext` does (unpdf, pdf.js without a
// browser): its text, its document information, and its structure tree's roles.
import { extractText, getDocumentProxy } from 'unpdf';

export interface ReadPdf {
  /** The text of every page, one line per text run, pages joined. */
  text: string;
  pages: number;
  info: Record<string, unknown>;
  /** Every role of the structure tree (Document, H1, Table, TR, TH, TD …), depth first. */
  roles: string[];
}

interface StructNode {
  role?: string;
  children?: StructNode[];
}

export async function readPdf(bytes: Uint8Array): Promise<ReadPdf> {
  const pdf = await getDocumentProxy(new Uint8Array(bytes));
  const { text } = await extractText(pdf, { mergePages: true });
  const { info } = await pdf.getMetadata();
  const roles: string[] = [];
  const walk = (n: StructNode | null | undefined) => {
    if (!n) return;
    if (n.role) roles.push(n.role);
    for (const c of n.children ?? []) walk(c);
  };
  for (let p = 1; p <= pdf.numPages; p++) walk((await (await pdf.getPage(p)).getStructTree()) as StructNode);
  const pages = pdf.numPages;
  return { text, pages, info: info as Record<string, unknown>, roles };
}

/** The objects of the file itself (pdfkit writes its dictionaries uncompressed): what a validator reads. */
export function pdfObjects(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('latin1');
}
