#include "quant/ParityJob.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <limits>
#include <sstream>

#include "common/Error.hpp"
#include "quant/ParityWindows.hpp"
#include "quant/QuantizedBackendView.hpp"

namespace imuwb::quant {
namespace {

bool isQuantized(const std::string& precision) {
  return precision.find("int") != std::string::npos || (!precision.empty() && precision[0] == 'a');
}

analysis::SourceInfo describe(const ParitySide& side) {
  if (side.backend) {
    const auto info = side.backend->describe();
    analysis::SourceInfo source{info.name, "backend", info.precision,
                                info.version + ", " + info.device};
    for (const auto& [key, value] : side.backend->details()) {
      source.details.push_back({key, value});
      if (key == "determinism") source.determinism = value;
    }
    source.nonDeterministic = source.determinism.rfind("non-deterministic", 0) == 0;
    return source;
  }
  return {side.recorded->label, "recorded", "unknown", side.recorded->detail};
}

// A live backend whose determinism probe failed (the same window twice, different answers)
// cannot be trusted whatever the metrics say: an error finding, so the verdict fails.
void addDeterminismFindings(analysis::ParityResult& result) {
  for (const auto* side : {&result.a, &result.b})
    if (side->nonDeterministic)
      result.findings.push_back(
          {Severity::Error, "backend_non_deterministic",
           side->label + " (" + side->detail + ") is " + side->determinism,
           "the backend answers the same window differently: check that the sidecar runs the "
           "model (not a stub) and that /healthz names the HEF you expect",
           "", side->label});
}

std::string percent(double fraction) {
  std::ostringstream out;
  out.precision(3);
  out << fraction * 100.0 << " %";
  return out.str();
}

// Usage errors before any work: unknown outputs in --min-cosine, a side without exactly one
// source, and not exactly one windows source when a backend must run.
void checkParityInputs(const Manifest& manifest, const ParitySide& a, const ParitySide& b,
                       const ParityOptions& options) {
  for (const auto& [name, value] : options.minCosine)
    if (!name.empty() && !manifest.findOutput(name)) {
      std::string known;
      for (const auto& o : manifest.outputs) known += (known.empty() ? "" : ", ") + o.name;
      throw Error("--min-cosine " + name + "=" + std::to_string(value),
                  "the model has no output '" + name + "'", "use one of: " + known);
    }
  if ((a.backend != nullptr) == (a.recorded != nullptr) ||
      (b.backend != nullptr) == (b.recorded != nullptr))
    throw Error("parity", "each side needs exactly one source", "give a backend or a recording");
  const bool need_inputs = a.backend || b.backend;
  const bool have_sessions = !options.sessions.empty();
  const bool have_npy = !options.inputsNpy.empty();
  if (need_inputs && have_sessions == have_npy)
    throw Error("parity",
                have_sessions ? "both --session and --inputs were given"
                              : "no windows to run: give --session or --inputs",
                "use one windows source");
}

// Outputs of one side for the current block: run on a backend (split to its batch limit), or
// sliced from a recording that must line up with the windows.
OutputSet sideOutputs(const ParitySide& side, const Batch& batch, std::size_t offset,
                      std::size_t count, const ParityWindows& windows) {
  const auto& start_rows = windows.startRows();
  OutputSet set;
  if (side.backend) {
    const std::size_t max = side.backend->maxBatchWindows();
    if (max == 0 || max >= count) return side.backend->run(batch);
    // Split for devices with a small batch limit.
    const std::size_t per = batch.valuesPerWindow();
    for (std::size_t first = 0; first < count; first += max) {
      const std::size_t n = std::min(max, count - first);
      Batch part{batch.inputName, batch.shape, {}};
      part.shape[0] = static_cast<std::int64_t>(n);
      part.values.assign(batch.values.begin() + static_cast<std::ptrdiff_t>(first * per),
                         batch.values.begin() + static_cast<std::ptrdiff_t>((first + n) * per));
      const auto out = side.backend->run(part);
      for (const auto& o : out.outputs) {
        auto* target = const_cast<OutputTensor*>(set.find(o.name));
        if (!target) {
          set.outputs.push_back(o);
        } else {
          target->values.insert(target->values.end(), o.values.begin(), o.values.end());
          target->shape[0] += o.shape[0];
        }
      }
    }
    return set;
  }
  const auto& rec = *side.recorded;
  if (offset + count > rec.windows)
    throw Error(rec.label,
                "the recording has " + std::to_string(rec.windows) +
                    " windows but the inputs give more (window " +
                    std::to_string(offset + count - 1) + ")",
                "record the same windows (same session, stride and devices) or pass "
                "--max-windows");
  // A recording that says where its windows start must start where ours do (one session:
  // with several, rows restart per session and only the order can be checked).
  if (!rec.startIndex.empty() && windows.sessionCount() == 1 && start_rows.size() == count)
    for (std::size_t i = 0; i < count; ++i)
      if (rec.startIndex[offset + i] != start_rows[i])
        throw Error(rec.label,
                    "recorded window " + std::to_string(offset + i) + " starts at row " +
                        std::to_string(rec.startIndex[offset + i]) +
                        " but this run's starts at row " + std::to_string(start_rows[i]),
                    "compare with the same session, stride and devices the recording used");
  for (const auto& [name, m] : rec.outputs) {
    OutputTensor t;
    t.name = name;
    t.shape = {static_cast<std::int64_t>(count), static_cast<std::int64_t>(m.cols)};
    t.values.assign(m.values.begin() + static_cast<std::ptrdiff_t>(offset * m.cols),
                    m.values.begin() + static_cast<std::ptrdiff_t>((offset + count) * m.cols));
    set.outputs.push_back(std::move(t));
  }
  return set;
}

// Input clipping of the quantized side over the compared windows; an error finding above the
// allowed fraction (the [0, 1] input-range incident).
void addInputClipping(analysis::ParityResult& result, const QuantizedBackendView& view,
                      std::uint64_t seen, std::uint64_t clipped, double data_min, double data_max,
                      const ParityOptions& options) {
  const auto& params = view.quantParams();
  const ActivationParams* input = nullptr;
  for (const auto& act : params.activations)
    if (act.isGraphInput) input = &act;
  if (input && seen > 0) {
    analysis::InputClipping clip{
        input->tensor, input->rangeMin, input->rangeMax,
        data_min,      data_max,        static_cast<double>(clipped) / static_cast<double>(seen)};
    result.inputClipping = clip;
    if (clip.clippedFraction > options.inputClipErrorFraction) {
      std::ostringstream message;
      message << percent(clip.clippedFraction) << " of input values fall outside the INT8 "
              << "input range [" << clip.rangeMin << ", " << clip.rangeMax
              << "] and clip; the data spans [" << clip.dataMin << ", " << clip.dataMax << "]";
      result.findings.push_back(
          {Severity::Error, "input_clipping", message.str(),
           "calibrate (and compile) with inputs preprocessed exactly as at inference: "
           "z-scored windows are negative about half the time, so an input range like [0, 1] "
           "destroys them",
           "", input->tensor});
    }
  }
}

// Per-layer noise of the quantized side on the first compared windows.
void addLayerNoise(analysis::ParityResult& result, const QuantizedBackendView& view,
                   const engine::Tensor& windows, const ParityOptions& options,
                   const JobControl& control) {
  auto noise = options.noise;
  JobControl sub;
  sub.stop = control.stop;
  sub.onProgress = [&](double f, std::string_view stage) { control.report(0.8 + 0.2 * f, stage); };
  result.layers = analyzeLayerNoise(view.quantizedModel(), view.quantParams(), windows, noise, sub);
  for (const auto& l : result.layers->layers)
    if (l.flagged)
      result.findings.push_back({Severity::Warning, "layer_low_snr",
                                 "layer '" + l.node + "' (" + l.op + ") is below " +
                                     std::to_string(static_cast<int>(noise.flagBelow_db)) +
                                     " dB SNR",
                                 l.suggestion, "", l.node});
}

void checkSideOutput(const std::string& label, const OutputTensor* tensor, const OutputSpec& spec,
                     std::size_t count) {
  if (!tensor)
    throw Error(label, "produced no output '" + spec.name + "'",
                "compare sources of the same model");
  if (tensor->values.size() != count * static_cast<std::size_t>(spec.size))
    throw Error(label + ": output '" + spec.name + "'",
                std::to_string(tensor->values.size()) + " values for " + std::to_string(count) +
                    " windows of " + std::to_string(spec.size),
                "compare sources of the same model");
}

}  // namespace

analysis::Tolerance toleranceFor(const ModelBundle& bundle, const OutputSpec& output,
                                 bool quantized, const ParityOptions& options) {
  analysis::Tolerance t = analysis::contractDefaultTolerance(quantized);
  if (!bundle.manifestInferred) {
    t.minCosine = quantized ? bundle.manifest.parity.int8Cosine : bundle.manifest.parity.fp32Cosine;
    t.source = "manifest";
    if (bundle.manifest.parity.top1Agreement > 0 && output.role == OutputRole::Logits)
      t.minTop1Agreement = bundle.manifest.parity.top1Agreement;
  }
  if (auto all = options.minCosine.find(""); all != options.minCosine.end()) {
    t.minCosine = all->second;
    t.source = "flag";
  }
  if (auto one = options.minCosine.find(output.name); one != options.minCosine.end()) {
    t.minCosine = one->second;
    t.source = "flag";
  }
  if (options.minTop1Agreement && output.role == OutputRole::Logits)
    t.minTop1Agreement = options.minTop1Agreement;
  if (options.minSnr_db) t.minSnr_db = options.minSnr_db;
  t.motifThreshold = options.motifThreshold;
  return t;
}

analysis::ParityResult runParity(const ModelBundle& bundle, ParitySide a, ParitySide b,
                                 const ParityOptions& options, const JobControl& control) {
  const auto started = std::chrono::steady_clock::now();
  const Manifest& manifest = bundle.manifest;
  checkParityInputs(manifest, a, b, options);
  const bool need_inputs = a.backend || b.backend;

  analysis::ParityResult result;
  result.modelName = manifest.name;
  result.modelSha256 = bundle.sha256();
  result.a = describe(a);
  result.b = describe(b);
  const bool quantized = isQuantized(result.a.precision) || isQuantized(result.b.precision);

  // Accumulators, one per manifest output.
  std::vector<analysis::OutputParityAccumulator> accumulators;
  for (const auto& spec : manifest.outputs)
    accumulators.emplace_back(spec.name, spec.role, static_cast<std::size_t>(spec.size), spec.names,
                              options.motifThreshold);

  ParityWindows windows(bundle, a, b, options, result.inputs);

  const QuantizedBackendView* quantized_view = nullptr;
  if (a.backend) quantized_view = a.backend->quantizedView();
  if (!quantized_view && b.backend) quantized_view = b.backend->quantizedView();
  const std::uint64_t clipped_before = quantized_view ? quantized_view->inputValuesClipped() : 0;
  const std::uint64_t seen_before = quantized_view ? quantized_view->inputValuesSeen() : 0;
  const bool want_layers = quantized_view && options.layerAnalysis && need_inputs;
  const std::int64_t layer_windows = options.noise.maxWindows;
  std::vector<float> layer_values;
  std::vector<std::int64_t> layer_shape;
  double data_min = std::numeric_limits<double>::infinity();
  double data_max = -std::numeric_limits<double>::infinity();

  Batch batch;
  std::vector<double> times;
  while (windows.next(batch, times, result.windows)) {
    control.throwIfCancelled();
    const std::size_t count = times.size();
    const std::size_t offset = result.windows;
    if (need_inputs) {
      for (float v : batch.values) {
        data_min = std::min(data_min, static_cast<double>(v));
        data_max = std::max(data_max, static_cast<double>(v));
      }
      if (want_layers &&
          static_cast<std::int64_t>(layer_shape.empty() ? 0 : layer_shape[0]) < layer_windows) {
        const std::size_t per = batch.valuesPerWindow();
        const std::size_t have = layer_shape.empty() ? 0 : static_cast<std::size_t>(layer_shape[0]);
        const std::size_t take = std::min(count, static_cast<std::size_t>(layer_windows) - have);
        layer_values.insert(layer_values.end(), batch.values.begin(),
                            batch.values.begin() + static_cast<std::ptrdiff_t>(take * per));
        if (layer_shape.empty()) layer_shape = batch.shape;
        layer_shape[0] = static_cast<std::int64_t>(have + take);
      }
    }
    const OutputSet out_a = sideOutputs(a, batch, offset, count, windows);
    const OutputSet out_b = sideOutputs(b, batch, offset, count, windows);
    for (std::size_t k = 0; k < manifest.outputs.size(); ++k) {
      const auto& spec = manifest.outputs[k];
      const auto* ta = out_a.find(spec.name);
      const auto* tb = out_b.find(spec.name);
      checkSideOutput(result.a.label, ta, spec, count);
      checkSideOutput(result.b.label, tb, spec, count);
      accumulators[k].add(ta->values.data(), tb->values.data(), count, times.data());
    }
    result.windowTime_s.insert(result.windowTime_s.end(), times.begin(), times.end());
    result.windows += count;
    control.report(windows.progress(result.windows) * (want_layers ? 0.8 : 1.0),
                   "window " + std::to_string(result.windows));
  }
  const auto feedFindings = windows.findings();
  result.findings.insert(result.findings.end(), feedFindings.begin(), feedFindings.end());
  if (result.windows == 0)
    throw Error(result.inputs.empty() ? std::string("parity") : result.inputs.front(),
                "no windows to compare", "give a longer session or more windows");
  for (const auto* side : {a.recorded, b.recorded})
    if (side && need_inputs && side->windows != result.windows && !options.maxWindows)
      result.findings.push_back(
          {Severity::Warning, "recording_length_mismatch",
           side->label + " holds " + std::to_string(side->windows) + " windows; " +
               std::to_string(result.windows) + " were compared",
           "record the same windows (session, stride, devices) to compare everything", "", ""});

  for (std::size_t k = 0; k < manifest.outputs.size(); ++k)
    result.outputs.push_back(
        accumulators[k].finish(toleranceFor(bundle, manifest.outputs[k], quantized, options)));
  result.a = describe(a);  // again: details now include what the run measured (latency)
  result.b = describe(b);
  addDeterminismFindings(result);

  if (quantized_view && need_inputs)
    addInputClipping(result, *quantized_view, quantized_view->inputValuesSeen() - seen_before,
                     quantized_view->inputValuesClipped() - clipped_before, data_min, data_max,
                     options);
  if (want_layers && !layer_shape.empty())
    addLayerNoise(result, *quantized_view, engine::Tensor::fromFloats(layer_shape, layer_values),
                  options, control);
  result.seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  control.report(1.0, "done");
  return result;
}

}  // namespace imuwb::quant
