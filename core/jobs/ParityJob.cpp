#include "jobs/ParityJob.hpp"

#include <memory>
#include <vector>

#include "backends/BackendRegistry.hpp"
#include "backends/Int8Backend.hpp"
#include "common/Error.hpp"
#include "common/OutputPaths.hpp"
#include "jobs/JobFiles.hpp"

namespace imuwb::jobs {

bool isRecordingSpec(const std::string& spec) {
  if (spec.empty()) return false;
  const auto colon = spec.rfind(':');
  return std::filesystem::exists(spec) ||
         (colon != std::string::npos && std::filesystem::exists(spec.substr(0, colon))) ||
         spec.find('/') != std::string::npos || spec.ends_with(".h5");
}

namespace {

// Owns what the two sides point at while the comparison runs.
class ParitySides {
 public:
  // config: the int8 choices, parsed up front so a bad setting fails whichever sides run.
  ParitySides(const ModelBundle& bundle, const ParityJobOptions& options, quant::QuantConfig config)
      : bundle_(bundle),
        options_(options),
        config_(std::move(config)),
        registry_(makeDefaultBackendRegistry()) {}

  // settings: the side's registry settings (--a-option / --b-option); flag names the flag.
  quant::ParitySide make(const std::string& spec,
                         const std::map<std::string, std::string>& settings,
                         const std::string& flag, const JobControl& control) {
    quant::ParitySide side;
    const bool recording = isRecordingSpec(spec) && !registry_.contains(spec);
    if (!settings.empty() && (recording || spec == "int8"))
      throw Error(
          flag + " " + settings.begin()->first + "=" + settings.begin()->second,
          std::string(recording ? "a recording" : "the int8 side") + " takes no backend settings",
          recording ? "drop " + flag + ", or name a backend for this side"
                    : "give int8's choices with --calib, --quant-params and the int8 flags");
    if (recording) {
      control.report(0, "reading " + spec);
      recordings_.push_back(std::make_unique<quant::RecordedOutputs>(
          quant::loadRecordedOutputs(spec, bundle_.manifest)));
      side.recorded = recordings_.back().get();
      return side;
    }
    if (spec == "int8") {
      Int8BackendOptions o;
      o.calibration = options_.int8.calibration;
      o.quantParams = options_.int8.quantParams;
      o.config = config_;
      o.threads = options_.threads;
      o.stop = control.stop;  // calibration in load() honours cancellation
      auto backend = std::make_unique<Int8Backend>(o);
      int8_ = backend.get();
      backends_.push_back(std::move(backend));
      control.report(0, "calibrating int8");
    } else {
      BackendOptions o;
      o.settings = settings;
      o.settings.emplace("threads", std::to_string(options_.threads));
      o.stop = control.stop;
      backends_.push_back(registry_.create(spec, o));
      control.report(0, "loading model into " + spec);
    }
    backends_.back()->load(bundle_);
    side.backend = backends_.back().get();
    return side;
  }

  const Int8Backend* int8() const { return int8_; }

 private:
  const ModelBundle& bundle_;
  const ParityJobOptions& options_;
  quant::QuantConfig config_;
  BackendRegistry registry_;
  std::vector<std::unique_ptr<Backend>> backends_;
  std::vector<std::unique_ptr<quant::RecordedOutputs>> recordings_;
  const Int8Backend* int8_ = nullptr;
};

void checkOutputPaths(const ModelBundle& bundle, const ParityJobOptions& options) {
  const auto& c = options.compare;
  OutputPathCheck check(options.force);
  check.inputs(bundleFiles(bundle), "--model")
      .inputs(c.sessions, "--session")
      .input(c.inputsNpy, "--inputs")
      .input(options.int8.calibration, "--calib")
      .input(options.int8.quantParams, "--quant-params")
      .inputs(recordingFiles(options.reference), "--reference")
      .inputs(recordingFiles(options.a), "--a")
      .inputs(recordingFiles(options.b), "--b");
  declareReportOutputs(check, options.reports);
  check.output(options.saveParams, "--save-params").enforce();
}

}  // namespace

ParityJobResult runParityJob(const ModelBundle& bundle, const ParityJobOptions& options,
                             const JobControl& control) {
  checkOutputPaths(bundle, options);
  if (options.compare.stride < 1)
    throw Error("--stride " + std::to_string(options.compare.stride), "must be at least 1");
  if (!options.reference.empty() && options.a != "cpu")
    throw Error("--reference " + options.reference, "--reference replaces --a; both were given",
                "give the recording with --reference or --a, not both");
  quant::ParityOptions compare = options.compare;
  compare.noise.threads = options.threads;
  ParitySides sides(bundle, options, quantConfigFor(options.int8));
  const auto a = sides.make(options.reference.empty() ? options.a : options.reference,
                            options.aSettings, "--a-option", control);
  const auto b = sides.make(options.b, options.bSettings, "--b-option", control);
  if (sides.int8() && !options.saveParams.empty())
    quant::saveQuantParams(sides.int8()->quantParams(), options.saveParams);
  auto result = quant::runParity(bundle, a, b, compare, control);
  writeReportFiles(result, options.reports, "parity");
  return result;
}

}  // namespace imuwb::jobs
