#include "quant/DriftJob.hpp"

#include <chrono>
#include <cmath>
#include <limits>
#include <optional>
#include <sstream>

#include "common/Error.hpp"
#include "pipeline/ResampledSource.hpp"
#include "pipeline/WindowFeed.hpp"
#include "quant/Calibration.hpp"
#include "quant/CalibrationSet.hpp"

namespace imuwb::quant {

namespace {

// Every model-ready window the feed gives, in order.
engine::Tensor sessionWindows(WindowFeed& feed) {
  std::vector<float> values;
  std::vector<std::int64_t> shape;
  std::int64_t have = 0;
  FeedBatch fed;
  while (feed.next(fed)) {
    values.insert(values.end(), fed.batch.values.begin(), fed.batch.values.end());
    shape = fed.batch.shape;
    have += static_cast<std::int64_t>(fed.size());
  }
  if (have == 0)
    throw Error(feed.source(0).describe(), "no usable windows in the sessions",
                "give a session longer than one window (" + feed.skippedTotal().summary() + ")");
  shape[0] = have;
  return engine::Tensor::fromFloats(shape, values);
}

}  // namespace

DriftOutcome runDrift(const ModelBundle& bundle, const DriftOptions& options,
                      const JobControl& control) {
  const auto started = std::chrono::steady_clock::now();
  if (options.calibration.empty()) throw Error("drift", "no calibration set", "pass --calib C.npy");
  auto config = options.config;
  if (!config.inputMin && options.useManifestInputRange && bundle.manifest.inputRange) {
    config.inputMin = (*bundle.manifest.inputRange)[0];
    config.inputMax = (*bundle.manifest.inputRange)[1];
  }
  const std::int64_t analysis_windows =
      options.noise.maxWindows > 0 ? options.noise.maxWindows : 256;
  // The sessions meet the model's contract (rate, devices, layout) before the slow calibration.
  auto sources = openSessionFiles(options.sessions);
  if (options.resample)
    sources = resampledTo(std::move(sources), bundle.manifest.input.sampleRateHz);
  std::optional<WindowFeed> feed;
  if (!sources.empty()) {
    WindowFeedOptions feed_options;
    feed_options.stride = options.stride;
    feed_options.devices = options.devices;
    feed_options.shareDevice = options.shareDevice;
    feed_options.maxWindows = static_cast<std::size_t>(analysis_windows);
    feed.emplace(bundle, sourcePointers(sources), feed_options);
  }
  control.report(0.0, "loading calibration set");
  const auto calib_windows = loadWindowsForModel(options.calibration, bundle.manifest);
  JobControl calib_control;
  calib_control.stop = control.stop;
  calib_control.onProgress = [&](double f, std::string_view stage) {
    control.report(0.3 * f, stage);
  };
  const auto calibration = calibrate(*bundle.model, calib_windows, calib_control);
  DriftOutcome outcome;
  outcome.params = deriveQuantParams(calibration, config);
  if (!options.saveParams.empty()) saveQuantParams(outcome.params, options.saveParams);

  engine::Tensor windows =
      feed ? sessionWindows(*feed)
           : calib_windows.sliceLeading(0, std::min(analysis_windows, calib_windows.dim(0)));

  auto& result = outcome.result;
  result.modelName = bundle.manifest.name;
  result.modelSha256 = bundle.sha256();
  result.inputs.push_back(options.calibration.string());
  for (const auto& s : options.sessions) result.inputs.push_back(s.string());
  result.a = {"cpu", "backend", "fp32", "imuwb FP32 engine"};
  result.b = {
      "int8", "backend", "int8",
      "imuwb INT8 emulation, " + std::to_string(calibration.windows) + " calibration windows"};
  result.windows = static_cast<std::size_t>(windows.dim(0));
  if (feed) result.findings = feed->findings();

  // Input clipping on the analysed windows.
  for (const auto& act : outcome.params.activations) {
    if (!act.isGraphInput) continue;
    const auto grid = act.grid();
    auto copy = windows;
    const std::size_t clipped = fakeQuantize(copy.floats(), grid);
    double lo = std::numeric_limits<double>::infinity(), hi = -lo;
    for (float v : windows.floats()) {
      lo = std::min(lo, static_cast<double>(v));
      hi = std::max(hi, static_cast<double>(v));
    }
    analysis::InputClipping clip{
        act.tensor,   act.rangeMin,
        act.rangeMax, lo,
        hi,           static_cast<double>(clipped) / static_cast<double>(windows.elementCount())};
    result.inputClipping = clip;
    if (clip.clippedFraction > options.inputClipErrorFraction) {
      std::ostringstream message;
      message.precision(3);
      message << clip.clippedFraction * 100.0 << " % of input values fall outside the INT8 input "
              << "range [" << clip.rangeMin << ", " << clip.rangeMax << "] (" << act.rangeSource
              << ") and clip; the data spans [" << lo << ", " << hi << "]";
      result.findings.push_back(
          {Severity::Error, "input_clipping", message.str(),
           "calibrate (and compile) with inputs preprocessed exactly as at inference: z-scored "
           "windows are negative about half the time, so an input range like [0, 1] destroys "
           "them",
           "", act.tensor});
    }
  }
  if (calibration.windows < 1000)
    result.findings.push_back(
        {Severity::Warning, "calibration_too_small",
         "the calibration set has " + std::to_string(calibration.windows) + " windows",
         "use at least 1000 (1024 recommended) representative windows covering every activity", "",
         ""});

  JobControl noise_control;
  noise_control.stop = control.stop;
  noise_control.onProgress = [&](double f, std::string_view stage) {
    control.report(0.3 + 0.7 * f, stage);
  };
  result.layers =
      analyzeLayerNoise(*bundle.model, outcome.params, windows, options.noise, noise_control);
  for (const auto& l : result.layers->layers)
    if (l.flagged)
      result.findings.push_back({Severity::Warning, "layer_low_snr",
                                 "layer '" + l.node + "' (" + l.op + ") is below " +
                                     std::to_string(static_cast<int>(options.noise.flagBelow_db)) +
                                     " dB SNR",
                                 l.suggestion, "", l.node});
  result.seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  control.report(1.0, "done");
  return outcome;
}

}  // namespace imuwb::quant
