#!/usr/bin/env python3
"""The mockup pipeline of renderer/native/src (spec §2.4-§2.6), written plainly with cv2 and
numpy, for `npm run bench:render` (P1). Same steps, same parameters, same order; no tricks:
every step runs over the whole photo, as a straightforward port would (--roi restricts the work
to the frame's bounding box plus 64 px, like the native addon, to separate the algorithmic
saving from the language).

    python3 mockup_reference.py job.json [--roi]
    python3 mockup_reference.py job.json --serve   # one run per stdin line "plain" | "roi"

job.json: {"photo": path, "creative": path, "quad": [[x, y] x4 TL,TR,BR,BL], "config": {resolved
effect config, camelCase}, "night": bool, "jpeg_quality": int, "runs": int, "warmup": int,
"output": path}. Prints {"times_ms": [...]} (decode to encoded JPEG, inputs already in memory)
and writes the last JPEG to "output". With --serve it loads the inputs once, answers each line
"plain" or "roi" with {"ms": …} after one run (the caller interleaves its own runs between them),
writes that run's JPEG to "output" (plain) or "output" with -roi before .jpg, and stops at EOF.
"""
import json
import math
import sys
import time

import cv2
import numpy as np

MAX_SUPERSAMPLE = 8
MAX_SUPERSAMPLED_PIXELS = 64e6
ROI_MARGIN = 64


def lround(x):
    """C's lround (half away from zero); Python's round() rounds half to even."""
    return int(math.floor(x + 0.5)) if x >= 0 else -int(math.floor(-x + 0.5))


def dist(a, b):
    return math.hypot(a[0] - b[0], a[1] - b[1])


def odd_at_least(value, minimum):
    v = max(value, minimum)
    return v + 1 if v % 2 == 0 else v


# --- the creative -----------------------------------------------------------------------------

def resize_to(image, size):
    w, h = size
    shrink_x, shrink_y = w < image.shape[1], h < image.shape[0]
    if shrink_x and shrink_y:
        return cv2.resize(image, (w, h), interpolation=cv2.INTER_AREA)
    if not shrink_x and not shrink_y:
        return cv2.resize(image, (w, h), interpolation=cv2.INTER_CUBIC)
    step = cv2.resize(image, (w if shrink_x else image.shape[1], h if shrink_y else image.shape[0]), interpolation=cv2.INTER_AREA)
    return cv2.resize(step, (w, h), interpolation=cv2.INTER_CUBIC)


def prepare_creative(creative, cfg, quad):
    frame_w = max(dist(quad[0], quad[1]), dist(quad[3], quad[2]))
    frame_h = max(dist(quad[0], quad[3]), dist(quad[1], quad[2]))
    doubled = (creative.shape[1] * 2, creative.shape[0] * 2)
    size = (min(max(lround(frame_w), 1), doubled[0]), min(max(lround(frame_h), 1), doubled[1]))
    kx, ky = size[0] / doubled[0], size[1] / doubled[1]
    literal = size == doubled

    image = resize_to(creative, size)
    if cfg['imageBlur'] > 0:
        k = 2 * cfg['imageBlur'] + 1
        if literal:
            image = cv2.GaussianBlur(image, (k, k), 0)
        else:
            sigma = 0.3 * ((k - 1) * 0.5 - 1) + 0.8
            image = cv2.GaussianBlur(image, (0, 0), max(sigma * kx, 0.01), sigmaY=max(sigma * ky, 0.01))
    ext_x = ext_y = 0
    eb = cfg['edgeBlur']
    if eb > 10:
        ext = int(math.floor(eb * 2.5))
        ext_x, ext_y = max(1, lround(ext * kx)), max(1, lround(ext * ky))
        if eb <= 14:
            image = cv2.copyMakeBorder(image, ext_y, ext_y, ext_x, ext_x, cv2.BORDER_REFLECT)
        else:
            image = cv2.copyMakeBorder(image, ext_y, ext_y, ext_x, ext_x, cv2.BORDER_REPLICATE)
            ring_x, ring_y = max(1, lround(min(ext, 15) * kx)), max(1, lround(min(ext, 15) * ky))
            ring = np.full(image.shape[:2], 255, np.uint8)
            ring[ring_y:image.shape[0] - ring_y, ring_x:image.shape[1] - ring_x] = 0
            radius = max(1.0, min(10.0, ext / 2.0) * min(kx, ky))
            image = cv2.inpaint(image, ring, radius, cv2.INPAINT_TELEA)
    return image, (ext_x, ext_y, size[0], size[1])


