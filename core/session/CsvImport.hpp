#pragma once
// CSV and other delimited text import, streamed in two passes so that memory does not grow
// with the file. The first (session/import/CsvTable.hpp) finds the dialect, the header and what
// each column is (session/import/ColumnMapping.hpp), checks every row and keeps bounded
// summaries; then everything is decided: time axis (session/import/TimeAxis.hpp), units
// detected on a bounded sample or declared (UnitConversion.hpp). The second
// (session/import/CsvRowPass.hpp) parses, converts and hands rows on block by block; a unit
// change mid-file and inline labels are worked out as the rows go by. Every decision is
// reported.
#include <filesystem>

#include "common/JobControl.hpp"
#include "session/ImportOptions.hpp"
#include "session/import/ColumnMapping.hpp"
#include "session/import/CsvRowPass.hpp"

namespace imuwb {

// Where the rows of a streamed import go: a session in memory (importCsv), a session file
// (jobs/ImportJob).
class CsvImportSink {
 public:
  virtual ~CsvImportSink() = default;
  // Once, before any rows: rate, start time, devices (names and channels, no samples),
  // metadata and sourcePath. explicitTime: every block comes with its times; rows in all.
  virtual void begin(const Session& layout, bool explicitTime, std::size_t rows) = 0;
  virtual void rows(const RowBlock& block) = 0;
};

struct CsvImportSummary {
  Session session;  // as begin() got it, plus the inline label classes and intervals
  std::size_t rows = 0;
  double firstTime_s = 0, lastTime_s = 0;  // the first and last row's session time
  std::vector<Finding> report;             // every decision, as importCsv reports them
  RowLines rowLines;                       // the file line of each row
};

// Throws imuwb::Error naming the file, line/column and fix for unreadable input; Cancelled.
CsvImportSummary streamCsv(const std::filesystem::path& path, const ImportOptions& options,
                           CsvImportSink& sink, const JobControl& control = {});

// The whole session in memory (small files, the GUI, tests): streamCsv into a Session.
ImportResult importCsv(const std::filesystem::path& path, const ImportOptions& options = {},
                       const JobControl& control = {});

}  // namespace imuwb
