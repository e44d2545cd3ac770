#include "flags/ResampleFlags.hpp"

namespace imuwb::cli {

void addResampleFlags(CLI::App& command, ResampleFlags& flags) {
  command.add_option("session", flags.input, "Session file to resample (.h5)")->required();
  command.add_option("--rate", flags.options.targetRateHz, "Target sample rate in Hz")
      ->capture_default_str();
  command.add_option("--out,-o", flags.output, "Session file to write (.h5)")->required();
  command.add_flag("--force", flags.options.force, "Overwrite the output if it exists");
}

jobs::ResampleJobOptions toResampleOptions(const ResampleFlags& flags) {
  jobs::ResampleJobOptions options = flags.options;
  options.input = flags.input;
  options.output = flags.output;
  return options;
}

}  // namespace imuwb::cli
