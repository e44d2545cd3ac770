// The fake VDevice, Hef and InferModel: create_infer_model() opens an ONNX file in place of a
// HEF and describes its streams as a HEF would (NHWC shapes, vstream names under the network
// group's name, the original ONNX names, quantization parameters).
#include <filesystem>

#include "FakeModel.hpp"
#include "FakeState.hpp"

namespace imuwb_fake_hailort {

namespace {

hailo_quant_info_t inputQuantization() {
  const float scale = 1.0f / 32.0f;
  return {128.0f, scale, -128.0f * scale, 127.0f * scale};
}

// [1,C,H,W] -> HWC (transposed); [1,A,B] -> 1xAxB; [1,D] -> 1x1xD (order NC).
StreamDesc describe(const std::string& name, const std::string& original,
                    const std::vector<std::int64_t>& shape, bool input) {
  StreamDesc desc;
  desc.name = name;
  desc.originalName = original;
  desc.onnxShape = shape;
  desc.onnxShape[0] = 1;
  auto dim = [&](std::size_t i) { return static_cast<uint32_t>(shape[i]); };
  if (shape.size() == 4) {
    desc.shape = {dim(2), dim(3), dim(1)};
    desc.chw = true;
  } else if (shape.size() == 3) {
    desc.shape = {1, dim(1), dim(2)};
  } else if (shape.size() == 2) {
    desc.shape = {1, 1, dim(1)};
  } else {
    throw std::runtime_error("rank " + std::to_string(shape.size()) + " not supported");
  }
  desc.format.type = HAILO_FORMAT_TYPE_UINT8;  // the device's type until the user sets one
  desc.format.order =
      (!input && shape.size() == 2) ? HAILO_FORMAT_ORDER_NC : HAILO_FORMAT_ORDER_NHWC;
  desc.format.flags = HAILO_FORMAT_FLAGS_NONE;
  desc.quant = input ? std::vector<hailo_quant_info_t>{inputQuantization()}
                     : hailort_fake::outputQuantization(original);
  return desc;
}

class FakeInferModel final : public InferModel {
 public:
  FakeInferModel(std::shared_ptr<const imuwb::engine::OnnxModel> model, Hef hef,
                 std::vector<StreamDesc> inputs, std::vector<StreamDesc> outputs)
      : model_(std::move(model)), hef_(std::move(hef)) {
    for (auto& desc : inputs) {
      inputNames_.push_back(desc.name);
      inputs_.push_back(FakeAccess::stream(std::move(desc)));
    }
    for (auto& desc : outputs) {
      outputNames_.push_back(desc.name);
      outputs_.push_back(FakeAccess::stream(std::move(desc)));
    }
  }

  const Hef& hef() const override { return hef_; }
  void set_batch_size(uint16_t batch_size) override { batch_ = batch_size; }

  Expected<ConfiguredInferModel> configure() override {
    if (auto status = hailort_fake::injected("configure")) return make_unexpected(status);
    std::vector<StreamDesc> inputs, outputs;
    for (const auto& stream : inputs_) inputs.push_back(FakeAccess::desc(stream));
    for (const auto& stream : outputs_) outputs.push_back(FakeAccess::desc(stream));
    for (const auto* list : {&inputs, &outputs})
      for (const auto& desc : *list) {
        const auto type = desc.format.type;
        if (type != HAILO_FORMAT_TYPE_UINT8 && type != HAILO_FORMAT_TYPE_FLOAT32 &&
            type != HAILO_FORMAT_TYPE_AUTO)
          return make_unexpected(HAILO_INVALID_ARGUMENT);
        const auto order = desc.format.order;
        if (order != HAILO_FORMAT_ORDER_AUTO && order != HAILO_FORMAT_ORDER_NHWC &&
            order != HAILO_FORMAT_ORDER_NC)
          return make_unexpected(HAILO_INVALID_ARGUMENT);
      }
    for (auto* list : {&inputs, &outputs})
      for (auto& desc : *list)
        if (desc.format.type == HAILO_FORMAT_TYPE_AUTO) desc.format.type = HAILO_FORMAT_TYPE_UINT8;
    try {
      auto base = std::make_shared<ConfiguredInferModelBase>(model_, inputs, outputs);
      return Expected<ConfiguredInferModel>(FakeAccess::configured(std::move(base)));
    } catch (const std::exception&) {
      return make_unexpected(HAILO_INTERNAL_FAILURE);
    }
  }

