import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEFAULT_EFFECT_CONFIG, EFFECT_PARAMETERS, EFFECT_SWITCHES, parseEffectConfig, resolveEffectConfig } from '../src/mockup/effect-config.ts';
import { MockupInputError } from '../src/mockup/errors.ts';

const badInput = (pattern: RegExp) => (e: unknown) => e instanceof MockupInputError && pattern.test(e.message);

describe('effect config: defaults and clamps (spec §2.5)', () => {
  it('fills every parameter with its default and every switch with true when nothing is configured', () => {
    const c = resolveEffectConfig();
    assert.equal(c.edgeSmoother, 4);
    assert.equal(c.imageBlur, 0);
    assert.equal(c.brightness, 100);
    assert.equal(c.contrast, 100);
    assert.equal(c.saturation, 100);
    assert.equal(c.lightingAdjustment, 0);
    assert.equal(c.colorTemperature, 0);
    assert.equal(c.depthMultiplier, 15);
    assert.equal(c.vignette, 0);
    assert.equal(c.shadowIntensity, 0);
    assert.equal(c.overlayOpacity, 0);
    assert.equal(c.sharpening, 0);
    for (const s of EFFECT_SWITCHES) assert.equal(c[s.key], true, s.key);
  });

  it('clamps even when no config is supplied: the default edge blur 8 is never used as an even kernel', () => {
    assert.equal(resolveEffectConfig().edgeBlur, 9);
    assert.equal(DEFAULT_EFFECT_CONFIG.edgeBlur, 9);
    assert.equal(resolveEffectConfig({ photo: {}, frame: {}, override: {} }).edgeBlur, 9);
  });

  it('never lets edge blur out of 1–21 and never leaves it even', () => {
    const edgeBlur = (v: number) => resolveEffectConfig({ override: { edgeBlur: v } }).edgeBlur;
    assert.equal(edgeBlur(8), 9);
    assert.equal(edgeBlur(20), 21);
    assert.equal(edgeBlur(21), 21);
    assert.equal(edgeBlur(50), 21);
    assert.equal(edgeBlur(0), 1);
    assert.equal(edgeBlur(-7), 1);
    assert.equal(edgeBlur(10.4), 11); // rounded to 10, then made odd
    for (let v = -5; v <= 30; v += 0.5) {
      const e = edgeBlur(v);
      assert.ok(e >= 1 && e <= 21 && e % 2 === 1, `edge blur ${v} resolved to ${e}`);
    }
  });

  it('clamps every numeric parameter into its range, from both sides', () => {
    for (const p of EFFECT_PARAMETERS) {
      const low = resolveEffectConfig({ override: { [p.key]: p.min - 1000 } })[p.key];
      const high = resolveEffectConfig({ override: { [p.key]: p.max + 1000 } })[p.key];
      assert.ok(low >= p.min && low <= p.min + 1, `${p.key} below range → ${low}`);
      assert.ok(high <= p.max && high >= p.max - 1, `${p.key} above range → ${high}`);
      assert.ok(p.default >= p.min && p.default <= p.max, `${p.key} default inside its range`);
    }
    const c = resolveEffectConfig({ override: { brightness: 500, depthMultiplier: 2, lightingAdjustment: -300, edgeSmoother: 99, imageBlur: 3.6 } });
    assert.equal(c.brightness, 200);
    assert.equal(c.depthMultiplier, 5);
    assert.equal(c.lightingAdjustment, -100);
    assert.equal(c.edgeSmoother, 20);
    assert.equal(c.imageBlur, 4);
  });
});

describe('effect config: keys and values', () => {
  it('reads camelCase and snake_case alike', () => {
    const snake = resolveEffectConfig({ override: { edge_blur: 5, image_blur: 2, lighting_adjustment: -10, color_temperature: 20, depth_multiplier: 25, shadow_intensity: 30, overlay_opacity: 40, edge_smoother: 6, enable_feathering: false } });
    const camel = resolveEffectConfig({ override: { edgeBlur: 5, imageBlur: 2, lightingAdjustment: -10, colorTemperature: 20, depthMultiplier: 25, shadowIntensity: 30, overlayOpacity: 40, edgeSmoother: 6, enableFeathering: false } });
    assert.deepEqual(snake, camel);
    assert.equal(camel.enableFeathering, false);
    assert.equal(camel.edgeBlur, 5);
  });

  it('rejects an unknown key and names it, instead of silently ignoring it', () => {
    assert.throws(() => parseEffectConfig({ edgeBlurr: 3 }, 'frame 2 config'), badInput(/frame 2 config: unknown effect parameter 'edgeBlurr'/));
    assert.throws(() => resolveEffectConfig({ photo: { glow: 1 } }), badInput(/photo config: unknown effect parameter 'glow'/));
  });

  it('rejects lightDirection with an explanation: it never had an effect (spec §11 item 18)', () => {
    assert.throws(() => parseEffectConfig({ lightDirection: 'top' }), badInput(/lightDirection is not an effect parameter/));
  });

  it('rejects a parameter given in both spellings', () => {
    assert.throws(() => parseEffectConfig({ edgeBlur: 3, edge_blur: 5 }), badInput(/edgeBlur is given twice/));
  });

  it('rejects non-numbers for numeric parameters: strings, null, NaN, Infinity, booleans', () => {
    for (const value of ['10', null, Number.NaN, Number.POSITIVE_INFINITY, true, [5], { v: 5 }]) {
      assert.throws(() => parseEffectConfig({ brightness: value }), badInput(/brightness must be a finite number/), String(value));
    }
  });

  it('rejects non-booleans for the switches', () => {
    for (const value of [1, 'true', null]) {
      assert.throws(() => parseEffectConfig({ enable_gamma_blur: value }), badInput(/enable_gamma_blur must be true or false/));
    }
  });

  it('rejects a config that is not an object', () => {
    for (const value of [[], 'edgeBlur=3', 7]) {
      assert.throws(() => parseEffectConfig(value, 'config override'), badInput(/config override must be an object/));
    }
    assert.deepEqual(parseEffectConfig(null), {});
    assert.deepEqual(parseEffectConfig(undefined), {});
  });
});

describe('effect config: precedence photo < frame < request override (spec §2.2)', () => {
  it('takes each parameter from the most specific layer that sets it', () => {
    const c = resolveEffectConfig({
      photo: { brightness: 120, contrast: 90, vignette: 10, edge_blur: 3 },
      frame: { brightness: 130, vignette: 20 },
      override: { brightness: 140 },
    });
    assert.equal(c.brightness, 140);
    assert.equal(c.vignette, 20);
    assert.equal(c.contrast, 90);
    assert.equal(c.edgeBlur, 3);
  });

  it('mixes spellings across layers: a snake_case override beats a camelCase frame value', () => {
    const c = resolveEffectConfig({ frame: { edgeBlur: 3 }, override: { edge_blur: 15 } });
    assert.equal(c.edgeBlur, 15);
  });

  it('clamps after merging: an out-of-range photo value overridden by nothing is still clamped', () => {
    assert.equal(resolveEffectConfig({ photo: { saturation: 999 } }).saturation, 200);
  });
});
