import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { composite, decodeImage } from '../src/mockup/compositor.ts';
import { MockupInputError } from '../src/mockup/errors.ts';
import { MAX_IMAGE_PIXELS, readImageInfo } from '../src/mockup/image-info.ts';
import { solidPng } from './images.ts';

const badInput = (pattern: RegExp) => (e: unknown) => e instanceof MockupInputError && pattern.test(e.message);

/** A real JPEG (made by the compositor) with an EXIF APP1 segment carrying `orientation`. */
async function jpegWithOrientation(orientation: number): Promise<Buffer> {
  const png = solidPng(40, 20, [100, 100, 100]);
  const jpeg = await composite({ photo: png, creatives: [png], frames: [{ points: [[1, 1], [30, 1], [30, 15], [1, 15]] }], timeOfDay: 'day' });
  const tiff = Buffer.from([0x4d, 0x4d, 0, 42, 0, 0, 0, 8, 0, 1, 0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, orientation, 0, 0, 0, 0, 0, 0]);
  const body = Buffer.concat([Buffer.from('Exif\0\0', 'latin1'), tiff]);
  const length = Buffer.alloc(2);
  length.writeUInt16BE(body.length + 2);
  return Buffer.concat([jpeg.subarray(0, 2), Buffer.from([0xff, 0xe1]), length, body, jpeg.subarray(2)]);
}

describe('image header check', () => {
  it('reads PNG and JPEG sizes without decoding', async () => {
    assert.deepEqual(readImageInfo(solidPng(37, 11, [0, 0, 0]), 'photo'), { format: 'png', width: 37, height: 11 });
    assert.deepEqual(readImageInfo(await jpegWithOrientation(1), 'photo'), { format: 'jpeg', width: 40, height: 20 });
  });

  it('reports EXIF-rotated JPEGs with the size OpenCV decodes them to, so frames are checked in display pixels', async () => {
    const rotated = await jpegWithOrientation(6);
    assert.deepEqual(readImageInfo(rotated, 'photo'), { format: 'jpeg', width: 20, height: 40 });
    const decoded = await decodeImage(rotated);
    assert.deepEqual([decoded.width, decoded.height], [20, 40]);
  });

  it('reads WebP sizes (lossless and extended headers)', () => {
    const vp8l = Buffer.alloc(30);
    vp8l.write('RIFF', 0, 'latin1');
    vp8l.write('WEBPVP8L', 8, 'latin1');
    vp8l[20] = 0x2f;
    vp8l.writeUInt32LE((640 - 1) | ((480 - 1) << 14), 21);
    assert.deepEqual(readImageInfo(vp8l, 'creative 1'), { format: 'webp', width: 640, height: 480 });
    const vp8x = Buffer.alloc(30);
    vp8x.write('RIFF', 0, 'latin1');
    vp8x.write('WEBPVP8X', 8, 'latin1');
    vp8x.writeUIntLE(1920 - 1, 24, 3);
    vp8x.writeUIntLE(1080 - 1, 27, 3);
    assert.deepEqual(readImageInfo(vp8x, 'creative 1'), { format: 'webp', width: 1920, height: 1080 });
  });

  it('refuses an image over 50 megapixels from its header alone', () => {
    const huge = Buffer.from(solidPng(1, 1, [0, 0, 0]));
    huge.writeUInt32BE(10_000, 16);
    huge.writeUInt32BE(6_000, 20);
    assert.ok(10_000 * 6_000 > MAX_IMAGE_PIXELS);
    assert.throws(() => readImageInfo(huge, 'creative 2'), badInput(/creative 2 is 10000x6000 \(60\.0 megapixels\); the limit is 50 megapixels/));
  });

  it('refuses GIFs, text and truncated files with a message naming the input', () => {
    assert.throws(() => readImageInfo(Buffer.from('GIF89a\x01\x00\x01\x00', 'latin1'), 'photo'), badInput(/photo could not be decoded: it is a GIF; use JPEG, PNG or WebP/));
    assert.throws(() => readImageInfo(Buffer.from('<html>not an image</html>'), 'creative 1'), badInput(/creative 1 could not be decoded: it is not an image we read/));
    assert.throws(() => readImageInfo(Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00]), 'photo'), badInput(/photo could not be decoded: the file is truncated/));
    assert.throws(() => readImageInfo(Buffer.alloc(0), 'photo'), badInput(/photo could not be decoded/));
  });
});
