// The hailort backend's registry entry and settings. Compiled in every build: without HailoRT
// the entry is listed as unavailable, with the reason (IMUWB_HAVE_HAILORT comes from
// core/CMakeLists.txt).
#include "backends/BackendRegistry.hpp"
#include "backends/hailort/HailortBackend.hpp"
#include "common/Error.hpp"

#ifndef IMUWB_HAVE_HAILORT
#define IMUWB_HAVE_HAILORT 0
#endif

namespace imuwb {

HailortBackendOptions hailortOptionsFromSettings(const BackendOptions& settings) {
  HailortBackendOptions options;
  options.hef = settings.get("hef");
  const auto outputs = settings.get("outputs", "float32");
  if (outputs == "uint8")
    options.rawOutputs = true;
  else if (outputs != "float32")
    throw Error("backend option outputs=" + outputs, "not an output type",
                "use outputs=float32 (HailoRT dequantizes) or outputs=uint8 (raw, dequantized "
                "on the host)");
  const auto timeout = settings.get("timeout_ms", "1000");
  try {
    std::size_t used = 0;
    const long long value = std::stoll(timeout, &used);
    if (used != timeout.size() || value <= 0) throw std::invalid_argument(timeout);
    options.timeout = std::chrono::milliseconds(value);
  } catch (const std::exception&) {
    throw Error("backend option timeout_ms=" + timeout, "not a positive number of milliseconds",
                "e.g. timeout_ms=1000");
  }
  const auto mode = settings.get("mode", "sync");
  if (mode == "async")
    options.async = true;
  else if (mode != "sync")
    throw Error("backend option mode=" + mode, "not a run mode",
                "use mode=sync (run() per window) or mode=async (run_async)");
  return options;
}

bool hailortBuiltIn() {
  return IMUWB_HAVE_HAILORT != 0;
}

BackendEntry hailortBackendEntry() {
  BackendEntry entry;
  entry.name = "hailort";
  entry.description =
      "Hailo-8 through HailoRT 4.23 (hef=PATH, outputs=float32|uint8, timeout_ms=N, "
      "mode=sync|async)";
#if IMUWB_HAVE_HAILORT
  entry.create = [](const BackendOptions& settings) -> std::unique_ptr<Backend> {
    return std::make_unique<HailortBackend>(hailortOptionsFromSettings(settings));
  };
#else
  entry.unavailable =
      "HailoRT 4.23.0 not found at configure time; install hailort 4.23 and reconfigure";
  entry.description += " [unavailable: " + entry.unavailable + "]";
#endif
  return entry;
}

}  // namespace imuwb
