#pragma once
// Which windows a calibration set may take: time ranges on a device, label classes, and whether
// the classes are balanced. Plain values a GUI dialog fills directly; the CLI spelling
// (--range DEVICE:START-END, --classes a,b, --balance classes|none) is parsed here too, with
// errors naming the flag.
//
// The rule, applied to every window the window feed accepts (no gap, no NaN), in this order:
//   1. ranges given: the window [start, end) must lie fully inside one range [START, END] whose
//      device is one the window is cut from; else it is excluded as out_of_range;
//   2. a label filter is on when classes are given or balance is classes. Then the window's
//      label (the centre-sample rule `run` and `evaluate` use) must exist (else unlabelled), its
//      rows must carry one label only (else straddling: it crosses a label boundary or
//      unlabelled time), and with classes given the label must be one of them (else
//      other_class). Without a label filter nothing is excluded for its label.
#include <cstddef>
#include <string>
#include <vector>

#include "common/Finding.hpp"
#include "pipeline/SampleSource.hpp"
#include "pipeline/Windower.hpp"

namespace imuwb::quant {

struct CalibrationRange {
  std::string device;       // a session device the windows are cut from
  double startSeconds = 0;  // seconds from session start, inclusive
  double endSeconds = 0;    // exclusive end of the last sample a window may hold
};

enum class CalibrationBalance {
  None,     // proportional to class sizes, at least one window per class present (stratified)
  Classes,  // the same number of windows for every selected class
};

struct CalibrationSelection {
  std::vector<CalibrationRange> ranges;  // empty = whole sessions
  std::vector<std::string> classes;      // empty = every class
  CalibrationBalance balance = CalibrationBalance::None;
  bool labelFilter() const { return !classes.empty() || balance == CalibrationBalance::Classes; }
};

// Why windows the feed accepted did not become candidates, and how many did.
struct SelectionCounts {
  std::size_t windows = 0;     // accepted by the window feed (no gap, no NaN)
  std::size_t candidates = 0;  // passed the selection
  std::size_t outOfRange = 0;
  std::size_t unlabelled = 0;
  std::size_t straddling = 0;
  std::size_t otherClass = 0;
  std::size_t excluded() const { return outOfRange + unlabelled + straddling + otherClass; }
};

// "collar:60-120", "collar:1:00-2:00", "harness:0:10:00-0:20:00.5". Throws imuwb::Error naming
// --range for a missing device, malformed times, negative times or start >= end.
CalibrationRange parseCalibrationRange(const std::string& text);
// "90", "90.5", "1:30" (m:ss), "1:02:03.5" (h:mm:ss); throws imuwb::Error naming flagValue.
double parseClockSeconds(const std::string& text, const std::string& flagValue);
// "none" or "classes"; throws imuwb::Error naming --balance.
CalibrationBalance calibrationBalanceNamed(const std::string& name);
std::string calibrationBalanceName(CalibrationBalance balance);
std::string describeRange(const CalibrationRange& range);  // "collar:60-120 s"

// The selection applied to the windows of some sources (the feed's devices per source).
class SelectionFilter {
 public:
  // Checks the selection against the sources before any window is read; throws imuwb::Error
  // (naming --range or --classes) for start >= end, a device no window is cut from, a range
  // outside every session holding its device, or a class no session has (listing theirs).
  // A range partly outside a session is kept, with a warning finding.
  SelectionFilter(CalibrationSelection selection, std::vector<const SampleSource*> sources,
                  std::vector<std::vector<std::string>> devicesPerSource);

  // True when the window is a candidate; counts it either way.
  bool accept(std::size_t source, const WindowInfo& window);
  const SelectionCounts& counts() const { return counts_; }
  const std::vector<Finding>& findings() const { return findings_; }
  const CalibrationSelection& selection() const { return selection_; }

 private:
  void checkRanges();
  void checkClasses();
  bool inRange(std::size_t source, const WindowInfo& window) const;

  CalibrationSelection selection_;
  std::vector<const SampleSource*> sources_;
  std::vector<std::vector<std::string>> devices_;
  SelectionCounts counts_;
  std::vector<Finding> findings_;
};

}  // namespace imuwb::quant
