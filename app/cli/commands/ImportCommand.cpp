// imuwb import IN.csv|IN.json --out S.h5 [--labels L.csv] [--units ...] [--rate HZ]:
// converts a recording into a session file, reporting every unit and rate decision.
#include <algorithm>
#include <cstdio>
#include <optional>

#include "Commands.hpp"
#include "common/Error.hpp"
#include "common/OutputPaths.hpp"
#include "session/CsvImport.hpp"
#include "session/JsonWindowImport.hpp"
#include "session/LabelCsv.hpp"
#include "session/SessionIo.hpp"
#include "session/SessionValidator.hpp"

namespace imuwb::cli {

namespace {
struct ImportArgs {
  std::string input, output, labels, units, device;
  double rate = 0;
  bool force = false;
};

void printFinding(const Finding& finding) {
  std::fprintf(stderr, "  %-7s %s%s%s\n", std::string(severityName(finding.severity)).c_str(),
               finding.device.empty() ? "" : ("[" + finding.device + "] ").c_str(),
               finding.message.c_str(), "");
  if (!finding.fix.empty()) std::fprintf(stderr, "          fix: %s\n", finding.fix.c_str());
}
}  // namespace

void addImportCommand(CLI::App& root, CliState& state) {
  auto* command = root.add_subcommand(
      "import", "Convert a CSV recording or a sidecar request JSON into a session file");
  auto args = std::make_shared<ImportArgs>();
  command->add_option("input", args->input, "Recording: .csv or sidecar request .json")->required();
  command->add_option("--out,-o", args->output, "Session file to write (.h5)")->required();
  command->add_option("--labels", args->labels, "Label intervals CSV: start,end,label (seconds)");
  command->add_option("--units", args->units,
                      "Source units, overriding detection: acc=g,gyro=deg/s,mag=mG");
  command->add_option("--rate", args->rate, "Sample rate in Hz (required without a time column)");
  command->add_option("--device", args->device, "Device name for single-device sources");
  command->add_flag("--force", args->force, "Overwrite the output if it exists");
  command->callback([&state, args] {
    runGuarded(state, [&] {
      ImportOptions options;
      if (!args->units.empty()) options.units = UnitOverrides::parse(args->units);
      if (args->rate > 0) options.sampleRateHz = args->rate;
      options.deviceName = args->device;
      const std::filesystem::path input(args->input), output(args->output);
      OutputPathCheck(args->force)
          .input(input, "input recording")
          .input(args->labels, "--labels")
          .output(output, "--out")
          .enforce();
      std::string extension = input.extension().string();
      std::transform(extension.begin(), extension.end(), extension.begin(), ::tolower);
      const JobControl progress = jobControl(state, "importing", output);
      ImportResult result;
      if (extension == ".json")
        result = importJsonWindow(input, options, progress);
      else if (extension == ".csv" || extension == ".txt" || extension == ".tsv")
        result = importCsv(input, options, progress);
      else
        throw Error(input.string(), "unknown input type '" + extension + "'",
                    "import .csv (header-mapped columns) or .json (sidecar request {\"x\": ...})");
      if (!args->labels.empty()) {
        const LabelTrack track = readLabelCsv(args->labels);
        result.session.classes = track.classes;
        result.session.labels = track.labels;
        Finding note;
        note.code = "labels_imported";
        note.message = std::to_string(track.labels.size()) + " label intervals, " +
                       std::to_string(track.classes.size()) + " classes from " + args->labels;
        result.report.push_back(note);
      }
      Session session = std::move(result.session);
      session.sourcePath.clear();  // the output is a new file
      const auto findings = validateSession(session);
      saveSession(session, output, jobControl(state, "writing", output));
      if (state.json) {
        nlohmann::json report = nlohmann::json::array(), validation = nlohmann::json::array();
        for (const auto& finding : result.report) report.push_back(toJson(finding));
        for (const auto& finding : findings) validation.push_back(toJson(finding));
        std::vector<std::string> devices;
        for (const auto& device : session.devices) devices.push_back(device.name);
        printJson({{"input", input.string()},
                   {"output", output.string()},
                   {"devices", devices},
                   {"sample_count", session.sampleCount()},
                   {"sample_rate_hz", session.sampleRateHz},
                   {"report", report},
                   {"findings", validation}});
      } else {
        std::fprintf(stderr, "import %s -> %s\n", input.string().c_str(), output.string().c_str());
        for (const auto& finding : result.report) printFinding(finding);
        if (!findings.empty()) std::fprintf(stderr, "validation:\n");
        for (const auto& finding : findings) printFinding(finding);
        std::printf("wrote %s: %zu device(s), %zu rows at %g Hz\n", output.string().c_str(),
                    session.devices.size(), session.sampleCount(), session.sampleRateHz);
      }
      return hasErrors(findings) ? kFindings : kOk;
    });
  });
}

}  // namespace imuwb::cli
