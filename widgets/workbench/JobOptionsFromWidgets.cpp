#include "JobOptionsFromWidgets.hpp"

#include "common/Error.hpp"
#include "model/ModelBundle.hpp"
#include "pipeline/SampleSource.hpp"
#include "pipeline/WindowFeed.hpp"

namespace imuwb::widgets {
namespace {

// None (the job takes the model's, as `imuwb run` without --devices) when the session has the
// model's devices; else the session's first devices in order, chosen for the user (the samples
// are recorded as collar + harness, models may say phone + collar).
std::vector<std::string> devicesFor(const ModelBundle& bundle, const Session& session) {
  const InMemorySource source(session);
  const DeviceChoice choice = chooseDevices(bundle.manifest, source, {}, true);
  if (choice.note.empty()) return {};
  return choice.devices;
}

// The remembered int8 choice (Run ▸ Calibration Set…) is a calibration set .npy or saved
// quantization parameters .json; each side of the CLI spells them --calib / --quant-params.
void setInt8Choice(jobs::Int8Choices& int8, const std::filesystem::path& chosen) {
  if (chosen.extension() == ".json")
    int8.quantParams = chosen;
  else
    int8.calibration = chosen;
}

}  // namespace

jobs::RunJobOptions runOptionsFor(const RunRequest& request, const std::filesystem::path& out) {
  if (!request.session || !request.bundle)
    throw Error("run", "no session or no model is open", "open a session and a model bundle");
  jobs::RunJobOptions options;
  options.session = request.session->sourcePath;
  options.backend = request.backend;
  for (const auto& [key, value] : request.backendSettings) {
    if (key == "calibration")
      options.calibration = value;
    else if (key == "quant_params")
      options.quantParams = value;
    else
      options.backendSettings[key] = value;
  }
  options.run.outPath = out;
  options.run.stride = static_cast<int>(request.strideSamples);
  options.run.devices = devicesFor(*request.bundle, *request.session);
  return options;
}

jobs::ParityJobOptions parityOptionsFor(const ParityRequest& request) {
  jobs::ParityJobOptions options;
  options.a = request.a;
  options.b = request.b;
  options.aSettings = request.aSettings;
  options.bSettings = request.bSettings;
  if (request.session) options.compare.sessions = {request.session->sourcePath};
  options.compare.stride = request.strideSamples;
  setInt8Choice(options.int8, request.calibration);
  return options;
}

jobs::EvaluateJobOptions evaluateOptionsFor(const EvaluationRequest& request) {
  jobs::EvaluateJobOptions options;
  if (request.session) options.sessions = {request.session->sourcePath};
  options.backend = request.backend;
  options.compareBackend = request.compareBackend;
  options.backendSettings = request.backendSettings;
  options.compareSettings = request.compareSettings;
  setInt8Choice(options.int8, request.calibration);
  options.stride = request.strideSamples;
  options.alpha = request.alpha;
  options.calibrationSplit = request.calibrationSplit;
  if (request.session && request.bundle)
    options.devices = devicesFor(*request.bundle, *request.session);
  return options;
}

jobs::ConvertJobOptions convertOptionsFor(const ConvertRequest& request) {
  if (!request.bundle)
    throw Error("convert", "no model is open", "open the model to convert (File ▸ Open Model…)");
  jobs::ConvertJobOptions options;
  // The manifest it was opened with, as the CLI takes it; the bare .onnx when none was.
  const auto& bundle = *request.bundle;
  options.model = bundle.manifestInferred || bundle.manifestPath.empty() ? bundle.onnxPath
                                                                         : bundle.manifestPath;
  options.output = request.output;
  options.convert.inputLayout =
      request.nhwc ? convert::InputLayoutChoice::NHWC : convert::InputLayoutChoice::NCHW;
  options.convert.gemmAsConv = request.gemmAsConv;
  options.windows = request.windows;
  options.threads = 0;  // the GUI proves on every core
  options.force = request.force;
  if (request.session) {
    options.session = request.session->sourcePath;
    options.devices = devicesFor(*request.bundle, *request.session);
  }
  return options;
}

}  // namespace imuwb::widgets
