#include "flags/SharedFlags.hpp"

#include "ThreadsOption.hpp"

namespace imuwb::cli {

void addModelFlag(CLI::App& command, std::string& model) {
  command
      .add_option("--model", model,
                  "Model bundle: folder, .onnx (+.json beside it) or manifest .json")
      ->required();
}

void addWindowingFlags(CLI::App& command, int& stride, std::string& devices, bool& shareDevice) {
  command.add_option("--stride", stride, "Window stride in samples")->capture_default_str();
  command.add_option("--devices", devices,
                     "Session device per H index, comma-separated (default: the manifest's)");
  addShareDeviceFlag(command, shareDevice);
}

void addShareDeviceFlag(CLI::App& command, bool& shareDevice) {
  command.add_flag("--share-device", shareDevice,
                   "Allow one session device on several model device slots "
                   "(e.g. --devices collar,collar); without it a repeated device is an error");
}

void addThreadsFlag(CLI::App& command, int& threads, const std::string& help) {
  command.add_option("--threads", threads, help)->check(threadCountCheck())->capture_default_str();
}

void addInt8ChoiceFlags(CLI::App& command, jobs::Int8Choices& choices, const std::string& prefix) {
  command.add_option("--input-range", choices.inputRange,
                     prefix + "Force the input quantization range LO,HI (e.g. the HEF's)");
  command.add_option("--range", choices.range, prefix + "Minmax or percentile[:P]")
      ->capture_default_str();
  command.add_option("--weights", choices.weights, prefix + "Per_channel or per_tensor")
      ->capture_default_str();
  command.add_option("--a16", choices.a16, prefix + "What-if: set this ONNX node to a16_w16");
  command.add_option("--clip", choices.clip, prefix + "What-if: NODE=LO,HI clipping override");
}

void addReportFlags(CLI::App& command, ReportFlags& flags, bool& force) {
  command.add_option("--report", flags.json, "JSON report (docs/parity.md)")->required();
  command.add_option("--html", flags.html, "Self-contained HTML report");
  command.add_option("--junit", flags.junit, "JUnit XML, one test case per check");
  command.add_flag("--force", force, "Replace existing report and parameter files");
}

}  // namespace imuwb::cli
