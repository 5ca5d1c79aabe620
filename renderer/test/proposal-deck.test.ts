import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildDeck, planDeck } from '../src/proposal/deck.ts';
import { parseQuote, type Quote } from '../src/proposal/quote.ts';
import { locationSpecs, proposalTerms } from '../src/proposal/slide-text.ts';
import { photosFor } from './fixtures/photos.ts';
import { combinedEur, separateAed, separateUsd } from './fixtures/quotes.ts';
import { readZip, slideXml, tableRows, textRuns } from './zip.ts';

/** A 1×1 lossless WebP. */
const WEBP = Buffer.from('UklGRhoAAABXRUJQVlA4TA0AAAAvAAAAEAcQERGIiP4HAA==', 'base64');

/** As the job receives it: JSON from the database, checked by parseQuote. */
const asReceived = (quote: Quote) => parseQuote(JSON.parse(JSON.stringify(quote)));

async function slidesOf(quote: Quote): Promise<string[]> {
  const q = asReceived(quote);
  const deck = await buildDeck(q, photosFor(q));
  const slides = slideXml(deck.pptx);
  assert.equal(slides.length, deck.slides.length, 'one slide XML per planned slide');
  return slides;
}

const GATEWAY = 'The Landmark Series: The Dubai Gateway - Size (40m x 10m) - 2 faces - 1 spot - 16 Seconds - 16.7% SOV - 96 seconds loop';

describe('proposal deck: separate, USD, two options', () => {
  it('orders intro, then photo and financial slide per location, then outro', () => {
    const plan = planDeck(asReceived(separateUsd)).map((s) => s.kind === 'location' || s.kind === 'financial' ? `${s.kind}:${s.location?.location_key}` : s.kind);
    assert.deepEqual(plan, ['intro', 'location:dubai_gateway', 'financial:dubai_gateway', 'location:szr_unipole', 'financial:szr_unipole', 'outro']);
  });

  it('lays out the §1.6 table with the exact labels and the quote\'s display amounts', async () => {
    const slides = await slidesOf(separateUsd);
    assert.deepEqual(tableRows(slides[2]), [
      ['Emirates NBD Investment Sheet'],
      ['Location:', GATEWAY],
      ['Start/End Date:', '1st December 2026 - 29th December 2026', '1st December 2026 - 26th January 2027'],
      ['Duration:', '4 Weeks', '8 Weeks'],
      ['Net Rate:', '$340,367.60', '$626,276.38'],
      ['Upload Fee:', '$816.88'],
      ['Municipality Fee:', '$141.59 Per Image/Message'],
      ['VAT 5% :', '$17,066.30', '$31,361.74'],
      ['Total:', '$358,392.38', '$658,596.60'],
    ]);
    assert.deepEqual(tableRows(slides[4]).slice(4), [
      ['Net Rate:', '$122,532.33'],
      ['Production Fee:', '$4,084.41'],
      ['Municipality Fee:', '$141.59 Per Image/Message'],
      ['VAT 5% :', '$6,337.92'],
      ['Total:', '$133,096.26'],
    ]);
  });

  it('styles the table per §1.6: merged header and single values, 2 pt black borders, grey bold Total row, scaled fonts', async () => {
    const xml = (await slidesOf(separateUsd))[2];
    const table = /<a:tbl>[\s\S]*<\/a:tbl>/.exec(xml)![0];
    assert.match(table, /<a:tc gridSpan="3">/, 'header spans label + 2 option columns');
    assert.equal((table.match(/<a:tc gridSpan="2">/g) ?? []).length, 3, 'location, fee and municipality rows merged over the options');
    const borders = table.match(/<a:ln[LRTB] w="(\d+)"/g) ?? [];
    assert.ok(borders.length >= 4 * 22 && borders.every((b) => b.endsWith('w="25400"')), '2 pt = 25400 EMU on every side of every cell');
    assert.doesNotMatch(table, /tableStyleId/);
    const totalRow = [...table.matchAll(/<a:tr\b[\s\S]*?<\/a:tr>/g)].at(-1)![0];
    assert.match(totalRow, /<a:srgbClr val="808080"\/>/);
    assert.match(totalRow, /sz="1750"[^>]*b="1"|b="1"[^>]*sz="1750"/, 'Total: 28 pt × 0.625, bold');
    assert.match(totalRow, /<a:solidFill><a:srgbClr val="FFFFFF"\/><\/a:solidFill>/, 'white text');
    assert.match(table, /sz="2250"/, 'header 36 pt × 0.625');
    assert.match(table, /sz="1250"/, 'body 20 pt × 0.625');
  });

  it('puts the terms with the written-out validity date and the proposal date on the financial slide', async () => {
    const runs = textRuns((await slidesOf(separateUsd))[2]);
    assert.ok(runs.includes('Proposal valid until 22nd of December, 2026.'), runs.join(' | '));
    assert.ok(runs.includes('Payment terms: 100% upfront.'));
    assert.ok(runs.includes('Amounts are shown in USD, converted from AED at current exchange rates.'));
    assert.ok(runs.includes('Proposal Date: 22/11/2026'));
  });

  it('shows the location photo cover-cropped, the description line and the specs', async () => {
    const xml = (await slidesOf(separateUsd))[1];
    assert.match(xml, /<p:pic>[\s\S]*<a:srcRect [^>]*\/>/, 'cover crop');
    const runs = textRuns(xml);
    for (const t of ['THE LANDMARK SERIES', 'The Dubai Gateway', GATEWAY, 'Type', 'Digital', 'Size', '40m x 10m', 'Faces', 'Share of voice', '16.7%', 'Loop', '96 seconds']) {
      assert.ok(runs.includes(t), `${t} in ${runs.join(' | ')}`);
    }
  });

  it('puts the client, the date and the locations on the intro slide', async () => {
    const runs = textRuns((await slidesOf(separateUsd))[0]);
    assert.ok(runs.includes('emirates NBD'));
    assert.ok(runs.includes('22nd November 2026'));
    assert.ok(runs.some((r) => r.includes('The Dubai Gateway') && r.includes('Sheikh Zayed Road Unipole')));
  });
});

