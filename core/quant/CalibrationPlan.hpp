#pragma once
// What a calibration export would take, without writing anything: the selection applied to
// every window (quant/CalibrationSelection), the sampling (quant/CalibrationSampling), the
// per-class counts, the array shape and the findings. The export runs exactly this as its first
// pass, so a plan's counts are the exported set's; the GUI's class-balance table shows a plan.
#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "common/Finding.hpp"
#include "common/JobControl.hpp"
#include "model/ModelBundle.hpp"
#include "pipeline/WindowFeed.hpp"
#include "quant/CalibrationSetExport.hpp"

namespace imuwb::quant {

inline constexpr const char* kUnlabelledClass = "unlabelled";

struct CalibrationCandidate {
  std::size_t source = 0;
  std::size_t startRow = 0;
  std::string label;  // class name, or kUnlabelledClass
};

struct CalibrationPlan {
  std::size_t requested = 0;  // windows asked for
  std::size_t available = 0;  // candidates (accepted by the feed and the selection)
  std::size_t exported = 0;   // windows the set would hold
  // Per class (kUnlabelledClass for windows without a label): candidates, and chosen.
  std::map<std::string, std::size_t> candidateHistogram, classHistogram;
  SelectionCounts selection;                 // windows, candidates and why the others were excluded
  std::size_t perClass = 0;                  // balance classes: windows taken from every class
  std::vector<std::string> limitingClasses;  // balance classes: the rarest, when they limited it
  std::vector<std::int64_t> shape;           // of the .npy in the chosen layout (empty: no plan)
  std::string layout;                        // "NHWC" or the model's input layout name
  // Selection warnings (a range clipped), set findings (fewer than requested, below 1000, a
  // rare, absent or limiting class, a single class), and calib_no_candidates (an error) when
  // nothing passes the selection.
  std::vector<Finding> findings;

  // The windows themselves, for the export's second pass.
  std::vector<CalibrationCandidate> candidates;
  std::vector<std::size_t> chosen;              // indices into candidates, in feed order
  std::vector<std::size_t> perSourceAvailable;  // candidates per session
  std::vector<std::string> skipSummaries;       // per session, empty when nothing was skipped
};

// The plan over an open scan feed (buildBatches false): the selection is checked (throws
// imuwb::Error naming --range or --classes, as the export does), every window scanned (progress
// 0..0.5 through control, Cancelled on cancel), the candidates sampled. No candidates is not an
// error here: the plan says so in a calib_no_candidates finding. shape and layout stay empty.
// How calibration export reads sessions: its stride and devices, canonical NHWC. The plan's scan
// (no batches) and the export's preprocessing pass (batches) differ only in buildBatches.
WindowFeedOptions calibrationFeedOptions(const CalibrationExportOptions& options,
                                         bool buildBatches);

CalibrationPlan planCalibrationWindows(WindowFeed& scan, const CalibrationExportOptions& options,
                                       const JobControl& control = {});

// The plan for options over the bundle: opens the sessions (resampled when asked), checks the
// contract as the export does, and fills shape and layout. options.out is not needed.
// Throws imuwb::Error (bad options, unreadable sessions, a selection naming what no session has)
// or Cancelled.
CalibrationPlan planCalibrationSet(const ModelBundle& bundle,
                                   const CalibrationExportOptions& options,
                                   const JobControl& control = {});

// The shape of an .npy of n windows in layout (NHWC: [n, h, w, c]; Model: the manifest's).
std::vector<std::int64_t> calibrationShape(const ModelBundle& bundle, CalibrationLayout layout,
                                           std::size_t n);
std::string calibrationLayoutLabel(const ModelBundle& bundle, CalibrationLayout layout);

}  // namespace imuwb::quant
