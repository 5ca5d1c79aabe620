// The mockup compositor's API: validate a request (images, frames, creative count, effect
// config), then run the §2.4 pipeline in the native addon on libuv's worker pool.
import { type EffectConfig, resolveEffectConfig } from './effect-config.ts';
import { MockupInputError } from './errors.ts';
import { creativeForEachFrame, type FrameInput, type Quad, validateFrames } from './frames.ts';
import { type ImageInfo, readImageInfo } from './image-info.ts';
import { type DecodedImage, loadAddon } from './native.ts';

export type TimeOfDay = 'day' | 'night';

export interface CompositeRequest {
  /** The template photo, JPEG, PNG or WebP bytes. */
  photo: Buffer;
  /** One creative for every frame, or one per frame (creative i → frame i). */
  creatives: Buffer[];
  /** The template's `frames_data`: points in any order, optional per-frame config. */
  frames: readonly FrameInput[];
  /** The template photo's `config` (lowest precedence). */
  photoConfig?: unknown;
  /** The request's override (`frame_config` / `config_override`), applied to every frame. */
  config?: unknown;
  /** Selects the depth effect: night glow or day haze. Indoor templates pass 'day'. */
  timeOfDay: TimeOfDay;
  /** 1–100, default 95 (the original's library default); previews use 85. */
  jpegQuality?: number;
}

export interface PlannedFrame {
  points: Quad;
  /** Index into `creatives`. */
  creative: number;
  config: EffectConfig;
}

export interface CompositePlan {
  photo: ImageInfo;
  frames: PlannedFrame[];
  timeOfDay: TimeOfDay;
  jpegQuality: number;
}

export const DEFAULT_JPEG_QUALITY = 95;

/**
 * Checks a request without rendering: every error a caller can fix surfaces here as a
 * MockupInputError, so a job can be refused before it is queued.
 */
export function planComposite(request: CompositeRequest): CompositePlan {
  if (request.timeOfDay !== 'day' && request.timeOfDay !== 'night') {
    throw new MockupInputError(`timeOfDay must be 'day' or 'night', got ${JSON.stringify(request.timeOfDay)}`);
  }
  const jpegQuality = request.jpegQuality ?? DEFAULT_JPEG_QUALITY;
  if (!Number.isInteger(jpegQuality) || jpegQuality < 1 || jpegQuality > 100) {
    throw new MockupInputError(`jpegQuality must be a whole number from 1 to 100, got ${jpegQuality}`);
  }
  if (!Buffer.isBuffer(request.photo)) throw new MockupInputError('photo must be the image file bytes');
  const photo = readImageInfo(request.photo, 'photo');
  if (!Array.isArray(request.creatives) || request.creatives.some((c) => !Buffer.isBuffer(c))) {
    throw new MockupInputError('creatives must be a list of image file bytes');
  }
  request.creatives.forEach((c, i) => readImageInfo(c, `creative ${i + 1}`));

  const frames = validateFrames(request.frames, photo);
  const creativeOf = creativeForEachFrame(request.creatives.length, frames.length);
  return {
    photo,
    timeOfDay: request.timeOfDay,
    jpegQuality,
    frames: frames.map((frame, i) => ({
      points: frame.points,
      creative: creativeOf[i],
      config: resolveEffectConfig({ photo: request.photoConfig, frame: frame.config, override: request.config }, `frame ${i + 1}`),
    })),
  };
}

/**
 * Composites the creatives onto the photo's frames and resolves with the JPEG bytes. Same
 * inputs give the same bytes. Rejects with MockupInputError for anything the caller can fix.
 * The input Buffers must not be modified until the promise settles.
 */
export async function composite(request: CompositeRequest): Promise<Buffer> {
  const plan = planComposite(request);
  const frames = plan.frames.map((f) => ({ quad: f.points.flat(), creative: f.creative, config: f.config }));
  const options = { night: plan.timeOfDay === 'night', jpegQuality: plan.jpegQuality, width: plan.photo.width, height: plan.photo.height };
  return await asInputError(loadAddon().composite(request.photo, request.creatives, frames, options));
}

/** Decodes a JPEG/PNG/WebP into packed RGB pixels (for checks on rendered mockups). */
export async function decodeImage(bytes: Buffer, what = 'image'): Promise<DecodedImage> {
  readImageInfo(bytes, what);
  return await asInputError(loadAddon().decodeRgb(bytes));
}

async function asInputError<T>(work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (e) {
    if ((e as { code?: string }).code === 'MOCKUP_BAD_INPUT') throw new MockupInputError((e as Error).message);
    throw e;
  }
}
