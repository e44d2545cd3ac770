// imuwb resample S.h5 --rate 100 --out S100.h5 [--force]: the session at another sample rate,
// anti-aliased (polyphase FIR as scipy.signal.resample_poly), labels kept, provenance recorded.
// Flags -> jobs::ResampleJobOptions, run the job, print its result.
#include <cstdio>

#include "Commands.hpp"
#include "flags/ResampleFlags.hpp"
#include "jobs/ResampleJob.hpp"

namespace imuwb::cli {

void addResampleCommand(CLI::App& root, CliState& state) {
  addFlagsCommand<ResampleFlags>(
      root, state, "resample", "Write a session at another sample rate (anti-aliased)",
      addResampleFlags, [&state](const ResampleFlags& flags) {
        const auto options = toResampleOptions(flags);
        const auto r =
            jobs::runResampleJob(options, jobControl(state, "resampling", options.output));
        if (state.json) {
          printJson({{"output", r.output.string()},
                     {"source_rate_hz", r.sourceRateHz},
                     {"target_rate_hz", r.targetRateHz},
                     {"up", r.up},
                     {"down", r.down},
                     {"filter", r.filter},
                     {"irregular", r.irregular},
                     {"grid_rate_hz", r.gridRateHz},
                     {"input_rows", r.inputRows},
                     {"output_rows", r.outputRows},
                     {"devices", r.devices},
                     {"seconds", r.seconds}});
        } else {
          if (r.irregular)
            std::printf("irregular timestamps: interpolated onto a %g Hz grid first\n",
                        r.gridRateHz);
          std::printf(
              "wrote %s: %zu device(s), %zu rows at %g Hz -> %zu rows at %g Hz "
              "(up %lld / down %lld, %s) in %.2f s\n",
              r.output.string().c_str(), r.devices, r.inputRows, r.sourceRateHz, r.outputRows,
              r.targetRateHz, static_cast<long long>(r.up), static_cast<long long>(r.down),
              r.filter.c_str(), r.seconds);
        }
        return kOk;
      });
}

}  // namespace imuwb::cli
