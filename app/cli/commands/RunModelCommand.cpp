// imuwb run-model: run an ONNX model on .npy windows with the CPU FP32 reference engine, in the
// shape of Polygraphy's `run`. Flags -> jobs::RunModelJobOptions, run the job, print its result.
#include <cstdio>

#include "Commands.hpp"
#include "flags/JobFlags.hpp"
#include "jobs/RunModelJob.hpp"

namespace imuwb::cli {
namespace {

void printSummary(const jobs::RunModelJobOptions& options, const jobs::RunModelJobResult& r) {
  std::printf("%s: %lld windows in %.3f s (%.0f windows/s, %d thread%s, %s)\n",
              options.model.string().c_str(), static_cast<long long>(r.windows), r.engineSeconds,
              r.windowsPerSecond, r.threads, r.threads == 1 ? "" : "s", r.mode.c_str());
  for (const auto& output : r.summary["outputs"])
    std::printf(
        "  output %s %s%s\n", output["name"].get<std::string>().c_str(),
        output["shape"].dump().c_str(),
        output.contains("file") ? (" -> " + output["file"].get<std::string>()).c_str() : "");
  if (!r.summary["taps"].empty())
    std::printf("  %zu taps%s\n", r.summary["taps"].size(),
                options.outputDir.empty() ? "" : " in taps/");
  if (!r.batchNote.empty()) std::printf("  note: %s\n", r.batchNote.c_str());
}

}  // namespace

void addRunModelCommand(CLI::App& root, CliState& state) {
  addFlagsCommand<RunModelFlags>(
      root, state, "run-model",
      "Run an ONNX model on .npy windows with the CPU FP32 reference engine", addRunModelFlags,
      [&state](const RunModelFlags& flags) {
        const auto options = toRunModelOptions(flags);
        const auto result = jobs::runRunModelJob(options, jobControl(state, "run-model"));
        if (state.json)
          printJson(result.summary);
        else
          printSummary(options, result);
        return kOk;
      });
}

}  // namespace imuwb::cli
