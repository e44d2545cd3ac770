#pragma once
// Internal to the fake: the pimpl classes behind the headers' private pointers, and FakeAccess,
// the one friend that builds objects through their private constructors.
#include <hailo/hailort.hpp>

#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "engine/InferenceSession.hpp"

namespace imuwb_fake_hailort {

// One stream of a fake HEF. The ONNX standing in for the HEF is NCHW where it has rank 4 (as
// the Dataflow Compiler reads ONNX); the HEF side is NHWC, as on a Hailo-8.
struct StreamDesc {
  std::string name;          // vstream name, "<network>/input_layer1"
  std::string originalName;  // the ONNX tensor name
  hailo_3d_image_shape_t shape{};
  std::vector<std::int64_t> onnxShape;  // batch 1
  bool chw = false;                     // ONNX side is [C,H,W]
  hailo_format_t format{};
  std::vector<hailo_quant_info_t> quant;
};

std::size_t frameSize(const StreamDesc& desc);

class Hef::Impl {
 public:
  std::string network;
  std::string hash;
  std::vector<std::pair<std::string, std::string>> names;  // vstream name, original name
};

class InferModel::InferStream::Impl {
 public:
  StreamDesc desc;
};

class ConfiguredInferModel::Bindings::InferStream::Impl {
 public:
  std::string name;
  MemoryView view;
  bool set = false;
};

class AsyncInferJobBase {
 public:
  hailo_status wait(std::chrono::milliseconds timeout);
  void waitForever();
  void finish(hailo_status status);

 private:
  std::mutex mutex_;
  std::condition_variable done_;
  bool finished_ = false;
  hailo_status status_ = HAILO_UNINITIALIZED;
};

class ConfiguredInferModelBase {
 public:
  ConfiguredInferModelBase(std::shared_ptr<const imuwb::engine::OnnxModel> model,
                           std::vector<StreamDesc> inputs, std::vector<StreamDesc> outputs);
  ~ConfiguredInferModelBase();  // waits for the frames in flight, as HailoRT's shutdown
  void drain();
  hailo_status compute(const ConfiguredInferModel::Bindings& bindings);
  hailo_status waitReady(std::chrono::milliseconds timeout, uint32_t frames);
  Expected<AsyncInferJob> launch(const ConfiguredInferModel::Bindings& bindings,
                                 std::function<void(const AsyncInferCompletionInfo&)> callback);
  std::vector<StreamDesc> inputs, outputs;
  static constexpr std::size_t kQueueSize = HAILO_DEFAULT_ASYNC_INFER_QUEUE_SIZE;

 private:
  std::shared_ptr<const imuwb::engine::OnnxModel> model_;
  imuwb::engine::InferenceSession session_;
  std::mutex computeMutex_;
  std::mutex queueMutex_;
  std::condition_variable queueChanged_;
  std::size_t inFlight_ = 0;
};

class FakeAccess {
 public:
  static std::shared_ptr<Hef::Impl> newHefImpl() { return std::make_shared<Hef::Impl>(); }
  static Hef hef(std::shared_ptr<Hef::Impl> impl) { return Hef(std::move(impl)); }
  static InferModel::InferStream stream(StreamDesc desc) {
    auto impl = std::make_shared<InferModel::InferStream::Impl>();
    impl->desc = std::move(desc);
    return InferModel::InferStream(impl);
  }
  static const StreamDesc& desc(const InferModel::InferStream& stream) {
    return stream.m_pimpl->desc;
  }
  static ConfiguredInferModel configured(std::shared_ptr<ConfiguredInferModelBase> base) {
    return ConfiguredInferModel(std::move(base));
  }
  static ConfiguredInferModel::Bindings bindings(const std::vector<StreamDesc>& inputs,
                                                 const std::vector<StreamDesc>& outputs);
  static const ConfiguredInferModel::Bindings::InferStream::Impl* find(
      const ConfiguredInferModel::Bindings& bindings, const std::string& name, bool input);
  static AsyncInferJob job(std::shared_ptr<AsyncInferJobBase> base) {
    return AsyncInferJob(std::move(base));
  }
  static std::shared_ptr<ConfiguredInferModelBase> base(const ConfiguredInferModel& model) {
    return model.m_pimpl;
  }
};

}  // namespace imuwb_fake_hailort
