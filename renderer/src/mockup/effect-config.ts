// Effect parameters of a mockup frame (spec §2.5): the one place for their names, defaults,
// ranges and the precedence of config layers (§2.2). The SPA can import EFFECT_PARAMETERS for
// its sliders, so UI ranges and backend clamps cannot drift apart again (spec §11 item 18).
import { MockupInputError } from './errors.ts';

export interface EffectConfig {
  /** Edge softness; drives the gamma blur and every advanced edge effect (§2.6). Odd, 1–21. */
  edgeBlur: number;
  /** Mask supersampling factor, 1–20; above 3 it also softens the hi-res polygon. */
  edgeSmoother: number;
  /** Gaussian blur of the creative, kernel 2·v+1; 0 = off. */
  imageBlur: number;
  brightness: number;
  contrast: number;
  saturation: number;
  lightingAdjustment: number;
  colorTemperature: number;
  /** 15 = off; the distance from 15 sets the night-glow / day-haze intensity. */
  depthMultiplier: number;
  vignette: number;
  shadowIntensity: number;
  /** 0–100: lets the photo show through, creative weight 1 − v/200. */
  overlayOpacity: number;
  sharpening: number;
  enableGammaBlur: boolean;
  enableFeathering: boolean;
  enableContactShadow: boolean;
  enableChokeSpread: boolean;
  enableLuminanceAdaptation: boolean;
  enableBleedPrevention: boolean;
}

type NumericKey = { [K in keyof EffectConfig]: EffectConfig[K] extends number ? K : never }[keyof EffectConfig];
type SwitchKey = Exclude<keyof EffectConfig, NumericKey>;

export interface NumericParameter {
  key: NumericKey;
  snake: string;
  default: number;
  min: number;
  max: number;
  /** Kernel sizes and factors: rounded to whole numbers after clamping. */
  integer: boolean;
}

export const EFFECT_PARAMETERS: readonly NumericParameter[] = [
  { key: 'edgeBlur', snake: 'edge_blur', default: 8, min: 1, max: 21, integer: true },
  { key: 'edgeSmoother', snake: 'edge_smoother', default: 4, min: 1, max: 20, integer: true },
  { key: 'imageBlur', snake: 'image_blur', default: 0, min: 0, max: 20, integer: true },
  { key: 'brightness', snake: 'brightness', default: 100, min: 0, max: 200, integer: false },
  { key: 'contrast', snake: 'contrast', default: 100, min: 0, max: 200, integer: false },
  { key: 'saturation', snake: 'saturation', default: 100, min: 0, max: 200, integer: false },
  { key: 'lightingAdjustment', snake: 'lighting_adjustment', default: 0, min: -100, max: 100, integer: false },
  { key: 'colorTemperature', snake: 'color_temperature', default: 0, min: -100, max: 100, integer: false },
  { key: 'depthMultiplier', snake: 'depth_multiplier', default: 15, min: 5, max: 30, integer: false },
  { key: 'vignette', snake: 'vignette', default: 0, min: 0, max: 100, integer: false },
  { key: 'shadowIntensity', snake: 'shadow_intensity', default: 0, min: 0, max: 100, integer: false },
  { key: 'overlayOpacity', snake: 'overlay_opacity', default: 0, min: 0, max: 100, integer: false },
  { key: 'sharpening', snake: 'sharpening', default: 0, min: 0, max: 100, integer: false },
];

export const EFFECT_SWITCHES: readonly { key: SwitchKey; snake: string }[] = [
  { key: 'enableGammaBlur', snake: 'enable_gamma_blur' },
  { key: 'enableFeathering', snake: 'enable_feathering' },
  { key: 'enableContactShadow', snake: 'enable_contact_shadow' },
  { key: 'enableChokeSpread', snake: 'enable_choke_spread' },
  { key: 'enableLuminanceAdaptation', snake: 'enable_luminance_adaptation' },
  { key: 'enableBleedPrevention', snake: 'enable_bleed_prevention' },
];

/** One layer of config as written by a person or the SPA, validated but not yet clamped. */
export type EffectConfigLayer = Partial<EffectConfig>;

