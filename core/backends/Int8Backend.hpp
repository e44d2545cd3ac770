#pragma once
// The int8 backend: Hailo-style INT8 post-training quantization emulated on imuwb's CPU engine
// (core/quant). It needs quantization parameters: calibrated at load() from a calibration set,
// or loaded from a saved QuantParams JSON. Registry settings (BackendOptions):
//   calibration=C.npy     calibration windows (model layout or NHWC [N,H,W,9])
//   quant_params=Q.json   saved parameters instead of calibrating
//   input_range=LO,HI     force the input grid range (what a compiled HEF uses), e.g. 0,1
//   range=minmax | percentile[:99.99]
//   weights=per_channel | per_tensor        threads=N
#include <filesystem>
#include <memory>
#include <optional>

#include "quant/Calibration.hpp"
#include "quant/QuantizedBackendView.hpp"
#include "quant/QuantizedSession.hpp"
#include "runtime/Backend.hpp"

namespace imuwb {

struct Int8BackendOptions {
  std::filesystem::path calibration;  // .npy
  std::filesystem::path quantParams;  // .json (takes precedence over calibration)
  quant::QuantConfig config;          // bits, range policy, input range, what-if overrides
  int threads = 1;
  bool useManifestInputRange = true;  // manifest.inputRange when config has none
  std::stop_token stop;                  // cancels calibration in load()
};

class Int8Backend final : public Backend, public quant::QuantizedBackendView {
 public:
  explicit Int8Backend(Int8BackendOptions options);
  ~Int8Backend() override;

  BackendInfo describe() const override;
  // Calibrates (or loads parameters), then plans the quantized session. Throws imuwb::Error.
  void load(const ModelBundle& bundle) override;
  OutputSet run(const Batch& batch) override;

  const quant::QuantParams& quantParams() const override;
  const engine::OnnxModel& quantizedModel() const override;
  std::uint64_t inputValuesSeen() const override;
  std::uint64_t inputValuesClipped() const override;
  const quant::QuantizedBackendView* quantizedView() const override { return this; }
  // The calibration statistics (when load() calibrated), for what-if re-derivation.
  const quant::Calibration* calibration() const;

 private:
  Int8BackendOptions options_;
  std::shared_ptr<const engine::OnnxModel> model_;
  std::optional<quant::Calibration> calibration_;
  quant::QuantParams params_;
  std::unique_ptr<quant::QuantizedSession> session_;
  std::vector<std::string> outputOrder_;
};

// Parses the registry settings above into options. Throws imuwb::Error naming the setting.
Int8BackendOptions int8OptionsFromSettings(const BackendOptions& settings);

}  // namespace imuwb
