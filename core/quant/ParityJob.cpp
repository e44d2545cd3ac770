#include "quant/ParityJob.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <limits>
#include <sstream>

#include "common/Error.hpp"
#include "pipeline/SampleSource.hpp"
#include "pipeline/WindowFeed.hpp"
#include "quant/CalibrationSet.hpp"
#include "quant/QuantizedBackendView.hpp"

namespace imuwb::quant {
namespace {

bool isQuantized(const std::string& precision) {
  return precision.find("int") != std::string::npos || (!precision.empty() && precision[0] == 'a');
}

analysis::SourceInfo describe(const ParitySide& side) {
  if (side.backend) {
    const auto info = side.backend->describe();
    return {info.name, "backend", info.precision, info.version + ", " + info.device};
  }
  return {side.recorded->label, "recorded", "unknown", side.recorded->detail};
}

std::string percent(double fraction) {
  std::ostringstream out;
  out.precision(3);
  out << fraction * 100.0 << " %";
  return out.str();
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

  // The windows: a session feed (every contract check happens in its constructor), an .npy
  // in the model layout, or none when both sides are recorded.
  std::vector<std::unique_ptr<SampleSource>> sources;
  std::unique_ptr<WindowFeed> feed;
  engine::Tensor npy_windows;
  std::size_t npy_next = 0;
  std::size_t total_estimate = 0;
  std::size_t recorded_next = 0;
  const RecordedOutputs* only_recorded = need_inputs ? nullptr : a.recorded;
  if (have_sessions && need_inputs) {
    for (const auto& path : options.sessions) result.inputs.push_back(path.string());
    sources = openSessionFiles(options.sessions);
    WindowFeedOptions feed_options;
    feed_options.stride = options.stride;
    feed_options.devices = options.devices;
    feed_options.maxWindows = options.maxWindows;
    feed_options.batchWindows = options.blockWindows;
    feed = std::make_unique<WindowFeed>(bundle, sourcePointers(sources), feed_options);
  } else if (have_npy && need_inputs) {
    result.inputs.push_back(options.inputsNpy.string());
    npy_windows = loadWindowsForModel(options.inputsNpy, manifest);
    total_estimate = static_cast<std::size_t>(npy_windows.dim(0));
  } else {
    total_estimate = std::min(a.recorded->windows, b.recorded->windows);
  }
  std::vector<std::int64_t> start_rows;  // session row of each window in the current block
  FeedBatch fed;
  // Fills batch/times with the next block; false when done.
  const auto next_block = [&](Batch& batch, std::vector<double>& times) -> bool {
    times.clear();
    start_rows.clear();
    const std::size_t done = result.windows;
    if (options.maxWindows && done >= options.maxWindows) return false;
    const std::size_t cap = options.maxWindows ? options.maxWindows - done : SIZE_MAX;
    if (feed) {
      if (!feed->next(fed)) return false;
      std::swap(batch, fed.batch);
      for (const auto& w : fed.windows) {
        times.push_back(w.startTime_s + fed.sourceOffset_s);  // sessions joined end to end
        start_rows.push_back(static_cast<std::int64_t>(w.startRow));
      }
      return true;
    }
    if (need_inputs) {
      const auto n = static_cast<std::size_t>(npy_windows.dim(0));
      if (npy_next >= n) return false;
      const std::size_t count = std::min({options.blockWindows, n - npy_next, cap});
      const auto slice = npy_windows.sliceLeading(static_cast<std::int64_t>(npy_next),
                                                  static_cast<std::int64_t>(count));
      batch.inputName = manifest.input.name;
      batch.shape = slice.shape();
      batch.values.assign(slice.floats().begin(), slice.floats().end());
      for (std::size_t i = 0; i < count; ++i)
        times.push_back(static_cast<double>(npy_next + i));  // no clock: the window index
      npy_next += count;
      return true;
    }
    // Both sides recorded.
    const std::size_t n = std::min(a.recorded->windows, b.recorded->windows);
    if (recorded_next >= n) return false;
    const std::size_t count = std::min({options.blockWindows, n - recorded_next, cap});
    batch.shape = {static_cast<std::int64_t>(count)};
    batch.values.clear();
    for (std::size_t i = 0; i < count; ++i)
      times.push_back(only_recorded->startTime_s.size() > recorded_next + i
                          ? only_recorded->startTime_s[recorded_next + i]
                          : static_cast<double>(recorded_next + i));
    recorded_next += count;
    return true;
  };

  // Outputs of one side for the current block.
  const auto outputs_of = [&](const ParitySide& side, const Batch& batch, std::size_t offset,
                              std::size_t count) {
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
    if (!rec.startIndex.empty() && sources.size() == 1 && start_rows.size() == count)
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
  };

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
  while (next_block(batch, times)) {
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
    const OutputSet out_a = outputs_of(a, batch, offset, count);
    const OutputSet out_b = outputs_of(b, batch, offset, count);
    for (std::size_t k = 0; k < manifest.outputs.size(); ++k) {
      const auto& spec = manifest.outputs[k];
      const auto* ta = out_a.find(spec.name);
      const auto* tb = out_b.find(spec.name);
      for (const auto& [side, tensor] : {std::pair{&result.a, ta}, std::pair{&result.b, tb}}) {
        if (!tensor)
          throw Error(side->label, "produced no output '" + spec.name + "'",
                      "compare sources of the same model");
        if (tensor->values.size() != count * static_cast<std::size_t>(spec.size))
          throw Error(side->label + ": output '" + spec.name + "'",
                      std::to_string(tensor->values.size()) + " values for " +
                          std::to_string(count) + " windows of " + std::to_string(spec.size),
                      "compare sources of the same model");
      }
      accumulators[k].add(ta->values.data(), tb->values.data(), count, times.data());
    }
    result.windowTime_s.insert(result.windowTime_s.end(), times.begin(), times.end());
    result.windows += count;
    const double fraction =
        total_estimate ? static_cast<double>(result.windows) / static_cast<double>(total_estimate)
        : feed         ? feed->progress()
                       : 0.0;
    control.report(std::min(fraction, 1.0) * (want_layers ? 0.8 : 1.0),
                   "window " + std::to_string(result.windows));
  }
  if (feed) {
    const auto findings = feed->findings();
    result.findings.insert(result.findings.end(), findings.begin(), findings.end());
  }
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

  if (quantized_view && need_inputs) {
    const auto& params = quantized_view->quantParams();
    const std::uint64_t seen = quantized_view->inputValuesSeen() - seen_before;
    const std::uint64_t clipped = quantized_view->inputValuesClipped() - clipped_before;
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
  if (want_layers && !layer_shape.empty()) {
    const auto windows = engine::Tensor::fromFloats(layer_shape, layer_values);
    auto noise = options.noise;
    JobControl sub;
    sub.stop = control.stop;
    sub.onProgress = [&](double f, std::string_view stage) {
      control.report(0.8 + 0.2 * f, stage);
    };
    result.layers = analyzeLayerNoise(quantized_view->quantizedModel(),
                                      quantized_view->quantParams(), windows, noise, sub);
    for (const auto& l : result.layers->layers)
      if (l.flagged)
        result.findings.push_back({Severity::Warning, "layer_low_snr",
                                   "layer '" + l.node + "' (" + l.op + ") is below " +
                                       std::to_string(static_cast<int>(noise.flagBelow_db)) +
                                       " dB SNR",
                                   l.suggestion, "", l.node});
  }
  result.seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  control.report(1.0, "done");
  return result;
}

}  // namespace imuwb::quant