const numericByName = new Map<string, NumericParameter>();
for (const p of EFFECT_PARAMETERS) numericByName.set(p.key, p).set(p.snake, p);
const switchByName = new Map<string, SwitchKey>();
for (const s of EFFECT_SWITCHES) switchByName.set(s.key, s.key).set(s.snake, s.key);

const knownNames = [...EFFECT_PARAMETERS.map((p) => p.key), ...EFFECT_SWITCHES.map((s) => s.key)];

/**
 * Validates one config layer (camelCase or snake_case keys). Unknown keys, non-numbers,
 * non-booleans and a key given in both spellings are rejected; values are not clamped yet.
 * `where` names the layer in error messages ("frame 2 config").
 */
export function parseEffectConfig(input: unknown, where = 'effect config'): EffectConfigLayer {
  if (input === undefined || input === null) return {};
  if (typeof input !== 'object' || Array.isArray(input)) {
    throw new MockupInputError(`${where} must be an object of effect parameters`);
  }
  const layer: Record<string, number | boolean> = {};
  const spelledAs = new Map<string, string>();
  for (const [name, value] of Object.entries(input)) {
    const numeric = numericByName.get(name);
    const toggle = switchByName.get(name);
    const key = numeric?.key ?? toggle;
    if (!key) {
      if (name === 'lightDirection' || name === 'light_direction') {
        throw new MockupInputError(`${where}: ${name} is not an effect parameter (the compositor has no directional light); remove it`);
      }
      throw new MockupInputError(`${where}: unknown effect parameter '${name}'; known parameters: ${knownNames.join(', ')}`);
    }
    const earlier = spelledAs.get(key);
    if (earlier) throw new MockupInputError(`${where}: ${key} is given twice (as ${earlier} and ${name})`);
    spelledAs.set(key, name);
    if (numeric) {
      if (typeof value !== 'number' || !Number.isFinite(value)) {
        throw new MockupInputError(`${where}: ${name} must be a finite number, got ${describe(value)}`);
      }
    } else if (typeof value !== 'boolean') {
      throw new MockupInputError(`${where}: ${name} must be true or false, got ${describe(value)}`);
    }
    layer[key] = value;
  }
  return layer as EffectConfigLayer;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'string') return `the string ${JSON.stringify(value.length > 20 ? `${value.slice(0, 20)}…` : value)}`;
  if (typeof value === 'number') return String(value);
  return typeof value;
}

/** Clamps to the parameter's range, rounds kernel sizes, and makes edge blur odd (8 → 9). */
function clampParameter(p: NumericParameter, value: number): number {
  let v = Math.min(p.max, Math.max(p.min, value));
  if (p.integer) v = Math.round(v);
  if (p.key === 'edgeBlur' && v % 2 === 0) v += 1;
  return v;
}

/** The config layers of one frame, as stored with the template and sent with the request. */
export interface EffectConfigLayers {
  /** The template photo's `config`. */
  photo?: unknown;
  /** The frame's own `config`. */
  frame?: unknown;
  /** The request's `frame_config` / `config_override`. */
  override?: unknown;
}

/**
 * The effective config of one frame: defaults, then photo < frame < request override (§2.2),
 * then clamps — always (the original skipped them when no config was supplied, so its default
 * edge blur was an even kernel of 8). `frameName` names the frame in error messages.
 */
export function resolveEffectConfig(layers: EffectConfigLayers = {}, frameName = 'frame'): EffectConfig {
  const merged: Record<string, number | boolean> = {};
  for (const p of EFFECT_PARAMETERS) merged[p.key] = p.default;
  for (const s of EFFECT_SWITCHES) merged[s.key] = true;
  Object.assign(merged, parseEffectConfig(layers.photo, 'photo config'));
  Object.assign(merged, parseEffectConfig(layers.frame, `${frameName} config`));
  Object.assign(merged, parseEffectConfig(layers.override, 'config override'));
  for (const p of EFFECT_PARAMETERS) merged[p.key] = clampParameter(p, merged[p.key] as number);
  return merged as unknown as EffectConfig;
}

/** The config a frame gets when nobody configured anything. */
export const DEFAULT_EFFECT_CONFIG: Readonly<EffectConfig> = Object.freeze(resolveEffectConfig());
