// imuwb import IN.csv|IN.json|IN.h5 --out S.h5 [--labels L.csv] [--units ...] [--rate HZ]:
// converts a recording into a session file, reporting every unit and rate decision.
// Flags -> jobs::ImportJobOptions, run the job (the reader is chosen by core, as in the GUI),
// print its result.
#include <cstdio>

#include "Commands.hpp"
#include "flags/JobFlags.hpp"
#include "jobs/ImportJob.hpp"

namespace imuwb::cli {

namespace {

void printFinding(const Finding& finding) {
  std::fprintf(stderr, "  %-7s %s%s%s\n", std::string(severityName(finding.severity)).c_str(),
               finding.device.empty() ? "" : ("[" + finding.device + "] ").c_str(),
               finding.message.c_str(), "");
  if (!finding.fix.empty()) std::fprintf(stderr, "          fix: %s\n", finding.fix.c_str());
}

void printResult(const CliState& state, const jobs::ImportJobOptions& options,
                 const jobs::ImportJobResult& result) {
  const auto& session = result.session;
  const std::string input = options.input.string(), output = options.output.string();
  if (state.json) {
    nlohmann::json report = nlohmann::json::array(), validation = nlohmann::json::array();
    for (const auto& finding : result.report) report.push_back(toJson(finding));
    for (const auto& finding : result.validation) validation.push_back(toJson(finding));
    std::vector<std::string> devices;
    for (const auto& device : session.devices) devices.push_back(device.name);
    printJson({{"input", input},
               {"output", output},
               {"devices", devices},
               {"sample_count", result.sampleCount},
               {"sample_rate_hz", session.sampleRateHz},
               {"report", report},
               {"findings", validation}});
    return;
  }
  std::fprintf(stderr, "import %s -> %s\n", input.c_str(), output.c_str());
  for (const auto& finding : result.report) printFinding(finding);
  if (!result.validation.empty()) std::fprintf(stderr, "validation:\n");
  for (const auto& finding : result.validation) printFinding(finding);
  std::printf("wrote %s: %zu device(s), %zu rows at %g Hz\n", output.c_str(),
              session.devices.size(), result.sampleCount, session.sampleRateHz);
}

}  // namespace

void addImportCommand(CLI::App& root, CliState& state) {
  addFlagsCommand<ImportFlags>(
      root, state, "import",
      "Convert a CSV recording or a sidecar request JSON into a session file", addImportFlags,
      [&state](const ImportFlags& flags) {
        const auto options = toImportOptions(flags);
        const auto result =
            jobs::runImportJob(options, jobControl(state, "importing", options.output),
                               jobControl(state, "writing", options.output));
        printResult(state, options, result);
        return hasErrors(result.validation) ? kFindings : kOk;
      });
}

}  // namespace imuwb::cli
