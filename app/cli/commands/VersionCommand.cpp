#include "Commands.hpp"
#include "common/BuildInfo.hpp"

namespace imuwb::cli {

void addVersionCommand(CLI::App& root, CliState& state) {
  auto* command = root.add_subcommand("version", "Print version and build information");
  command->callback([&state] {
    runGuarded(state, [&] {
      if (state.json) {
        printJson({{"version", build_info::kVersion},
                   {"build_type", build_info::kBuildType},
                   {"compiler", build_info::kCompiler}});
      } else {
        std::printf("imuwb %s (%s, %s)\n", build_info::kVersion, build_info::kBuildType,
                    build_info::kCompiler);
      }
      return kOk;
    });
  });
}

}  // namespace imuwb::cli
