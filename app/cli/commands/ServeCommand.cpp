// imuwb serve: the hailo-inference sidecar contract served by the workbench core. Flags ->
// jobs::ServeJobOptions; the job serves until Ctrl-C/SIGTERM, then closes cleanly.
#include <cstdio>

#include "Commands.hpp"
#include "flags/JobFlags.hpp"
#include "model/ModelBundle.hpp"

namespace imuwb::cli {

void addServeCommand(CLI::App& root, CliState& state) {
  addFlagsCommand<ServeFlags>(
      root, state, "serve",
      "Serve a model bundle over HTTP with the hailo-inference sidecar contract", addServeFlags,
      [&state](const ServeFlags& flags) {
        const auto options = toServeOptions(flags);
        const auto bundle = loadModelBundle(flags.model);
        auto control = jobControl(state, "serve");
        control.onProgress = nullptr;
        const auto result =
            jobs::runServeJob(bundle, options, control, [&](const std::string& address, int port) {
              if (state.json)
                std::printf("{\"listening\": \"%s\", \"port\": %d}\n", address.c_str(), port);
              else
                std::printf("imuwb serve: %s (%s) on %s/infer, /encode, /healthz, /metrics\n",
                            bundle.manifest.name.c_str(), options.backend.c_str(), address.c_str());
              std::fflush(stdout);
            });
        std::fprintf(stderr,
                     "imuwb serve: stopped after %zu requests (%zu windows in %zu batches)\n",
                     result.requestsOk, result.windows, result.batches);
        return kOk;
      });
}

}  // namespace imuwb::cli
