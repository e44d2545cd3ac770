#include "Commands.hpp"
#include "backends/BackendRegistry.hpp"
#include "common/BuildInfo.hpp"
#include "engine/isa/Isa.hpp"

namespace imuwb::cli {

void addVersionCommand(CLI::App& root, CliState& state) {
  auto* command = root.add_subcommand("version", "Print version and build information");
  command->callback([&state] {
    runGuarded(state, [&] {
      // The engine's kernel level: the best this CPU supports unless IMUWB_ISA forces one.
      const char* isa = engine::isaName(engine::activeIsa());
      std::vector<std::string> supported;
      for (auto level : engine::supportedIsas()) supported.push_back(engine::isaName(level));
      // Every backend this binary knows, the unavailable ones with the reason (hailort without
      // HailoRT at configure time).
      const auto registry = makeDefaultBackendRegistry();
      nlohmann::json backends = nlohmann::json::array();
      std::string backendList;
      for (const auto& entry : registry.entries()) {
        nlohmann::json item{{"name", entry.name}, {"available", entry.unavailable.empty()}};
        std::string text = entry.name;
        if (!entry.unavailable.empty()) {
          item["reason"] = entry.unavailable;
          text += " (unavailable: " + entry.unavailable + ")";
        }
        backends.push_back(item);
        backendList += (backendList.empty() ? "" : ", ") + text;
      }
      if (state.json) {
        printJson({{"version", build_info::kVersion},
                   {"build_type", build_info::kBuildType},
                   {"compiler", build_info::kCompiler},
                   {"isa", isa},
                   {"isa_supported", supported},
                   {"backends", backends}});
      } else {
        std::printf("imuwb %s (%s, %s)\n", build_info::kVersion, build_info::kBuildType,
                    build_info::kCompiler);
        std::string list;
        for (const auto& name : supported) list += (list.empty() ? "" : ", ") + name;
        std::printf("engine kernels: %s (this CPU supports %s; IMUWB_ISA forces a level)\n", isa,
                    list.c_str());
        std::printf("backends: %s\n", backendList.c_str());
      }
      return kOk;
    });
  });
}

}  // namespace imuwb::cli
