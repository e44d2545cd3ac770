#pragma once
// One labelled stretch of a session and a whole label set (class list + intervals). The types
// every other part of the workbench passes labels around with; the session area stores them in
// the HDF5 file, this area in the side-car labels file (LabelStore.hpp).
#include <string>
#include <vector>

namespace imuwb {

struct LabelInterval {
  double start_s = 0;  // seconds from session start, inclusive
  double end_s = 0;    // exclusive
  std::string label;   // one of the class list
  std::string note{};  // free text ("ambiguous", "sensor slipped"); may be empty (the {} keeps
                       // three-field initialisers free of -Wmissing-field-initializers)

  friend bool operator==(const LabelInterval&, const LabelInterval&) = default;
};

// Classes and intervals, the intervals sorted by start and not overlapping once edited
// (LabelEditor keeps that invariant; files may hold anything the validator then reports).
struct LabelSet {
  std::vector<std::string> classes;
  std::vector<LabelInterval> intervals;

  friend bool operator==(const LabelSet&, const LabelSet&) = default;
};

}  // namespace imuwb
