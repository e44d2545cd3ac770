#pragma once
// The reference backend: imuwb's own FP32 engine on the host CPU (engine::InferenceSession).
#include <memory>

#include "runtime/Backend.hpp"

namespace imuwb {

struct CpuBackendOptions {
  int threads = 1;  // engine worker threads (0 = all hardware threads)
};

class CpuBackend final : public Backend {
 public:
  explicit CpuBackend(CpuBackendOptions options = {});
  ~CpuBackend() override;

  BackendInfo describe() const override;
  void load(const ModelBundle& bundle) override;
  OutputSet run(const Batch& batch) override;

  bool supportsTaps() const override { return true; }
  std::vector<std::string> tapNames() const override;
  OutputSet runTaps(const Batch& batch, const std::vector<std::string>& names) override;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace imuwb
