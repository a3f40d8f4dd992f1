// The compliance report as a PDF for the board and the auditor (INTERFACE.md "Reports for the
// board and the auditor"): US Letter, landscape, readable printed and on screen, and a tagged
// PDF (PDF 1.7 with a structure tree: a title shown as the window's title, the language, H1
// and H2 headings, real tables of TR, TH and TD), so a screen reader and `pdftotext` read it.
// DejaVu Sans is embedded (a subset), so every name prints as the roster writes it (Núñez,
// Ødegård). pdfkit draws it in the process: no browser at run time.
//
// Rows are drawn one at a time from the report's sorted lines and the bytes go out as pages
// end; drawing waits while the output is full, so memory holds a page, not the document.
// Repeated table headers and page footers are artifacts (not read twice by a screen reader).
import { once } from 'node:events';
import { createRequire } from 'node:module';
import type { Writable } from 'node:stream';
import PDFDocument from 'pdfkit';
import {
  CERTIFICATE_BASIS,
  DEADLINE_BASIS,
  type LegalBasis,
  POLICY_REVIEW_BASIS,
  STATUS_LABEL,
  TRAINING_LABEL,
  citation,
  restrictedDutiesShort,
  restrictedDutiesText,
} from '../mail/format.ts';
import { instantInZone } from '../shell/clock.ts';
import { escapeControls } from '../shell/terminal-text.ts';
import { OFFICER_STATUSES } from '../domain/report.ts';
import type { DeadlineBasis } from '../domain/types.ts';
import type { ComplianceReport, EvidenceLine } from './compliance-report.ts';
import { namesOf } from './status-report.ts';

const REPORT_TITLE = 'SRO training compliance report';

const require = createRequire(import.meta.url);
const FONT = require.resolve('dejavu-fonts-ttf/ttf/DejaVuSansCondensed.ttf');
const FONT_BOLD = require.resolve('dejavu-fonts-ttf/ttf/DejaVuSansCondensed-Bold.ttf');

type Doc = PDFKit.PDFDocument;
type Struct = PDFKit.PDFStructureElement;
/** pdfkit takes `scope` (a TH's Table attribute); its types do not list it. */
type StructOptions = Parameters<Doc['struct']>[1];

// Letter landscape: 792 × 612 points; half-inch margins and room for the footer.
const MARGIN = 36;
const BOTTOM = 48;
const INK = '#000000';
const MUTED = '#333333';
const RULE = '#9a9a9a';
const HEADER_FILL = '#e4e4e4';
const STRIPE = '#f3f3f3';
const CELL_PAD = 3;
const BODY_SIZE = 8;

/** The scope in words: 'Albert Lea Police Department (agency MN0240100)'. */
function scopeInWords(r: Pick<ComplianceReport, 'scope' | 'scopeName'>): string {
  if ('agencyId' in r.scope) return `${r.scopeName ?? r.scope.agencyId} (agency ${r.scope.agencyId})`;
  if ('districtId' in r.scope) return `${r.scopeName ?? r.scope.districtId} (district ${r.scope.districtId})`;
  return 'Every agency and district on the roster';
}

const upperFirst = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
const text = (s: string) => escapeControls(s);

interface Column {
  title: string;
  width: number;
  cell: (l: EvidenceLine) => string;
  bold?: (l: EvidenceLine) => boolean;
}

/** One table drawn row by row, its header row repeated (as an artifact) on each new page. */
class TableWriter {
  private readonly body: Struct;
  private readonly table: Struct;
  private rowIndex = 0;
  private readonly x: number;

  constructor(
    private readonly doc: Doc,
    parent: Struct,
    private readonly columns: readonly { title: string; width: number }[],
    private readonly onPage: (redraw: (() => void) | null) => void,
  ) {
    this.x = doc.page.margins.left;
    this.table = doc.struct('Table');
    parent.add(this.table);
    const head = doc.struct('THead');
    this.table.add(head);
    this.ensureRoom(this.headerHeight() + 3 * (BODY_SIZE + 4));
    this.header(head);
    head.end();
    this.body = doc.struct('TBody');
    this.table.add(this.body);
    // From here on a new page starts with the header row again.
    this.onPage(() => this.header(null));
  }

  private headerHeight(): number {
    this.doc.font('Bold').fontSize(BODY_SIZE);
    return (
      Math.max(...this.columns.map((c) => this.doc.heightOfString(c.title, { width: c.width - 2 * CELL_PAD }))) +
      2 * CELL_PAD
    );
  }

