#include "quant/Calibration.hpp"

#include <algorithm>
#include <cmath>

#include "common/Error.hpp"

namespace imuwb::quant {

Calibration calibrate(const engine::OnnxModel& model, const engine::Tensor& windows,
                      const JobControl& control, std::int64_t chunkWindows) {
  const std::string where = "calibration set for " + model.path().filename().string();
  if (windows.dtype() != engine::DType::Float32 || windows.rank() < 1 || windows.dim(0) == 0)
    throw Error(where, "the calibration set is empty or not float32 [N, ...]",
                "pass a float32 .npy with at least one window (1024 recommended)");
  const auto values = windows.floats();
  for (std::size_t i = 0; i < values.size(); ++i) {
    if ((i & 0xFFFFF) == 0) control.throwIfCancelled();  // large sets: stay responsive
    if (!std::isfinite(values[i]))
      throw Error(where, "the calibration set holds NaN or infinite values",
                  "rebuild it from windows without gaps or NaNs");
  }

  Calibration result;
  result.modelSha256 = model.sha256();
  result.windows = static_cast<std::uint64_t>(windows.dim(0));
  engine::SessionOptions options;
  options.threads = 1;  // deterministic statistics: observation order fixes the reservoir
  options.activationHook = [&result](const engine::ActivationView& view) {
    result.activations.observe(std::string(view.name), view.values);
  };
  options.weightHook = [&result](const engine::WeightSite& site, engine::Tensor& weight) {
    if (site.inputIndex != 1 || weight.dtype() != engine::DType::Float32) return;
    WeightStatistics stats;
    stats.site = site;
    stats.shape = weight.shape();
    stats.channelMaxAbs = maxAbsAlongAxis(weight.floats(), weight.shape(),
                                          weight.rank() ? site.outputChannelAxis : 0);
    stats.maxAbs = stats.channelMaxAbs.empty()
                       ? 0.0
                       : *std::max_element(stats.channelMaxAbs.begin(), stats.channelMaxAbs.end());
    result.weights.push_back(std::move(stats));
  };
  engine::InferenceSession session(model, options);
  result.plan = session.plan();
  result.graphInputs = session.inputNames();
  if (result.graphInputs.size() != 1)
    throw Error(model.path().string(),
                "the model has " + std::to_string(result.graphInputs.size()) + " inputs",
                "INT8 emulation supports single-input models (the contract's window input)");

  const std::int64_t n = windows.dim(0);
  for (std::int64_t first = 0; first < n; first += chunkWindows) {
    control.throwIfCancelled();
    const std::int64_t count = std::min(chunkWindows, n - first);
    session.run({{result.graphInputs.front(), windows.sliceLeading(first, count)}});
    control.report(static_cast<double>(first + count) / static_cast<double>(n),
                   "calibrating " + std::to_string(first + count) + "/" + std::to_string(n));
  }
  return result;
}

const engine::PlanStep* producingStep(const engine::PlanInfo& plan, const std::string& tensor) {
  for (const auto& step : plan.steps)
    if (std::find(step.outputs.begin(), step.outputs.end(), tensor) != step.outputs.end())
      return &step;
  return nullptr;
}

const LayerOverride* overrideForStep(const QuantConfig& config, const engine::PlanStep& step) {
  if (const auto* o = config.overrideFor(step.name)) return o;
  for (const auto& node : step.coveredNodes)
    if (const auto* o = config.overrideFor(node)) return o;
  for (const auto& tensor : step.outputs)
    if (const auto* o = config.overrideFor(tensor)) return o;
  return nullptr;
}

namespace {
const engine::PlanStep* stepCoveringNode(const engine::PlanInfo& plan, const std::string& node) {
  for (const auto& step : plan.steps) {
    if (step.name == node) return &step;
    if (std::find(step.coveredNodes.begin(), step.coveredNodes.end(), node) !=
        step.coveredNodes.end())
      return &step;
  }
  return nullptr;
}
}  // namespace

QuantParams deriveQuantParams(const Calibration& calibration, const QuantConfig& config) {
  QuantParams params;
  params.modelSha256 = calibration.modelSha256;
  params.calibrationWindows = calibration.windows;
  params.config = config;
  const auto& stats = calibration.activations;
  for (const auto& tensor : stats.order()) {
    ActivationParams a;
    a.tensor = tensor;
    const auto* step = producingStep(calibration.plan, tensor);
    a.isGraphInput = std::find(calibration.graphInputs.begin(), calibration.graphInputs.end(),
                               tensor) != calibration.graphInputs.end();
    const LayerOverride* o = nullptr;
    if (step) {
      a.node = step->name;
      o = overrideForStep(config, *step);
    } else {
      o = config.overrideFor(tensor);
    }
    a.bits = (o && o->precision == Precision::A16W16) ? 16 : config.activationBits;
    const auto& s = stats.at(tensor);
    a.calibMin = s.min;
    a.calibMax = s.max;
    double lo, hi;
    if (o && o->clipMin) {
      lo = *o->clipMin;
      hi = *o->clipMax;
      a.rangeSource = "override";
    } else if (a.isGraphInput && config.inputMin) {
      lo = *config.inputMin;
      hi = *config.inputMax;
      a.rangeSource = "input_range";
    } else {
      std::tie(lo, hi) = stats.chooseRange(tensor, config.range);
      a.rangeSource = config.range.method == RangeMethod::Percentile ? "percentile" : "minmax";
    }
    const AffineGrid grid = activationGrid(lo, hi, a.bits);
    a.scale = grid.scale;
    a.zeroPoint = grid.zeroPoint;
    a.qMin = grid.qMin;
    a.qMax = grid.qMax;
    a.rangeMin = grid.lowest();
    a.rangeMax = grid.highest();
    a.clipFraction =
        stats.fractionOutside(tensor, a.rangeMin - grid.scale / 2, a.rangeMax + grid.scale / 2);
    const double tail_span = stats.percentile(tensor, 99.99) - stats.percentile(tensor, 0.01);
    const double full_span = s.max - s.min;
    a.outlierRatio = tail_span > 0.0 ? full_span / tail_span : 1.0;
    params.activations.push_back(a);
  }
  for (const auto& w : calibration.weights) {
    WeightParams p;
    p.tensor = w.site.name;
    p.node = w.site.nodeName;
    const LayerOverride* o = config.overrideFor(w.site.nodeName);
    if (!o)
      if (const auto* step = stepCoveringNode(calibration.plan, w.site.nodeName))
        o = overrideForStep(config, *step);
    p.bits = (o && o->precision == Precision::A16W16) ? 16 : config.weightBits;
    p.perChannel = config.weightsPerChannel;
    p.channelAxis = w.site.outputChannelAxis;
    p.maxAbs = w.maxAbs;
    if (p.perChannel) {
      for (double m : w.channelMaxAbs) p.scales.push_back(weightGrid(m, p.bits).scale);
    } else {
      p.scales.push_back(weightGrid(w.maxAbs, p.bits).scale);
    }
    params.weights.push_back(p);
  }
  return params;
}

}  // namespace imuwb::quant
