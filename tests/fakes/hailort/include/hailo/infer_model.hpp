/**
 * Test double of HailoRT 4.23.0's infer_model.hpp: InferModel (abstract, as in the real header),
 * its InferStream, ConfiguredInferModel with Bindings, run(), run_async(),
 * wait_for_async_ready() and AsyncInferJob. Same public signatures as the real ones for the
 * members declared here; private parts are the fake's own (pimpl, as in the real classes).
 **/
#ifndef _HAILO_ASYNC_INFER_HPP_
#define _HAILO_ASYNC_INFER_HPP_

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "hailo/buffer.hpp"
#include "hailo/expected.hpp"
#include "hailo/hailort.h"
#include "hailo/hef.hpp"
#include "hailo/vdevice.hpp"

namespace imuwb_fake_hailort {

class AsyncInferJobBase;
class ConfiguredInferModelBase;
class FakeAccess;

class HAILORTAPI AsyncInferJob {
 public:
  AsyncInferJob() : m_should_wait_in_dtor(false){};
  virtual ~AsyncInferJob();

  AsyncInferJob(const AsyncInferJob& other) = delete;
  AsyncInferJob& operator=(const AsyncInferJob& other) = delete;
  AsyncInferJob(AsyncInferJob&& other);
  AsyncInferJob& operator=(AsyncInferJob&& other);

  hailo_status wait(std::chrono::milliseconds timeout);
  void detach();

 private:
  friend class FakeAccess;
  AsyncInferJob(std::shared_ptr<AsyncInferJobBase> pimpl);
  std::shared_ptr<AsyncInferJobBase> m_pimpl;
  bool m_should_wait_in_dtor;
};

struct AsyncInferCompletionInfo;

static const auto ASYNC_INFER_EMPTY_CALLBACK = [](const AsyncInferCompletionInfo&) {};

class HAILORTAPI ConfiguredInferModel {
 public:
  ConfiguredInferModel() = default;

  class HAILORTAPI Bindings {
   public:
    Bindings() = default;
    Bindings(const Bindings& other);
    Bindings& operator=(const Bindings& other);

    class HAILORTAPI InferStream {
     public:
      hailo_status set_buffer(MemoryView view);
      Expected<MemoryView> get_buffer() const;

     private:
      friend class FakeAccess;
      friend class Bindings;
      class Impl;
      InferStream(std::shared_ptr<Impl> pimpl);
      std::shared_ptr<Impl> m_pimpl;
    };

    Expected<InferStream> input();
    Expected<InferStream> output();
    Expected<InferStream> input(const std::string& name);
    Expected<InferStream> output(const std::string& name);

   private:
    friend class FakeAccess;
    void init_bindings_from(const Bindings& other);
    Bindings(std::unordered_map<std::string, InferStream>&& inputs,
             std::unordered_map<std::string, InferStream>&& outputs);
    std::unordered_map<std::string, Bindings::InferStream> m_inputs;
    std::unordered_map<std::string, Bindings::InferStream> m_outputs;
  };

  Expected<Bindings> create_bindings();
  hailo_status wait_for_async_ready(std::chrono::milliseconds timeout, uint32_t frames_count = 1);
  hailo_status run(const Bindings& bindings, std::chrono::milliseconds timeout);
  Expected<AsyncInferJob> run_async(
      const Bindings& bindings,
      std::function<void(const AsyncInferCompletionInfo&)> callback = ASYNC_INFER_EMPTY_CALLBACK);
  Expected<size_t> get_async_queue_size() const;
  hailo_status shutdown();

 private:
  friend class FakeAccess;
  ConfiguredInferModel(std::shared_ptr<ConfiguredInferModelBase> pimpl);
  std::shared_ptr<ConfiguredInferModelBase> m_pimpl;
};

struct HAILORTAPI AsyncInferCompletionInfo {
  AsyncInferCompletionInfo(hailo_status _status) : status(_status) {}
  hailo_status status;
};

class HAILORTAPI InferModel {
 public:
  virtual ~InferModel() = default;

  class HAILORTAPI InferStream {
   public:
    const std::string name() const;
    hailo_3d_image_shape_t shape() const;
    hailo_format_t format() const;
    size_t get_frame_size() const;
    void set_format_type(hailo_format_type_t type);
    void set_format_order(hailo_format_order_t order);
    std::vector<hailo_quant_info_t> get_quant_infos() const;
    bool is_nms() const;

   private:
    friend class FakeAccess;
    class Impl;
    InferStream(std::shared_ptr<Impl> pimpl);
    std::shared_ptr<Impl> m_pimpl;
  };

  virtual const Hef& hef() const = 0;
  virtual void set_batch_size(uint16_t batch_size) = 0;
  virtual Expected<ConfiguredInferModel> configure() = 0;
  virtual Expected<InferStream> input() = 0;
  virtual Expected<InferStream> output() = 0;
  virtual Expected<InferStream> input(const std::string& name) = 0;
  virtual Expected<InferStream> output(const std::string& name) = 0;
  virtual const std::vector<InferStream>& inputs() const = 0;
  virtual const std::vector<InferStream>& outputs() const = 0;
  virtual const std::vector<std::string>& get_input_names() const = 0;
  virtual const std::vector<std::string>& get_output_names() const = 0;
};

} /* namespace imuwb_fake_hailort */

#endif /* _HAILO_ASYNC_INFER_HPP_ */
