#pragma once
// The CLI's half of every job: its flags, bound straight into the job's options struct (so the
// defaults --help shows are the job's, defined once in core/jobs), plus the flags only a shell
// has (the bundle to load). toXxxOptions finishes the mapping of flags
// that need parsing. The imuwb commands and the CLI/GUI options-identity test both use these.
#include <CLI/CLI.hpp>
#include <map>
#include <string>
#include <vector>

#include "flags/BatchFlags.hpp"
#include "flags/SharedFlags.hpp"
#include "jobs/BenchJob.hpp"
#include "jobs/CalibCoverageJob.hpp"
#include "jobs/CalibExportJob.hpp"
#include "jobs/ConvertJob.hpp"
#include "jobs/DriftJob.hpp"
#include "jobs/EvaluateJob.hpp"
#include "jobs/GenerateJob.hpp"
#include "jobs/ImportJob.hpp"
#include "jobs/ParityJob.hpp"
#include "jobs/RunJob.hpp"
#include "jobs/RunModelJob.hpp"
#include "jobs/ServeJob.hpp"

namespace imuwb::cli {

struct RunFlags {
  std::string model;  // the bundle to load
  jobs::RunJobOptions options;
  BatchFlags batch;                   // --sessions, --out-dir, --shard...
  std::vector<std::string> sessions;  // --session: one, or many with --out-dir
  std::string out, csv, devices, label_rule = "centre", calibration, quantParams;
  std::vector<std::string> backend_options;  // KEY=VALUE
};
void addRunFlags(CLI::App& command, RunFlags& flags, const std::string& backendHelp);
jobs::RunJobOptions toRunOptions(const RunFlags& flags);  // throws imuwb::Error

struct ParityFlags {
  std::string model;    // the bundle to load
  ReportFlags reports;  // --report, --html, --junit
  jobs::ParityJobOptions options;
  BatchFlags batch;
  std::vector<std::string> sessions, minCosine;
  std::vector<std::string> aOptions, bOptions;  // --a-option / --b-option KEY=VALUE
  std::string inputs, devices, calibration, quantParams, saveParams;
  double minTop1 = -1.0, minSnr_db = -1e300;
  bool noLayers = false, noOnlyLayer = false;
};
void addParityFlags(CLI::App& command, ParityFlags& flags);
jobs::ParityJobOptions toParityOptions(const ParityFlags& flags);  // throws imuwb::Error

struct DriftFlags {
  std::string model;
  ReportFlags reports;
  jobs::DriftJobOptions options;
  BatchFlags batch;
  std::vector<std::string> sessions;
  std::string calibration, devices, saveParams;
  bool noOnlyLayer = false;
};
void addDriftFlags(CLI::App& command, DriftFlags& flags);
jobs::DriftJobOptions toDriftOptions(const DriftFlags& flags);

struct EvaluateFlags {
  std::string model;
  ReportFlags reports;  // --report, --html, --junit
  jobs::EvaluateJobOptions options;
  BatchFlags batch;
  std::vector<std::string> sessions;
  std::string devices, labelRule = "centre";
  double minAccuracy = -1, maxEce = -1, minCoverage = -1;   // < 0: not given
  std::vector<std::string> backendOptions, compareOptions;  // --backend-option / --compare-option
};
void addEvaluateFlags(CLI::App& command, EvaluateFlags& flags);
jobs::EvaluateJobOptions toEvaluateOptions(const EvaluateFlags& flags);

struct CalibExportFlags {
  std::string model;
  jobs::CalibExportJobOptions options;
  jobs::CalibCoverageJobOptions coverage;  // --check mode
  BatchFlags batch;                        // --check only
  std::vector<std::string> sessions, ranges;
  std::string out, devices, layout = "nhwc", classes, balance = "none", check, report;
};
void addCalibExportFlags(CLI::App& command, CalibExportFlags& flags);
// Throws imuwb::Error naming the flag (--range, --balance, --model or --out missing).
jobs::CalibExportJobOptions toCalibExportOptions(const CalibExportFlags& flags);
jobs::CalibCoverageJobOptions toCalibCoverageOptions(const CalibExportFlags& flags);

struct ImportFlags {
  jobs::ImportJobOptions options;
  std::string input, output, labels, units, device, map, date;
  std::vector<std::string> ignore;
  double rate = 0;
};
void addImportFlags(CLI::App& command, ImportFlags& flags);
jobs::ImportJobOptions toImportOptions(const ImportFlags& flags);

struct RunModelFlags {
  jobs::RunModelJobOptions options;
  std::string model, outputDir;
};
void addRunModelFlags(CLI::App& command, RunModelFlags& flags);
jobs::RunModelJobOptions toRunModelOptions(const RunModelFlags& flags);

struct ConvertFlags {
  jobs::ConvertJobOptions options;
  std::string model, output, report, session, devices, inputLayout = "nchw";
};
void addConvertFlags(CLI::App& command, ConvertFlags& flags);
jobs::ConvertJobOptions toConvertOptions(const ConvertFlags& flags);  // throws imuwb::Error

struct GenerateFlags {
  jobs::GenerateJobOptions options;
  std::string output, duration, devices, startTime;  // duration and devices: the job's defaults
  bool noMagnetometer = false;
};
void addGenerateFlags(CLI::App& command, GenerateFlags& flags);
jobs::GenerateJobOptions toGenerateOptions(const GenerateFlags& flags);  // throws imuwb::Error

struct ServeFlags {
  jobs::ServeJobOptions options;
  std::string model;
  std::vector<std::string> backendOptions;  // KEY=VALUE
};
void addServeFlags(CLI::App& command, ServeFlags& flags);
jobs::ServeJobOptions toServeOptions(const ServeFlags& flags);  // throws imuwb::Error

struct BenchFlags {
  jobs::BenchJobOptions options;
  std::string model;
  std::vector<std::string> backendOptions;  // KEY=VALUE
};
void addBenchFlags(CLI::App& command, BenchFlags& flags);
jobs::BenchJobOptions toBenchOptions(const BenchFlags& flags);  // throws imuwb::Error

// A KEY=VALUE list (--backend-option, or the flag named) -> settings; throws imuwb::Error on an
// entry without '='.
std::map<std::string, std::string> parseBackendSettings(
    const std::vector<std::string>& settings, const std::string& flag = "--backend-option");

// Parses args (without the program and subcommand names) with add(command, flags) as one
// subcommand would, for tests and tools that want a command's options without running it.
// Throws CLI::ParseError on bad flags.
template <class Flags, class Add>
Flags parseFlags(const std::vector<std::string>& args, Add add) {
  CLI::App command;
  Flags flags;
  add(command, flags);
  std::vector<std::string> reversed(args.rbegin(), args.rend());  // CLI11 takes them reversed
  command.parse(reversed);
  return flags;
}

}  // namespace imuwb::cli
