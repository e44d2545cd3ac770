// The hailort backend over HailoRT 4.23's InferModel API (docs/backends.md). Every HailoRT
// call goes through hailort_calls::take/check, so a failure is an imuwb::Error naming the call
// and the status.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>

#include "backends/hailort/HailortCalls.hpp"
#include "common/Error.hpp"
#include "engine/Tensor.hpp"
#include "pipeline/Layout.hpp"

namespace imuwb {
inline namespace IMUWB_HAILORT_FLAVOUR {

using namespace hailort_calls;
using Clock = std::chrono::steady_clock;

namespace {

double millisecondsBetween(Clock::time_point from, Clock::time_point to) {
  return std::chrono::duration<double, std::milli>(to - from).count();
}

}  // namespace

struct HailortBackend::Impl {
  // One manifest output and the HEF output that feeds it.
  struct OutputSlot {
    std::string manifestName;
    std::string stream;
    std::size_t size = 0;  // values per window
    hailo_3d_image_shape_t shape{};
    std::vector<hailo_quant_info_t> quant;
    std::size_t frameBytes = 0;
  };

  HailortBackendOptions options;
  // Declared in this order so they are released configured model first (its shutdown ends any
  // frame still in flight), then the model and the device, and the buffers of failed runs last.
  std::vector<std::shared_ptr<void>> abandoned;
  std::unique_ptr<hailort::VDevice> vdevice;
  std::shared_ptr<hailort::InferModel> model;
  hailort::ConfiguredInferModel configured;
  bool loaded = false;
  Manifest manifest;
  CanonicalDims dims;
  std::string inputStream;
  std::size_t inputFrameBytes = 0;
  std::vector<OutputSlot> outputs;
  std::vector<HailortStreamInfo> streams;
  std::vector<double> latencies_ms;
  std::string deviceIds, hefPath, hefHash;

  std::filesystem::path resolveHef(const ModelBundle& bundle) const {
    if (!options.hef.empty()) return options.hef;
    auto beside = bundle.onnxPath;
    beside.replace_extension(".hef");
    if (std::filesystem::exists(beside)) return beside;
    throw Error("hailort backend: " + bundle.onnxPath.string(),
                "no HEF given and none beside the model (" + beside.filename().string() + ")",
                "compile the ONNX for hailo8 with the Dataflow Compiler and pass "
                "--backend-option hef=PATH, or put <model>.hef beside the ONNX");
  }

  std::string mapOutput(const std::string& manifestName) const {
    const auto& names = model->get_output_names();
    auto has = [&](const std::string& name) {
      return std::find(names.begin(), names.end(), name) != names.end();
    };
    if (has(manifestName)) return manifestName;
    auto fromOriginal = model->hef().get_vstream_name_from_original_name(manifestName);
    if (fromOriginal && has(*fromOriginal)) return *fromOriginal;
    for (const auto& name : names)
      if (name.size() > manifestName.size() && name.ends_with("/" + manifestName)) return name;
    if (names.size() == 1 && manifest.outputs.size() == 1) return names.front();
    std::string list;
    for (const auto& name : names) list += (list.empty() ? "" : ", ") + name;
    throw Error("hailort backend: " + hefPath,
                "no HEF output matches the manifest output '" + manifestName +
                    "' (by name, by its original ONNX name, or as <network>/" + manifestName +
                    "); the HEF's outputs are " + list,
                "compile the HEF from this bundle's ONNX so its output names carry over");
  }

  std::string originalNameOf(const std::string& stream) const {
    auto names = model->hef().get_original_names_from_vstream_name(stream);
    if (!names || names->empty()) return {};
    std::string joined;
    for (const auto& name : *names) joined += (joined.empty() ? "" : ",") + name;
    return joined;
  }

  void openInput() {
    if (model->inputs().size() != 1)
      throw Error("hailort backend: " + hefPath,
                  "the HEF has " + std::to_string(model->inputs().size()) +
                      " inputs; the manifest feeds one window tensor",
                  "compile a single-input network");
    auto input = model->inputs().front();
    inputStream = input.name();
    const auto shape = input.shape();
    const std::uint32_t want[3] = {std::uint32_t(dims.h), std::uint32_t(dims.w),
                                   std::uint32_t(kChannelCount)};
    if (shape.height != want[0] || shape.width != want[1] || shape.features != want[2])
      throw Error("hailort backend: HEF input '" + inputStream + "'",
                  "shape " + std::to_string(shape.height) + "x" + std::to_string(shape.width) +
                      "x" + std::to_string(shape.features) + " (HxWxC) is not the manifest's " +
                      std::string(layoutName(manifest.input.layout)) + " window as NHWC, " +
                      std::to_string(want[0]) + "x" + std::to_string(want[1]) + "x" +
                      std::to_string(want[2]),
                  "compile the HEF from this bundle's ONNX");
    input.set_format_type(HAILO_FORMAT_TYPE_FLOAT32);  // HailoRT quantizes on the host
    input.set_format_order(HAILO_FORMAT_ORDER_NHWC);
    inputFrameBytes = std::size_t(want[0]) * want[1] * want[2] * sizeof(float);
    if (input.get_frame_size() != inputFrameBytes)
      throw Error("hailort backend: HEF input '" + inputStream + "'",
                  "frame size " + std::to_string(input.get_frame_size()) + " bytes as float32 " +
                      "NHWC, expected " + std::to_string(inputFrameBytes),
                  "compile the HEF from this bundle's ONNX");
  }

  void openOutputs() {
    for (const auto& spec : manifest.outputs) {
      OutputSlot slot;
      slot.manifestName = spec.name;
      slot.stream = mapOutput(spec.name);
      auto stream = take(model->output(slot.stream), "InferModel::output()", slot.stream);
      slot.shape = stream.shape();
      slot.size = std::size_t(slot.shape.height) * slot.shape.width * slot.shape.features;
      if (slot.size != std::size_t(spec.size))
        throw Error("hailort backend: HEF output '" + slot.stream + "'",
                    "holds " + std::to_string(slot.size) +
                        " values per window, but manifest "
                        "output '" +
                        spec.name + "' has " + std::to_string(spec.size),
                    "compile the HEF from this bundle's ONNX");
      stream.set_format_type(options.rawOutputs ? HAILO_FORMAT_TYPE_UINT8
                                                : HAILO_FORMAT_TYPE_FLOAT32);
      slot.quant = stream.get_quant_infos();
      if (options.rawOutputs && slot.quant.size() != 1 && slot.quant.size() != slot.shape.features)
        throw Error("hailort backend: HEF output '" + slot.stream + "'",
                    "get_quant_infos() gave " + std::to_string(slot.quant.size()) +
                        " entries for " + std::to_string(slot.shape.features) +
                        " features: neither per tensor nor per channel",
                    "use --backend-option outputs=float32 (HailoRT dequantizes)");
      slot.frameBytes = slot.size * (options.rawOutputs ? 1 : sizeof(float));
      if (stream.get_frame_size() != slot.frameBytes)
        throw Error("hailort backend: HEF output '" + slot.stream + "'",
                    "frame size " + std::to_string(stream.get_frame_size()) + " bytes, expected " +
                        std::to_string(slot.frameBytes),
                    "compile the HEF without on-chip post-processing (NMS) for this output");
      outputs.push_back(slot);
    }
  }

  void collectStreams() {
    streams.clear();
    for (const auto& input : model->inputs())
      streams.push_back(describeStream(input, true, originalNameOf(input.name()), "input"));
    for (const auto& output : model->outputs()) {
      std::string role = "(not in the manifest)";
      for (const auto& slot : outputs)
        if (slot.stream == output.name())
          if (const auto* spec = manifest.findOutput(slot.manifestName))
            role = std::string(roleName(spec->role)) + " '" + spec->name + "'";
      streams.push_back(describeStream(output, false, originalNameOf(output.name()), role));
    }
  }

  // One run()'s buffers and bookkeeping. HailoRT writes into the output buffers until a frame
  // completes, and a timed-out wait() does not stop the frame (AsyncInferJob::wait clears the
  // job's wait-in-destructor), so a failed run's state is kept (abandoned) until the configured
  // model is released, and each async callback holds it too.
  struct RunState {
    std::vector<float> input;                        // NHWC windows
    std::vector<std::vector<std::uint8_t>> outputs;  // per output slot, n frames
    std::vector<hailort::ConfiguredInferModel::Bindings> bindings;
    std::vector<Clock::time_point> started, finished;
    std::vector<hailo_status> statuses;
  };

  void bindWindow(hailort::ConfiguredInferModel::Bindings& bindings, RunState& run,
                  std::size_t window) {
    auto in = take(bindings.input(inputStream), "Bindings::input()", inputStream);
    float* input = run.input.data() + window * (inputFrameBytes / sizeof(float));
    check(in.set_buffer(hailort::MemoryView(input, inputFrameBytes)),
          "Bindings::InferStream::set_buffer()", inputStream);
    for (std::size_t o = 0; o < outputs.size(); ++o) {
      auto out = take(bindings.output(outputs[o].stream), "Bindings::output()", outputs[o].stream);
      auto* at = run.outputs[o].data() + window * outputs[o].frameBytes;
      check(out.set_buffer(hailort::MemoryView(at, outputs[o].frameBytes)),
            "Bindings::InferStream::set_buffer()", outputs[o].stream);
    }
  }

  std::string windowContext(std::size_t window, std::size_t count) const {
    return "window " + std::to_string(window + 1) + " of " + std::to_string(count) + ", timeout " +
           std::to_string(options.timeout.count()) + " ms";
  }

  void runSync(RunState& run, std::size_t n) {
    run.bindings.push_back(
        take(configured.create_bindings(), "ConfiguredInferModel::create_bindings()"));
    for (std::size_t i = 0; i < n; ++i) {
      bindWindow(run.bindings.front(), run, i);
      const auto start = Clock::now();
      check(configured.run(run.bindings.front(), options.timeout), "ConfiguredInferModel::run()",
            windowContext(i, n));
      latencies_ms[i] = millisecondsBetween(start, Clock::now());
    }
  }

  void runAsync(const std::shared_ptr<RunState>& state, std::size_t n) {
    auto& run = *state;
    run.started.resize(n);
    run.finished.resize(n);
    run.statuses.assign(n, HAILO_UNINITIALIZED);
    run.bindings.reserve(n);  // in-flight frames use these until they complete
    std::vector<hailort::AsyncInferJob> jobs;
    for (std::size_t i = 0; i < n; ++i) {
      run.bindings.push_back(
          take(configured.create_bindings(), "ConfiguredInferModel::create_bindings()"));
      bindWindow(run.bindings.back(), run, i);
      check(configured.wait_for_async_ready(options.timeout, 1),
            "ConfiguredInferModel::wait_for_async_ready()", windowContext(i, n));
      run.started[i] = Clock::now();
      auto done = [state, i](const hailort::AsyncInferCompletionInfo& info) {
        state->finished[i] = Clock::now();
        state->statuses[i] = info.status;
      };
      jobs.push_back(take(configured.run_async(run.bindings.back(), done),
                          "ConfiguredInferModel::run_async()", windowContext(i, n)));
    }
    for (std::size_t i = 0; i < n; ++i) {
      check(jobs[i].wait(options.timeout), "AsyncInferJob::wait()", windowContext(i, n));
      check(run.statuses[i], "ConfiguredInferModel::run_async() completion", windowContext(i, n));
      latencies_ms[i] = millisecondsBetween(run.started[i], run.finished[i]);
    }
  }

  OutputTensor collect(const OutputSlot& slot, const std::vector<std::uint8_t>& buffer,
                       std::size_t n) const {
    OutputTensor tensor;
    tensor.name = slot.manifestName;
    tensor.shape = {std::int64_t(n), std::int64_t(slot.size)};
    tensor.values.resize(n * slot.size);
    std::vector<float> frame(slot.size);
    const bool spatial = std::size_t(slot.shape.height) * slot.shape.width > 1;
    for (std::size_t i = 0; i < n; ++i) {
      const auto* bytes = buffer.data() + i * slot.frameBytes;
      float* out = tensor.values.data() + i * slot.size;
      float* target = spatial ? frame.data() : out;
      if (options.rawOutputs)
        dequantize(bytes, slot.size, slot.quant, slot.shape.features, target);
      else
        std::memcpy(target, bytes, slot.size * sizeof(float));
      if (spatial) hwcToChw(frame.data(), slot.shape, out);
    }
    return tensor;
  }
};

HailortBackend::HailortBackend(HailortBackendOptions options) : impl_(std::make_unique<Impl>()) {
  impl_->options = std::move(options);
}
HailortBackend::~HailortBackend() = default;

BackendInfo HailortBackend::describe() const {
  const std::string device =
      impl_->deviceIds.empty() ? "Hailo-8 (not opened)" : "Hailo-8 (" + impl_->deviceIds + ")";
  return {"hailort", "HailoRT " + libraryVersion(), device,
          impl_->options.rawOutputs ? "int8 (uint8 outputs, host-dequantized)"
                                    : "int8 (float32 outputs)"};
}

void HailortBackend::load(const ModelBundle& bundle) {
  auto options = impl_->options;
  impl_ = std::make_unique<Impl>();
  auto& s = *impl_;
  s.options = std::move(options);
  s.manifest = bundle.manifest;
  s.dims = canonicalDims(s.manifest);
  s.hefPath = s.resolveHef(bundle).string();
  s.vdevice = take(hailort::VDevice::create(), "VDevice::create()");
  auto ids = s.vdevice->get_physical_devices_ids();  // shown only: a failure is not fatal
  if (ids)
    for (const auto& id : *ids) s.deviceIds += (s.deviceIds.empty() ? "" : ", ") + id;
  else
    s.deviceIds =
        "ids unknown: get_physical_devices_ids() returned " + hailoStatusText(ids.status());
  s.model =
      take(s.vdevice->create_infer_model(s.hefPath), "VDevice::create_infer_model()", s.hefPath);
  s.hefHash = s.model->hef().hash();
  s.openInput();
  s.openOutputs();
  s.collectStreams();  // the formats as configured
  s.configured = take(s.model->configure(), "InferModel::configure()", s.hefPath);
  s.loaded = true;
}

OutputSet HailortBackend::run(const Batch& batch) {
  auto& s = *impl_;
  if (!s.loaded) throw Error("hailort backend", "run() before load()", "load a model bundle first");
  const std::size_t n = batch.windowCount();
  const auto expected = batchShape(s.manifest, n);
  if (n == 0 || batch.shape != expected ||
      batch.values.size() != std::size_t(engine::elementCount(batch.shape)))
    throw Error("hailort backend", "batch " + engine::shapeToString(batch.shape) + " with " +
                                       std::to_string(batch.values.size()) +
                                       " values is not the manifest's " +
                                       engine::shapeToString(expected));
  auto state = std::make_shared<Impl::RunState>();
  state->input.resize(batch.values.size());
  layoutToCanonical(batch.values.data(), n, s.dims, s.manifest.input.layout, state->input.data());
  for (const auto& slot : s.outputs) state->outputs.emplace_back(n * slot.frameBytes);
  s.latencies_ms.assign(n, 0.0);
  try {
    if (s.options.async)
      s.runAsync(state, n);
    else
      s.runSync(*state, n);
  } catch (...) {
    s.abandoned.push_back(state);  // frames may still be in flight into its buffers
    throw;
  }
  OutputSet set;
  for (std::size_t o = 0; o < s.outputs.size(); ++o)
    set.outputs.push_back(s.collect(s.outputs[o], state->outputs[o], n));
  return set;
}

std::vector<BackendDetail> HailortBackend::details() const {
  const auto& s = *impl_;
  std::vector<BackendDetail> lines;
  lines.push_back({"hailort", "HailoRT " + libraryVersion() + ", " + describe().device});
  if (!s.loaded) return lines;
  lines.push_back({"hef", s.hefPath + " (hash " + s.hefHash + ")"});
  lines.push_back({"run", std::string(s.options.async ? "run_async" : "run") + ", timeout " +
                              std::to_string(s.options.timeout.count()) + " ms, outputs " +
                              (s.options.rawOutputs ? "uint8 dequantized on the host"
                                                    : "float32 (HailoRT dequantizes)")});
  for (const auto& stream : s.streams) {
    std::string value = std::to_string(stream.height) + "x" + std::to_string(stream.width) + "x" +
                        std::to_string(stream.features) + " " + stream.formatOrder + " " +
                        stream.formatType + ", " + stream.role;
    if (!stream.originalName.empty()) value += ", from ONNX '" + stream.originalName + "'";
    value += ", " + describeQuant(stream.quant);
    lines.push_back(
        {std::string(stream.input ? "input '" : "output '") + stream.name + "'", value});
  }
  if (!s.latencies_ms.empty()) {
    auto sorted = s.latencies_ms;
    std::sort(sorted.begin(), sorted.end());
    char text[96];
    std::snprintf(text, sizeof text, "%zu windows, p50 %.3f ms, max %.3f ms", sorted.size(),
                  sorted[sorted.size() / 2], sorted.back());
    lines.push_back({"latency (last run)", text});
  }
  return lines;
}

const std::vector<HailortStreamInfo>& HailortBackend::streams() const {
  return impl_->streams;
}
const std::vector<double>& HailortBackend::windowLatencies_ms() const {
  return impl_->latencies_ms;
}

}  // namespace IMUWB_HAILORT_FLAVOUR
}  // namespace imuwb
