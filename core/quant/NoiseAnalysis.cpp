#include "quant/NoiseAnalysis.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <sstream>

#include "common/Error.hpp"
#include "quant/Calibration.hpp"
#include "quant/QuantizedSession.hpp"

namespace imuwb::quant {
namespace {

constexpr double kOutlierRatioFlag = 2.0;

struct SnrSums {
  double signal = 0.0;
  double noise = 0.0;
  void add(std::span<const float> ref, std::span<const float> q) {
    const std::size_t n = std::min(ref.size(), q.size());
    for (std::size_t i = 0; i < n; ++i) {
      const double r = ref[i], e = r - static_cast<double>(q[i]);
      signal += r * r;
      noise += e * e;
    }
  }
  double db() const {
    if (noise == 0.0) return std::numeric_limits<double>::infinity();
    if (signal == 0.0) return -std::numeric_limits<double>::infinity();
    return 10.0 * std::log10(signal / noise);
  }
};

std::string formatPercent(double fraction) {
  std::ostringstream out;
  out.precision(fraction < 0.01 ? 2 : 3);
  out << fraction * 100.0 << " %";
  return out.str();
}

}  // namespace

std::string suggestLayerFix(const analysis::LayerNoise& layer, std::uint64_t calibration_windows) {
  if (!layer.flagged) return {};
  std::string fix;
  if (layer.clipFraction > 0.001) {
    fix = formatPercent(layer.clipFraction) +
          " of calibration values clip here: widen this layer's range (a clipping override, "
          "or percentile calibration) or calibrate on data that covers every activity";
    if (layer.op == "input")
      fix +=
          "; check the compiled input range against the normalized data (z-scored inputs are "
          "negative half the time)";
  } else if (layer.outlierRatio > kOutlierRatioFlag) {
    std::ostringstream ratio;
    ratio.precision(1);
    ratio << std::fixed << layer.outlierRatio;
    fix = "a few outliers set this layer's range (the calibration min..max span is " + ratio.str() +
          "x its 0.01..99.99 % span), wasting the 8-bit steps: calibrate with percentile "
          "clipping (--range percentile:99.99) or set a clipping override for " +
          layer.node;
  } else if (layer.precision != "a16_w16") {
    fix = "set this layer to 16-bit: quantization_param(" + layer.node +
          ", precision_mode=a16_w16) in the model script";
  } else {
    fix =
        "already 16-bit: consider restructuring this layer (fewer channels feeding it, a "
        "bounded activation before it)";
  }
  if (calibration_windows < 1000)
    fix += "; the calibration used only " + std::to_string(calibration_windows) +
           " windows, use at least 1000 (1024 recommended) covering every activity";
  return fix;
}

namespace {

// A layer whose noise is measured: the graph input, or a planned step whose output carries
// activation parameters.
struct NoiseLayer {
  analysis::LayerNoise info;
  std::string step;  // the only_steps key
};

NoiseLayer noiseLayer(const std::string& node, const std::string& tensor, const std::string& op,
                      const ActivationParams& activation) {
  NoiseLayer layer;
  layer.info.node = node;
  layer.info.tensor = tensor;
  layer.info.op = op;
  layer.info.clipFraction = activation.clipFraction;
  layer.info.outlierRatio = activation.outlierRatio;
  layer.info.precision = activation.bits >= 16 ? "a16_w16" : "a8_w8";
  layer.step = node;
  return layer;
}

// The graph input, then every planned step whose outputs carry activation params.
std::vector<NoiseLayer> noiseLayers(const engine::InferenceSession& probe,
                                    const QuantParams& params, const std::string& inputName) {
  std::vector<NoiseLayer> layers;
  if (const auto* a = params.activation(inputName))
    layers.push_back(noiseLayer(inputName, inputName, "input", *a));
  for (const auto& step : probe.plan().steps) {
    const ActivationParams* a = nullptr;
    std::string tensor;
    for (const auto& out : step.outputs)
      if ((a = params.activation(out))) {
        tensor = out;
        break;
      }
    if (!a) continue;
    layers.push_back(
        noiseLayer(step.name, tensor, step.fusion.empty() ? step.opType : step.fusion, *a));
  }
  return layers;
}

// Every layer tensor that is not already a graph output must be tapped.
std::vector<std::string> layerTaps(const std::vector<NoiseLayer>& layers,
                                   const std::vector<std::string>& graphOutputs) {
  std::vector<std::string> taps;
  for (const auto& l : layers)
    if (l.info.op != "input" &&
        std::find(graphOutputs.begin(), graphOutputs.end(), l.info.tensor) == graphOutputs.end())
      taps.push_back(l.info.tensor);
  return taps;
}

const engine::Tensor* findResult(const engine::RunResult& result, const std::string& name) {
  for (const auto& t : result.taps)
    if (t.name == name) return &t.tensor;
  for (const auto& t : result.outputs)
    if (t.name == name) return &t.tensor;
  return nullptr;
}

// What every pass shares: the model, its parameters, the windows analysed, and progress.
struct NoiseRun {
  const engine::OnnxModel& model;
  const QuantParams& params;
  const engine::Tensor& windows;
  const NoiseAnalysisOptions& options;
  const JobControl& control;
  std::int64_t windowCount = 0;
  std::string inputName;
  std::vector<std::string> graphOutputs;
  double totalWork = 1.0;  // pass 1, plus one unit per layer for view 2
};

// View 1 ("all layers quantized"): per layer tensor, the FP32 signal against the quantized
// session's error. Also keeps the FP32 graph outputs for view 2.
struct AllQuantizedPass {
  std::map<std::string, SnrSums> sums;
  std::vector<std::vector<float>> referenceOutputs;
};

AllQuantizedPass runAllQuantized(const NoiseRun& run, const std::vector<NoiseLayer>& layers) {
  const auto taps = layerTaps(layers, run.graphOutputs);
  engine::SessionOptions fp32Options;
  fp32Options.threads = run.options.threads;
  fp32Options.taps = taps;
  engine::InferenceSession fp32(run.model, fp32Options);
  QuantizedSessionOptions quantizedOptions;
  quantizedOptions.threads = run.options.threads;
  quantizedOptions.taps = taps;
  QuantizedSession quantized(run.model, run.params, quantizedOptions);

  AllQuantizedPass pass;
  pass.referenceOutputs.resize(run.graphOutputs.size());
  const std::int64_t n = run.windowCount;
  for (std::int64_t first = 0; first < n; first += run.options.chunkWindows) {
    run.control.throwIfCancelled();
    const std::int64_t count = std::min(run.options.chunkWindows, n - first);
    const auto chunk = run.windows.sliceLeading(first, count);
    const auto ref = fp32.run({{run.inputName, chunk}});
    const auto q = quantized.run({{run.inputName, chunk}});
    for (const auto& l : layers) {
      if (l.info.op == "input") {
        // The input's own quantization error, computed directly (the engine passes the graph
        // input through the hook, so the FP32 input and its grid are all that is needed).
        auto copy = chunk;
        fakeQuantize(copy.floats(), run.params.activation(run.inputName)->grid());
        pass.sums[l.info.tensor].add(chunk.floats(), copy.floats());
        continue;
      }
      const auto* r = findResult(ref, l.info.tensor);
      const auto* qt = findResult(q, l.info.tensor);
      if (r && qt && r->dtype() == engine::DType::Float32 && qt->dtype() == engine::DType::Float32)
        pass.sums[l.info.tensor].add(r->floats(), qt->floats());
    }
    for (std::size_t o = 0; o < run.graphOutputs.size(); ++o) {
      const auto& t = ref.outputs[o].tensor;
      if (t.dtype() != engine::DType::Float32) continue;
      auto& kept = pass.referenceOutputs[o];
      kept.insert(kept.end(), t.floats().begin(), t.floats().end());
    }
    run.control.report(
        static_cast<double>(first + count) / static_cast<double>(n) / run.totalWork,
        "all layers quantized: " + std::to_string(first + count) + "/" + std::to_string(n));
  }
  return pass;
}

// View 2 ("only this layer quantized"): the graph outputs' SNR with one layer quantized alone.
void measureOnlyThisLayer(const NoiseRun& run, NoiseLayer& layer,
                          const std::vector<std::vector<float>>& referenceOutputs) {
  QuantizedSessionOptions only;
  only.threads = run.options.threads;
  only.onlySteps = std::set<std::string>{layer.step};
  QuantizedSession single(run.model, run.params, only);
  const auto& graphOutputs = run.graphOutputs;
  std::vector<SnrSums> sums(graphOutputs.size());
  std::vector<std::size_t> offsets(graphOutputs.size(), 0);
  const std::int64_t n = run.windowCount;
  for (std::int64_t first = 0; first < n; first += run.options.chunkWindows) {
    const std::int64_t count = std::min(run.options.chunkWindows, n - first);
    const auto out = single.run({{run.inputName, run.windows.sliceLeading(first, count)}});
    for (std::size_t o = 0; o < graphOutputs.size(); ++o) {
      const auto& t = out.outputs[o].tensor;
      if (t.dtype() != engine::DType::Float32) continue;
      const auto values = t.floats();
      sums[o].add(std::span<const float>(referenceOutputs[o]).subspan(offsets[o], values.size()),
                  values);
      offsets[o] += values.size();
    }
  }
  layer.info.snrOnlyThisLayerMin_db = std::numeric_limits<double>::infinity();
  for (std::size_t o = 0; o < graphOutputs.size(); ++o) {
    layer.info.snrOnlyThisLayer.push_back({graphOutputs[o], sums[o].db()});
    layer.info.snrOnlyThisLayerMin_db = std::min(layer.info.snrOnlyThisLayerMin_db, sums[o].db());
  }
}

// Rank: worst first, by the view that says most about the answer (view 2 when computed).
void rankWorstFirst(analysis::LayerNoiseReport& report, bool byOnlyThisLayer) {
  std::vector<std::size_t> order(report.layers.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  auto key = [&](std::size_t i) {
    const auto& l = report.layers[i];
    return byOnlyThisLayer ? l.snrOnlyThisLayerMin_db : l.snrAllQuantized_db;
  };
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t x, std::size_t y) { return key(x) < key(y); });
  for (std::size_t r = 0; r < order.size(); ++r)
    report.layers[order[r]].rank = static_cast<int>(r + 1);
}

}  // namespace