  Expected<InferStream> input() override { return single(inputs_); }
  Expected<InferStream> output() override { return single(outputs_); }
  Expected<InferStream> input(const std::string& name) override { return named(inputs_, name); }
  Expected<InferStream> output(const std::string& name) override { return named(outputs_, name); }
  const std::vector<InferStream>& inputs() const override { return inputs_; }
  const std::vector<InferStream>& outputs() const override { return outputs_; }
  const std::vector<std::string>& get_input_names() const override { return inputNames_; }
  const std::vector<std::string>& get_output_names() const override { return outputNames_; }

 private:
  static Expected<InferStream> single(const std::vector<InferStream>& streams) {
    if (streams.size() != 1) return make_unexpected(HAILO_INVALID_OPERATION);
    return Expected<InferStream>(InferStream(streams.front()));
  }
  static Expected<InferStream> named(const std::vector<InferStream>& streams,
                                     const std::string& name) {
    for (const auto& stream : streams)
      if (stream.name() == name) return Expected<InferStream>(InferStream(stream));
    return make_unexpected(HAILO_NOT_FOUND);
  }

  std::shared_ptr<const imuwb::engine::OnnxModel> model_;
  Hef hef_;
  std::vector<InferStream> inputs_, outputs_;
  std::vector<std::string> inputNames_, outputNames_;
  uint16_t batch_ = HAILO_DEFAULT_BATCH_SIZE;
};

std::vector<std::int64_t> fixedShape(const imuwb::engine::ValueInfo& info) {
  std::vector<std::int64_t> shape;
  for (const auto& dim : info.shape) shape.push_back(dim.fixed() ? dim.value : 1);
  return shape;
}

std::shared_ptr<InferModel> openOnnxAsHef(const std::filesystem::path& path) {
  auto model = std::make_shared<const imuwb::engine::OnnxModel>(imuwb::engine::loadOnnxModel(path));
  auto hefImpl = FakeAccess::newHefImpl();
  hefImpl->network = path.stem().string();
  hefImpl->hash = model->sha256();
  std::vector<StreamDesc> inputs, outputs;
  for (std::size_t i = 0; i < model->inputs().size(); ++i) {
    const auto& info = model->inputs()[i];
    inputs.push_back(describe(hefImpl->network + "/input_layer" + std::to_string(i + 1), info.name,
                              fixedShape(info), true));
  }
  // Output shapes as the engine computes them for one frame of zeros.
  imuwb::engine::InferenceSession session(*model);
  std::vector<imuwb::engine::NamedTensor> feed;
  for (const auto& desc : inputs) {
    std::vector<float> zeros(static_cast<std::size_t>(imuwb::engine::elementCount(desc.onnxShape)));
    feed.push_back({desc.originalName, imuwb::engine::Tensor::fromFloats(desc.onnxShape, zeros)});
  }
  const auto result = session.run(feed);
  for (std::size_t i = 0; i < result.outputs.size(); ++i) {
    const auto& named = result.outputs[i];
    outputs.push_back(describe(hefImpl->network + "/output_layer" + std::to_string(i + 1),
                               named.name, named.tensor.shape(), false));
  }
  for (const auto* list : {&inputs, &outputs})
    for (const auto& desc : *list) hefImpl->names.emplace_back(desc.name, desc.originalName);
  return std::make_shared<FakeInferModel>(model, FakeAccess::hef(hefImpl), std::move(inputs),
                                          std::move(outputs));
}

}  // namespace

std::size_t frameSize(const StreamDesc& desc) {
  const std::size_t bytes = desc.format.type == HAILO_FORMAT_TYPE_FLOAT32  ? 4
                            : desc.format.type == HAILO_FORMAT_TYPE_UINT16 ? 2
                                                                           : 1;
  return std::size_t(desc.shape.height) * desc.shape.width * desc.shape.features * bytes;
}

// --- Hef ---
Hef::Hef(std::shared_ptr<Impl> impl) : pimpl(std::move(impl)) {}
Hef::~Hef() = default;
Hef::Hef(Hef&&) = default;
Hef& Hef::operator=(Hef&&) = default;

Expected<std::string> Hef::get_vstream_name_from_original_name(const std::string& original_name,
                                                               const std::string&) const {
  for (const auto& [vstream, original] : pimpl->names)
    if (original == original_name) return Expected<std::string>(std::string(vstream));
  return make_unexpected(HAILO_NOT_FOUND);
}

Expected<std::vector<std::string>> Hef::get_original_names_from_vstream_name(
    const std::string& vstream_name, const std::string&) const {
  std::vector<std::string> names;
  for (const auto& [vstream, original] : pimpl->names)
    if (vstream == vstream_name) names.push_back(original);
  if (names.empty()) return make_unexpected(HAILO_NOT_FOUND);
  return Expected<std::vector<std::string>>(std::move(names));
}

std::vector<std::string> Hef::get_network_groups_names() const {
  return {pimpl->network};
}
std::string Hef::hash() const {
  return pimpl->hash;
}

// --- VDevice ---
VDevice::VDevice() = default;
VDevice::~VDevice() = default;

Expected<std::unique_ptr<VDevice>> VDevice::create() {
  if (auto status = hailort_fake::injected("VDevice::create")) return make_unexpected(status);
  return Expected<std::unique_ptr<VDevice>>(std::unique_ptr<VDevice>(new VDevice()));
}

Expected<std::shared_ptr<VDevice>> VDevice::create_shared() {
  if (auto status = hailort_fake::injected("VDevice::create")) return make_unexpected(status);
  return Expected<std::shared_ptr<VDevice>>(std::shared_ptr<VDevice>(new VDevice()));
}

Expected<std::vector<std::string>> VDevice::get_physical_devices_ids() const {
  return Expected<std::vector<std::string>>(std::vector<std::string>{"fake-hailo8-0"});
}

Expected<std::shared_ptr<InferModel>> VDevice::create_infer_model(const std::string& hef_path,
                                                                  const std::string&) {
  if (auto status = hailort_fake::injected("create_infer_model")) return make_unexpected(status);
  std::error_code error;
  if (!std::filesystem::is_regular_file(hef_path, error))
    return make_unexpected(HAILO_OPEN_FILE_FAILURE);
  try {
    return Expected<std::shared_ptr<InferModel>>(openOnnxAsHef(hef_path));
  } catch (const std::exception&) {
    return make_unexpected(HAILO_INVALID_HEF);
  }
}

// --- InferModel::InferStream ---
InferModel::InferStream::InferStream(std::shared_ptr<Impl> pimpl) : m_pimpl(std::move(pimpl)) {}
const std::string InferModel::InferStream::name() const {
  return m_pimpl->desc.name;
}
hailo_3d_image_shape_t InferModel::InferStream::shape() const {
  return m_pimpl->desc.shape;
}
hailo_format_t InferModel::InferStream::format() const {
  return m_pimpl->desc.format;
}
size_t InferModel::InferStream::get_frame_size() const {
  return frameSize(m_pimpl->desc);
}
void InferModel::InferStream::set_format_type(hailo_format_type_t type) {
  m_pimpl->desc.format.type = type;
}
void InferModel::InferStream::set_format_order(hailo_format_order_t order) {
  m_pimpl->desc.format.order = order;
}
std::vector<hailo_quant_info_t> InferModel::InferStream::get_quant_infos() const {
  return m_pimpl->desc.quant;
}
bool InferModel::InferStream::is_nms() const {
  return false;
}

}  // namespace imuwb_fake_hailort
