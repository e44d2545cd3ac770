// imuwb generate --duration 10m --seed N --out S.h5 [--devices collar,harness]: deterministic
// synthetic dog-behaviour sessions (see core/session/SessionGenerator.hpp).
#include <chrono>
#include <cstdio>
#include <sstream>

#include "Commands.hpp"
#include "common/Error.hpp"
#include "common/OutputPaths.hpp"
#include "session/SessionGenerator.hpp"

namespace imuwb::cli {

namespace {
struct GenerateArgs {
  std::string duration = "10m", output, devices = "collar,harness", startTime;
  std::uint64_t seed = 1;
  double rate = kContractSampleRateHz;
  bool force = false;
};
}  // namespace

void addGenerateCommand(CLI::App& root, CliState& state) {
  auto* command =
      root.add_subcommand("generate", "Write a synthetic, labelled dog-behaviour session");
  auto args = std::make_shared<GenerateArgs>();
  command->add_option("--duration,-d", args->duration, "Length: 90s, 10m, 24h")
      ->capture_default_str();
  command->add_option("--seed,-s", args->seed, "Random seed (same seed = same file)")
      ->capture_default_str();
  command->add_option("--out,-o", args->output, "Session file to write (.h5)")->required();
  command->add_option("--devices", args->devices, "Comma-separated device names")
      ->capture_default_str();
  command->add_option("--rate", args->rate, "Sample rate in Hz")->capture_default_str();
  command->add_option("--start-time", args->startTime, "ISO 8601 start time to record");
  command->add_flag("--force", args->force, "Overwrite the output if it exists");
  command->callback([&state, args] {
    runGuarded(state, [&] {
      GeneratorOptions options;
      options.durationSeconds = parseDurationSeconds(args->duration);
      options.seed = args->seed;
      options.sampleRateHz = args->rate;
      if (!args->startTime.empty()) options.startTime = args->startTime;
      options.devices.clear();
      std::stringstream names(args->devices);
      for (std::string name; std::getline(names, name, ',');)
        if (!name.empty()) options.devices.push_back(name);
      const std::filesystem::path output(args->output);
      OutputPathCheck(args->force).output(output, "--out").enforce();
      const auto begin = std::chrono::steady_clock::now();
      generateSessionFile(options, output, jobControl(state, "generating", output));
      const double seconds =
          std::chrono::duration<double>(std::chrono::steady_clock::now() - begin).count();
      const auto rows =
          static_cast<std::size_t>(std::llround(options.durationSeconds * options.sampleRateHz));
      if (state.json) {
        printJson({{"output", output.string()},
                   {"devices", options.devices},
                   {"sample_count", rows},
                   {"sample_rate_hz", options.sampleRateHz},
                   {"seed", options.seed},
                   {"seconds", seconds}});
      } else {
        std::printf("wrote %s: %zu device(s) x %zu rows (%.0f s at %g Hz, seed %llu) in %.2f s\n",
                    output.string().c_str(), options.devices.size(), rows, options.durationSeconds,
                    options.sampleRateHz, static_cast<unsigned long long>(options.seed), seconds);
      }
      return kOk;
    });
  });
}

}  // namespace imuwb::cli
