// The Gotenberg route, against a stand-in for Gotenberg 8's LibreOffice module on loopback:
// it checks the multipart request chromiumly sends and answers with a real PDF that LibreOffice
// made for the same deck earlier in the test.
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { buildDeck, type Deck } from '../src/proposal/deck.ts';
import { convertPptxToPdf, PdfConversionError } from '../src/proposal/pdf.ts';
import { parseQuote } from '../src/proposal/quote.ts';
import { photosFor } from './fixtures/photos.ts';
import { separateAed } from './fixtures/quotes.ts';

interface SeenRequest {
  method: string;
  path: string;
  fields: Array<{ name: string; filename: string | null; bytes: Buffer }>;
}

type Mode = 'pdf' | 'error' | 'not-pdf' | 'hang';

let server: Server;
let baseUrl: string;
let mode: Mode = 'pdf';
let realPdf: Buffer;
let deck: Deck;
const seen: SeenRequest[] = [];

async function formOf(req: IncomingMessage) {
  const headers = new Headers();
  for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string') headers.set(k, v);
  const request = new Request('http://gotenberg.test/', { method: 'POST', headers, body: Readable.toWeb(req) as ReadableStream, duplex: 'half' } as RequestInit);
  return await request.formData();
}

before(async () => {
  const q = parseQuote(JSON.parse(JSON.stringify(separateAed)));
  deck = await buildDeck(q, photosFor(q));
  realPdf = await convertPptxToPdf(deck.pptx, { expectedPages: deck.slides.length, gotenbergUrl: '' });

  server = createServer((req, res) => {
    void (async () => {
      const path = new URL(req.url ?? '/', 'http://x').pathname;
      if (req.method !== 'POST' || path !== '/forms/libreoffice/convert') {
        res.writeHead(404).end('Not Found');
        return;
      }
      const form = await formOf(req);
      const fields: SeenRequest['fields'] = [];
      for (const [name, value] of form.entries()) {
        fields.push(typeof value === 'string'
          ? { name, filename: null, bytes: Buffer.from(value) }
          : { name, filename: value.name, bytes: Buffer.from(await value.arrayBuffer()) });
      }
      seen.push({ method: req.method, path, fields });
      if (mode === 'hang') return; // never answers
      if (mode === 'error') {
        res.writeHead(500, { 'Content-Type': 'text/plain', 'Gotenberg-Trace': 'trace-1' }).end('LibreOffice failed to convert');
        return;
      }
      const body = mode === 'pdf' ? realPdf : Buffer.from('<html>oops</html>');
      res.writeHead(200, { 'Content-Type': mode === 'pdf' ? 'application/pdf' : 'text/html', 'Content-Length': body.length }).end(body);
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
});

after(() => {
  server.closeAllConnections();
  server.close();
});

describe('PPTX → PDF through Gotenberg 8 (chromiumly)', () => {
  it('posts the deck as a multipart "files" part to /forms/libreoffice/convert and returns the PDF', async () => {
    mode = 'pdf';
    seen.length = 0;
    const pdf = await convertPptxToPdf(deck.pptx, { expectedPages: deck.slides.length, gotenbergUrl: baseUrl });
    assert.ok(pdf.equals(realPdf));
    assert.equal(seen.length, 1);
    const [request] = seen;
    assert.equal(request.path, '/forms/libreoffice/convert');
    const files = request.fields.filter((f) => f.name === 'files');
    assert.equal(files.length, 1);
    assert.match(files[0].filename ?? '', /\.pptx$/);
    assert.ok(files[0].bytes.equals(deck.pptx), 'the deck bytes arrive unchanged');
  });

  it('turns a Gotenberg error into a PdfConversionError with its status', async () => {
    mode = 'error';
    await assert.rejects(
      convertPptxToPdf(deck.pptx, { gotenbergUrl: baseUrl }),
      (e: unknown) => e instanceof PdfConversionError && /Gotenberg conversion failed/.test(e.message) && /500/.test(e.message),
    );
  });

  it('refuses an answer that is not a PDF', async () => {
    mode = 'not-pdf';
    await assert.rejects(convertPptxToPdf(deck.pptx, { gotenbergUrl: baseUrl }), /not a PDF/);
  });

  it('gives up on a Gotenberg that does not answer', async () => {
    mode = 'hang';
    await assert.rejects(convertPptxToPdf(deck.pptx, { gotenbergUrl: baseUrl, timeoutMs: 500 }), /Gotenberg did not answer within 500 ms/);
  });
});
