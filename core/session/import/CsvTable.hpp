#pragma once
// The first of the two streaming passes over a text recording: comments, BOM, dialect and
// header found first, then every data row checked (field count, numbers, time, date) and
// summarised: raw times into a temporary file, label runs, the file line of every row, and a
// bounded sample of rows for unit detection. Nothing in memory grows with the row count but
// the label runs and the line breakpoints (interior comments). The second pass (CsvRowPass)
// reads the rows again once every decision is taken.
#include <array>
#include <filesystem>
#include <vector>

#include "common/Channels.hpp"
#include "common/Finding.hpp"
#include "common/JobControl.hpp"
#include "session/ImportOptions.hpp"
#include "session/import/ColumnMapping.hpp"
#include "session/import/CsvDialect.hpp"
#include "session/import/InlineLabels.hpp"
#include "session/import/RowLines.hpp"
#include "session/import/TimeAxis.hpp"
#include "session/import/UnitSample.hpp"

namespace imuwb {

struct CsvTable {
  csv::Dialect dialect;
  std::size_t headerLine = 0;    // file line of the header
  bool commentedHeader = false;  // the header was a '#' or '%' comment line (EuRoC style)
  std::vector<std::string> headers;
  CsvLayout layout;
  // Per device of layout.devices: the column of each contract channel, -1 when absent.
  std::vector<std::array<int, kChannelCount>> columnOf;
  // Per device: row-major [rows, 9] of the rows unit detection looks at; NaN in a channel the
  // file does not have.
  UnitSample sample;
  std::size_t dataLine = 0;  // file line of the first data row
  bool hasTime = false;
  RawTimeColumn time;
  InlineLabelRuns labels;
  RowLines lines;
  std::size_t rows = 0;
  std::vector<Finding> report;  // text format and column mapping, in words
};

// Share of an import's progress bar the first pass takes (the second takes the rest to 0.95).
inline constexpr double kScanShare = 0.3;

// Throws imuwb::Error naming file, line, column and fix for anything unreadable; Cancelled.
CsvTable readCsvTable(const std::filesystem::path& path, const ImportOptions& options,
                      const JobControl& control);

}  // namespace imuwb
