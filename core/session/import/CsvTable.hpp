#pragma once
// One streaming pass over a text recording: comments, BOM, dialect and header found first,
// then every data row parsed into per-device samples, raw times and label runs, with the file
// line of every row. The text is never held whole: a line at a time, within text_line_bytes.
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

namespace imuwb {

struct CsvTable {
  csv::Dialect dialect;
  std::size_t headerLine = 0;    // file line of the header
  bool commentedHeader = false;  // the header was a '#' or '%' comment line (EuRoC style)
  std::vector<std::string> headers;
  CsvLayout layout;
  // Per device of layout.devices: the column of each contract channel, -1 when absent.
  std::vector<std::array<int, kChannelCount>> columnOf;
  // Per device: row-major [rows, 9]; NaN in a channel the file does not have.
  std::vector<std::vector<float>> samples;
  bool hasTime = false;
  RawTimeColumn time;
  InlineLabelRuns labels;
  RowLines lines;
  std::size_t rows = 0;
  std::vector<Finding> report;  // text format and column mapping, in words
};

// Throws imuwb::Error naming file, line, column and fix for anything unreadable; Cancelled.
CsvTable readCsvTable(const std::filesystem::path& path, const ImportOptions& options,
                      const JobControl& control);

}  // namespace imuwb