def warp(image, content, quad, size):
    cx, cy, cw, ch = content
    src = np.float32([[cx - 0.5, cy - 0.5], [cx + cw - 0.5, cy - 0.5], [cx + cw - 0.5, cy + ch - 0.5], [cx - 0.5, cy + ch - 0.5]])
    dst = np.float32(quad)
    m = cv2.getPerspectiveTransform(src, dst)
    return cv2.warpPerspective(image, m, size, flags=cv2.INTER_LANCZOS4, borderMode=cv2.BORDER_REFLECT)


# --- the mask -----------------------------------------------------------------------------------

def coverage(quad, size, factor):
    w, h = size
    s = min(factor, MAX_SUPERSAMPLE)
    while s > 1 and w * h * s * s > MAX_SUPERSAMPLED_PIXELS:
        s -= 1
    pts = np.array([[lround(((x + 0.5) * s - 0.5) * 256), lround(((y + 0.5) * s - 0.5) * 256)] for x, y in quad], np.int32)
    hi = np.zeros((h * s, w * s), np.uint8)
    cv2.fillPoly(hi, [pts.reshape(-1, 1, 2)], 255, cv2.LINE_AA, 8)
    if factor > 3:
        radius = lround((factor - 3) * 2.0 * s / factor)
        if radius >= 1:
            hi = cv2.GaussianBlur(hi, (2 * radius + 1, 2 * radius + 1), 0)
    lo = cv2.resize(hi, (w, h), interpolation=cv2.INTER_AREA) if s > 1 else hi
    return lo.astype(np.float32) * np.float32(1 / 255)


