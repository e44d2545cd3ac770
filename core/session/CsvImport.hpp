#pragma once
// CSV and other delimited text import: a streaming pass (session/import/CsvTable.hpp) finds
// the dialect, the header and what each column is (session/import/ColumnMapping.hpp), then the
// session is assembled: time axis (session/import/TimeAxis.hpp), units detected or declared
// and converted (UnitConversion.hpp), inline labels as intervals. Every decision is reported.
#include <filesystem>

#include "common/JobControl.hpp"
#include "session/ImportOptions.hpp"
#include "session/import/ColumnMapping.hpp"

namespace imuwb {

// Throws imuwb::Error naming the file, line/column and fix for unreadable input.
ImportResult importCsv(const std::filesystem::path& path, const ImportOptions& options = {},
                       const JobControl& control = {});

}  // namespace imuwb