  /** The header row: tagged TH cells the first time, an artifact on later pages. */
  private header(parent: Struct | null): void {
    const doc = this.doc;
    const h = this.headerHeight();
    const y = doc.y;
    const width = this.columns.reduce((s, c) => s + c.width, 0);
    artifact(doc, () => doc.rect(this.x, y, width, h).fill(HEADER_FILL));
    const draw = (c: { title: string; width: number }, x: number) => () =>
      doc
        .font('Bold')
        .fontSize(BODY_SIZE)
        .fillColor(INK)
        .text(c.title, x + CELL_PAD, y + CELL_PAD, { width: c.width - 2 * CELL_PAD });
    let x = this.x;
    if (parent) {
      const tr = doc.struct('TR');
      parent.add(tr);
      for (const c of this.columns) {
        tr.add(doc.struct('TH', { scope: 'Column' } as StructOptions, draw(c, x)));
        x += c.width;
      }
      tr.end();
    } else {
      artifact(doc, () => {
        for (const c of this.columns) {
          draw(c, x)();
          x += c.width;
        }
      });
    }
    doc.x = this.x;
    doc.y = y + h;
  }

  /** Starts a new page when fewer than `height` points are left on this one. */
  private ensureRoom(height: number): void {
    if (this.doc.y + height > this.doc.page.height - BOTTOM) this.doc.addPage();
  }

  row(cells: readonly { text: string; bold?: boolean }[]): void {
    const doc = this.doc;
    const heights = cells.map((c, i) => {
      doc.font(c.bold ? 'Bold' : 'Sans').fontSize(BODY_SIZE);
      return doc.heightOfString(c.text, { width: this.columns[i]!.width - 2 * CELL_PAD });
    });
    const h = Math.max(...heights) + 2 * CELL_PAD;
    this.ensureRoom(h);
    const y = doc.y;
    const width = this.columns.reduce((s, c) => s + c.width, 0);
    artifact(doc, () => {
      if (this.rowIndex % 2 === 1) doc.rect(this.x, y, width, h).fill(STRIPE);
      doc
        .moveTo(this.x, y + h)
        .lineTo(this.x + width, y + h)
        .lineWidth(0.5)
        .strokeColor(RULE)
        .stroke();
    });
    const tr = doc.struct('TR');
    this.body.add(tr);
    let x = this.x;
    cells.forEach((c, i) => {
      const col = this.columns[i]!;
      const at = x;
      tr.add(
        doc.struct('TD', {}, () =>
          doc
            .font(c.bold ? 'Bold' : 'Sans')
            .fontSize(BODY_SIZE)
            .fillColor(INK)
            .text(c.text, at + CELL_PAD, y + CELL_PAD, { width: col.width - 2 * CELL_PAD }),
        ),
      );
      x += col.width;
    });
    tr.end();
    this.rowIndex += 1;
    doc.x = this.x;
    doc.y = y + h;
  }

  end(): void {
    this.body.end();
    this.table.end();
    this.onPage(null);
    this.doc.moveDown(0.8);
  }
}

/** Draws what is not content (backgrounds, rules, repeated headers, footers) as an artifact. */
function artifact(doc: Doc, draw: () => void): void {
  doc.save();
  doc.markContent('Artifact', { type: 'Layout' });
  draw();
  doc.endMarkedContent();
  doc.restore();
}

/** The officers' table's columns: the agency of each officer, or their districts in an agency's report. */
function officerColumns(r: ComplianceReport): Column[] {
  const byAgency = 'agencyId' in r.scope;
  return [
    { title: 'Name', width: 96, cell: (l) => text(l.officer.name) },
    { title: 'License', width: 48, cell: (l) => text(l.officer.license) },
    byAgency
      ? {
          title: 'Districts served',
          width: 92,
          cell: (l) => text(namesOf(l.districtIds, r.names.districts).join('; ') || '—'),
        }
      : {
          title: 'Agency',
          width: 92,
          cell: (l) => text(r.names.agencies.get(l.officer.agencyId) ?? l.officer.agencyId),
        },
    {
      title: 'Status',
      width: 78,
      cell: (l) => STATUS_LABEL[l.officer.status],
      bold: (l) => l.officer.status === 'OVERDUE',
    },
    { title: 'Due date', width: 50, cell: (l) => l.officer.dueDate ?? '—' },
    {
      title: 'Training that satisfies the rule',
      width: 152,
      cell: (l) => {
        const t = l.evidence.training;
        if (!t) return 'None on file';
        const e = l.evidence;
        return [
          upperFirst(TRAINING_LABEL[t.kind]),
          `Completed ${t.completedOn}`,
          ...(e.courseNumber ? [`Course ${text(e.courseNumber)}`] : []),
          ...(e.provider ? [text(e.provider)] : []),
        ].join('\n');
      },
    },
    {
      title: 'Certificate on file',
      width: 56,
      cell: (l) => (l.evidence.training ? (l.evidence.training.certificateOnFile ? 'Yes' : 'No') : '—'),
    },
    { title: 'Latest policy review', width: 54, cell: (l) => l.evidence.latestPolicyReview ?? 'None on file' },
    {
      title: 'Restricted duties',
      width: 94,
      cell: (l) => upperFirst(restrictedDutiesShort(l.officer.restrictedDuties) ?? '—'),
    },
  ];
}

