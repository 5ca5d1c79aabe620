// The mockup compositor's public surface (spec §2): what the render-job integration calls.
export { composite, type CompositePlan, type CompositeRequest, decodeImage, DEFAULT_JPEG_QUALITY, planComposite, type PlannedFrame, type TimeOfDay } from './compositor.ts';
export { DEFAULT_EFFECT_CONFIG, EFFECT_PARAMETERS, EFFECT_SWITCHES, type EffectConfig, type EffectConfigLayer, type EffectConfigLayers, parseEffectConfig, resolveEffectConfig } from './effect-config.ts';
export { MockupInputError } from './errors.ts';
export { creativeForEachFrame, detectGreenScreen, type Frame, type FrameInput, GREEN_SCREEN_DEFAULTS, type GreenScreenOptions, type GreenScreenResult, orderPoints, type PixelImage, type Point, type Quad, validateFrames } from './frames.ts';
export { type ImageFormat, type ImageInfo, MAX_IMAGE_PIXELS, readImageInfo } from './image-info.ts';
export { type DecodedImage, loadAddon } from './native.ts';
