// The mockup compositor: pastes creatives onto the frames of a billboard photo (spec §2.4–2.7).
// Pure C++ over OpenCV; the N-API binding (addon.cpp) only converts arguments. Inputs arrive
// already validated and resolved by the TypeScript layer (renderer/src/mockup/), so this code
// trusts ranges (clamped effect parameters, ordered convex quads inside the photo).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

#include <opencv2/core.hpp>

namespace mockup {

// Resolved effect parameters of one frame (spec §2.5), after defaults and clamps.
struct EffectConfig {
  int edgeBlur = 9;
  int edgeSmoother = 4;
  int imageBlur = 0;
  double brightness = 100;
  double contrast = 100;
  double saturation = 100;
  double lightingAdjustment = 0;
  double colorTemperature = 0;
  double depthMultiplier = 15;
  double vignette = 0;
  double shadowIntensity = 0;
  double overlayOpacity = 0;
  double sharpening = 0;
  bool enableGammaBlur = true;
  bool enableFeathering = true;
  bool enableContactShadow = true;
  bool enableChokeSpread = true;
  bool enableLuminanceAdaptation = true;
  bool enableBleedPrevention = true;
};

// One frame to paint: destination corners ordered TL, TR, BR, BL in photo pixels, the index of
// its creative and its effect parameters.
struct FrameJob {
  std::array<cv::Point2d, 4> quad;
  std::size_t creative = 0;
  EffectConfig config;
};

// Encoded image bytes owned by the caller, alive for the duration of the call.
struct ImageBytes {
  const std::uint8_t* data = nullptr;
  std::size_t size = 0;
};

struct CompositeJob {
  ImageBytes photo;
  std::vector<ImageBytes> creatives;
  std::vector<FrameJob> frames;
  bool night = false;
  int jpegQuality = 95;
  // Dimensions the caller validated the frames against (read from the file header); decoding
  // must agree, otherwise the frames would land somewhere else.
  int expectedWidth = 0;
  int expectedHeight = 0;
};

// A problem with the caller's input (undecodable image, size mismatch): maps to a 4xx, not a bug.
class InputError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct RgbImage {
  int width = 0;
  int height = 0;
  std::vector<std::uint8_t> rgb;  // width × height × 3, row-major
};

// Runs the whole pipeline and returns the JPEG bytes of the finished mockup.
std::vector<std::uint8_t> composite(const CompositeJob& job);

// Decodes any image OpenCV reads into packed RGB (tests and callers that need pixels).
RgbImage decodeRgb(const ImageBytes& bytes);

// --- pipeline pieces, exposed for compositor.cpp ---

// Per-frame masks in ROI coordinates, CV_32F 0..1. quad is already relative to the ROI.
struct FrameMask {
  cv::Mat coverage;       // the anti-aliased polygon alone: where the frame itself is
  cv::Mat alpha;          // the creative's weight after all edge effects
  cv::Mat contactShadow;  // darkening of the creative; empty when the effect is off
};

FrameMask buildMask(const std::array<cv::Point2d, 4>& quad, cv::Size roiSize, const EffectConfig& cfg,
                    const cv::Mat& photoRoi, const cv::Mat& creativeRoi);

}  // namespace mockup
