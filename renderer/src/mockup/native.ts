// Loads the native mockup addon (renderer/native, built by `npm run build:native -w @mmg/renderer`)
// on first use, so modules that only validate (config, frames) never need it.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type { EffectConfig } from './effect-config.ts';

export interface NativeFrame {
  /** TL, TR, BR, BL as x0, y0, x1, y1, … in photo pixels. */
  quad: number[];
  creative: number;
  config: EffectConfig;
}

export interface NativeOptions {
  night: boolean;
  jpegQuality: number;
  /** The photo size the frames were validated against. */
  width: number;
  height: number;
}

export interface DecodedImage {
  width: number;
  height: number;
  /** Packed RGB, row-major. */
  data: Buffer;
}

export interface MockupAddon {
  composite(photo: Buffer, creatives: Buffer[], frames: NativeFrame[], options: NativeOptions): Promise<Buffer>;
  decodeRgb(image: Buffer): Promise<DecodedImage>;
  opencvVersion: string;
}

export const addonPath = fileURLToPath(new URL('../../native/build/Release/mockup.node', import.meta.url));

let addon: MockupAddon | undefined;

export function loadAddon(): MockupAddon {
  if (addon) return addon;
  if (!existsSync(addonPath)) {
    throw new Error(`the native mockup addon is not built (${addonPath}); run: npm run build:native -w @mmg/renderer`);
  }
  addon = createRequire(import.meta.url)(addonPath) as MockupAddon;
  return addon;
}
