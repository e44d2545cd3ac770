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

analysis::LayerNoiseReport analyzeLayerNoise(const engine::OnnxModel& model,
                                             const QuantParams& params,
                                             const engine::Tensor& windows,
                                             const NoiseAnalysisOptions& options,
                                             const JobControl& control) {
  if (windows.rank() < 1 || windows.dim(0) == 0)
    throw Error("per-layer noise analysis", "no windows to analyse",
                "give a calibration set or a session with at least one window");
  const std::int64_t n =
      options.maxWindows > 0 ? std::min(options.maxWindows, windows.dim(0)) : windows.dim(0);

  // Layers: the graph input, then every planned step whose outputs carry activation params.
  engine::InferenceSession probe(model);
  const auto input_name = probe.inputNames().front();
  const auto graph_outputs = probe.outputNames();
  struct Layer {
    analysis::LayerNoise info;
    std::string step;  // the only_steps key
  };
  std::vector<Layer> layers;
  if (const auto* a = params.activation(input_name)) {
    Layer l;
    l.info.node = input_name;
    l.info.tensor = input_name;
    l.info.op = "input";
    l.info.clipFraction = a->clipFraction;
    l.info.outlierRatio = a->outlierRatio;
    l.info.precision = a->bits >= 16 ? "a16_w16" : "a8_w8";
    l.step = input_name;
    layers.push_back(l);
  }
  for (const auto& step : probe.plan().steps) {
    const ActivationParams* a = nullptr;
    std::string tensor;
    for (const auto& out : step.outputs)
      if ((a = params.activation(out))) {
        tensor = out;
        break;
      }
    if (!a) continue;
    Layer l;
    l.info.node = step.name;
    l.info.tensor = tensor;
    l.info.op = step.fusion.empty() ? step.opType : step.fusion;
    l.info.clipFraction = a->clipFraction;
    l.info.outlierRatio = a->outlierRatio;
    l.info.precision = a->bits >= 16 ? "a16_w16" : "a8_w8";
    l.step = step.name;
    layers.push_back(l);
  }

  // Tap every layer tensor that is not already a graph output.
  std::vector<std::string> taps;
  for (const auto& l : layers)
    if (l.info.op != "input" &&
        std::find(graph_outputs.begin(), graph_outputs.end(), l.info.tensor) == graph_outputs.end())
      taps.push_back(l.info.tensor);

  engine::SessionOptions fp32_options;
  fp32_options.threads = options.threads;
  fp32_options.taps = taps;
  engine::InferenceSession fp32(model, fp32_options);
  QuantizedSessionOptions q_options;
  q_options.threads = options.threads;
  q_options.taps = taps;
  QuantizedSession quantized(model, params, q_options);

  // Captures the (quantized) input as the quantized session saw it.
  std::map<std::string, SnrSums> view1;
  std::vector<std::vector<float>> reference_outputs(graph_outputs.size());
  const double view2_work = options.onlyThisLayer ? static_cast<double>(layers.size()) : 0.0;
  const double total_work = 1.0 + view2_work;
  for (std::int64_t first = 0; first < n; first += options.chunkWindows) {
    control.throwIfCancelled();
    const std::int64_t count = std::min(options.chunkWindows, n - first);
    const auto chunk = windows.sliceLeading(first, count);
    const auto ref = fp32.run({{input_name, chunk}});
    const auto q = quantized.run({{input_name, chunk}});
    auto find = [](const engine::RunResult& r, const std::string& name) -> const engine::Tensor* {
      for (const auto& t : r.taps)
        if (t.name == name) return &t.tensor;
      for (const auto& t : r.outputs)
        if (t.name == name) return &t.tensor;
      return nullptr;
    };
    for (const auto& l : layers) {
      if (l.info.op == "input") {
        // The input's own quantization error, computed directly (the engine passes the graph
        // input through the hook, so the FP32 input and its grid are all that is needed).
        auto copy = chunk;
        fakeQuantize(copy.floats(), params.activation(input_name)->grid());
        view1[l.info.tensor].add(chunk.floats(), copy.floats());
        continue;
      }
      const auto* r = find(ref, l.info.tensor);
      const auto* qt = find(q, l.info.tensor);
      if (r && qt && r->dtype() == engine::DType::Float32 && qt->dtype() == engine::DType::Float32)
        view1[l.info.tensor].add(r->floats(), qt->floats());
    }
    for (std::size_t o = 0; o < graph_outputs.size(); ++o) {
      const auto& t = ref.outputs[o].tensor;
      if (t.dtype() != engine::DType::Float32) continue;
      reference_outputs[o].insert(reference_outputs[o].end(), t.floats().begin(), t.floats().end());
    }
    control.report(
        static_cast<double>(first + count) / static_cast<double>(n) / total_work,
        "all layers quantized: " + std::to_string(first + count) + "/" + std::to_string(n));
  }

  analysis::LayerNoiseReport report;
  report.flagBelow_db = options.flagBelow_db;
  report.windows = static_cast<std::size_t>(n);
  report.onlyThisLayerComputed = options.onlyThisLayer;
  for (std::size_t i = 0; i < layers.size(); ++i) {
    auto& l = layers[i];
    l.info.snrAllQuantized_db = view1[l.info.tensor].db();
    if (options.onlyThisLayer) {
      control.throwIfCancelled();
      QuantizedSessionOptions only;
      only.threads = options.threads;
      only.onlySteps = std::set<std::string>{l.step};
      QuantizedSession single(model, params, only);
      std::vector<SnrSums> sums(graph_outputs.size());
      std::vector<std::size_t> offsets(graph_outputs.size(), 0);
      for (std::int64_t first = 0; first < n; first += options.chunkWindows) {
        const std::int64_t count = std::min(options.chunkWindows, n - first);
        const auto out = single.run({{input_name, windows.sliceLeading(first, count)}});
        for (std::size_t o = 0; o < graph_outputs.size(); ++o) {
          const auto& t = out.outputs[o].tensor;
          if (t.dtype() != engine::DType::Float32) continue;
          const auto values = t.floats();
          sums[o].add(
              std::span<const float>(reference_outputs[o]).subspan(offsets[o], values.size()),
              values);
          offsets[o] += values.size();
        }
      }
      l.info.snrOnlyThisLayerMin_db = std::numeric_limits<double>::infinity();
      for (std::size_t o = 0; o < graph_outputs.size(); ++o) {
        l.info.snrOnlyThisLayer.push_back({graph_outputs[o], sums[o].db()});
        l.info.snrOnlyThisLayerMin_db = std::min(l.info.snrOnlyThisLayerMin_db, sums[o].db());
      }
      control.report((1.0 + static_cast<double>(i + 1)) / total_work,
                     "only " + l.info.node + " quantized");
    }
    l.info.flagged =
        l.info.snrAllQuantized_db < options.flagBelow_db ||
        (options.onlyThisLayer && l.info.snrOnlyThisLayerMin_db < options.flagBelow_db);
    l.info.suggestion = suggestLayerFix(l.info, params.calibrationWindows);
    report.layers.push_back(l.info);
  }
  // Rank: worst first, by the view that says most about the answer (view 2 when computed).
  std::vector<std::size_t> order(report.layers.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  auto key = [&](std::size_t i) {
    const auto& l = report.layers[i];
    return options.onlyThisLayer ? l.snrOnlyThisLayerMin_db : l.snrAllQuantized_db;
  };
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t x, std::size_t y) { return key(x) < key(y); });
  for (std::size_t r = 0; r < order.size(); ++r)
    report.layers[order[r]].rank = static_cast<int>(r + 1);
  return report;
}

}  // namespace imuwb::quant
