#include <cstdio>

#include "CliSupport.hpp"
#include "flags/JobFlags.hpp"

namespace imuwb::cli {

void addGenerateFlags(CLI::App& command, GenerateFlags& flags) {
  auto& g = flags.options.generator;
  // The text flags start from the job's defaults, so --help shows those.
  char duration[32];
  std::snprintf(duration, sizeof duration, "%gs", g.durationSeconds);
  flags.duration = duration;
  flags.devices.clear();
  for (const auto& name : g.devices) flags.devices += (flags.devices.empty() ? "" : ",") + name;
  command.add_option("--duration,-d", flags.duration, "Length: 90s, 10m, 24h")
      ->capture_default_str();
  command.add_option("--seed,-s", g.seed, "Random seed (same seed = same file)")
      ->capture_default_str();
  command.add_option("--out,-o", flags.output, "Session file to write (.h5)")->required();
  command.add_option("--devices", flags.devices, "Comma-separated device names")
      ->capture_default_str();
  command.add_option("--rate", g.sampleRateHz, "Sample rate in Hz")->capture_default_str();
  command.add_option("--start-time", flags.startTime, "ISO 8601 start time to record");
  command.add_flag("--no-magnetometer", flags.noMagnetometer,
                   "6-axis devices: ax ay az gx gy gz, no mx my mz");
  command.add_flag("--force", flags.options.force, "Overwrite the output if it exists");
}

jobs::GenerateJobOptions toGenerateOptions(const GenerateFlags& flags) {
  jobs::GenerateJobOptions options = flags.options;
  options.output = flags.output;
  options.generator.durationSeconds = parseDurationSeconds(flags.duration);
  options.generator.devices.clear();
  for (auto& name : splitCommaList(flags.devices))
    if (!name.empty()) options.generator.devices.push_back(std::move(name));
  if (!flags.startTime.empty()) options.generator.startTime = flags.startTime;
  if (flags.noMagnetometer) options.generator.magnetometer = false;
  return options;
}

}  // namespace imuwb::cli
