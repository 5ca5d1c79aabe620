// The per-frame compositing pipeline (spec §2.4): prepare the creative, warp it onto the
// frame, build the mask, apply depth and colour effects, shadows, bleed prevention, blend and
// sharpen — frame after frame onto the running result, then JPEG.
//
// Work happens in the frame's region of interest (quad bounding box + kRoiMargin), in float
// BGR 0..255. The mask reaches at most ~14 px beyond the quad (edge blur 10, hi-res blur 2,
// choke/spread 2) and sharpening reads 8 px further, so with a 64 px margin every pixel beyond
// it is untouched and the result equals a full-canvas computation.
#include <algorithm>
#include <cmath>
#include <limits>

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <opencv2/photo.hpp>

#include "compositor.hpp"

namespace mockup {
namespace {

constexpr int kRoiMargin = 64;

cv::Mat decode(const ImageBytes& bytes, const std::string& what) {
  if (bytes.data == nullptr || bytes.size == 0) throw InputError(what + " is empty");
  if (bytes.size > std::size_t(std::numeric_limits<int>::max())) throw InputError(what + " is too large");
  const cv::Mat encoded(1, int(bytes.size), CV_8U, const_cast<std::uint8_t*>(bytes.data));
  cv::Mat image;
  try {
    image = cv::imdecode(encoded, cv::IMREAD_COLOR);
  } catch (const cv::Exception&) {
    image.release();
  }
  if (image.empty()) throw InputError(what + " could not be decoded: the file is corrupt or not an image");
  return image;
}

// A creative ready for warping and where its own pixels sit inside it (pixel-edge coordinates:
// pixel i spans [i, i+1)), the rest being border extension.
struct PreparedCreative {
  cv::Mat image;
  cv::Rect2d content;
};

double distance(const cv::Point2d& a, const cv::Point2d& b) { return std::hypot(a.x - b.x, a.y - b.y); }

// Area averaging where the image shrinks, bicubic where it grows (one axis may do each).
cv::Mat resizeTo(const cv::Mat& image, cv::Size size) {
  cv::Mat out;
  const bool shrinkX = size.width < image.cols, shrinkY = size.height < image.rows;
  if (shrinkX && shrinkY) {
    cv::resize(image, out, size, 0, 0, cv::INTER_AREA);
  } else if (!shrinkX && !shrinkY) {
    cv::resize(image, out, size, 0, 0, cv::INTER_CUBIC);
  } else {
    cv::Mat step;
    const cv::Size shrunk(shrinkX ? size.width : image.cols, shrinkY ? size.height : image.rows);
    cv::resize(image, step, shrunk, 0, 0, cv::INTER_AREA);
    cv::resize(step, out, size, 0, 0, cv::INTER_CUBIC);
  }
  return out;
}

// Step 2 (spec §2.4): upscale ×2 (bicubic), optional Gaussian blur (kernel 2v+1), and for edge
// blur > 10 a border of floor(2.5·edge_blur) px — mirrored up to 14, replicated and inpainted
// (Telea) on its outermost pixels above.
//
// The spec's sizes are in pixels of the doubled creative. When the frame is smaller than that,
// the warp would shrink it, and Lanczos does not prefilter (moiré on text and patterns); so the
// creative is instead area-reduced to the frame's longest edges and every size above is scaled
// by the same factor — the same picture, without aliasing, and without blurring or inpainting
// millions of pixels the warp then throws away.
PreparedCreative prepareCreative(const cv::Mat& creative, const EffectConfig& cfg, const std::array<cv::Point2d, 4>& quad) {
  const double frameW = std::max(distance(quad[0], quad[1]), distance(quad[3], quad[2]));
  const double frameH = std::max(distance(quad[0], quad[3]), distance(quad[1], quad[2]));
  const cv::Size doubled(creative.cols * 2, creative.rows * 2);
  const cv::Size size(std::clamp(int(std::lround(frameW)), 1, doubled.width),
                      std::clamp(int(std::lround(frameH)), 1, doubled.height));
  const double kx = double(size.width) / doubled.width, ky = double(size.height) / doubled.height;
  const bool literal = size == doubled;

  PreparedCreative out;
  out.image = resizeTo(creative, size);
  if (cfg.imageBlur > 0) {
    const int k = 2 * cfg.imageBlur + 1;
    if (literal) {
      cv::GaussianBlur(out.image, out.image, cv::Size(k, k), 0);
    } else {
      const double sigma = 0.3 * ((k - 1) * 0.5 - 1) + 0.8;  // OpenCV's sigma for kernel k
      cv::GaussianBlur(out.image, out.image, cv::Size(0, 0), std::max(sigma * kx, 0.01), std::max(sigma * ky, 0.01));
    }
  }
  int extX = 0, extY = 0;
  if (cfg.edgeBlur > 10) {
    const int ext = int(std::floor(cfg.edgeBlur * 2.5));
    extX = std::max(1, int(std::lround(ext * kx)));
    extY = std::max(1, int(std::lround(ext * ky)));
    if (cfg.edgeBlur <= 14) {
      cv::copyMakeBorder(out.image, out.image, extY, extY, extX, extX, cv::BORDER_REFLECT);
    } else {
      // Replicated rows streak; inpainting the outermost ring breaks the streaks up.
      cv::copyMakeBorder(out.image, out.image, extY, extY, extX, extX, cv::BORDER_REPLICATE);
      const int ringX = std::max(1, int(std::lround(std::min(ext, 15) * kx)));
      const int ringY = std::max(1, int(std::lround(std::min(ext, 15) * ky)));
      cv::Mat ring(out.image.size(), CV_8U, cv::Scalar(255));
      ring(cv::Rect(ringX, ringY, out.image.cols - 2 * ringX, out.image.rows - 2 * ringY)).setTo(0);
      const double radius = std::max(1.0, std::min(10.0, ext / 2.0) * std::min(kx, ky));
      cv::inpaint(out.image, ring, out.image, radius, cv::INPAINT_TELEA);
    }
  }
  out.content = cv::Rect2d(extX, extY, size.width, size.height);
  return out;
}

// Decodes each creative once, however many frames it goes on.
class Creatives {
 public:
  explicit Creatives(const std::vector<ImageBytes>& sources) : sources_(sources), decoded_(sources.size()) {}

