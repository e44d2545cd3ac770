#include "backends/BackendRegistry.hpp"

#include <stdexcept>

#include "backends/CpuBackend.hpp"
#include "backends/Int8Backend.hpp"
#include "backends/edgeinfer/EdgeinferBackend.hpp"
#include "backends/hailort/HailortBackend.hpp"
#include "common/Error.hpp"

namespace imuwb {

void BackendRegistry::add(BackendEntry entry) {
  if (contains(entry.name)) throw std::logic_error("backend '" + entry.name + "' registered twice");
  entries_.push_back(std::move(entry));
}

std::vector<std::string> BackendRegistry::names() const {
  std::vector<std::string> names;
  for (const auto& entry : entries_) names.push_back(entry.name);
  return names;
}

bool BackendRegistry::contains(const std::string& name) const {
  for (const auto& entry : entries_)
    if (entry.name == name) return true;
  return false;
}

std::unique_ptr<Backend> BackendRegistry::create(const std::string& name,
                                                 const BackendOptions& options) const {
  for (const auto& entry : entries_) {
    if (entry.name != name) continue;
    if (!entry.unavailable.empty()) {
      std::string available;
      for (const auto& other : entries_)
        if (other.unavailable.empty()) available += (available.empty() ? "" : ", ") + other.name;
      throw Error("--backend " + name,
                  "backend '" + name + "' is not available in this build: " + entry.unavailable,
                  "or choose a backend this build has: " + available);
    }
    return entry.create(options);
  }
  std::string known;
  for (const auto& entry : entries_) known += (known.empty() ? "" : ", ") + entry.name;
  throw Error("--backend " + name, "unknown backend '" + name + "'", "use one of: " + known);
}

BackendRegistry makeDefaultBackendRegistry() {
  BackendRegistry registry;
  registry.add({"cpu", "imuwb's FP32 reference engine on the host CPU",
                [](const BackendOptions& options) -> std::unique_ptr<Backend> {
                  CpuBackendOptions cpu;
                  const auto threads = options.get("threads", "1");
                  try {
                    cpu.threads = std::stoi(threads);
                  } catch (const std::exception&) {
                    throw Error("backend option threads=" + threads, "not an integer",
                                "give a thread count such as 1 or 2 (0 = all cores)");
                  }
                  return std::make_unique<CpuBackend>(cpu);
                }});
  registry.add({"int8", "Hailo-style INT8 emulation on the CPU engine (needs calibration=C.npy)",
                [](const BackendOptions& o) -> std::unique_ptr<Backend> {
                  return std::make_unique<Int8Backend>(int8OptionsFromSettings(o));
                }});
  registry.add(edgeinferBackendEntry());
  registry.add(hailortBackendEntry());
  // Other backends register here, one entry each (int8, edgeinfer, hailort, recorded).
  return registry;
}

}  // namespace imuwb
