#pragma once
// Label intervals as CSV: a header line "start,end,label" (seconds from session start), then
// one interval per line. Classes are collected in first-appearance order.
#include <filesystem>
#include <string>
#include <vector>

#include "session/Session.hpp"

namespace imuwb {

struct LabelTrack {
  std::vector<std::string> classes;
  std::vector<LabelInterval> labels;
};

// Throws imuwb::Error naming file and line for bad rows (end <= start, non-numeric, ...).
LabelTrack readLabelCsv(const std::filesystem::path& path);
void writeLabelCsv(const std::vector<LabelInterval>& labels, const std::filesystem::path& path);

}  // namespace imuwb
