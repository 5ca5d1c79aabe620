// Effect parameters of a frame (spec §2.5) for the setup sliders. The ranges are the renderer's
// clamps (renderer/src/mockup/effect-config.ts EFFECT_PARAMETERS; the original UI used other
// ranges, §11.18) — e2e/mockup-setup-rules.test.ts fails if the two tables drift apart, and the
// database refuses values outside them. The UI-only "light direction" is left out on purpose:
// the compositor has no directional light.

export type EffectKey =
  | 'edgeBlur' | 'edgeSmoother' | 'imageBlur' | 'brightness' | 'contrast' | 'saturation'
  | 'lightingAdjustment' | 'colorTemperature' | 'depthMultiplier' | 'vignette' | 'shadowIntensity'
  | 'overlayOpacity' | 'sharpening';

export interface EffectParameter {
  key: EffectKey;
  snake: string;
  label: string;
  help: string;
  default: number;
  min: number;
  max: number;
  step: number;
  unit?: string;
}

export const EFFECT_PARAMETERS: readonly EffectParameter[] = [
  { key: 'edgeBlur', snake: 'edge_blur', label: 'Edge blur', help: 'Softness of the frame edge (rounded to an odd kernel).', default: 8, min: 1, max: 21, step: 1 },
  { key: 'edgeSmoother', snake: 'edge_smoother', label: 'Edge smoother', help: 'Anti-aliasing of the frame outline.', default: 4, min: 1, max: 20, step: 1 },
  { key: 'imageBlur', snake: 'image_blur', label: 'Image blur', help: 'Blurs the creative, e.g. for a far-away screen.', default: 0, min: 0, max: 20, step: 1 },
  { key: 'brightness', snake: 'brightness', label: 'Brightness', help: '100 leaves the creative as it is.', default: 100, min: 0, max: 200, step: 1, unit: '%' },
  { key: 'contrast', snake: 'contrast', label: 'Contrast', help: '100 leaves the creative as it is.', default: 100, min: 0, max: 200, step: 1, unit: '%' },
  { key: 'saturation', snake: 'saturation', label: 'Saturation', help: '100 leaves the colours as they are.', default: 100, min: 0, max: 200, step: 1, unit: '%' },
  { key: 'lightingAdjustment', snake: 'lighting_adjustment', label: 'Lighting', help: 'Lightens (positive) or darkens every channel.', default: 0, min: -100, max: 100, step: 1 },
  { key: 'colorTemperature', snake: 'color_temperature', label: 'Colour temperature', help: 'Warmer (positive) or cooler.', default: 0, min: -100, max: 100, step: 1 },
  { key: 'depthMultiplier', snake: 'depth_multiplier', label: 'Depth', help: '15 is off; away from 15 adds night glow or day haze.', default: 15, min: 5, max: 30, step: 1 },
  { key: 'vignette', snake: 'vignette', label: 'Vignette', help: 'Darkens the creative towards its corners.', default: 0, min: 0, max: 100, step: 1 },
  { key: 'shadowIntensity', snake: 'shadow_intensity', label: 'Edge shadow', help: 'Darkens the soft edge of the frame.', default: 0, min: 0, max: 100, step: 1 },
  { key: 'overlayOpacity', snake: 'overlay_opacity', label: 'Photo show-through', help: 'Lets the photo shine through the creative (reflections).', default: 0, min: 0, max: 100, step: 1 },
  { key: 'sharpening', snake: 'sharpening', label: 'Sharpening', help: 'Unsharp mask on the composited creative.', default: 0, min: 0, max: 100, step: 1 },
];

export type EffectValues = Record<EffectKey, number>;

export const DEFAULT_EFFECTS: Readonly<EffectValues> = Object.freeze(
  Object.fromEntries(EFFECT_PARAMETERS.map((p) => [p.key, p.default])) as EffectValues,
);

const byName = new Map<string, EffectParameter>();
for (const p of EFFECT_PARAMETERS) byName.set(p.key, p).set(p.snake, p);

/**
 * Reads a stored config layer (camelCase or snake_case keys) into slider values on top of
 * `base`; switches and unknown keys are not sliders and are returned separately untouched.
 */
export function readEffectConfig(config: unknown, base: EffectValues = DEFAULT_EFFECTS): { values: EffectValues; other: Record<string, unknown> } {
  const values = { ...base };
  const other: Record<string, unknown> = {};
  if (config && typeof config === 'object' && !Array.isArray(config)) {
    for (const [name, value] of Object.entries(config)) {
      const p = byName.get(name);
      if (p && typeof value === 'number' && Number.isFinite(value)) values[p.key] = Math.min(p.max, Math.max(p.min, value));
      else other[name] = value;
    }
  }
  return { values, other };
}

/** The config to store for a frame: only the values that differ from `base`, camelCase. */
export function effectOverrides(values: EffectValues, base: EffectValues = DEFAULT_EFFECTS, other: Record<string, unknown> = {}): Record<string, unknown> {
  const out: Record<string, unknown> = { ...other };
  for (const p of EFFECT_PARAMETERS) {
    if (values[p.key] !== base[p.key]) out[p.key] = values[p.key];
  }
  return out;
}
