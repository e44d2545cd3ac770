#pragma once
// The hailort backend: a Hailo-8 through HailoRT 4.23 (branch hailo8), with its InferModel API:
// VDevice::create() -> create_infer_model(hef) -> per stream set_format_type -> configure() ->
// create_bindings() -> set_buffer() -> run(bindings, timeout) (or run_async +
// wait_for_async_ready). This header does not include HailoRT: the registry, the CLI and tests
// see it whether or not HailoRT was found. HailortBackend.cpp is compiled only when it was
// (find_package(HailoRT 4.23.0 EXACT)), and a second time against the test double in
// tests/fakes/hailort (docs/backends.md).
//
// Registry settings (BackendOptions):
//   hef=PATH          the compiled HEF (default: <model>.hef beside the bundle's ONNX)
//   outputs=float32 | uint8   float32: HailoRT dequantizes; uint8: raw device values,
//                     dequantized on the host with get_quant_infos(): (q - qp_zp) * qp_scale,
//                     per channel when the HEF has one entry per feature
//   timeout_ms=N      per-frame timeout of run() / wait() (default 1000)
//   mode=sync | async  run() per frame, or run_async() behind wait_for_async_ready()
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "runtime/Backend.hpp"

// The backend compiled against the real HailoRT and the one compiled against the test double
// live in different inline namespaces, so a test binary may hold both without a clash.
#ifndef IMUWB_HAILORT_FLAVOUR
#define IMUWB_HAILORT_FLAVOUR libhailort
#endif

namespace imuwb {

struct HailortBackendOptions {
  std::filesystem::path hef;  // empty: <onnx stem>.hef beside the bundle's ONNX
  bool rawOutputs = false;    // true: UINT8 outputs dequantized on the host
  std::chrono::milliseconds timeout{1000};
  bool async = false;
};

// Parses the registry settings above. Throws imuwb::Error naming the setting.
HailortBackendOptions hailortOptionsFromSettings(const BackendOptions& settings);

// One stream of the loaded HEF, as HailoRT describes it.
struct HailortStreamInfo {
  std::string name;          // the HEF's vstream name ("net/output_layer1")
  std::string originalName;  // the ONNX name it came from, when the HEF records it
  std::string role;          // input, or the manifest output it feeds ("latent")
  bool input = false;
  std::uint32_t height = 0, width = 0, features = 0;  // hailo_3d_image_shape_t
  std::string formatOrder;                            // "NHWC", "NC", ...
  std::string formatType;                             // the host-side type: "float32", "uint8"
  struct Quant {
    float zeroPoint = 0, scale = 0, min = 0, max = 0;  // qp_zp, qp_scale, limvals
  };
  std::vector<Quant> quant;  // one entry per tensor, or one per feature
};

inline namespace IMUWB_HAILORT_FLAVOUR {

// "HAILO_TIMEOUT (4)": a status's name, as hailo_get_status_message gives it, and its number.
std::string hailoStatusText(int status);

class HailortBackend final : public Backend {
 public:
  explicit HailortBackend(HailortBackendOptions options = {});
  ~HailortBackend() override;

  // name "hailort", version "HailoRT 4.23.0", device "Hailo-8 (<device ids>)" once loaded.
  BackendInfo describe() const override;
  // Opens the device and the HEF, checks the HEF's input against the manifest's window,
  // maps the manifest outputs to HEF outputs, configures. Throws imuwb::Error naming the
  // HailoRT call and status that failed.
  void load(const ModelBundle& bundle) override;
  // Converts the batch to the HEF's NHWC, runs each window, returns the manifest outputs.
  OutputSet run(const Batch& batch) override;
  std::vector<BackendDetail> details() const override;

  const std::vector<HailortStreamInfo>& streams() const;
  // Milliseconds each window of the last run() took, from the call to its completion.
  const std::vector<double>& windowLatencies_ms() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace IMUWB_HAILORT_FLAVOUR

// The registry's entry: creates the backend when this binary was built with HailoRT, else
// carries the reason it cannot (BackendEntry::unavailable).
struct BackendEntry;
BackendEntry hailortBackendEntry();
bool hailortBuiltIn();

}  // namespace imuwb
