#include "backends/CpuBackend.hpp"

#include <map>

#include "common/BuildInfo.hpp"
#include "common/Error.hpp"
#include "engine/InferenceSession.hpp"

namespace imuwb {

struct CpuBackend::Impl {
  CpuBackendOptions options;
  std::shared_ptr<const engine::OnnxModel> model;
  std::unique_ptr<engine::InferenceSession> session;
  std::map<std::vector<std::string>, std::unique_ptr<engine::InferenceSession>> tapSessions;
  std::vector<std::string> outputOrder;  // manifest order
  std::string modelName;

  engine::Tensor inputTensor(const Batch& batch, const engine::InferenceSession& target) const {
    if (batch.windowCount() == 0 ||
        batch.values.size() != static_cast<std::size_t>(engine::elementCount(batch.shape)))
      throw Error("cpu backend: " + modelName, "batch shape " + engine::shapeToString(batch.shape) +
                                                   " does not match its " +
                                                   std::to_string(batch.values.size()) + " values");
    const auto& info = target.inputInfos().front();
    if (info.shapeKnown && info.shape.size() != batch.shape.size())
      throw Error("cpu backend: " + modelName,
                  "batch " + engine::shapeToString(batch.shape) + " has rank " +
                      std::to_string(batch.shape.size()) + " but input '" + info.name + "' is " +
                      info.shapeText());
    return engine::Tensor::fromFloats(batch.shape, batch.values);
  }

  static OutputTensor toOutput(const engine::NamedTensor& named) {
    OutputTensor output;
    output.name = named.name;
    output.shape = named.tensor.shape();
    if (named.tensor.dtype() == engine::DType::Float32) {
      auto values = named.tensor.floats();
      output.values.assign(values.begin(), values.end());
    } else if (named.tensor.dtype() == engine::DType::Int64) {
      const auto* data = named.tensor.data<std::int64_t>();
      output.values.assign(data, data + named.tensor.elementCount());
    } else {
      throw Error("cpu backend: output '" + named.name + "'",
                  "output dtype " + std::string(engine::dtypeName(named.tensor.dtype())) +
                      " is not float32",
                  "export float outputs");
    }
    if (output.shape.size() == 1) output.shape = {1, output.shape[0]};
    return output;
  }
};

CpuBackend::CpuBackend(CpuBackendOptions options) : impl_(std::make_unique<Impl>()) {
  impl_->options = options;
}
CpuBackend::~CpuBackend() = default;

BackendInfo CpuBackend::describe() const {
  return {"cpu", std::string("imuwb-engine ") + build_info::kVersion, "host CPU", "fp32"};
}

void CpuBackend::load(const ModelBundle& bundle) {
  impl_->model = bundle.model;
  impl_->modelName = bundle.onnxPath.filename().string();
  impl_->tapSessions.clear();
  engine::SessionOptions options;
  options.threads = impl_->options.threads;
  impl_->session = std::make_unique<engine::InferenceSession>(*bundle.model, options);
  impl_->outputOrder.clear();
  for (const auto& output : bundle.manifest.outputs) impl_->outputOrder.push_back(output.name);
}

OutputSet CpuBackend::run(const Batch& batch) {
  if (!impl_->session)
    throw Error("cpu backend", "run() before load()", "load a model bundle first");
  auto& session = *impl_->session;
  const auto inputName = batch.inputName.empty() ? session.inputNames().front() : batch.inputName;
  auto result = session.run({{inputName, impl_->inputTensor(batch, session)}});
  OutputSet set;
  for (const auto& name : impl_->outputOrder)
    for (const auto& named : result.outputs)
      if (named.name == name) set.outputs.push_back(Impl::toOutput(named));
  for (const auto& named : result.outputs)
    if (!set.find(named.name)) set.outputs.push_back(Impl::toOutput(named));
  return set;
}

std::vector<std::string> CpuBackend::tapNames() const {
  if (!impl_->model) return {};
  engine::SessionOptions options;
  options.tapAll = true;
  engine::InferenceSession all(*impl_->model, options);
  return all.tapNames();
}

OutputSet CpuBackend::runTaps(const Batch& batch, const std::vector<std::string>& names) {
  if (!impl_->model)
    throw Error("cpu backend", "runTaps() before load()", "load a model bundle first");
  auto& slot = impl_->tapSessions[names];
  if (!slot) {
    engine::SessionOptions options;
    options.threads = impl_->options.threads;
    options.taps = names;
    slot = std::make_unique<engine::InferenceSession>(*impl_->model, options);
  }
  const auto inputName = batch.inputName.empty() ? slot->inputNames().front() : batch.inputName;
  auto result = slot->run({{inputName, impl_->inputTensor(batch, *slot)}});
  OutputSet set;
  for (const auto& named : result.taps) set.outputs.push_back(Impl::toOutput(named));
  return set;
}

}  // namespace imuwb
