#pragma once
// Label sets as CSV with the columns start,end,label,note (RFC 4180 quoting: a field holding a
// comma, a quote, a line break or outer spaces is quoted, quotes doubled). Times are written in
// the shortest form that reads back to the same double, so export then import is exact.
// Classes are listed in a leading "# classes: ..." comment line (quoted like a row), so classes
// without intervals survive the round trip too; without it, classes come in first-appearance
// order.
#include <filesystem>
#include <string>
#include <string_view>

#include "labels/LabelInterval.hpp"

namespace imuwb {

std::string labelSetCsvText(const LabelSet& labels);
// Throws imuwb::Error naming where and the line for bad rows (end <= start, not a number, an
// unterminated quote, an empty class).
LabelSet parseLabelSetCsv(std::string_view text, const std::string& where);

void writeLabelSetCsv(const LabelSet& labels, const std::filesystem::path& path);
LabelSet readLabelSetCsv(const std::filesystem::path& path);

}  // namespace imuwb
