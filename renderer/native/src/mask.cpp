// The frame mask (spec §2.6): how much of the creative covers each photo pixel. Every step
// works on the frame's region of interest only, which holds the whole quad plus a margin wider
// than any blur, so the result equals a full-canvas computation.
#include <algorithm>
#include <cmath>

#include <opencv2/imgproc.hpp>

#include "compositor.hpp"

namespace mockup {
namespace {

// Beyond 8× a supersampled 8-bit edge gains nothing visible; the hi-res buffer is also capped so
// a frame covering a large photo cannot allocate gigabytes.
constexpr int kMaxSupersample = 8;
constexpr double kMaxSupersampledPixels = 64e6;

int oddAtLeast(int value, int minimum) {
  int v = std::max(value, minimum);
  return v % 2 == 0 ? v + 1 : v;
}

// Step 1: anti-aliased polygon at `factor`× resolution, optional hi-res blur, area downsample.
cv::Mat coverage(const std::array<cv::Point2d, 4>& quad, cv::Size size, int factor) {
  int s = std::min(factor, kMaxSupersample);
  while (s > 1 && double(size.area()) * s * s > kMaxSupersampledPixels) --s;

  constexpr int kShift = 8;  // sub-pixel bits for fillPoly
  std::array<cv::Point, 4> pts;
  for (std::size_t i = 0; i < 4; ++i) {
    // Pixel centres sit on integers: low-res p maps to hi-res (p + 0.5)·s − 0.5.
    pts[i] = cv::Point(int(std::lround(((quad[i].x + 0.5) * s - 0.5) * (1 << kShift))),
                       int(std::lround(((quad[i].y + 0.5) * s - 0.5) * (1 << kShift))));
  }
  cv::Mat hi = cv::Mat::zeros(size.height * s, size.width * s, CV_8U);
  const cv::Point* polygon = pts.data();
  const int count = 4;
  cv::fillPoly(hi, &polygon, &count, 1, cv::Scalar(255), cv::LINE_AA, kShift);

  if (factor > 3) {
    // The hi-res blur radius is (f − 3)·2 at f× scale; when the buffer was capped below f the
    // radius is scaled so the blur keeps the same width in photo pixels.
    const int radius = int(std::lround((factor - 3) * 2.0 * s / factor));
    if (radius >= 1) cv::GaussianBlur(hi, hi, cv::Size(2 * radius + 1, 2 * radius + 1), 0);
  }
  cv::Mat lo;
  if (s > 1) cv::resize(hi, lo, size, 0, 0, cv::INTER_AREA);
  else lo = hi;
  cv::Mat mask;
  lo.convertTo(mask, CV_32F, 1.0 / 255.0);
  return mask;
}

// Step 2: blur in linear light so the edge keeps its visual weight (80 % wide + 20 % tight).
void gammaBlur(cv::Mat& mask, int edgeBlur, bool gammaCorrect) {
  const int smallKernel = oddAtLeast(edgeBlur / 2, 3);
  cv::Mat source = mask, wide, tight;
  if (gammaCorrect) cv::pow(mask, 2.2, source);
  cv::GaussianBlur(source, wide, cv::Size(edgeBlur, edgeBlur), edgeBlur / 2.5);
  cv::GaussianBlur(source, tight, cv::Size(smallKernel, smallKernel), edgeBlur / 6.0);
  cv::addWeighted(wide, 0.8, tight, 0.2, 0.0, mask);
  if (gammaCorrect) {
    cv::max(mask, 0.0, mask);
    cv::pow(mask, 1.0 / 2.2, mask);
  }
}

// Step 3: smoothstep ramp over the distance from the mask's edge, blended 50/50 with the mask.
void feather(cv::Mat& mask, int edgeBlur) {
  const float width = float(std::min(2 * edgeBlur, 40));
  cv::Mat inside = mask > 0.5f, distance;
  cv::distanceTransform(inside, distance, cv::DIST_L2, cv::DIST_MASK_5);
  for (int y = 0; y < mask.rows; ++y) {
    float* m = mask.ptr<float>(y);
    const float* d = distance.ptr<float>(y);
    for (int x = 0; x < mask.cols; ++x) {
      const float t = std::min(d[x] / width, 1.0f);
      m[x] = 0.5f * m[x] + 0.5f * (t * t * (3.0f - 2.0f * t));
    }
  }
}

// Step 4: choke (erode) then spread (blur), 70 % spread + 30 % choked.
void chokeSpread(cv::Mat& mask) {
  cv::Mat choked, spread;
  cv::erode(mask, choked, cv::Mat());
  cv::GaussianBlur(choked, spread, cv::Size(5, 5), 1.5);
  cv::addWeighted(spread, 0.7, choked, 0.3, 0.0, mask);
}

cv::Mat blurredLuminance(const cv::Mat& bgr) {
  cv::Mat gray;
  cv::cvtColor(bgr, gray, cv::COLOR_BGR2GRAY);
  gray *= 1.0 / 255.0;
  cv::GaussianBlur(gray, gray, cv::Size(15, 15), 5);
  return gray;
}

// Step 5: where photo and creative differ in brightness, the edge band is made more opaque so
// the transition does not read as a halo.
void adaptToLuminance(cv::Mat& mask, const cv::Mat& photoRoi, const cv::Mat& creativeRoi) {
  const cv::Mat photoLum = blurredLuminance(photoRoi);
  const cv::Mat creativeLum = blurredLuminance(creativeRoi);
  for (int y = 0; y < mask.rows; ++y) {
    float* m = mask.ptr<float>(y);
    const float* p = photoLum.ptr<float>(y);
    const float* c = creativeLum.ptr<float>(y);
    for (int x = 0; x < mask.cols; ++x) {
      if (m[x] > 0.1f && m[x] < 0.9f) m[x] = std::min(1.0f, m[x] * (1.0f + 0.3f * std::abs(p[x] - c[x])));
    }
  }
}

// Step 6: a thin dark band just inside the edge, where the creative meets the billboard frame.
cv::Mat contactShadow(const cv::Mat& mask, int edgeBlur) {
  cv::Mat eroded, band;
  cv::erode(mask, eroded, cv::Mat(), cv::Point(-1, -1), 2);
  cv::subtract(mask, eroded, band);
  band *= 4.0;
  cv::min(cv::max(band, 0.0), 1.0, band);
  cv::GaussianBlur(band, band, cv::Size(7, 7), 0);
  band *= std::min(0.2, edgeBlur / 50.0);
  return band;
}

}  // namespace

FrameMask buildMask(const std::array<cv::Point2d, 4>& quad, cv::Size roiSize, const EffectConfig& cfg,
                    const cv::Mat& photoRoi, const cv::Mat& creativeRoi) {
  FrameMask out;
  out.coverage = coverage(quad, roiSize, cfg.edgeSmoother);
  cv::Mat mask = out.coverage.clone();
  const int eb = cfg.edgeBlur;
  if (eb > 3) gammaBlur(mask, eb, cfg.enableGammaBlur);
  if (eb >= 8 && cfg.enableFeathering) feather(mask, eb);
  if (eb >= 6 && cfg.enableChokeSpread) chokeSpread(mask);
  if (eb >= 8 && cfg.enableLuminanceAdaptation) adaptToLuminance(mask, photoRoi, creativeRoi);
  if (eb >= 10 && cfg.enableContactShadow) out.contactShadow = contactShadow(mask, eb);
  cv::min(cv::max(mask, 0.0), 1.0, mask);
  out.alpha = mask;
  return out;
}

}  // namespace mockup
