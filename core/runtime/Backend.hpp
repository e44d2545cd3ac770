#pragma once
// The interchangeable Backend interface (as Polygraphy's runners): cpu, int8, edgeinfer,
// hailort and recorded reference outputs all look the same to jobs. Comparison lives in
// analysis/, never inside a backend. Header-only on purpose: pipeline jobs (RunJob) take a
// Backend& without linking any implementation.
#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <stdexcept>
#include <stop_token>
#include <string>
#include <vector>

#include "model/ModelBundle.hpp"

namespace imuwb::quant {
class QuantizedBackendView;
}

namespace imuwb {

struct BackendInfo {
  std::string name;       // registry name: "cpu", "int8", "edgeinfer", "hailort"
  std::string version;    // implementation version ("imuwb-engine 0.1.0", "HailoRT 4.17")
  std::string device;     // "host CPU", "Hailo-8 (0000:01:00.0)", "http://pi:9000"
  std::string precision;  // "fp32", "int8"
};

// N windows in the model's input layout (manifest.input.layout), normalized exactly as the
// manifest says (by the host when normalization.appliedBy == Host, else raw). Row-major, the
// leading dimension is the window index: shape = [N, ...per-window dims without batch 1...].
// E.g. NTC: [N,100,9]; NCHW_devices: [N,9,2,100]; NHWC_devices: [N,2,100,9].
struct Batch {
  std::string inputName;
  std::vector<std::int64_t> shape;
  std::vector<float> values;
  std::size_t windowCount() const { return shape.empty() ? 0 : static_cast<std::size_t>(shape[0]); }
  std::size_t valuesPerWindow() const {
    return windowCount() == 0 ? 0 : values.size() / windowCount();
  }
};

// One output for N windows: shape [N, D...]; values row-major.
struct OutputTensor {
  std::string name;
  std::vector<std::int64_t> shape;
  std::vector<float> values;
  std::size_t windowCount() const { return shape.empty() ? 0 : static_cast<std::size_t>(shape[0]); }
  std::size_t valuesPerWindow() const {
    return windowCount() == 0 ? 0 : values.size() / windowCount();
  }
};

struct OutputSet {
  std::vector<OutputTensor> outputs;  // in manifest output order where the backend knows it
  const OutputTensor* find(const std::string& name) const {
    for (const auto& output : outputs)
      if (output.name == name) return &output;
    return nullptr;
  }
};

// One fact about what a backend loaded or where it runs, for `check` and reports to print as
// "key: value" (the hailort backend: the HEF, each stream's shape, format order and
// quantization). Host backends have none.
struct BackendDetail {
  std::string key;
  std::string value;
};

class Backend {
 public:
  virtual ~Backend() = default;
  virtual BackendInfo describe() const = 0;
  // Prepares the bundle's graph. Throws imuwb::Error when it cannot (unsupported op, no device).
  virtual void load(const ModelBundle& bundle) = 0;
  // Runs N windows; returns every manifest output as [N, D]. Throws imuwb::Error.
  virtual OutputSet run(const Batch& batch) = 0;
  // Largest N run() accepts in one call (0 = any). Devices with batch 1 return 1.
  virtual std::size_t maxBatchWindows() const { return 0; }
  // What the backend loaded, as label/value lines (after load(); empty before, or for host
  // backends).
  virtual std::vector<BackendDetail> details() const { return {}; }

  // Intermediate tensors by ONNX name, where the backend can expose them.
  virtual bool supportsTaps() const { return false; }
  virtual std::vector<std::string> tapNames() const { return {}; }
  // Runs and returns the requested intermediate tensors ([N, ...]) instead of the outputs.
  virtual OutputSet runTaps(const Batch& /*batch*/, const std::vector<std::string>& /*names*/) {
    throw std::logic_error("backend '" + describe().name + "' does not expose taps");
  }

  // The quantization a backend emulates (the int8 backend), so jobs can report its parameters
  // and input clipping without knowing which implementation they hold. nullptr otherwise.
  virtual const quant::QuantizedBackendView* quantizedView() const { return nullptr; }
};

// Free-form settings a backend may need ("url" for edgeinfer, "calibration" for int8...).
struct BackendOptions {
  std::map<std::string, std::string> settings;
  // Honoured by long preparation in load() (int8 calibration), so Ctrl-C/SIGTERM stop it.
  std::stop_token stop;
  std::string get(const std::string& key, const std::string& fallback = {}) const {
    auto found = settings.find(key);
    return found == settings.end() ? fallback : found->second;
  }
};

}  // namespace imuwb