describe('proposal deck: combined, EUR, three locations', () => {
  it('has one photo slide per location and one package slide', () => {
    const plan = planDeck(asReceived(combinedEur)).map((s) => s.kind);
    assert.deepEqual(plan, ['intro', 'location', 'location', 'location', 'financial', 'outro']);
  });

  it('shows one column per location and the package money merged', async () => {
    const rows = tableRows((await slidesOf(combinedEur))[4]);
    assert.deepEqual(rows, [
      ['Café Société Group Investment Sheet'],
      ['Location:', GATEWAY, 'Sheikh Zayed Road Unipole - Size (12m x 4m) - 2 faces', 'Digital Icons: Mall Screens Network - Multiple Sizes - 1 faces - 2 spots - 20 Seconds - 33.3% SOV - 60 seconds loop'],
      ['Start/End Date:', '1st December 2026 - 29th December 2026', '1st January 2027 - 26th February 2027', '15th December 2026 - 22nd December 2026'],
      ['Duration:', '4 Weeks', '8 Weeks', '1 Week'],
      ['Net Rate:', '€453,400.50'],
      ['Upload/Production Fee:', '€755.67', '€3,778.34', '€503.78'],
      ['Municipality Fee:', '€130.98 Per Image/Message'],
      ['VAT 5% :', '€22,928.46'],
      ['Total:', '€481,497.73'],
    ]);
  });

  it('shows a plain panel for a location without a photo, and no spot details for a static one', async () => {
    const slides = await slidesOf(combinedEur);
    assert.ok(textRuns(slides[3]).includes('No photo on file'));
    assert.equal((slides[3].match(/<p:pic>/g) ?? []).length, 1, 'only the gradient bar, no photo');
    assert.equal((slides[1].match(/<p:pic>/g) ?? []).length, 2, 'bar and photo');
    const staticSpecs = locationSpecs(asReceived(combinedEur).locations[1]);
    assert.deepEqual(staticSpecs, [['Type', 'Static'], ['Size', '12m x 4m'], ['Faces', '2']]);
  });

  it('shows a location listed twice once among the photo slides but twice in the table', async () => {
    const twice = { ...combinedEur, locations: [...combinedEur.locations, combinedEur.locations[0]] };
    const plan = planDeck(asReceived(twice)).map((s) => s.kind);
    assert.deepEqual(plan, ['intro', 'location', 'location', 'location', 'financial', 'outro']);
    const rows = tableRows((await slidesOf(twice))[4]);
    assert.equal(rows[3].length, 5, 'label + 4 location columns');
  });
});

describe('proposal deck: AED, no client name', () => {
  it('titles the sheet "Investment Sheet" and shows whole dirhams as quoted', async () => {
    const slides = await slidesOf(separateAed);
    assert.equal(slides.length, 4);
    const rows = tableRows(slides[2]);
    assert.deepEqual(rows[0], ['Investment Sheet']);
    assert.deepEqual(rows.slice(4), [
      ['Net Rate:', 'AED 100,000'],
      ['Upload Fee:', 'AED 3,000'],
      ['Municipality Fee:', 'AED 520 Per Image/Message'],
      ['VAT 5% :', 'AED 5,176'],
      ['Total:', 'AED 108,696'],
    ]);
  });

  it('appends the validity sentence when the quote\'s terms do not carry the date', () => {
    const quote = asReceived({ ...separateAed, terms: ['Payment terms: 100% upfront.'] });
    assert.deepEqual(proposalTerms(quote), ['Payment terms: 100% upfront.', 'Proposal valid until 22nd of December, 2026.']);
  });

  it('embeds a WebP photo as PNG, since PPTX has no content type for WebP', async () => {
    const quote = asReceived(separateAed);
    const deck = await buildDeck(quote, new Map([[quote.locations[0].photo_path!, WEBP]]));
    const media = [...readZip(deck.pptx).entries()].filter(([name]) => /^ppt\/media\/./.test(name));
    assert.ok(media.length >= 2, 'the gradient bar and the photo');
    assert.ok(media.every(([name, bytes]) => name.endsWith('.png') && bytes.readUInt32BE(0) === 0x89504e47), media.map(([n]) => n).join(', '));
    assert.ok(media.some(([, bytes]) => bytes.readUInt32BE(16) === 1 && bytes.readUInt32BE(20) === 1), 'the 1×1 photo');
  });

  it('fails when a location has a photo path but no photo bytes were given', async () => {
    await assert.rejects(buildDeck(asReceived(separateAed), new Map()), /no photo bytes for backlite_dubai\/dubai_gateway/);
  });
});
