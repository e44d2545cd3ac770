#include "jobs/ConvertJob.hpp"

#include <algorithm>
#include <fstream>
#include <optional>
#include <set>

#include "common/AtomicFile.hpp"
#include "common/Error.hpp"
#include "common/OutputPaths.hpp"
#include "convert/ConvertReport.hpp"
#include "jobs/JobFiles.hpp"
#include "model/ContractChecker.hpp"
#include "model/ModelBundle.hpp"
#include "pipeline/SampleSource.hpp"
#include "pipeline/WindowFeed.hpp"

namespace imuwb::jobs {
namespace {

namespace fs = std::filesystem;

// The check codes the rewrites exist to remove (model/ContractChecker.cpp).
const std::set<std::string> kTargetedFindings = {"conv1d", "slice", "grouped_conv",
                                                 "depthwise_conv", "unfused_batchnorm"};

std::vector<engine::NamedTensor> sessionWindows(const ModelBundle& bundle,
                                                const ConvertJobOptions& options,
                                                std::string& origin, std::string& device) {
  FileSource source(options.session);
  WindowFeedOptions feedOptions;
  feedOptions.devices = options.devices;
  feedOptions.maxWindows = options.windows;
  feedOptions.batchWindows = options.windows;
  WindowFeed feed(bundle, source, feedOptions);
  FeedBatch fed;
  if (!feed.next(fed) || fed.size() == 0)
    throw Error(options.session.string(), "the session gives no window for the model",
                "use a longer session, or leave --session out to prove on generated windows");
  origin = std::to_string(fed.size()) + " windows of " + options.session.filename().string();
  if (!feed.devices().empty()) device = feed.devices().front();
  engine::Shape shape(fed.batch.shape.begin(), fed.batch.shape.end());
  return {{fed.batch.inputName, engine::Tensor::fromFloats(shape, fed.batch.values)}};
}

// The original's manifest with the converted input layout, for `run` and `parity` on the result.
// NCHW [1,C,1,T] is the time-folded layout with one fold (one device, no name needed); NHWC
// [1,1,T,C] is the device layout, which names its device: the manifest's, --devices, or the
// device the proof's session windows came from. Without one, no manifest (note says why).
std::optional<Manifest> convertedManifest(Manifest manifest, const convert::InputRemap& remap,
                                          const ConvertJobOptions& options,
                                          const std::string& originalSha,
                                          const std::string& proofDevice, std::string& note) {
  const bool nhwc = options.convert.inputLayout == convert::InputLayoutChoice::NHWC;
  manifest.input.layout = nhwc ? InputLayout::NHWC_devices : InputLayout::NCHW_time_folded;
  manifest.input.shape = remap.newShape;
  if (!options.devices.empty()) manifest.input.devices = {options.devices.front()};
  if (manifest.input.devices.empty() && nhwc && !proofDevice.empty())
    manifest.input.devices = {proofDevice};
  if (manifest.input.devices.size() > 1) manifest.input.devices.resize(1);
  if (nhwc && manifest.input.devices.empty()) {
    note = "an NHWC manifest names its session device: pass --devices NAME or --session";
    return std::nullopt;
  }
  manifest.onnxFile = options.output.filename().string();
  manifest.legacyModelConfig = false;
  if (!manifest.training.is_object()) manifest.training = nlohmann::json::object();
  manifest.training["converted_by"] = "imuwb convert --to " + options.target;
  manifest.training["converted_from_sha256"] = originalSha;
  manifest.training.erase("onnx_sha256");
  return manifest;
}

void checkOutputs(const ModelBundle& bundle, const ConvertJobOptions& options) {
  if (options.target != "hailo8")
    throw Error("--to " + options.target, "unknown conversion target",
                "the one target is hailo8 (--to hailo8)");
  if (options.output.empty())
    throw Error("--out", "no output file given", "name the converted model with --out FILE.onnx");
  if (options.windows == 0)
    throw Error("--windows 0", "the proof needs at least one window", "use --windows 64");
  OutputPathCheck(options.force)
      .inputs(bundleFiles(bundle), "the model")
      .input(options.session, "--session")
      .output(options.output, "--out")
      .output(bundle.manifestInferred ? fs::path() : convertedManifestPath(options.output),
              "the converted model's manifest")
      .output(options.report, "--report")
      .enforce();
}

}  // namespace

fs::path convertedManifestPath(const fs::path& output) {
  return output.parent_path() / (output.stem().string() + ".json");
}

ConvertJobResult runConvertJob(const ConvertJobOptions& options, const JobControl& control) {
  BundleLoadOptions loadOptions;
  loadOptions.allowMissingManifest = true;
  const auto bundle = loadModelBundle(options.model, loadOptions);
  checkOutputs(bundle, options);
  control.report(0.1, "rewriting");
  ConvertJobResult result;
  const auto bytes = convert::convertToBytes(*bundle.model, options.convert, result.log);
  control.throwIfCancelled();

  // The bytes proven are the bytes renamed into place.
  TemporaryFile temporary(options.output);
  {
    std::ofstream out(temporary.path(), std::ios::binary | std::ios::trunc);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    closeWrittenStream(out, options.output, "the converted model");
  }
  const auto converted = engine::loadOnnxModel(temporary.path());  // checker + shape inference
  control.report(0.3, "proving equivalence");
  std::string origin = std::to_string(options.windows) + " generated windows (N(0,1) and smooth)";
  std::string device;
  const auto windows = options.session.empty()
                           ? convert::generatedWindows(*bundle.model, options.windows)
                           : sessionWindows(bundle, options, origin, device);
  control.throwIfCancelled();
  result.proof = convert::proveEquivalent(*bundle.model, converted, result.log.inputs, windows,
                                          options.threads);
  result.proof.origin = origin;
  for (const auto& finding : checkHailoContract(converted, nullptr).findings)
    if (kTargetedFindings.count(finding.code)) result.remaining.push_back(finding);
  control.report(0.9, "writing");

  if (result.proof.passed()) {
    temporary.commit();
    result.written = true;
    const auto remap = std::find_if(
        result.log.inputs.begin(), result.log.inputs.end(),
        [&](const convert::InputRemap& r) { return r.name == bundle.manifest.input.name; });
    if (bundle.manifestInferred) {
      result.manifestNote = "no manifest beside the model, so none was written beside the result";
    } else if (remap == result.log.inputs.end()) {
      result.manifestNote = "the manifest's input is not a graph input";
    } else if (const auto manifest =
                   convertedManifest(bundle.manifest, *remap, options, bundle.sha256(), device,
                                     result.manifestNote)) {
      result.manifest = convertedManifestPath(options.output);
      writeTextAtomically(result.manifest, manifestToJson(*manifest).dump(2) + "\n",
                          "the converted model's manifest");
    }
  } else {
    temporary.discard();
  }
  result.report = {{"schema", "imuwb-convert"},
                   {"schema_version", 1},
                   {"model", options.model.string()},
                   {"output", options.output.string()},
                   {"target", options.target},
                   {"written", result.written},
                   {"manifest", result.manifest.string()},
                   {"conversion", convert::toJson(result.log)},
                   {"proof", convert::toJson(result.proof)}};
  nlohmann::json remaining = nlohmann::json::array();
  for (const auto& finding : result.remaining) remaining.push_back(toJson(finding));
  result.report["remaining_findings"] = remaining;
  if (!options.report.empty())
    writeTextAtomically(options.report, result.report.dump(2) + "\n", "the convert report");
  control.report(1.0, "done");
  return result;
}

}  // namespace imuwb::jobs
