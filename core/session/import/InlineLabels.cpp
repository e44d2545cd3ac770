#include "session/import/InlineLabels.hpp"

#include <algorithm>

#include "common/Error.hpp"
#include "common/InputLimits.hpp"
#include "session/CsvText.hpp"

namespace imuwb {

void InlineLabelRuns::add(std::size_t row, std::string_view label, const std::string& where) {
  if (!runs_.empty() && runs_.back().label == label) return;
  if (runs_.empty() && label.empty()) return;  // unlabelled until the first label
  const auto maxRuns = limits::value(limits::kLabelIntervals);
  if (runs_.size() >= maxRuns)
    throw Error(where,
                "the label column changes more than the label_intervals limit of " +
                    std::to_string(maxRuns) + " times",
                "check that the label column holds class names, or raise the limit with "
                "IMUWB_LIMIT_LABEL_INTERVALS=N");
  if (label.find('\0') != std::string_view::npos)
    throw Error(where, "label '" + csv::printable(label) + "' holds a NUL byte",
                "the file may be binary or corrupt; write plain text class names");
  runs_.push_back({row, std::string(label)});
}

LabelTrack InlineLabelRuns::toTrack(const std::vector<double>& time_s, double rateHz,
                                    std::size_t rowCount) const {
  auto timeAt = [&](std::size_t row) {
    if (row < time_s.size()) return time_s[row];
    const double last = time_s.empty() ? 0.0 : time_s.back();
    const std::size_t base = time_s.empty() ? 0 : time_s.size() - 1;
    return last + static_cast<double>(row - base) / rateHz;
  };
  return toTrack(std::function<double(std::size_t)>(timeAt), rateHz, rowCount);
}

std::vector<std::size_t> InlineLabelRuns::rowsTimed(std::size_t rowCount) const {
  std::vector<std::size_t> rows;
  for (const auto& run : runs_) rows.push_back(run.firstRow);
  if (rowCount > 0 && (rows.empty() || rows.back() < rowCount - 1)) rows.push_back(rowCount - 1);
  return rows;
}

LabelTrack InlineLabelRuns::toTrack(const std::function<double(std::size_t)>& timeAt, double rateHz,
                                    std::size_t rowCount) const {
  LabelTrack track;
  for (std::size_t i = 0; i < runs_.size(); ++i) {
    if (runs_[i].label.empty()) continue;
    LabelInterval interval;
    interval.start_s = timeAt(runs_[i].firstRow);
    interval.end_s =
        i + 1 < runs_.size() ? timeAt(runs_[i + 1].firstRow) : timeAt(rowCount - 1) + 1.0 / rateHz;
    interval.label = runs_[i].label;
    if (std::find(track.classes.begin(), track.classes.end(), interval.label) ==
        track.classes.end())
      track.classes.push_back(interval.label);
    track.labels.push_back(std::move(interval));
  }
  return track;
}

}  // namespace imuwb
