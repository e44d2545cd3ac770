#pragma once
// Options and result shared by the CSV and sidecar-JSON importers.
#include <optional>
#include <string>
#include <vector>

#include "common/Finding.hpp"
#include "session/Session.hpp"
#include "session/UnitConversion.hpp"

namespace imuwb {

struct ImportOptions {
  UnitOverrides units;                 // explicit --units; wins over hints and detection
  std::optional<double> sampleRateHz;  // explicit --rate; else inferred (CSV) or 100 Hz (JSON)
  std::string deviceName;  // single-device sources; default "imu" (CSV) / "window" (JSON)
};

struct ImportResult {
  Session session;              // contract units; sourcePath = the imported file
  std::vector<Finding> report;  // every unit decision, rate inference, column mapping
};

}  // namespace imuwb
