// imuwb generate --duration 10m --seed N --out S.h5 [--devices collar,harness]: deterministic
// synthetic dog-behaviour sessions. Flags -> jobs::GenerateJobOptions, run the job, print its
// result.
#include <cstdio>

#include "Commands.hpp"
#include "flags/JobFlags.hpp"
#include "jobs/GenerateJob.hpp"

namespace imuwb::cli {

void addGenerateCommand(CLI::App& root, CliState& state) {
  addFlagsCommand<GenerateFlags>(
      root, state, "generate", "Write a synthetic, labelled dog-behaviour session",
      addGenerateFlags, [&state](const GenerateFlags& flags) {
        const auto options = toGenerateOptions(flags);
        const auto r =
            jobs::runGenerateJob(options, jobControl(state, "generating", options.output));
        if (state.json) {
          printJson({{"output", r.output.string()},
                     {"devices", r.devices},
                     {"sample_count", r.sampleCount},
                     {"sample_rate_hz", r.sampleRateHz},
                     {"seed", r.seed},
                     {"seconds", r.seconds}});
        } else {
          std::printf("wrote %s: %zu device(s) x %zu rows (%.0f s at %g Hz, seed %llu) in %.2f s\n",
                      r.output.string().c_str(), r.devices.size(), r.sampleCount, r.durationSeconds,
                      r.sampleRateHz, static_cast<unsigned long long>(r.seed), r.seconds);
        }
        return kOk;
      });
}

}  // namespace imuwb::cli
