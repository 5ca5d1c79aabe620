// The platform's cosmic palette and the gradient bar drawn behind the financial table's header
// (spec §1.6 fetched a stock image.png; drawing it here keeps the renderer free of asset files),
// plus the small PNG encoder both use.
import { crc32, deflateSync } from 'node:zlib';

export const PALETTE = {
  voidBlack: '05060A',
  quantumBlue: '2F6BFF',
  plasmaCyan: '22D3EE',
  nebulaPurple: '8B5CF6',
  white: 'FFFFFF',
  black: '000000',
  totalGrey: '808080', // §1.6: Total row fill RGB(128,128,128)
  dateGrey: '646464', // §1.6: proposal date RGB(100,100,100)
  mist: 'C9CEDD',
} as const;

export const FONT = 'Arial';

type Rgb = [number, number, number];

const rgb = (hex: string): Rgb => [0, 2, 4].map((i) => parseInt(hex.slice(i, i + 2), 16)) as Rgb;

/** A left-to-right gradient through the given colours, as PNG bytes. */
export function gradientPng(width: number, height: number, stops: readonly string[]): Buffer {
  const colours = stops.map(rgb);
  const row = Buffer.alloc(width * 3);
  for (let x = 0; x < width; x++) {
    const t = (x / Math.max(1, width - 1)) * (colours.length - 1);
    const i = Math.min(colours.length - 2, Math.floor(t));
    const f = t - i;
    for (let c = 0; c < 3; c++) row[x * 3 + c] = Math.round(colours[i][c] + (colours[i + 1][c] - colours[i][c]) * f);
  }
  return encodePng(width, height, Buffer.concat(Array.from({ length: height }, () => row)));
}

/** PNG bytes of packed 8-bit RGB pixels, row-major. */
export function encodePng(width: number, height: number, rgb: Buffer): Buffer {
  const stride = width * 3;
  const raw = Buffer.alloc((stride + 1) * height); // each row: filter byte 0, then RGB
  for (let y = 0; y < height; y++) rgb.copy(raw, y * (stride + 1) + 1, y * stride, (y + 1) * stride);
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8); // 8-bit RGB, no interlace
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

function chunk(type: string, data: Buffer): Buffer {
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  out.write(type, 4, 'latin1');
  data.copy(out, 8);
  out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
  return out;
}

/** The header bar: quantum blue → nebula purple → plasma cyan. */
export const HEADER_GRADIENT = [PALETTE.quantumBlue, PALETTE.nebulaPurple, PALETTE.plasmaCyan] as const;
