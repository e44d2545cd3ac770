#include "backends/Int8Backend.hpp"

#include "common/BuildInfo.hpp"
#include "common/Error.hpp"
#include "quant/CalibrationSet.hpp"

namespace imuwb {

Int8Backend::Int8Backend(Int8BackendOptions options) : options_(std::move(options)) {}
Int8Backend::~Int8Backend() = default;

BackendInfo Int8Backend::describe() const {
  std::string precision = "int8";
  if (options_.config.activationBits != 8 || options_.config.weightBits != 8)
    precision = "a" + std::to_string(options_.config.activationBits) + "_w" +
                std::to_string(options_.config.weightBits);
  return {"int8", std::string("imuwb INT8 emulation ") + build_info::kVersion,
          "host CPU (Hailo-style PTQ emulated)", precision};
}

void Int8Backend::load(const ModelBundle& bundle) {
  model_ = bundle.model;
  outputOrder_.clear();
  for (const auto& output : bundle.manifest.outputs) outputOrder_.push_back(output.name);
  if (!options_.quantParams.empty()) {
    params_ = quant::loadQuantParams(options_.quantParams);
    calibration_.reset();
  } else if (!options_.calibration.empty()) {
    auto config = options_.config;
    if (!config.inputMin && options_.useManifestInputRange && bundle.manifest.inputRange) {
      config.inputMin = (*bundle.manifest.inputRange)[0];
      config.inputMax = (*bundle.manifest.inputRange)[1];
    }
    const auto windows = quant::loadWindowsForModel(options_.calibration, bundle.manifest);
    JobControl control;
    control.stop = options_.stop;
    calibration_ = quant::calibrate(*model_, windows, control);
    params_ = quant::deriveQuantParams(*calibration_, config);
  } else {
    throw Error("int8 backend",
                "no quantization parameters: neither a calibration set nor a "
                "saved parameter file was given",
                "pass --calib C.npy (1024 representative windows, preprocessed as at inference) "
                "or --quant-params Q.json");
  }
  quant::QuantizedSessionOptions session_options;
  session_options.threads = options_.threads;
  session_ = std::make_unique<quant::QuantizedSession>(*model_, params_, session_options);
}

OutputSet Int8Backend::run(const Batch& batch) {
  if (!session_) throw Error("int8 backend", "run() before load()", "load a model bundle first");
  if (batch.windowCount() == 0 ||
      batch.values.size() != static_cast<std::size_t>(engine::elementCount(batch.shape)))
    throw Error("int8 backend", "batch shape " + engine::shapeToString(batch.shape) +
                                    " does not match its " + std::to_string(batch.values.size()) +
                                    " values");
  const auto input = batch.inputName.empty() ? session_->inputNames().front() : batch.inputName;
  const auto result =
      session_->run({{input, engine::Tensor::fromFloats(batch.shape, batch.values)}});
  OutputSet set;
  auto convert = [](const engine::NamedTensor& named) {
    OutputTensor out;
    out.name = named.name;
    out.shape = named.tensor.shape();
    const auto values = named.tensor.floats();
    out.values.assign(values.begin(), values.end());
    if (out.shape.size() == 1) out.shape = {1, out.shape[0]};
    return out;
  };
  for (const auto& name : outputOrder_)
    for (const auto& named : result.outputs)
      if (named.name == name && named.tensor.dtype() == engine::DType::Float32)
        set.outputs.push_back(convert(named));
  for (const auto& named : result.outputs)
    if (!set.find(named.name) && named.tensor.dtype() == engine::DType::Float32)
      set.outputs.push_back(convert(named));
  return set;
}

const quant::QuantParams& Int8Backend::quantParams() const {
  return params_;
}
const engine::OnnxModel& Int8Backend::quantizedModel() const {
  if (!model_) throw Error("int8 backend", "no model loaded", "load a model bundle first");
  return *model_;
}
std::uint64_t Int8Backend::inputValuesSeen() const {
  return session_ ? session_->inputValues() : 0;
}
std::uint64_t Int8Backend::inputValuesClipped() const {
  return session_ ? session_->inputClipped() : 0;
}
const quant::Calibration* Int8Backend::calibration() const {
  return calibration_ ? &*calibration_ : nullptr;
}

Int8BackendOptions int8OptionsFromSettings(const BackendOptions& settings) {
  Int8BackendOptions options;
  options.calibration = settings.get("calibration");
  options.quantParams = settings.get("quant_params");
  const auto number = [](const std::string& key, const std::string& text) {
    try {
      std::size_t used = 0;
      const double value = std::stod(text, &used);
      if (used != text.size()) throw std::invalid_argument(text);
      return value;
    } catch (const std::exception&) {
      throw Error("int8 backend option " + key + "=" + text, "not a number", "e.g. 0,1 or -4,4");
    }
  };
  if (const auto range = settings.get("input_range"); !range.empty()) {
    const auto comma = range.find(',');
    if (comma == std::string::npos)
      throw Error("int8 backend option input_range=" + range, "expected LO,HI", "e.g. -4,4");
    options.config.inputMin = number("input_range", range.substr(0, comma));
    options.config.inputMax = number("input_range", range.substr(comma + 1));
    if (*options.config.inputMin >= *options.config.inputMax)
      throw Error("int8 backend option input_range=" + range, "LO must be below HI", "e.g. -4,4");
  }
  if (const auto range = settings.get("range", "minmax"); range == "minmax") {
    options.config.range.method = quant::RangeMethod::MinMax;
  } else if (range.rfind("percentile", 0) == 0) {
    options.config.range.method = quant::RangeMethod::Percentile;
    if (range.size() > 11) options.config.range.percentile = number("range", range.substr(11));
    if (options.config.range.percentile <= 50.0 || options.config.range.percentile > 100.0)
      throw Error("int8 backend option range=" + range, "percentile must be in (50, 100]",
                  "e.g. percentile:99.99");
  } else {
    throw Error("int8 backend option range=" + range, "unknown range method",
                "use minmax or percentile[:P]");
  }
  if (const auto weights = settings.get("weights", "per_channel"); weights == "per_tensor") {
    options.config.weightsPerChannel = false;
  } else if (weights != "per_channel") {
    throw Error("int8 backend option weights=" + weights, "unknown weight granularity",
                "use per_channel or per_tensor");
  }
  options.threads = static_cast<int>(number("threads", settings.get("threads", "1")));
  options.stop = settings.stop;
  return options;
}

}  // namespace imuwb
