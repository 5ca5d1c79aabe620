// Text of uploaded documents for the model (spec §4.5): PDF through `unpdf` (pdf.js built for
// every runtime), Excel and Word (OOXML) by reading their XML parts with `fflate`, CSV and
// plain text as UTF-8. Legacy binary Office files (.xls, .doc, .ppt) and PowerPoint are not
// extracted; the caller gets null and says so.
import { unzipSync } from 'fflate';
import { extractText } from 'unpdf';

export interface ExtractedText {
  text: string;
  /** e.g. "3 pages", "2 sheets". */
  detail: string;
  truncated: boolean;
}

export const MAX_EXTRACTED_CHARS = 30_000;

/**
 * The most the XML parts read from one Office file may unpack to. A few MB of zip can declare
 * gigabytes (a zip bomb); fflate allocates what an entry declares, so the declared sizes are
 * checked before anything is inflated. Real order forms and sheets are far below this.
 */
export const MAX_UNZIPPED_BYTES = 64 * 1024 * 1024;

/** The wanted parts of an OOXML file, refusing before inflating when they would be too large. */
function unzipParts(
  bytes: Uint8Array,
  wanted: (name: string) => boolean,
  limit = MAX_UNZIPPED_BYTES,
): Record<string, Uint8Array> {
  let declared = 0;
  return unzipSync(bytes, {
    filter: (file) => {
      if (!wanted(file.name)) return false;
      declared += file.originalSize;
      if (declared > limit) {
        throw new Error(
          `its contents unpack to more than ${Math.round(limit / 1024 / 1024)} MB, which is not a normal Office document`,
        );
      }
      return true;
    },
  });
}

function limited(text: string, detail: string, max: number): ExtractedText {
  const clean = text.replace(/\r\n?/g, '\n').replace(/[ \t]+\n/g, '\n').replace(/\n{3,}/g, '\n\n')
    .trim();
  return clean.length > max
    ? { text: clean.slice(0, max), detail, truncated: true }
    : { text: clean, detail, truncated: false };
}

export async function extractPdfText(
  bytes: Uint8Array,
  max = MAX_EXTRACTED_CHARS,
): Promise<ExtractedText> {
  // pdf.js takes ownership of the buffer it is given: hand it a copy.
  const { totalPages, text } = await extractText(new Uint8Array(bytes), { mergePages: false });
  const pages = (text as string[]).map((page, i) => `--- page ${i + 1} ---\n${page}`);
  return limited(pages.join('\n'), `${totalPages} page${totalPages === 1 ? '' : 's'}`, max);
}

const XML_ENTITIES: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
};

function decodeXml(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, entity: string) => {
    if (entity[0] === '#') {
      const code = entity[1] === 'x' || entity[1] === 'X'
        ? parseInt(entity.slice(2), 16)
        : parseInt(entity.slice(1), 10);
      return Number.isFinite(code) ? String.fromCodePoint(code) : whole;
    }
    return XML_ENTITIES[entity.toLowerCase()] ?? whole;
  });
}

/** Concatenated text of every `<t>` / `<w:t>` element in a piece of OOXML. */
function textRuns(xml: string, tag: 't' | 'w:t'): string {
  const runs = xml.matchAll(new RegExp(`<${tag}(?:\\s[^>]*)?>([^<]*)</${tag}>`, 'g'));
  return [...runs].map((m) => decodeXml(m[1])).join('');
}

function columnIndex(cellRef: string): number {
  const letters = /^[A-Z]+/.exec(cellRef)?.[0] ?? 'A';
  let index = 0;
  for (const letter of letters) index = index * 26 + (letter.charCodeAt(0) - 64);
  return index - 1;
}

