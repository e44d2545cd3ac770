#pragma once
// Which column of a recording is what: time, date, label, a sensor channel (of which device,
// in which unit) or ignored, and why. Built from the header's names (logger spellings, units in
// brackets or parentheses, `#` headers), then adjusted by the user's --map and --ignore.
#include <string>
#include <utility>
#include <vector>

#include "common/Finding.hpp"

namespace imuwb {

enum class ColumnRole { Ignored, Time, Date, Label, Sensor };

// What an acceleration column measures: the accelerometer as is, with gravity (g-force), or
// with gravity removed (linear acceleration). Gravity-including columns win.
enum class AccelKind { Plain, GravityIncluding, Linear };

struct CsvColumn {
  std::string header;
  ColumnRole role = ColumnRole::Ignored;
  std::string device;    // "" when the header has no device prefix
  int channel = -1;      // contract channel index when role is Sensor, else -1
  std::string unitHint;  // canonical unit from the header ("g", "deg/s"...), or ""
  AccelKind accel = AccelKind::Plain;
  std::string why;  // how the role was decided, for the import report
};

struct CsvLayout {
  int timeColumn = -1;
  double timeScaleHint = 0;  // seconds per time unit from the header (time_ms -> 1e-3); 0 = none
  int dateColumn = -1;
  int labelColumn = -1;
  std::vector<CsvColumn> columns;
  std::vector<std::string> devices;  // in first-appearance order
  bool linearOnly = false;           // acceleration is gravity-removed only (warned)
};

// --map ROLE=COLUMN (ROLE: time, date, label, ax..mz, or DEVICE.ax..) and --ignore COLUMN.
struct ColumnChoices {
  std::vector<std::pair<std::string, std::string>> map;
  std::vector<std::string> ignore;
  static ColumnChoices parse(const std::string& mapText, const std::vector<std::string>& ignore);
};

// Throws imuwb::Error (where = source) for a header that maps two columns to one channel, a
// unit it cannot read, or a --map/--ignore naming no column.
CsvLayout mapCsvHeader(const std::vector<std::string>& headers, const std::string& source,
                       const ColumnChoices& choices = {});

// The import report's account of the mapping: one finding listing what each column became and
// why, one per ignored column, and a warning when only linear acceleration exists.
std::vector<Finding> explainLayout(const CsvLayout& layout);

}  // namespace imuwb
