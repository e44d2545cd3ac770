// imuwb run: a model bundle over a session, outputs to HDF5 (+ CSV). A thin shell over RunJob.
#include <cstdio>
#include <iostream>

#include "Commands.hpp"
#include "ThreadsOption.hpp"
#include "backends/BackendRegistry.hpp"
#include "common/Error.hpp"
#include "common/OutputPaths.hpp"
#include "pipeline/RunJob.hpp"

namespace imuwb::cli {
namespace {

struct RunArguments {
  std::string model, session, backend = "cpu", out, csv, devices, labelRule = "centre";
  std::vector<std::string> backendOptions;  // KEY=VALUE
  std::string calibration, quantParams;
  int stride = 50;
  int threads = 1;
  std::size_t maxWindows = 0;
  bool force = false;
};

}  // namespace

void addRunCommand(CLI::App& root, CliState& state) {
  auto arguments = std::make_shared<RunArguments>();
  const auto registry = std::make_shared<BackendRegistry>(makeDefaultBackendRegistry());
  std::string backendHelp = "Backend to run on (";
  for (const auto& entry : registry->entries())
    backendHelp += entry.name + ": " + entry.description + "; ";
  backendHelp += ")";
  auto* command =
      root.add_subcommand("run", "Run a model bundle over a session; write outputs HDF5 (+CSV)");
  command
      ->add_option("--model", arguments->model,
                   "Model bundle: folder, .onnx (+.json beside it) or manifest .json")
      ->required();
  command->add_option("--session", arguments->session, "Session HDF5")->required();
  command->add_option("--backend", arguments->backend, backendHelp)->capture_default_str();
  command->add_option("--stride", arguments->stride, "Window stride in samples")
      ->capture_default_str();
  command->add_option("--out", arguments->out, "Outputs HDF5 to write (docs/outputs-format.md)")
      ->required();
  command->add_option("--csv", arguments->csv, "Also write one CSV row per window");
  command->add_option("--devices", arguments->devices,
                      "Session device per H index, comma-separated (default: the manifest's)");
  command->add_option("--label-rule", arguments->labelRule, "Window label: centre or majority")
      ->check(CLI::IsMember({"centre", "center", "majority"}))
      ->capture_default_str();
  command->add_option("--backend-option", arguments->backendOptions,
                      "KEY=VALUE setting for the backend (repeatable), e.g. input_range=-4,4");
  command->add_option("--calib", arguments->calibration,
                      "Calibration set .npy for backends that quantize (int8): calibration=PATH");
  command->add_option("--quant-params", arguments->quantParams,
                      "Saved quantization parameters .json (int8): quant_params=PATH");
  command->add_option("--threads", arguments->threads, "Engine threads (cpu backend)")
      ->check(threadCountCheck())
      ->capture_default_str();
  command->add_option("--max-windows", arguments->maxWindows,
                      "Stop after this many windows (0 = all)");
  command->add_flag("--force", arguments->force, "Replace --out/--csv if they exist");
  command->callback([&state, arguments, registry] {
    runGuarded(state, [&] {
      const auto& a = *arguments;
      if (a.stride < 1) throw Error("--stride " + std::to_string(a.stride), "must be at least 1");
      auto bundle = loadModelBundle(a.model);
      BackendOptions backendOptions;
      backendOptions.settings["threads"] = std::to_string(a.threads);
      if (state.signals) backendOptions.stop = state.signals->token();
      for (const auto& setting : a.backendOptions) {
        const auto equals = setting.find('=');
        if (equals == std::string::npos || equals == 0)
          throw Error("--backend-option " + setting, "expected KEY=VALUE",
                      "e.g. --backend-option calibration=c.npy");
        backendOptions.settings[setting.substr(0, equals)] = setting.substr(equals + 1);
      }
      if (!a.calibration.empty()) backendOptions.settings["calibration"] = a.calibration;
      if (!a.quantParams.empty()) backendOptions.settings["quant_params"] = a.quantParams;
      OutputPathCheck(a.force)
          .input(a.session, "--session")
          .inputs(bundleFiles(bundle), "--model")
          .input(backendOptions.get("calibration"), "--calib")
          .input(backendOptions.get("quant_params"), "--quant-params")
          .output(a.out, "--out")
          .output(a.csv, "--csv")
          .enforce();
      auto backend = registry->create(a.backend, backendOptions);
      backend->load(bundle);
      FileSource source(a.session);
      RunOptions options;
      options.outPath = a.out;
      options.csvPath = a.csv;
      options.stride = a.stride;
      options.labelRule = a.labelRule == "majority" ? LabelRule::Majority : LabelRule::CentreSample;
      options.devices = splitCommaList(a.devices);
      options.maxWindows = a.maxWindows;
      auto control = jobControl(state, "run", a.out);
      const auto summary = runModelOnSession(bundle, *backend, source, options, control);
      if (state.json) {
        nlohmann::json findings = nlohmann::json::array();
        for (const auto& finding : summary.findings) findings.push_back(toJson(finding));
        printJson({{"out", a.out},
                   {"csv", a.csv},
                   {"model", bundle.manifest.name},
                   {"model_sha256", bundle.sha256()},
                   {"backend",
                    {{"name", summary.backend.name},
                     {"version", summary.backend.version},
                     {"device", summary.backend.device},
                     {"precision", summary.backend.precision}}},
                   {"devices", summary.devices},
                   {"windows", summary.windows},
                   {"windows_skipped_gap", summary.skipped.gapWindows},
                   {"windows_skipped_nan", summary.skipped.nanWindows},
                   {"seconds", summary.seconds},
                   {"windows_per_second", summary.windowsPerSecond},
                   {"findings", findings}});
      } else {
        std::printf("%s on %s (%s): %zu windows in %.2f s (%.0f windows/s) -> %s\n",
                    bundle.manifest.name.c_str(), summary.backend.name.c_str(),
                    summary.backend.precision.c_str(), summary.windows, summary.seconds,
                    summary.windowsPerSecond, a.out.c_str());
        std::printf("%s\n", summary.skipped.summary().c_str());
        for (const auto& finding : summary.findings)
          std::printf("  %-7s %s\n", std::string(severityName(finding.severity)).c_str(),
                      finding.message.c_str());
      }
      return hasErrors(summary.findings) ? kFindings : kOk;
    });
  });
}

}  // namespace imuwb::cli
