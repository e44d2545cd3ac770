#include "flags/JobFlags.hpp"

namespace imuwb::cli {

void addRunModelFlags(CLI::App& command, RunModelFlags& flags) {
  auto& o = flags.options;
  command.add_option("model", flags.model, "The .onnx file")->required();
  command
      .add_option("--input", o.inputs,
                  "[NAME=]FILE.npy with a leading window dimension N (repeatable)")
      ->required();
  command.add_option("--save-outputs", flags.outputDir,
                     "Folder for <output>.npy, taps/<tap>.npy and summary.json");
  command.add_option("--taps", o.taps,
                     "Intermediate tensors to capture: 'all' or comma-separated ONNX names");
  addThreadsFlag(command, o.threads, "Worker threads (0 = all cores)");
  command.add_flag("--force", o.force, "Replace files that --save-outputs would overwrite");
}

jobs::RunModelJobOptions toRunModelOptions(const RunModelFlags& flags) {
  jobs::RunModelJobOptions options = flags.options;
  options.model = flags.model;
  options.outputDir = flags.outputDir;
  return options;
}

}  // namespace imuwb::cli
