// imuwb run: a model bundle over a session, outputs to HDF5 (+ CSV). Flags -> jobs::RunJobOptions,
// run the job, print its result.
#include <cstdio>

#include "Commands.hpp"
#include "backends/BackendRegistry.hpp"
#include "batch/RecordingWork.hpp"
#include "commands/BatchSupport.hpp"
#include "flags/JobFlags.hpp"
#include "jobs/RunJob.hpp"

namespace imuwb::cli {
namespace {

void printResult(const CliState& state, const ModelBundle& bundle,
                 const jobs::RunJobOptions& options, const jobs::RunJobResult& summary) {
  const std::string out = options.run.outPath.string();
  if (state.json) {
    nlohmann::json findings = nlohmann::json::array();
    for (const auto& finding : summary.findings) findings.push_back(toJson(finding));
    printJson({{"out", out},
               {"csv", options.run.csvPath.string()},
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
    return;
  }
  std::printf("%s on %s (%s): %zu windows in %.2f s (%.0f windows/s) -> %s\n",
              bundle.manifest.name.c_str(), summary.backend.name.c_str(),
              summary.backend.precision.c_str(), summary.windows, summary.seconds,
              summary.windowsPerSecond, out.c_str());
  std::printf("%s\n", summary.skipped.summary().c_str());
  for (const auto& finding : summary.findings)
    std::printf("  %-7s %s\n", std::string(severityName(finding.severity)).c_str(),
                finding.message.c_str());
}

}  // namespace

void addRunCommand(CLI::App& root, CliState& state) {
  std::string backendHelp = "Backend to run on (";
  const auto registry = makeDefaultBackendRegistry();  // kept: entries() refers into it
  for (const auto& entry : registry.entries())
    backendHelp += entry.name + ": " + entry.description + "; ";
  backendHelp += ")";
  addFlagsCommand<RunFlags>(
      root, state, "run", "Run a model bundle over a session; write outputs HDF5 (+CSV)",
      [backendHelp](CLI::App& command, RunFlags& flags) {
        addRunFlags(command, flags, backendHelp);
      },
      [&state](const RunFlags& flags) -> int {
        const auto options = toRunOptions(flags);
        const auto bundle = loadModelBundle(flags.model);
        if (flags.batch.active())
          return runBatchCommand(state, flags.batch, sessionInputs(flags.sessions, flags.batch),
                                 {"run", bundle.sha256(), batch::identityOptions(options),
                                  batch::runWork(bundle, options)});
        auto control = jobControl(state, "run", options.run.outPath);
        const auto summary = jobs::runRunJob(bundle, options, control);
        printResult(state, bundle, options, summary);
        return hasErrors(summary.findings) ? kFindings : kOk;
      });
}

}  // namespace imuwb::cli
