// imuwb calib-export: write a calibration set (.npy + <out>.json provenance manifest) for the
// Hailo Dataflow Compiler from sessions, preprocessed exactly as at inference. A thin shell over
// quant::exportCalibrationSet. Exit 0 = written, 1 = error-level finding (a single-class set is
// refused unless --force), 2 = usage or input error.
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "Commands.hpp"
#include "common/Error.hpp"
#include "common/OutputPaths.hpp"
#include "quant/CalibrationSetExport.hpp"

namespace imuwb::cli {
namespace {

struct CalibExportArguments {
  std::string model, out, layout = "nhwc", devices;
  std::vector<std::string> sessions;
  std::size_t windows = 1024;
  int stride = 50;
  std::uint64_t seed = 0;
  bool force = false;
};

std::string shapeText(const std::vector<std::int64_t>& shape) {
  std::string text = "[";
  for (std::size_t i = 0; i < shape.size(); ++i) text += (i ? "," : "") + std::to_string(shape[i]);
  return text + "]";
}

void printSummary(const quant::CalibrationExportResult& r, const std::string& layout) {
  if (r.written)
    std::printf("calibration set: %zu windows (of %zu available), shape %s %s float32\n",
                r.exported, r.available, shapeText(r.shape).c_str(), layout.c_str());
  else
    std::printf("calibration set NOT written (%zu windows of %zu available): see findings\n",
                r.exported, r.available);
  std::printf("  class histogram:\n");
  for (const auto& [name, count] : r.classHistogram)
    std::printf(
        "    %-20s %6zu  %5.1f %%\n", name.c_str(), count,
        r.exported ? 100.0 * static_cast<double>(count) / static_cast<double>(r.exported) : 0.0);
  if (r.written)
    std::printf("  wrote %s\n  wrote %s\n", r.npyPath.string().c_str(),
                r.manifestPath.string().c_str());
  printFindingLines(r.findings);
}

}  // namespace

void addCalibExportCommand(CLI::App& root, CliState& state) {
  auto args = std::make_shared<CalibExportArguments>();
  auto* command = root.add_subcommand(
      "calib-export", "Export a calibration set (.npy + manifest) for the Hailo compiler");
  command->add_option("--model", args->model, "Model bundle (folder, .onnx or manifest .json)")
      ->required();
  command->add_option("--session", args->sessions, "Session HDF5 file(s) to window")->required();
  command->add_option("--out", args->out, "Calibration .npy to write (manifest: <out>.json)")
      ->required();
  command->add_option("--windows", args->windows, "Windows to export")->capture_default_str();
  command->add_option("--stride", args->stride, "Window stride in samples")->capture_default_str();
  command->add_option("--layout", args->layout, "nhwc (Hailo) or model (the manifest's layout)")
      ->check(CLI::IsMember({"nhwc", "model"}))
      ->capture_default_str();
  command->add_option("--seed", args->seed, "Sampling seed")->capture_default_str();
  command->add_option("--devices", args->devices, "Session device per H index, comma-separated");
  command->add_flag("--force", args->force,
                    "Replace existing outputs, and write even a single-class set");

  command->callback([&state, args] {
    runGuarded(state, [&] {
      const auto& a = *args;
      const auto bundle = loadModelBundle(a.model);
      OutputPathCheck(a.force)
          .inputs({a.sessions.begin(), a.sessions.end()}, "--session")
          .inputs(bundleFiles(bundle), "--model")
          .output(a.out, "--out")
          .output(quant::calibrationManifestPath(a.out), "--out manifest")
          .enforce();
      quant::CalibrationExportOptions options;
      options.sessions.assign(a.sessions.begin(), a.sessions.end());
      options.out = a.out;
      options.windows = a.windows;
      options.stride = a.stride;
      options.layout =
          a.layout == "model" ? quant::CalibrationLayout::Model : quant::CalibrationLayout::Nhwc;
      options.seed = a.seed;
      options.devices = splitCommaList(a.devices);
      options.force = a.force;
      auto control = jobControl(state, "calib-export");
      const auto result = quant::exportCalibrationSet(bundle, options, control);
      if (state.json) {
        auto doc = result.manifest;
        doc.erase("windows");  // per-window provenance stays in the file
        doc["written"] = result.written;
        doc["out"] = result.npyPath.string();
        doc["manifest_path"] = result.manifestPath.string();
        printJson(doc);
      } else {
        printSummary(result, result.manifest.value("layout", ""));
      }
      return hasErrors(result.findings) ? kFindings : kOk;
    });
  });
}

}  // namespace imuwb::cli