/** The rules the report's rows rest on, each with its provision of policy 507.5 and the statute. */
function rulesUsed(bases: ReadonlySet<DeadlineBasis>, flags: { grace: boolean; substitutes: boolean }): LegalBasis[] {
  const out: LegalBasis[] = [];
  for (const b of Object.keys(DEADLINE_BASIS) as DeadlineBasis[]) if (bases.has(b)) out.push(DEADLINE_BASIS[b]);
  out.push(CERTIFICATE_BASIS);
  if (flags.grace) out.push(POLICY_REVIEW_BASIS.IN_GRACE);
  if (flags.substitutes) out.push(POLICY_REVIEW_BASIS.SUBSTITUTE);
  return out;
}

export interface PdfOptions {
  /** Rows drawn between two waits for the output to drain (default 50). */
  drainEvery?: number;
}

/**
 * Draws the report into `out` (a file, an HTTP answer, a ZIP entry) and resolves when the last
 * byte was handed to it; `out` is ended. Consumes `report.lines()`.
 */
export async function writeCompliancePdf(
  report: ComplianceReport,
  out: Writable,
  options: PdfOptions = {},
): Promise<void> {
  const scope = scopeInWords(report);
  const made = instantInZone(report.generatedAt, report.timeZone);
  const doc = new PDFDocument({
    size: 'LETTER',
    layout: 'landscape',
    margins: { top: MARGIN, bottom: MARGIN, left: MARGIN, right: MARGIN },
    tagged: true,
    pdfVersion: '1.7',
    lang: 'en-US',
    displayTitle: true,
    info: {
      Title: REPORT_TITLE,
      Subject: `${scope}, as of ${report.asOf}`,
      Author: report.generatedBy,
      Creator: 'SRO compliance',
      CreationDate: report.generatedAt,
    },
  });
  const finished = new Promise<void>((resolve, reject) => {
    out.once('finish', resolve);
    out.once('close', resolve);
    out.once('error', reject);
    doc.once('error', reject);
  });
  doc.pipe(out);
  doc.registerFont('Sans', FONT);
  doc.registerFont('Bold', FONT_BOLD);

  let pageNumber = 0;
  let repeatHeader: (() => void) | null = null;
  const footer = () => {
    pageNumber += 1;
    const { x, y } = doc;
    const bottom = doc.page.margins.bottom;
    doc.page.margins.bottom = 0;
    artifact(doc, () =>
      doc
        .font('Sans')
        .fontSize(7.5)
        .fillColor(MUTED)
        .text(
          `${REPORT_TITLE} · ${scope} · as of ${report.asOf} · made ${made} · page ${pageNumber}`,
          MARGIN,
          doc.page.height - MARGIN + 8,
          { width: doc.page.width - 2 * MARGIN, lineBreak: false },
        ),
    );
    doc.page.margins.bottom = bottom;
    doc.x = x;
    doc.y = y;
  };
  doc.on('pageAdded', () => {
    footer();
    doc.y = MARGIN;
    repeatHeader?.();
  });
  footer();

  const root = doc.struct('Document');
  doc.addStructure(root);
  const paragraph = (words: string, size = 10, color = INK) =>
    root.add(
      doc.struct('P', {}, () =>
        doc
          .font('Sans')
          .fontSize(size)
          .fillColor(color)
          .text(words, MARGIN, doc.y, { width: doc.page.width - 2 * MARGIN }),
      ),
    );
  const heading = (level: 'H1' | 'H2', words: string) => {
    if (doc.y + 48 > doc.page.height - BOTTOM) doc.addPage();
    if (level === 'H2') doc.moveDown(0.4);
    root.add(
      doc.struct(level, {}, () =>
        doc
          .font('Bold')
          .fontSize(level === 'H1' ? 18 : 12.5)
          .fillColor(INK)
          .text(words, MARGIN, doc.y),
      ),
    );
    doc.moveDown(0.3);
  };
  const table = (columns: readonly { title: string; width: number }[]) =>
    new TableWriter(doc, root, columns, (redraw) => {
      repeatHeader = redraw;
    });

  heading('H1', REPORT_TITLE);
  paragraph(`Scope: ${text(scope)}`, 11);
  paragraph(`Status as of: ${report.asOf} (the end of that day)`, 11);
  paragraph(`Made: ${made} by ${text(report.generatedBy)}`, 11);
  doc.moveDown(0.5);
  paragraph(
    'Where each school resource officer stands on the training Minn. Stat. § 626.8482 and school-board policy 507.5 require: ' +
      'the course that satisfies the rule, the certificate the chief keeps (V.E), the latest review of the SRO policy, and ' +
      "substitutes' student contact days (V.D). Officers are listed most urgent first: overdue, then by due date.",
    9.5,
    MUTED,
  );

  heading('H2', 'Officers by status');
  const counts = table([
    { title: 'Status', width: 220 },
    { title: 'Officers', width: 70 },
  ]);
  for (const s of OFFICER_STATUSES) counts.row([{ text: STATUS_LABEL[s] }, { text: String(report.counts[s]) }]);
  counts.row([
    { text: 'All officers in scope', bold: true },
    { text: String(report.total), bold: true },
  ]);
  counts.end();

  heading('H2', 'Officers');
  const bases = new Set<DeadlineBasis>();
  const substitutes: EvidenceLine[] = [];
  const acknowledgements: EvidenceLine[] = [];
  let grace = false;
  const drainEvery = options.drainEvery ?? 50;
  if (report.total === 0) {
    paragraph(`No officers in this scope as of ${report.asOf}.`);
  } else {
    const columns = officerColumns(report);
    const officers = table(columns);
    let n = 0;
    for await (const l of report.lines()) {
      officers.row(columns.map((c) => ({ text: c.cell(l), bold: c.bold?.(l) ?? false })));
      if (l.evidence.basis) bases.add(l.evidence.basis);
      if (l.officer.status === 'IN_GRACE') grace = true;
      if (l.evidence.substitute) substitutes.push(l);
      if (l.evidence.acknowledgement) acknowledgements.push(l);
      // Hold the drawing while the reader is behind (pdfkit pushes every page it ends).
      if (++n % drainEvery === 0 && out.writableNeedDrain) await once(out, 'drain');
    }
    officers.end();
  }

  heading('H2', 'Substitutes: student contact days served this school year');
  if (substitutes.length === 0) paragraph('No substitute school resource officers in this scope.');
  else {
    const t = table([
      { title: 'Name', width: 150 },
      { title: 'License', width: 70 },
      { title: 'Status', width: 150 },
      { title: 'Contact days served', width: 90 },
      { title: 'Projected 60th day', width: 90 },
    ]);
    for (const l of substitutes)
      t.row([
        { text: text(l.officer.name) },
        { text: text(l.officer.license) },
        { text: STATUS_LABEL[l.officer.status] },
        { text: String(l.officer.contactDays) },
        { text: l.officer.projected60thDay ?? '—' },
      ]);
    t.end();
  }

  heading('H2', 'Open acknowledgments of missed deadlines');
  if (acknowledgements.length === 0) paragraph('No overdue officer in this scope has an acknowledgment on file.');
  else {
    const t = table([
      { title: 'Name', width: 110 },
      { title: 'License', width: 56 },
      { title: 'Missed due date', width: 64 },
      { title: 'Acknowledged', width: 150 },
      { title: 'Planned completion', width: 70 },
      { title: 'Note', width: 270 },
    ]);
    for (const l of acknowledgements) {
      const a = l.evidence.acknowledgement!;
      t.row([
        { text: text(l.officer.name) },
        { text: text(l.officer.license) },
        { text: l.officer.dueDate ?? '—' },
        { text: `${a.acknowledgedOn} by ${text(a.by)}` },
        { text: a.plannedCompletionOn ?? '—' },
        { text: text(a.note ?? '—') },
      ]);
    }
    t.end();
  }

  heading('H2', 'The rules this report applies');
  for (const b of rulesUsed(bases, { grace, substitutes: substitutes.length > 0 })) {
    paragraph(`${citation(b)}: ${b.rule}`, 9);
    doc.moveDown(0.35);
  }
  const duties = restrictedDutiesText([4, 5]);
  if (duties && (grace || substitutes.length > 0)) paragraph(duties, 9);
  root.end();
  doc.end();
  await finished;
}
