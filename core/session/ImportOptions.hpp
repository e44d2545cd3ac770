#pragma once
// Options and result shared by the CSV and sidecar-JSON importers.
#include <optional>
#include <string>
#include <vector>

#include "common/Finding.hpp"
#include "session/Session.hpp"
#include "session/UnitConversion.hpp"
#include "session/import/ColumnMapping.hpp"
#include "session/import/RowLines.hpp"

namespace imuwb {

struct ImportOptions {
  UnitOverrides units;                 // explicit --units; wins over hints and detection
  std::optional<double> sampleRateHz;  // explicit --rate; else inferred (CSV) or 100 Hz (JSON)
  std::string deviceName;  // single-device sources; default "imu" (CSV) / "window" (JSON)
  ColumnChoices columns;   // --map ROLE=COLUMN and --ignore COLUMN (CSV)
  std::string date;        // --date YYYY-MM-DD for clock-time (HH:MM:SS) columns (CSV)
};

struct ImportResult {
  Session session;              // contract units; sourcePath = the imported file
  std::vector<Finding> report;  // every unit decision, rate inference, column mapping
  RowLines rowLines;            // the file line of each row (text imports), for messages
};

}  // namespace imuwb
