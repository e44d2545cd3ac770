// The fake ConfiguredInferModel: bindings, run(), run_async() with an async queue of
// HAILO_DEFAULT_ASYNC_INFER_QUEUE_SIZE frames, AsyncInferJob. A frame is computed by imuwb's
// CPU engine after the configured delay; UINT8 outputs are quantized with the HEF's
// quantization, per tensor or per feature.
#include <algorithm>
#include <cmath>
#include <cstring>
#include <span>
#include <thread>

#include "FakeModel.hpp"
#include "FakeState.hpp"

namespace imuwb_fake_hailort {

namespace {

using Clock = std::chrono::steady_clock;

const hailo_quant_info_t& quantFor(const StreamDesc& desc, std::size_t element) {
  return desc.quant.size() == 1 ? desc.quant.front() : desc.quant[element % desc.shape.features];
}

// The bound buffer as NHWC floats (UINT8 dequantized: (q - qp_zp) * qp_scale).
std::vector<float> readFrame(const StreamDesc& desc, const MemoryView& view) {
  const std::size_t count = std::size_t(desc.shape.height) * desc.shape.width * desc.shape.features;
  std::vector<float> values(count);
  if (desc.format.type == HAILO_FORMAT_TYPE_FLOAT32) {
    std::memcpy(values.data(), view.data(), count * sizeof(float));
  } else {
    for (std::size_t i = 0; i < count; ++i) {
      const auto& q = quantFor(desc, i);
      values[i] = (float(view.data()[i]) - q.qp_zp) * q.qp_scale;
    }
  }
  return values;
}

// HWC <-> CHW for a stream whose ONNX side is [C,H,W].
std::vector<float> hwcToChw(const StreamDesc& d, const std::vector<float>& hwc) {
  std::vector<float> chw(hwc.size());
  const std::size_t h = d.shape.height, w = d.shape.width, c = d.shape.features;
  for (std::size_t y = 0; y < h; ++y)
    for (std::size_t x = 0; x < w; ++x)
      for (std::size_t f = 0; f < c; ++f) chw[(f * h + y) * w + x] = hwc[(y * w + x) * c + f];
  return chw;
}

std::vector<float> chwToHwc(const StreamDesc& d, std::span<const float> chw) {
  std::vector<float> hwc(chw.size());
  const std::size_t h = d.shape.height, w = d.shape.width, c = d.shape.features;
  for (std::size_t y = 0; y < h; ++y)
    for (std::size_t x = 0; x < w; ++x)
      for (std::size_t f = 0; f < c; ++f) hwc[(y * w + x) * c + f] = chw[(f * h + y) * w + x];
  return hwc;
}

void writeFrame(const StreamDesc& desc, const std::vector<float>& values, MemoryView view) {
  if (desc.format.type == HAILO_FORMAT_TYPE_FLOAT32) {
    std::memcpy(view.data(), values.data(), values.size() * sizeof(float));
    return;
  }
  for (std::size_t i = 0; i < values.size(); ++i) {
    const auto& q = quantFor(desc, i);
    const float level = std::nearbyint(values[i] / q.qp_scale + q.qp_zp);  // half to even
    view.data()[i] = static_cast<uint8_t>(std::min(255.0f, std::max(0.0f, level)));
  }
}

}  // namespace

// --- ConfiguredInferModelBase ---
ConfiguredInferModelBase::ConfiguredInferModelBase(
    std::shared_ptr<const imuwb::engine::OnnxModel> model, std::vector<StreamDesc> in,
    std::vector<StreamDesc> out)
    : inputs(std::move(in)), outputs(std::move(out)), model_(std::move(model)), session_(*model_) {}

hailo_status ConfiguredInferModelBase::compute(const ConfiguredInferModel::Bindings& bindings) {
  try {
    std::vector<imuwb::engine::NamedTensor> feed;
    std::vector<float> firstInput;
    for (const auto& desc : inputs) {
      const auto* bound = FakeAccess::find(bindings, desc.name, true);
      if (!bound || !bound->set) return HAILO_INVALID_OPERATION;
      if (bound->view.size() != frameSize(desc)) return HAILO_INVALID_ARGUMENT;
      auto hwc = readFrame(desc, bound->view);
      if (firstInput.empty()) firstInput = hwc;
      const auto values = desc.chw ? hwcToChw(desc, hwc) : hwc;
      feed.push_back(
          {desc.originalName, imuwb::engine::Tensor::fromFloats(desc.onnxShape, values)});
    }
    for (const auto& desc : outputs) {
      const auto* bound = FakeAccess::find(bindings, desc.name, false);
      if (!bound || !bound->set) return HAILO_INVALID_OPERATION;
      if (bound->view.size() != frameSize(desc)) return HAILO_INVALID_ARGUMENT;
    }
    std::lock_guard lock(computeMutex_);
    const auto result = session_.run(feed);
    for (const auto& desc : outputs) {
      const imuwb::engine::NamedTensor* produced = nullptr;
      for (const auto& named : result.outputs)
        if (named.name == desc.originalName) produced = &named;
      if (!produced) return HAILO_INTERNAL_FAILURE;
      const auto values = produced->tensor.floats();
      const auto hwc =
          desc.chw ? chwToHwc(desc, values) : std::vector<float>(values.begin(), values.end());
      writeFrame(desc, hwc, FakeAccess::find(bindings, desc.name, false)->view);
    }
    hailort_fake::recordFrame(std::move(firstInput));
    return HAILO_SUCCESS;
  } catch (const std::exception&) {
    return HAILO_INTERNAL_FAILURE;
  }
}

ConfiguredInferModelBase::~ConfiguredInferModelBase() {
  drain();
}

void ConfiguredInferModelBase::drain() {
  std::unique_lock lock(queueMutex_);
  queueChanged_.wait(lock, [&] { return inFlight_ == 0; });
}

hailo_status ConfiguredInferModelBase::waitReady(std::chrono::milliseconds timeout,
                                                 uint32_t frames) {
  if (frames > kQueueSize) {               // "Calling this function with frames_count greater than
    std::this_thread::sleep_for(timeout);  // get_async_queue_size() will timeout."
    return HAILO_TIMEOUT;
  }
  std::unique_lock lock(queueMutex_);
  const bool ready =
      queueChanged_.wait_for(lock, timeout, [&] { return inFlight_ + frames <= kQueueSize; });
  return ready ? HAILO_SUCCESS : HAILO_TIMEOUT;
}

Expected<AsyncInferJob> ConfiguredInferModelBase::launch(
    const ConfiguredInferModel::Bindings& bindings,
    std::function<void(const AsyncInferCompletionInfo&)> callback) {
  {
    std::lock_guard lock(queueMutex_);
    if (inFlight_ >= kQueueSize) return make_unexpected(HAILO_QUEUE_IS_FULL);
    ++inFlight_;
  }
  auto job = std::make_shared<AsyncInferJobBase>();
  const auto delay = hailort_fake::delay();
  // The worker touches this object only until it has counted its frame out; the destructor
  // (HailoRT's shutdown) waits for that, so nothing outlives the configured model.
  std::thread([self = this, job, frame = ConfiguredInferModel::Bindings(bindings),
               callback = std::move(callback), delay]() mutable {
    std::this_thread::sleep_for(delay);
    const auto status = self->compute(frame);
    {
      std::lock_guard lock(self->queueMutex_);
      --self->inFlight_;
      self->queueChanged_.notify_all();
    }
    callback(AsyncInferCompletionInfo(status));
    // Let go of everything before the waiter wakes, so nothing of this frame outlives its job.
    callback = nullptr;
    frame = ConfiguredInferModel::Bindings();
    auto finished = std::move(job);
    finished->finish(status);
  }).detach();
  return Expected<AsyncInferJob>(FakeAccess::job(job));
}

// --- AsyncInferJob ---
hailo_status AsyncInferJobBase::wait(std::chrono::milliseconds timeout) {
  if (auto status = hailort_fake::injected("AsyncInferJob::wait")) return status;
  std::unique_lock lock(mutex_);
  if (!done_.wait_for(lock, timeout, [&] { return finished_; })) return HAILO_TIMEOUT;
  return status_;
}

void AsyncInferJobBase::waitForever() {
  std::unique_lock lock(mutex_);
  done_.wait(lock, [&] { return finished_; });
}

void AsyncInferJobBase::finish(hailo_status status) {
  {
    std::lock_guard lock(mutex_);
    finished_ = true;
    status_ = status;
  }
  done_.notify_all();
}

AsyncInferJob::AsyncInferJob(std::shared_ptr<AsyncInferJobBase> pimpl)
    : m_pimpl(std::move(pimpl)), m_should_wait_in_dtor(true) {}
AsyncInferJob::~AsyncInferJob() {
  if (m_should_wait_in_dtor && m_pimpl) m_pimpl->waitForever();
}
AsyncInferJob::AsyncInferJob(AsyncInferJob&& other)
    : m_pimpl(std::move(other.m_pimpl)), m_should_wait_in_dtor(other.m_should_wait_in_dtor) {
  other.m_should_wait_in_dtor = false;
}
AsyncInferJob& AsyncInferJob::operator=(AsyncInferJob&& other) {
  if (m_should_wait_in_dtor && m_pimpl) m_pimpl->waitForever();
  m_pimpl = std::move(other.m_pimpl);
  m_should_wait_in_dtor = other.m_should_wait_in_dtor;
  other.m_should_wait_in_dtor = false;
  return *this;
}
// As HailoRT 4.23: any wait, even one that times out, means the destructor no longer waits.
hailo_status AsyncInferJob::wait(std::chrono::milliseconds timeout) {
  m_should_wait_in_dtor = false;
  if (!m_pimpl) return HAILO_SUCCESS;
  return m_pimpl->wait(timeout);
}
void AsyncInferJob::detach() {
  m_should_wait_in_dtor = false;
}

// --- Bindings ---
ConfiguredInferModel::Bindings::InferStream::InferStream(std::shared_ptr<Impl> pimpl)
    : m_pimpl(std::move(pimpl)) {}

hailo_status ConfiguredInferModel::Bindings::InferStream::set_buffer(MemoryView view) {
  if (auto status = hailort_fake::injected("set_buffer")) return status;
  m_pimpl->view = view;
  m_pimpl->set = true;
  return HAILO_SUCCESS;
}

Expected<MemoryView> ConfiguredInferModel::Bindings::InferStream::get_buffer() const {
  if (!m_pimpl->set) return make_unexpected(HAILO_INVALID_OPERATION);
  return Expected<MemoryView>(MemoryView(m_pimpl->view));
}

ConfiguredInferModel::Bindings::Bindings(std::unordered_map<std::string, InferStream>&& inputs,
                                         std::unordered_map<std::string, InferStream>&& outputs)
    : m_inputs(std::move(inputs)), m_outputs(std::move(outputs)) {}

ConfiguredInferModel::Bindings::Bindings(const Bindings& other) {
  init_bindings_from(other);
}

ConfiguredInferModel::Bindings& ConfiguredInferModel::Bindings::operator=(const Bindings& other) {
  if (this != &other) init_bindings_from(other);
  return *this;
}

// As in HailoRT: a copy of Bindings has streams of its own (a deep copy), holding the same views.
void ConfiguredInferModel::Bindings::init_bindings_from(const Bindings& other) {
  m_inputs.clear();
  m_outputs.clear();
  for (const auto& [name, stream] : other.m_inputs)
    m_inputs.emplace(name, InferStream(std::make_shared<InferStream::Impl>(*stream.m_pimpl)));
  for (const auto& [name, stream] : other.m_outputs)
    m_outputs.emplace(name, InferStream(std::make_shared<InferStream::Impl>(*stream.m_pimpl)));
}

namespace {
template <class Map>
Expected<ConfiguredInferModel::Bindings::InferStream> pick(Map& map, const std::string* name) {
  using Stream = ConfiguredInferModel::Bindings::InferStream;
  if (!name) {
    if (map.size() != 1) return make_unexpected(HAILO_INVALID_OPERATION);
    return Expected<Stream>(Stream(map.begin()->second));
  }
  auto found = map.find(*name);
  if (found == map.end()) return make_unexpected(HAILO_NOT_FOUND);
  return Expected<Stream>(Stream(found->second));
}
}  // namespace

Expected<ConfiguredInferModel::Bindings::InferStream> ConfiguredInferModel::Bindings::input() {
  return pick(m_inputs, nullptr);
}
Expected<ConfiguredInferModel::Bindings::InferStream> ConfiguredInferModel::Bindings::output() {
  return pick(m_outputs, nullptr);
}
Expected<ConfiguredInferModel::Bindings::InferStream> ConfiguredInferModel::Bindings::input(
    const std::string& name) {
  return pick(m_inputs, &name);
}
Expected<ConfiguredInferModel::Bindings::InferStream> ConfiguredInferModel::Bindings::output(
    const std::string& name) {
  return pick(m_outputs, &name);
}

ConfiguredInferModel::Bindings FakeAccess::bindings(const std::vector<StreamDesc>& inputs,
                                                    const std::vector<StreamDesc>& outputs) {
  using Stream = ConfiguredInferModel::Bindings::InferStream;
  std::unordered_map<std::string, Stream> in, out;
  for (const auto& desc : inputs) {
    auto impl = std::make_shared<Stream::Impl>();
    impl->name = desc.name;
    in.emplace(desc.name, Stream(impl));
  }
  for (const auto& desc : outputs) {
    auto impl = std::make_shared<Stream::Impl>();
    impl->name = desc.name;
    out.emplace(desc.name, Stream(impl));
  }
  return ConfiguredInferModel::Bindings(std::move(in), std::move(out));
}

const ConfiguredInferModel::Bindings::InferStream::Impl* FakeAccess::find(
    const ConfiguredInferModel::Bindings& bindings, const std::string& name, bool input) {
  const auto& map = input ? bindings.m_inputs : bindings.m_outputs;
  auto found = map.find(name);
  return found == map.end() ? nullptr : found->second.m_pimpl.get();
}

// --- ConfiguredInferModel ---
ConfiguredInferModel::ConfiguredInferModel(std::shared_ptr<ConfiguredInferModelBase> pimpl)
    : m_pimpl(std::move(pimpl)) {}

Expected<ConfiguredInferModel::Bindings> ConfiguredInferModel::create_bindings() {
  if (auto status = hailort_fake::injected("create_bindings")) return make_unexpected(status);
  if (!m_pimpl) return make_unexpected(HAILO_INVALID_OPERATION);
  return Expected<Bindings>(FakeAccess::bindings(m_pimpl->inputs, m_pimpl->outputs));
}

hailo_status ConfiguredInferModel::wait_for_async_ready(std::chrono::milliseconds timeout,
                                                        uint32_t frames_count) {
  if (auto status = hailort_fake::injected("wait_for_async_ready")) return status;
  if (!m_pimpl) return HAILO_INVALID_OPERATION;
  return m_pimpl->waitReady(timeout, frames_count);
}

// As HailoRT 4.23: wait_for_async_ready, run_async and the job's wait within one timeout. A
// frame that times out stays in flight and still writes its outputs when it completes.
hailo_status ConfiguredInferModel::run(const Bindings& bindings,
                                       std::chrono::milliseconds timeout) {
  if (auto status = hailort_fake::injected("run")) return status;
  if (!m_pimpl) return HAILO_INVALID_OPERATION;
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  auto remaining = [&] {
    return std::max(std::chrono::milliseconds(0),
                    std::chrono::duration_cast<std::chrono::milliseconds>(
                        deadline - std::chrono::steady_clock::now()));
  };
  if (auto status = m_pimpl->waitReady(remaining(), 1)) return status;
  auto job = m_pimpl->launch(bindings, ASYNC_INFER_EMPTY_CALLBACK);
  if (!job) return job.status();
  return job->wait(remaining());
}

Expected<AsyncInferJob> ConfiguredInferModel::run_async(
    const Bindings& bindings, std::function<void(const AsyncInferCompletionInfo&)> callback) {
  if (auto status = hailort_fake::injected("run_async")) return make_unexpected(status);
  if (!m_pimpl) return make_unexpected(HAILO_INVALID_OPERATION);
  return m_pimpl->launch(bindings, std::move(callback));
}

Expected<size_t> ConfiguredInferModel::get_async_queue_size() const {
  return Expected<size_t>(size_t(ConfiguredInferModelBase::kQueueSize));
}

hailo_status ConfiguredInferModel::shutdown() {
  if (m_pimpl) m_pimpl->drain();
  return HAILO_SUCCESS;
}

}  // namespace imuwb_fake_hailort
