// imuwb check: Hailo-8 feasibility of a model (and, with --session, whether a recording matches
// the model's preprocessing). A thin shell over pipeline/ModelCheck.
#include <cstdio>
#include <iostream>
#include <optional>

#include "Commands.hpp"
#include "backends/BackendRegistry.hpp"
#include "common/Error.hpp"
#include "flags/SharedFlags.hpp"
#include "pipeline/ModelCheck.hpp"
#include "pipeline/ResampledSource.hpp"

namespace imuwb::cli {
namespace {

struct CheckArguments {
  std::string model, session, backend = "cpu", devices;
  std::vector<std::string> backendOptions;  // KEY=VALUE
  std::size_t sampleWindows = 32;
  bool noRun = false;
  bool resample = false;
  bool shareDevice = false;
};

void printTable(const ModelCheckReport& report) {
  std::printf("imuwb check: %s%s%s\n", report.model.c_str(),
              report.session.empty() ? "" : " with session ", report.session.c_str());
  std::printf("opset %lld, IR %lld, %lld parameters (%.1f KB FP32, ~%.1f KB INT8)\n\n",
              static_cast<long long>(report.contract.opset),
              static_cast<long long>(report.contract.irVersion),
              static_cast<long long>(report.contract.parameterCount),
              report.contract.weightBytesFp32 / 1024.0, report.contract.weightBytesInt8 / 1024.0);
  std::printf("%-8s %-32s %-24s %s\n", "SEVERITY", "CHECK", "WHERE", "FINDING");
  std::size_t counts[3] = {0, 0, 0};
  for (auto severity : {Severity::Error, Severity::Warning, Severity::Info}) {
    for (const auto& finding : report.findings) {
      if (finding.severity != severity) continue;
      ++counts[static_cast<int>(severity)];
      std::string where = finding.subject;
      if (!finding.device.empty()) where = finding.device + (where.empty() ? "" : ":" + where);
      if (where.size() > 24) where = where.substr(0, 21) + "...";
      std::printf("%-8s %-32s %-24s %s\n", std::string(severityName(finding.severity)).c_str(),
                  finding.code.c_str(), where.c_str(), finding.message.c_str());
      if (!finding.fix.empty())
        std::printf("%-8s %-32s %-24s   fix: %s\n", "", "", "", finding.fix.c_str());
    }
  }
  std::printf("\n%zu error(s), %zu warning(s), %zu info: %s\n", counts[2], counts[1], counts[0],
              report.passed() ? "PASS (no errors)" : "FAIL");
}

// The backend that ran the sample windows and what it loaded (the hailort backend: the HEF's
// streams, shapes, format orders and quantization).
void printBackend(const Backend& backend) {
  const auto info = backend.describe();
  std::printf("\nbackend %s: %s on %s, %s\n", info.name.c_str(), info.version.c_str(),
              info.device.c_str(), info.precision.c_str());
  for (const auto& detail : backend.details())
    std::printf("  %s: %s\n", detail.key.c_str(), detail.value.c_str());
}

nlohmann::json backendJson(const Backend& backend) {
  const auto info = backend.describe();
  nlohmann::json details = nlohmann::json::array();
  for (const auto& detail : backend.details())
    details.push_back({{"key", detail.key}, {"value", detail.value}});
  return {{"name", info.name},
          {"version", info.version},
          {"device", info.device},
          {"precision", info.precision},
          {"details", details}};
}

}  // namespace

void addCheckCommand(CLI::App& root, CliState& state) {
  auto arguments = std::make_shared<CheckArguments>();
  const auto registry = std::make_shared<BackendRegistry>(makeDefaultBackendRegistry());
  auto* command = root.add_subcommand("check",
                                      "Hailo-8 feasibility of a model; with --session, check the "
                                      "recording against its preprocessing");
  command
      ->add_option("model", arguments->model,
                   "Model: .onnx (manifest optional) or bundle folder / manifest .json")
      ->required();
  command->add_option("--session", arguments->session,
                      "Session HDF5 to check against the manifest's mean/std");
  command->add_option("--backend", arguments->backend, "Backend that runs the sample windows")
      ->capture_default_str();
  command->add_option("--backend-option", arguments->backendOptions,
                      "KEY=VALUE setting for the backend (repeatable), e.g. hef=model.hef");
  command->add_option("--devices", arguments->devices,
                      "Session device per H index, comma-separated");
  addShareDeviceFlag(*command, arguments->shareDevice);
  command
      ->add_option("--sample-windows", arguments->sampleWindows,
                   "Windows run for the output range check")
      ->capture_default_str();
  command->add_flag("--no-run", arguments->noRun, "Static checks only: do not run sample windows");
  command->add_flag("--resample", arguments->resample,
                    "Resample the session to the model's rate on the fly (anti-aliased)");
  command->callback([&state, arguments, registry] {
    runGuarded(state, [&] {
      const auto& a = *arguments;
      BundleLoadOptions loadOptions;
      loadOptions.allowMissingManifest = true;
      auto bundle = loadModelBundle(a.model, loadOptions);
      std::unique_ptr<Backend> backend;
      BackendOptions backendOptions;
      for (const auto& setting : a.backendOptions) {
        const auto equals = setting.find('=');
        if (equals == std::string::npos || equals == 0)
          throw Error("--backend-option " + setting, "expected KEY=VALUE",
                      "e.g. --backend-option hef=model.hef");
        backendOptions.settings[setting.substr(0, equals)] = setting.substr(equals + 1);
      }
      if (!a.noRun) backend = registry->create(a.backend, backendOptions);
      // A session HDF5, or a sidecar request body (.json) read as sent, without unit conversion.
      std::vector<std::unique_ptr<SampleSource>> sessionFile;  // one, possibly resampled
      std::optional<Session> sidecar;
      std::optional<InMemorySource> sidecarSource;
      const SampleSource* session = nullptr;
      if (!a.session.empty() && std::filesystem::path(a.session).extension() == ".json") {
        sidecar.emplace(readSidecarRequest(a.session));
        sidecarSource.emplace(*sidecar);
        session = &*sidecarSource;
      } else if (!a.session.empty()) {
        sessionFile.push_back(std::make_unique<FileSource>(a.session));
        if (a.resample)
          sessionFile = resampledTo(std::move(sessionFile), bundle.manifest.input.sampleRateHz);
        session = sessionFile.front().get();
      }
      ModelCheckOptions options;
      options.sampleWindows = a.noRun ? 0 : a.sampleWindows;
      options.preprocessing.devices = splitCommaList(a.devices);
      options.preprocessing.shareDevice = a.shareDevice;
      auto control = jobControl(state, "check");
      auto report =
          checkModel(bundle, backend.get(), session ? &*session : nullptr, options, control);
      report.model = a.model;
      if (state.json) {
        auto document = toJson(report);
        if (backend) document["backend"] = backendJson(*backend);
        printJson(document);
      } else {
        printTable(report);
        if (backend) printBackend(*backend);
      }
      return report.passed() ? kOk : kFindings;
    });
  });
}

}  // namespace imuwb::cli
