import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MockupInputError } from '../src/mockup/errors.ts';
import { creativeForEachFrame, orderPoints, type Point, validateFrames } from '../src/mockup/frames.ts';

const badInput = (pattern: RegExp) => (e: unknown) => e instanceof MockupInputError && pattern.test(e.message);
const photo = { width: 800, height: 600 };

describe('frame corner order (spec §2.2)', () => {
  const tl: Point = [100, 80], tr: Point = [500, 110], br: Point = [490, 300], bl: Point = [110, 320];

  it('orders any permutation of a perspective quad as TL, TR, BR, BL', () => {
    const perms = [[tl, tr, br, bl], [br, tl, bl, tr], [bl, br, tr, tl], [tr, bl, tl, br]];
    for (const p of perms) assert.deepEqual(orderPoints(p), [tl, tr, br, bl]);
  });

  it('orders counter-clockwise input clockwise', () => {
    assert.deepEqual(orderPoints([tl, bl, br, tr]), [tl, tr, br, bl]);
    assert.deepEqual(orderPoints([br, tr, tl, bl]), [tl, tr, br, bl]);
  });

  it('orders a square turned 45° (where the extreme-point picks collide) into a clockwise quad', () => {
    const q = orderPoints([[50, 100], [0, 50], [100, 50], [50, 0]]);
    assert.equal(new Set(q.map((p) => p.join())).size, 4, 'no corner used twice');
    // Clockwise on screen: positive signed area with y pointing down.
    const area = q.reduce((s, p, i) => s + p[0] * q[(i + 1) % 4][1] - q[(i + 1) % 4][0] * p[1], 0);
    assert.ok(area > 0, `quad ${JSON.stringify(q)} runs clockwise`);
  });

  it('does not modify the caller’s points', () => {
    const input: Point[] = [[5, 5], [1, 1], [5, 1], [1, 5]];
    const copy = JSON.stringify(input);
    orderPoints(input)[0][0] = 99;
    assert.equal(JSON.stringify(input), copy);
  });
});

describe('frame validation', () => {
  it('accepts frames inside the photo and returns them ordered with their parsed config', () => {
    const [frame] = validateFrames([{ points: [[500, 110], [100, 80], [110, 320], [490, 300]], config: { edge_blur: 3 } }], photo);
    assert.deepEqual(frame.points, [[100, 80], [500, 110], [490, 300], [110, 320]]);
    assert.deepEqual(frame.config, { edgeBlur: 3 });
  });

  it('accepts corners on the photo border', () => {
    assert.doesNotThrow(() => validateFrames([{ points: [[0, 0], [800, 0], [800, 600], [0, 600]] }], photo));
  });

  it('requires exactly 4 points', () => {
    assert.throws(() => validateFrames([{ points: [[0, 0], [10, 0], [10, 10]] }], photo), badInput(/frame 1 needs exactly 4 points, got 3/));
    assert.throws(() => validateFrames([{ points: [[0, 0], [10, 0], [10, 10], [0, 10], [5, 5]] }], photo), badInput(/exactly 4 points, got 5/));
    assert.throws(() => validateFrames([{}], photo), badInput(/exactly 4 points, got none/));
  });

  it('rejects negative, non-finite and out-of-photo coordinates, naming the frame and point', () => {
    const square = (p: unknown) => [{ points: [[10, 10], [100, 10], [100, 100], [10, 100]] }, { points: [[10, 10], [100, 10], p, [10, 100]] }];
    assert.throws(() => validateFrames(square([-1, 100]), photo), badInput(/frame 2, point 3: coordinates must not be negative/));
    assert.throws(() => validateFrames(square([Number.NaN, 100]), photo), badInput(/frame 2, point 3: expected \[x, y\]/));
    assert.throws(() => validateFrames(square(['100', 100]), photo), badInput(/frame 2, point 3: expected \[x, y\]/));
    assert.throws(() => validateFrames(square([801, 100]), photo), badInput(/frame 2, point 3: \(801, 100\) lies outside the 800x600 photo/));
    assert.throws(() => validateFrames(square([100, 600.5]), photo), badInput(/outside the 800x600 photo/));
  });

  it('rejects points that cannot be the corners of a billboard: concave, collinear, repeated', () => {
    const concave = [[0, 0], [100, 0], [50, 10], [50, 100]];
    const collinear = [[0, 0], [10, 0], [20, 0], [30, 0]];
    const repeated = [[0, 0], [10, 0], [10, 0], [0, 10]];
    for (const points of [concave, collinear, repeated]) {
      assert.throws(() => validateFrames([{ points }], photo), badInput(/frame 1 is not a convex quadrilateral/), JSON.stringify(points));
    }
  });

  it('rejects an empty list, a non-object frame, unknown frame fields and a bad frame config', () => {
    assert.throws(() => validateFrames([], photo), badInput(/non-empty list/));
    assert.throws(() => validateFrames([[[0, 0], [1, 0], [1, 1], [0, 1]]], photo), badInput(/frame 1 must be an object/));
    assert.throws(() => validateFrames([{ points: [[0, 0], [10, 0], [10, 10], [0, 10]], corners: [] }], photo), badInput(/frame 1: unknown field\(s\) corners/));
    const frames = [{ points: [[0, 0], [10, 0], [10, 10], [0, 10]] }, { points: [[0, 0], [10, 0], [10, 10], [0, 10]], config: { blur: 2 } }];
    assert.throws(() => validateFrames(frames, photo), badInput(/frame 2 config: unknown effect parameter 'blur'/));
  });
});

describe('creative count rule (spec §2.3)', () => {
  it('puts one creative on every frame', () => {
    assert.deepEqual(creativeForEachFrame(1, 3), [0, 0, 0]);
    assert.deepEqual(creativeForEachFrame(1, 1), [0]);
  });

  it('maps creative i to frame i when the counts match', () => {
    assert.deepEqual(creativeForEachFrame(3, 3), [0, 1, 2]);
  });

  it('never renders a mismatched count; the error says what was given and what is needed', () => {
    assert.throws(() => creativeForEachFrame(2, 3), (e: unknown) => e instanceof MockupInputError && e.message === 'Creative count mismatch: provided 2, but location requires 1 or 3 frame(s)');
    assert.throws(() => creativeForEachFrame(0, 2), badInput(/provided 0, but location requires 1 or 2 frame\(s\)/));
    assert.throws(() => creativeForEachFrame(2, 1), badInput(/provided 2, but location requires 1 frame\(s\)/));
  });
});