/** Each sheet as tab-separated rows, under its name. */
export function extractXlsxText(bytes: Uint8Array, max = MAX_EXTRACTED_CHARS): ExtractedText {
  const files = unzipParts(
    bytes,
    (name) =>
      name === 'xl/workbook.xml' || name === 'xl/sharedStrings.xml' ||
      /^xl\/worksheets\/sheet\d+\.xml$/.test(name),
  );
  const decoder = new TextDecoder();
  const read = (name: string) => (files[name] ? decoder.decode(files[name]) : '');

  const shared = [...read('xl/sharedStrings.xml').matchAll(/<si>([\s\S]*?)<\/si>/g)]
    .map((m) => textRuns(m[1], 't'));
  const sheetNames = [...read('xl/workbook.xml').matchAll(/<sheet\b[^>]*\bname="([^"]*)"/g)]
    .map((m) => decodeXml(m[1]));
  const sheetFiles = Object.keys(files)
    .filter((name) => name.startsWith('xl/worksheets/'))
    .sort((a, b) => Number(/(\d+)\.xml$/.exec(a)?.[1]) - Number(/(\d+)\.xml$/.exec(b)?.[1]));

  const sections = sheetFiles.map((file, i) => {
    const rows = [...read(file).matchAll(/<row\b[^>]*>([\s\S]*?)<\/row>/g)].map((row) => {
      const cells: string[] = [];
      for (const cell of row[1].matchAll(/<c\b([^>]*?)(?:\/>|>([\s\S]*?)<\/c>)/g)) {
        const attributes = cell[1];
        const body = cell[2] ?? '';
        const ref = /\br="([A-Z]+\d+)"/.exec(attributes)?.[1];
        const type = /\bt="([^"]+)"/.exec(attributes)?.[1];
        const raw = /<v>([\s\S]*?)<\/v>/.exec(body)?.[1];
        let value = '';
        if (type === 's' && raw !== undefined) value = shared[Number(raw)] ?? '';
        else if (type === 'inlineStr') value = textRuns(body, 't');
        else if (raw !== undefined) value = decodeXml(raw);
        const column = ref ? columnIndex(ref) : cells.length;
        while (cells.length < column) cells.push('');
        cells[column] = value;
      }
      return cells.join('\t').replace(/\t+$/, '');
    }).filter((line) => line.trim());
    return `--- sheet: ${sheetNames[i] ?? `Sheet${i + 1}`} ---\n${rows.join('\n')}`;
  });
  const count = sheetFiles.length;
  return limited(sections.join('\n'), `${count} sheet${count === 1 ? '' : 's'}`, max);
}

/** Paragraphs of a Word document. */
export function extractDocxText(bytes: Uint8Array, max = MAX_EXTRACTED_CHARS): ExtractedText {
  const files = unzipParts(bytes, (name) => name === 'word/document.xml');
  const xml = new TextDecoder().decode(files['word/document.xml'] ?? new Uint8Array());
  const paragraphs = [...xml.matchAll(/<w:p\b[^>]*>([\s\S]*?)<\/w:p>/g)].map((m) =>
    textRuns(m[1], 'w:t')
  );
  return limited(paragraphs.join('\n'), `${paragraphs.length} paragraphs`, max);
}

export function extractPlainText(bytes: Uint8Array, max = MAX_EXTRACTED_CHARS): ExtractedText {
  const text = new TextDecoder('utf-8', { fatal: false }).decode(bytes);
  return limited(text, `${text.split('\n').length} lines`, max);
}

/** Text of a document by its (sniffed) extension, or null when this type is not extracted. */
export async function extractDocumentText(
  extension: string,
  bytes: Uint8Array,
  max = MAX_EXTRACTED_CHARS,
): Promise<ExtractedText | null> {
  switch (extension) {
    case 'pdf':
      return await extractPdfText(bytes, max);
    case 'xlsx':
      return extractXlsxText(bytes, max);
    case 'docx':
      return extractDocxText(bytes, max);
    case 'csv':
    case 'txt':
      return extractPlainText(bytes, max);
    default:
      return null;
  }
}