  const cv::Mat& operator[](std::size_t index) {
    cv::Mat& image = decoded_.at(index);
    if (image.empty()) image = decode(sources_.at(index), "creative " + std::to_string(index + 1));
    return image;
  }

 private:
  const std::vector<ImageBytes>& sources_;
  std::vector<cv::Mat> decoded_;
};

cv::Rect regionOfInterest(const std::array<cv::Point2d, 4>& quad, cv::Size photo) {
  double minX = quad[0].x, maxX = quad[0].x, minY = quad[0].y, maxY = quad[0].y;
  for (const auto& p : quad) {
    minX = std::min(minX, p.x), maxX = std::max(maxX, p.x);
    minY = std::min(minY, p.y), maxY = std::max(maxY, p.y);
  }
  const int x0 = std::max(0, int(std::floor(minX)) - kRoiMargin);
  const int y0 = std::max(0, int(std::floor(minY)) - kRoiMargin);
  const int x1 = std::min(photo.width, int(std::ceil(maxX)) + kRoiMargin + 1);
  const int y1 = std::min(photo.height, int(std::ceil(maxY)) + kRoiMargin + 1);
  return cv::Rect(x0, y0, x1 - x0, y1 - y0);
}

// Step 3: homography from the creative's own rectangle to the frame, Lanczos-4, reflect border.
cv::Mat warpOntoRoi(const PreparedCreative& creative, const std::array<cv::Point2d, 4>& quad, cv::Size roiSize) {
  const cv::Rect2d& c = creative.content;
  // Pixel-edge rectangle → pixel-centre coordinates (−0.5), the convention of the frame points.
  const cv::Point2f src[4] = {
      {float(c.x - 0.5), float(c.y - 0.5)},
      {float(c.x + c.width - 0.5), float(c.y - 0.5)},
      {float(c.x + c.width - 0.5), float(c.y + c.height - 0.5)},
      {float(c.x - 0.5), float(c.y + c.height - 0.5)},
  };
  cv::Point2f dst[4];
  for (std::size_t i = 0; i < 4; ++i) dst[i] = cv::Point2f(float(quad[i].x), float(quad[i].y));
  cv::Mat warped;
  cv::warpPerspective(creative.image, warped, cv::getPerspectiveTransform(src, dst), roiSize, cv::INTER_LANCZOS4,
                      cv::BORDER_REFLECT);
  return warped;
}

void clip255(cv::Mat& bgr) { cv::min(cv::max(bgr, 0.0), 255.0, bgr); }

// Multiplies every channel of a float BGR image by a one-channel factor map.
void multiplyChannels(cv::Mat& bgr, const cv::Mat& factor) {
  for (int y = 0; y < bgr.rows; ++y) {
    cv::Vec3f* p = bgr.ptr<cv::Vec3f>(y);
    const float* f = factor.ptr<float>(y);
    for (int x = 0; x < bgr.cols; ++x) p[x] *= f[x];
  }
}

void scaleSaturation(cv::Mat& bgr, double factor) {
  cv::Mat hsv;
  cv::cvtColor(bgr * (1.0 / 255.0), hsv, cv::COLOR_BGR2HSV);  // float HSV: S in 0..1
  for (int y = 0; y < hsv.rows; ++y) {
    cv::Vec3f* p = hsv.ptr<cv::Vec3f>(y);
    for (int x = 0; x < hsv.cols; ++x) p[x][1] = std::min(1.0f, float(p[x][1] * factor));
  }
  cv::cvtColor(hsv, bgr, cv::COLOR_HSV2BGR);
  bgr *= 255.0;
}

struct Box {
  double left, top, right, bottom;
};

Box boundingBox(const std::array<cv::Point2d, 4>& quad) {
  Box b{quad[0].x, quad[0].y, quad[0].x, quad[0].y};
  for (const auto& p : quad) {
    b.left = std::min(b.left, p.x), b.right = std::max(b.right, p.x);
    b.top = std::min(b.top, p.y), b.bottom = std::max(b.bottom, p.y);
  }
  return b;
}

// Step 5: night darkens towards the frame's bottom; day adds haze (less saturation and contrast).
void applyDepth(cv::Mat& creative, const cv::Mat& mask, const Box& box, const EffectConfig& cfg, bool night) {
  const double intensity = std::abs(cfg.depthMultiplier - 15.0) / 15.0;
  if (intensity <= 0) return;
  if (night) {
    const double height = std::max(box.bottom - box.top, 1.0);
    for (int y = 0; y < creative.rows; ++y) {
      const double t = std::clamp((y - box.top) / height, 0.0, 1.0);
      const float factor = float(1.0 - 0.35 * intensity * t);
      cv::Vec3f* p = creative.ptr<cv::Vec3f>(y);
      for (int x = 0; x < creative.cols; ++x) p[x] *= factor;
    }
    return;
  }
  scaleSaturation(creative, 1.0 - 0.15 * intensity);
  const cv::Mat inside = mask > 0.5f;
  const cv::Scalar mean = cv::countNonZero(inside) > 0 ? cv::mean(creative, inside) : cv::mean(creative);
  const double keep = 1.0 - 0.12 * intensity;
  cv::Mat meanImage(creative.size(), CV_32FC3, mean);
  cv::addWeighted(creative, keep, meanImage, 1.0 - keep, 0.0, creative);
}

// Step 6: brightness/contrast → saturation → lighting → temperature, each clipped to 0..255.
void applyColour(cv::Mat& creative, const EffectConfig& cfg) {
  const double b = cfg.brightness / 100.0, c = cfg.contrast / 100.0;
  if (b != 1.0 || c != 1.0) {
    creative.convertTo(creative, CV_32F, c, (b - 1.0) * 100.0);
    clip255(creative);
  }
  if (cfg.saturation != 100.0) {
    scaleSaturation(creative, cfg.saturation / 100.0);
    clip255(creative);
  }
  if (cfg.lightingAdjustment != 0.0) {
    creative += cv::Scalar::all(2.0 * cfg.lightingAdjustment);
    clip255(creative);
  }
  const double t = cfg.colorTemperature;
  if (t != 0.0) {
    creative += t > 0 ? cv::Scalar(0, t, 2 * t) : cv::Scalar(-2 * t, 0, 0);  // BGR
    clip255(creative);
  }
}

// Step 7: radial darkening around the frame's bounding-box centre.
void applyVignette(cv::Mat& creative, const Box& box, double strength) {
  const double cx = (box.left + box.right) / 2, cy = (box.top + box.bottom) / 2;
  const double halfDiagonal = std::max(std::hypot(box.right - box.left, box.bottom - box.top) / 2, 1.0);
  for (int y = 0; y < creative.rows; ++y) {
    cv::Vec3f* p = creative.ptr<cv::Vec3f>(y);
    for (int x = 0; x < creative.cols; ++x) {
      const double d = std::hypot(x - cx, y - cy);
      p[x] *= float(std::max(0.0, 1.0 - d / halfDiagonal * strength / 100.0));
    }
  }
}

// Step 8: darkens the soft edge of the mask.
void applyEdgeShadow(cv::Mat& creative, const cv::Mat& mask, double strength) {
  cv::Mat factor;
  cv::sqrt(mask, factor);
  factor = 1.0 - (1.0 - factor) * (strength / 100.0);
  multiplyChannels(creative, factor);
}

// Step 10: under a wide soft edge the photo inside the frame (a green screen, typically) would
// bleed through; fill it with the mean colour of the creative's edge band. Only the frame's own
// polygon is filled — the original filled wherever the blurred mask exceeded 0.05, painting a
// flat halo over the scene around the billboard.
void preventBleed(cv::Mat& photo, const cv::Mat& creative, const FrameMask& mask) {
  const cv::Mat band = (mask.alpha > 0.05f) & (mask.alpha < 0.95f);
  const cv::Scalar fill = cv::countNonZero(band) > 100 ? cv::mean(creative, band) : cv::mean(creative, mask.alpha > 0.05f);
  photo.setTo(fill, mask.coverage > 0.05f);
}

// Steps 11–12: alpha blend, then unsharp mask inside the frame.
void blendAndSharpen(cv::Mat& photo, const cv::Mat& creative, const cv::Mat& mask, const EffectConfig& cfg) {
  const float alpha = float(1.0 - cfg.overlayOpacity / 100.0 * 0.5);
  for (int y = 0; y < photo.rows; ++y) {
    cv::Vec3f* p = photo.ptr<cv::Vec3f>(y);
    const cv::Vec3f* c = creative.ptr<cv::Vec3f>(y);
    const float* m = mask.ptr<float>(y);
    for (int x = 0; x < photo.cols; ++x) {
      const float a = m[x] * alpha;
      p[x] = p[x] * (1.0f - a) + c[x] * a;
    }
  }
  if (cfg.sharpening <= 0) return;
  const float amount = float(1.0 + cfg.sharpening / 100.0 * 0.5);
  cv::Mat blurred;
  cv::GaussianBlur(photo, blurred, cv::Size(0, 0), 2.0);
  for (int y = 0; y < photo.rows; ++y) {
    cv::Vec3f* p = photo.ptr<cv::Vec3f>(y);
    const cv::Vec3f* b = blurred.ptr<cv::Vec3f>(y);
    const float* m = mask.ptr<float>(y);
    for (int x = 0; x < photo.cols; ++x) {
      const cv::Vec3f sharp = p[x] * amount + b[x] * (1.0f - amount);
      p[x] = p[x] * (1.0f - m[x]) + sharp * m[x];
    }
  }
}

}  // namespace

std::vector<std::uint8_t> composite(const CompositeJob& job) {
  cv::Mat result = decode(job.photo, "photo");
  if (result.cols != job.expectedWidth || result.rows != job.expectedHeight) {
    throw InputError("photo decoded to " + std::to_string(result.cols) + "x" + std::to_string(result.rows) +
                     " but its header says " + std::to_string(job.expectedWidth) + "x" +
                     std::to_string(job.expectedHeight));
  }
  Creatives creatives(job.creatives);

  for (const FrameJob& frame : job.frames) {
    const EffectConfig& cfg = frame.config;
    for (const auto& p : frame.quad) {
      if (p.x < 0 || p.y < 0 || p.x > result.cols || p.y > result.rows) throw InputError("a frame lies outside the photo");
    }
    const cv::Rect roi = regionOfInterest(frame.quad, result.size());
    std::array<cv::Point2d, 4> quad;
    for (std::size_t i = 0; i < 4; ++i) quad[i] = frame.quad[i] - cv::Point2d(roi.x, roi.y);

    const cv::Mat warped8 = warpOntoRoi(prepareCreative(creatives[frame.creative], cfg, quad), quad, roi.size());

    cv::Mat photo, warped;
    result(roi).convertTo(photo, CV_32F);
    warped8.convertTo(warped, CV_32F);

    const FrameMask mask = buildMask(quad, roi.size(), cfg, photo, warped);
    const Box box = boundingBox(quad);
    applyDepth(warped, mask.alpha, box, cfg, job.night);
    applyColour(warped, cfg);
    if (cfg.vignette > 0) applyVignette(warped, box, cfg.vignette);
    if (cfg.shadowIntensity > 0) applyEdgeShadow(warped, mask.alpha, cfg.shadowIntensity);
    if (!mask.contactShadow.empty()) multiplyChannels(warped, 1.0 - mask.contactShadow);
    if (cfg.edgeBlur > 12 && cfg.enableBleedPrevention) preventBleed(photo, warped, mask);
    blendAndSharpen(photo, warped, mask.alpha, cfg);
    photo.convertTo(result(roi), CV_8U);  // saturating, rounds to nearest
  }

  std::vector<std::uint8_t> jpeg;
  const std::vector<int> params = {cv::IMWRITE_JPEG_QUALITY, job.jpegQuality};
  if (!cv::imencode(".jpg", result, jpeg, params)) throw std::runtime_error("JPEG encoding failed");
  return jpeg;
}

RgbImage decodeRgb(const ImageBytes& bytes) {
  const cv::Mat bgr = decode(bytes, "image");
  cv::Mat rgb;
  cv::cvtColor(bgr, rgb, cv::COLOR_BGR2RGB);
  RgbImage out;
  out.width = rgb.cols;
  out.height = rgb.rows;
  out.rgb.assign(rgb.datastart, rgb.dataend);  // freshly allocated, hence continuous
  return out;
}

}  // namespace mockup