analysis::LayerNoiseReport analyzeLayerNoise(const engine::OnnxModel& model,
                                             const QuantParams& params,
                                             const engine::Tensor& windows,
                                             const NoiseAnalysisOptions& options,
                                             const JobControl& control) {
  if (windows.rank() < 1 || windows.dim(0) == 0)
    throw Error("per-layer noise analysis", "no windows to analyse",
                "give a calibration set or a session with at least one window");
  const std::int64_t windowCount =
      options.maxWindows > 0 ? std::min(options.maxWindows, windows.dim(0)) : windows.dim(0);
  engine::InferenceSession probe(model);
  const auto inputName = probe.inputNames().front();
  auto layers = noiseLayers(probe, params, inputName);
  const double onlyThisLayerWork = options.onlyThisLayer ? static_cast<double>(layers.size()) : 0.0;
  const NoiseRun run{model,
                     params,
                     windows,
                     options,
                     control,
                     windowCount,
                     inputName,
                     probe.outputNames(),
                     1.0 + onlyThisLayerWork};

  auto allQuantized = runAllQuantized(run, layers);
  analysis::LayerNoiseReport report;
  report.flagBelow_db = options.flagBelow_db;
  report.windows = static_cast<std::size_t>(run.windowCount);
  report.onlyThisLayerComputed = options.onlyThisLayer;
  for (std::size_t i = 0; i < layers.size(); ++i) {
    auto& l = layers[i];
    l.info.snrAllQuantized_db = allQuantized.sums[l.info.tensor].db();
    if (options.onlyThisLayer) {
      control.throwIfCancelled();
      measureOnlyThisLayer(run, l, allQuantized.referenceOutputs);
      control.report((1.0 + static_cast<double>(i + 1)) / run.totalWork,
                     "only " + l.info.node + " quantized");
    }
    l.info.flagged =
        l.info.snrAllQuantized_db < options.flagBelow_db ||
        (options.onlyThisLayer && l.info.snrOnlyThisLayerMin_db < options.flagBelow_db);
    l.info.suggestion = suggestLayerFix(l.info, params.calibrationWindows);
    report.layers.push_back(l.info);
  }
  rankWorstFirst(report, options.onlyThisLayer);
  return report;
}

}  // namespace imuwb::quant