def gamma_blur(mask, eb, gamma):
    small = odd_at_least(eb // 2, 3)
    source = np.power(mask, np.float32(2.2)) if gamma else mask
    wide = cv2.GaussianBlur(source, (eb, eb), eb / 2.5)
    tight = cv2.GaussianBlur(source, (small, small), eb / 6.0)
    mask = cv2.addWeighted(wide, 0.8, tight, 0.2, 0.0)
    if gamma:
        mask = np.power(np.maximum(mask, 0), np.float32(1 / 2.2))
    return mask


def feather(mask, eb):
    width = np.float32(min(2 * eb, 40))
    inside = (mask > 0.5).astype(np.uint8) * 255
    d = cv2.distanceTransform(inside, cv2.DIST_L2, cv2.DIST_MASK_5)
    t = np.minimum(d / width, np.float32(1))
    return np.float32(0.5) * mask + np.float32(0.5) * (t * t * (np.float32(3) - np.float32(2) * t))


def choke_spread(mask):
    choked = cv2.erode(mask, None)
    spread = cv2.GaussianBlur(choked, (5, 5), 1.5)
    return cv2.addWeighted(spread, 0.7, choked, 0.3, 0.0)


def blurred_luminance(bgr):
    gray = cv2.cvtColor(bgr, cv2.COLOR_BGR2GRAY) * np.float32(1 / 255)
    return cv2.GaussianBlur(gray, (15, 15), 5)


def adapt_to_luminance(mask, photo, creative):
    p, c = blurred_luminance(photo), blurred_luminance(creative)
    band = (mask > 0.1) & (mask < 0.9)
    adapted = np.minimum(np.float32(1), mask * (np.float32(1) + np.float32(0.3) * np.abs(p - c)))
    return np.where(band, adapted, mask)


def contact_shadow(mask, eb):
    eroded = cv2.erode(mask, None, iterations=2)
    band = np.clip((mask - eroded) * np.float32(4), 0, 1)
    band = cv2.GaussianBlur(band, (7, 7), 0)
    return band * np.float32(min(0.2, eb / 50.0))


def build_mask(quad, size, cfg, photo, creative):
    cov = coverage(quad, size, cfg['edgeSmoother'])
    mask = cov.copy()
    eb = cfg['edgeBlur']
    shadow = None
    if eb > 3:
        mask = gamma_blur(mask, eb, cfg['enableGammaBlur'])
    if eb >= 8 and cfg['enableFeathering']:
        mask = feather(mask, eb)
    if eb >= 6 and cfg['enableChokeSpread']:
        mask = choke_spread(mask)
    if eb >= 8 and cfg['enableLuminanceAdaptation']:
        mask = adapt_to_luminance(mask, photo, creative)
    if eb >= 10 and cfg['enableContactShadow']:
        shadow = contact_shadow(mask, eb)
    return cov, np.clip(mask, 0, 1), shadow


# --- colour and light ---------------------------------------------------------------------------

def scale_saturation(bgr, factor):
    hsv = cv2.cvtColor(bgr * np.float32(1 / 255), cv2.COLOR_BGR2HSV)
    hsv[..., 1] = np.minimum(np.float32(1), hsv[..., 1] * np.float32(factor))
    return cv2.cvtColor(hsv, cv2.COLOR_HSV2BGR) * np.float32(255)


def apply_depth(creative, mask, box, cfg, night):
    intensity = abs(cfg['depthMultiplier'] - 15.0) / 15.0
    if intensity <= 0:
        return creative
    left, top, right, bottom = box
    if night:
        height = max(bottom - top, 1.0)
        t = np.clip((np.arange(creative.shape[0], dtype=np.float64) - top) / height, 0, 1)
        factor = (1.0 - 0.35 * intensity * t).astype(np.float32)
        return creative * factor[:, None, None]
    creative = scale_saturation(creative, 1.0 - 0.15 * intensity)
    inside = (mask > 0.5).astype(np.uint8)
    mean = cv2.mean(creative, inside if inside.any() else None)[:3]
    keep = 1.0 - 0.12 * intensity
    return cv2.addWeighted(creative, keep, np.full_like(creative, mean), 1.0 - keep, 0.0)


def apply_colour(creative, cfg):
    b, c = cfg['brightness'] / 100.0, cfg['contrast'] / 100.0
    if b != 1.0 or c != 1.0:
        creative = np.clip(creative * np.float32(c) + np.float32((b - 1.0) * 100.0), 0, 255)
    if cfg['saturation'] != 100:
        creative = np.clip(scale_saturation(creative, cfg['saturation'] / 100.0), 0, 255)
    if cfg['lightingAdjustment'] != 0:
        creative = np.clip(creative + np.float32(2.0 * cfg['lightingAdjustment']), 0, 255)
    t = cfg['colorTemperature']
    if t != 0:
        shift = np.float32([0, t, 2 * t]) if t > 0 else np.float32([-2 * t, 0, 0])
        creative = np.clip(creative + shift, 0, 255)
    return creative


def apply_vignette(creative, box, strength):
    left, top, right, bottom = box
    cx, cy = (left + right) / 2, (top + bottom) / 2
    half_diagonal = max(math.hypot(right - left, bottom - top) / 2, 1.0)
    ys, xs = np.mgrid[0:creative.shape[0], 0:creative.shape[1]]
    d = np.hypot(xs - cx, ys - cy)
    factor = np.maximum(0.0, 1.0 - d / half_diagonal * strength / 100.0).astype(np.float32)
    return creative * factor[..., None]


def composite(photo_bytes, creative_bytes, quad, cfg, night, quality, roi=False):
    result = cv2.imdecode(np.frombuffer(photo_bytes, np.uint8), cv2.IMREAD_COLOR)
    creative = cv2.imdecode(np.frombuffer(creative_bytes, np.uint8), cv2.IMREAD_COLOR)
    h, w = result.shape[:2]
    x0 = y0 = 0
    x1, y1 = w, h
    if roi:
        xs, ys = [p[0] for p in quad], [p[1] for p in quad]
        x0, y0 = max(0, int(math.floor(min(xs))) - ROI_MARGIN), max(0, int(math.floor(min(ys))) - ROI_MARGIN)
        x1, y1 = min(w, int(math.ceil(max(xs))) + ROI_MARGIN + 1), min(h, int(math.ceil(max(ys))) + ROI_MARGIN + 1)
    q = [(x - x0, y - y0) for x, y in quad]
    size = (x1 - x0, y1 - y0)

    prepared, content = prepare_creative(creative, cfg, q)
    warped = warp(prepared, content, q, size).astype(np.float32)
    photo = result[y0:y1, x0:x1].astype(np.float32)

    cov, alpha, shadow = build_mask(q, size, cfg, photo, warped)
    box = (min(p[0] for p in q), min(p[1] for p in q), max(p[0] for p in q), max(p[1] for p in q))
    warped = apply_depth(warped, alpha, box, cfg, night)
    warped = apply_colour(warped, cfg)
    if cfg['vignette'] > 0:
        warped = apply_vignette(warped, box, cfg['vignette'])
    if cfg['shadowIntensity'] > 0:
        warped = warped * (np.float32(1) - (np.float32(1) - np.sqrt(alpha)) * np.float32(cfg['shadowIntensity'] / 100.0))[..., None]
    if shadow is not None:
        warped = warped * (np.float32(1) - shadow)[..., None]
    if cfg['edgeBlur'] > 12 and cfg['enableBleedPrevention']:
        band = ((alpha > 0.05) & (alpha < 0.95)).astype(np.uint8)
        fill = cv2.mean(warped, band)[:3] if cv2.countNonZero(band) > 100 else cv2.mean(warped, (alpha > 0.05).astype(np.uint8))[:3]
        photo[cov > 0.05] = fill

    a = alpha * np.float32(1.0 - cfg['overlayOpacity'] / 100.0 * 0.5)
    photo = photo * (np.float32(1) - a)[..., None] + warped * a[..., None]
    if cfg['sharpening'] > 0:
        amount = np.float32(1.0 + cfg['sharpening'] / 100.0 * 0.5)
        blurred = cv2.GaussianBlur(photo, (0, 0), 2.0)
        sharp = photo * amount + blurred * (np.float32(1) - amount)
        photo = photo * (np.float32(1) - alpha)[..., None] + sharp * alpha[..., None]

    result[y0:y1, x0:x1] = np.clip(np.rint(photo), 0, 255).astype(np.uint8)
    ok, jpeg = cv2.imencode('.jpg', result, [cv2.IMWRITE_JPEG_QUALITY, quality])
    if not ok:
        raise RuntimeError('JPEG encoding failed')
    return jpeg.tobytes()


def serve(job, photo, creative, quad):
    for line in sys.stdin:
        mode = line.strip()
        if mode not in ('plain', 'roi'):
            continue
        t0 = time.perf_counter()
        out = composite(photo, creative, quad, job['config'], job['night'], job['jpeg_quality'], mode == 'roi')
        elapsed = (time.perf_counter() - t0) * 1000
        path = job['output'] if mode == 'plain' else job['output'].replace('.jpg', '-roi.jpg')
        open(path, 'wb').write(out)
        print(json.dumps({'ms': elapsed, 'opencv': cv2.__version__}), flush=True)


def main():
    job = json.load(open(sys.argv[1]))
    roi = '--roi' in sys.argv[2:]
    photo = open(job['photo'], 'rb').read()
    creative = open(job['creative'], 'rb').read()
    quad = [tuple(p) for p in job['quad']]
    if '--serve' in sys.argv[2:]:
        return serve(job, photo, creative, quad)
    args = (photo, creative, quad, job['config'], job['night'], job['jpeg_quality'], roi)
    for _ in range(job.get('warmup', 1)):
        composite(*args)
    times = []
    out = b''
    for _ in range(job['runs']):
        t0 = time.perf_counter()
        out = composite(*args)
        times.append((time.perf_counter() - t0) * 1000)
    open(job['output'], 'wb').write(out)
    print(json.dumps({'times_ms': times, 'opencv': cv2.__version__, 'threads': cv2.getNumThreads()}))


if __name__ == '__main__':
    main()
