#pragma once
// CSV import: columns mapped by header name (acc_x/ax/accelX, gyro_x/gx, mag_x/mx, optional
// device prefixes like collar_ax for two devices), timestamps in s/ms/ns or none, sample rate
// inferred from the median step, units detected/converted and reported (UnitConversion.hpp).
#include <filesystem>
#include <string>
#include <vector>

#include "common/JobControl.hpp"
#include "session/ImportOptions.hpp"

namespace imuwb {

// Throws imuwb::Error naming the file, line/column and fix for unreadable input.
ImportResult importCsv(const std::filesystem::path& path, const ImportOptions& options = {},
                       const JobControl& control = {});

// Column mapping, exposed for tests: which header maps to which device/channel.
struct CsvColumn {
  std::string header;
  std::string device;    // "" when the header has no device prefix
  int channel = -1;      // contract channel index, -1 = not a sensor column
  std::string unitHint;  // canonical unit from the header ("g", "deg/s"...), or ""
};
struct CsvLayout {
  int timeColumn = -1;
  double timeScaleHint = 0;  // seconds per time unit from the header (time_ms -> 1e-3); 0 = none
  std::vector<CsvColumn> columns;
  std::vector<std::string> devices;  // in first-appearance order
};
CsvLayout mapCsvHeader(const std::vector<std::string>& headers, const std::string& source);

}  // namespace imuwb
