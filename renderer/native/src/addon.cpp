// N-API binding of the mockup compositor. Arguments are converted on the JS thread; decoding,
// compositing and encoding run on libuv's worker pool (AsyncWorker), so the event loop stays free.
// The TypeScript wrapper (renderer/src/mockup/compositor.ts) validates everything first; the
// checks here only guard against a caller that skips it.
#include <napi.h>

#include <opencv2/core.hpp>

#include <cmath>
#include <string>
#include <utility>
#include <vector>

#include "compositor.hpp"

namespace {

using BufferRef = Napi::Reference<Napi::Buffer<std::uint8_t>>;

Napi::Buffer<std::uint8_t> bufferArg(const Napi::Value& value, const std::string& what) {
  if (!value.IsBuffer()) throw Napi::TypeError::New(value.Env(), what + " must be a Buffer");
  return value.As<Napi::Buffer<std::uint8_t>>();
}

Napi::Object objectArg(const Napi::Value& value, const std::string& what) {
  if (!value.IsObject()) throw Napi::TypeError::New(value.Env(), what + " must be an object");
  return value.As<Napi::Object>();
}

double number(const Napi::Object& object, const char* key, const std::string& what) {
  const Napi::Value value = object.Get(key);
  if (!value.IsNumber()) throw Napi::TypeError::New(object.Env(), what + "." + key + " must be a number");
  return value.As<Napi::Number>().DoubleValue();
}

bool boolean(const Napi::Object& object, const char* key, const std::string& what) {
  const Napi::Value value = object.Get(key);
  if (!value.IsBoolean()) throw Napi::TypeError::New(object.Env(), what + "." + key + " must be a boolean");
  return value.As<Napi::Boolean>().Value();
}

mockup::EffectConfig readConfig(const Napi::Object& o, const std::string& what) {
  mockup::EffectConfig c;
  c.edgeBlur = int(number(o, "edgeBlur", what));
  c.edgeSmoother = int(number(o, "edgeSmoother", what));
  c.imageBlur = int(number(o, "imageBlur", what));
  c.brightness = number(o, "brightness", what);
  c.contrast = number(o, "contrast", what);
  c.saturation = number(o, "saturation", what);
  c.lightingAdjustment = number(o, "lightingAdjustment", what);
  c.colorTemperature = number(o, "colorTemperature", what);
  c.depthMultiplier = number(o, "depthMultiplier", what);
  c.vignette = number(o, "vignette", what);
  c.shadowIntensity = number(o, "shadowIntensity", what);
  c.overlayOpacity = number(o, "overlayOpacity", what);
  c.sharpening = number(o, "sharpening", what);
  c.enableGammaBlur = boolean(o, "enableGammaBlur", what);
  c.enableFeathering = boolean(o, "enableFeathering", what);
  c.enableContactShadow = boolean(o, "enableContactShadow", what);
  c.enableChokeSpread = boolean(o, "enableChokeSpread", what);
  c.enableLuminanceAdaptation = boolean(o, "enableLuminanceAdaptation", what);
  c.enableBleedPrevention = boolean(o, "enableBleedPrevention", what);
  // Kernel sizes: the pipeline's OpenCV calls assert on these, so hold them to the spec's ranges.
  if (c.edgeBlur < 1 || c.edgeBlur > 21 || c.edgeBlur % 2 == 0 || c.edgeSmoother < 1 || c.edgeSmoother > 20 ||
      c.imageBlur < 0 || c.imageBlur > 20) {
    throw Napi::RangeError::New(o.Env(), what + " holds unresolved values; resolve it with resolveEffectConfig");
  }
  return c;
}

// Rejects with an Error whose `code` tells bad input (MOCKUP_BAD_INPUT) from internal failures.
class PromiseWorker : public Napi::AsyncWorker {
 public:
  PromiseWorker(Napi::Env env, std::vector<BufferRef> keepAlive)
      : Napi::AsyncWorker(env), deferred_(Napi::Promise::Deferred::New(env)), keepAlive_(std::move(keepAlive)) {}

  Napi::Promise Promise() const { return deferred_.Promise(); }

 protected:
  virtual void Run() = 0;

  void Execute() override {
    try {
      Run();
    } catch (const mockup::InputError& e) {
      badInput_ = true;
      SetError(e.what());
    } catch (const cv::Exception& e) {
      SetError(std::string("mockup compositor (OpenCV): ") + e.what());
    } catch (const std::exception& e) {
      SetError(std::string("mockup compositor: ") + e.what());
    }
  }

  void OnError(const Napi::Error& error) override {
    Napi::HandleScope scope(Env());
    Napi::Object value = error.Value();
    value.Set("code", badInput_ ? "MOCKUP_BAD_INPUT" : "MOCKUP_INTERNAL");
    deferred_.Reject(value);
  }

  Napi::Promise::Deferred deferred_;

 private:
  std::vector<BufferRef> keepAlive_;  // the input Buffers, referenced until the worker is done
  bool badInput_ = false;
};

class CompositeWorker : public PromiseWorker {
 public:
  CompositeWorker(Napi::Env env, mockup::CompositeJob job, std::vector<BufferRef> keepAlive)
      : PromiseWorker(env, std::move(keepAlive)), job_(std::move(job)) {}

 protected:
  void Run() override { jpeg_ = mockup::composite(job_); }
  void OnOK() override { deferred_.Resolve(Napi::Buffer<std::uint8_t>::Copy(Env(), jpeg_.data(), jpeg_.size())); }

