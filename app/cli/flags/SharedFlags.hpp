#pragma once
// The flag groups several commands share, declared once so they read (and default) the same
// everywhere: the model bundle, the windowing choices, engine threads, the int8 choices and the
// report files of parity and drift.
#include <CLI/CLI.hpp>
#include <string>

#include "jobs/Int8Choices.hpp"
#include "jobs/ReportFiles.hpp"

namespace imuwb::cli {

// --model (required): a bundle folder, an .onnx (+ .json beside it) or a manifest .json.
void addModelFlag(CLI::App& command, std::string& model);

// --stride (the job's default shown), --devices (comma-separated session devices per H index)
// and --share-device (a device may be named more than once in --devices).
void addWindowingFlags(CLI::App& command, int& stride, std::string& devices, bool& shareDevice);

// --share-device alone (commands whose --devices is declared apart, like check).
void addShareDeviceFlag(CLI::App& command, bool& shareDevice);

// --threads, checked at parse time (ThreadsOption.hpp).
void addThreadsFlag(CLI::App& command, int& threads, const std::string& help);

// --input-range, --range, --weights, --a16, --clip into the job's int8 choices. prefix starts
// each help text (parity: "int8: ", where another side may not be int8).
void addInt8ChoiceFlags(CLI::App& command, jobs::Int8Choices& choices, const std::string& prefix);

// --report (required), --html and --junit, and --force (replace existing outputs).
struct ReportFlags {
  std::string json, html, junit;
  jobs::ReportFiles files() const { return {json, html, junit}; }
};
void addReportFlags(CLI::App& command, ReportFlags& flags, bool& force);

}  // namespace imuwb::cli
