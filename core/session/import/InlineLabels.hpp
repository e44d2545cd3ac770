#pragma once
// A label column written on every row ("walk", "walk", ..., "trot") becomes label intervals:
// one per run of equal labels, from the run's first row to the next run's first row (the last
// run ends one sample period after its last row). Empty cells are unlabelled time.
#include <cstddef>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "session/LabelCsv.hpp"

namespace imuwb {

class InlineLabelRuns {
 public:
  // Rows in order; where names the file line for an error. Throws imuwb::Error past the
  // label_intervals limit or for a label holding a NUL byte.
  void add(std::size_t row, std::string_view label, const std::string& where);
  std::size_t runCount() const { return runs_.size(); }
  // Whether add(label) would change nothing (the current run goes on), so where need not be made.
  bool continuesRun(std::string_view label) const {
    return runs_.empty() ? label.empty() : runs_.back().label == label;
  }

  // Intervals on the session clock (time_s per row; rows past time_s use rateHz).
  LabelTrack toTrack(const std::vector<double>& time_s, double rateHz, std::size_t rowCount) const;
  // The same, with timeAt giving the session time of each run's first row and of the last row.
  LabelTrack toTrack(const std::function<double(std::size_t)>& timeAt, double rateHz,
                     std::size_t rowCount) const;
  // The rows whose times toTrack asks for, ascending (the runs' first rows and the last row).
  std::vector<std::size_t> rowsTimed(std::size_t rowCount) const;

 private:
  struct Run {
    std::size_t firstRow;
    std::string label;
  };
  std::vector<Run> runs_;
};

}  // namespace imuwb