 private:
  mockup::CompositeJob job_;
  std::vector<std::uint8_t> jpeg_;
};

class DecodeWorker : public PromiseWorker {
 public:
  DecodeWorker(Napi::Env env, mockup::ImageBytes bytes, std::vector<BufferRef> keepAlive)
      : PromiseWorker(env, std::move(keepAlive)), bytes_(bytes) {}

 protected:
  void Run() override { image_ = mockup::decodeRgb(bytes_); }
  void OnOK() override {
    Napi::Object out = Napi::Object::New(Env());
    out.Set("width", image_.width);
    out.Set("height", image_.height);
    out.Set("data", Napi::Buffer<std::uint8_t>::Copy(Env(), image_.rgb.data(), image_.rgb.size()));
    deferred_.Resolve(out);
  }

 private:
  mockup::ImageBytes bytes_;
  mockup::RgbImage image_;
};

mockup::ImageBytes keep(const Napi::Buffer<std::uint8_t>& buffer, std::vector<BufferRef>& keepAlive) {
  keepAlive.push_back(Napi::Persistent(buffer));
  return {buffer.Data(), buffer.Length()};
}

// composite(photo, creatives, frames, options) → Promise<Buffer>
//   frames: [{ quad: [x0,y0, x1,y1, x2,y2, x3,y3] (TL,TR,BR,BL), creative: index, config }]
//   options: { night, jpegQuality, width, height }
Napi::Value Composite(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  std::vector<BufferRef> keepAlive;
  mockup::CompositeJob job;
  job.photo = keep(bufferArg(info[0], "photo"), keepAlive);

  if (!info[1].IsArray()) throw Napi::TypeError::New(env, "creatives must be an array of Buffers");
  const Napi::Array creatives = info[1].As<Napi::Array>();
  for (std::uint32_t i = 0; i < creatives.Length(); ++i) {
    job.creatives.push_back(keep(bufferArg(creatives.Get(i), "creative " + std::to_string(i + 1)), keepAlive));
  }

  if (!info[2].IsArray()) throw Napi::TypeError::New(env, "frames must be an array");
  const Napi::Array frames = info[2].As<Napi::Array>();
  for (std::uint32_t i = 0; i < frames.Length(); ++i) {
    const std::string what = "frame " + std::to_string(i + 1);
    const Napi::Object frame = objectArg(frames.Get(i), what);
    mockup::FrameJob job_frame;
    const Napi::Value quad = frame.Get("quad");
    if (!quad.IsArray() || quad.As<Napi::Array>().Length() != 8) {
      throw Napi::TypeError::New(env, what + ".quad must hold 8 numbers");
    }
    const Napi::Array q = quad.As<Napi::Array>();
    for (std::uint32_t k = 0; k < 4; ++k) {
      const Napi::Value x = q.Get(2 * k), y = q.Get(2 * k + 1);
      if (!x.IsNumber() || !y.IsNumber()) throw Napi::TypeError::New(env, what + ".quad must hold 8 numbers");
      job_frame.quad[k] = cv::Point2d(x.As<Napi::Number>().DoubleValue(), y.As<Napi::Number>().DoubleValue());
      if (!std::isfinite(job_frame.quad[k].x) || !std::isfinite(job_frame.quad[k].y)) {
        throw Napi::RangeError::New(env, what + ".quad must hold finite numbers");
      }
    }
    const double creative = number(frame, "creative", what);
    if (creative < 0 || creative >= double(job.creatives.size()) || creative != double(std::size_t(creative))) {
      throw Napi::RangeError::New(env, what + ".creative is not an index into creatives");
    }
    job_frame.creative = std::size_t(creative);
    job_frame.config = readConfig(objectArg(frame.Get("config"), what + ".config"), what + ".config");
    job.frames.push_back(job_frame);
  }

  const Napi::Object options = objectArg(info[3], "options");
  job.night = boolean(options, "night", "options");
  job.jpegQuality = int(number(options, "jpegQuality", "options"));
  job.expectedWidth = int(number(options, "width", "options"));
  job.expectedHeight = int(number(options, "height", "options"));
  if (job.jpegQuality < 1 || job.jpegQuality > 100) throw Napi::RangeError::New(env, "options.jpegQuality must be 1..100");

  auto* worker = new CompositeWorker(env, std::move(job), std::move(keepAlive));
  const Napi::Promise promise = worker->Promise();
  worker->Queue();
  return promise;
}

// decodeRgb(bytes) → Promise<{ width, height, data: Buffer (RGB, row-major) }>
Napi::Value DecodeRgb(const Napi::CallbackInfo& info) {
  std::vector<BufferRef> keepAlive;
  const mockup::ImageBytes bytes = keep(bufferArg(info[0], "image"), keepAlive);
  auto* worker = new DecodeWorker(info.Env(), bytes, std::move(keepAlive));
  const Napi::Promise promise = worker->Promise();
  worker->Queue();
  return promise;
}

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  exports.Set("composite", Napi::Function::New(env, Composite, "composite"));
  exports.Set("decodeRgb", Napi::Function::New(env, DecodeRgb, "decodeRgb"));
  exports.Set("opencvVersion", Napi::String::New(env, CV_VERSION));
  return exports;
}

}  // namespace

NODE_API_MODULE(mockup, Init)
