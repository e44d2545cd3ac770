#pragma once
// The second streaming pass over a text recording, once the first (CsvTable) has taken every
// decision: each data row again, its sensor fields parsed into each device's channels,
// converted to contract units and timed from the time axis, handed on in blocks of rows.
// Chunks of text are parsed on worker threads, a few at a time, so memory stays bounded.
#include <array>
#include <cstddef>
#include <filesystem>
#include <functional>
#include <vector>

#include "common/JobControl.hpp"
#include "session/UnitConversion.hpp"
#include "session/import/CsvTable.hpp"
#include "session/import/TimeAxis.hpp"

namespace imuwb {

struct RowBlock {
  const double* time_s = nullptr;  // [count] seconds from the first row; null without a time column
  std::vector<const float*> rows;  // per device: [count, channels] in contract units
  std::size_t first = 0;           // the block's first row
  std::size_t count = 0;
};

struct RowPassPlan {
  std::vector<int> channels;                         // per device: 9, or 6 without magnetometer
  std::vector<std::vector<UnitDecision>> decisions;  // per device: its groups' units
  const TimeAxis* axis = nullptr;                    // null without a time column
  std::size_t chunkBytes = std::size_t{8} << 20;     // text parsed per block (~50 000 rows)
};

// Calls sink for each block in row order. Throws imuwb::Error if the file changed since the
// first pass, or Cancelled.
void readCsvRows(const std::filesystem::path& path, const CsvTable& table, const RowPassPlan& plan,
                 const std::function<void(const RowBlock&)>& sink, const JobControl& control);

}  // namespace imuwb
