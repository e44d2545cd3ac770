#pragma once
// Does a calibration set cover the recordings it will be deployed against? Reads the set's range
// per channel (min..max of the .npy, in the units the set holds) and streams sessions chunk by
// chunk (memory does not grow with their length), counting per channel the samples outside that
// range and keeping the first few time spans where they are.
//
// The set's layout, channel order and units come from its manifest (<set>.json) when it is
// there: channels on axis 1 for the model's NCHW layouts, last otherwise, and session samples
// z-scored with the manifest's mean/std when the set holds normalized values. Without a manifest
// the set is taken as [..., C] in contract units and contract order (ax..mz), and a finding says
// so. NaN/Inf samples are not counted.
#include <cstddef>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "common/Finding.hpp"
#include "common/JobControl.hpp"

namespace imuwb::quant {

struct CoverageOptions {
  std::filesystem::path calibrationSet;         // the .npy (its manifest: <set>.json)
  std::vector<std::filesystem::path> sessions;  // deployment sessions
  double maxOutside = 0.01;                     // warn above this fraction outside, per channel
  std::vector<std::string> devices;             // empty = every device of each session
  std::size_t reportSpans = 5;                  // first spans kept per session/device/channel
  std::size_t chunkRows = 65536;                // rows read at a time
};

struct OutsideSpan {
  double start_s = 0, end_s = 0;  // seconds from session start; end = last sample + 1 period
};

struct ChannelCoverage {
  std::string name;
  double min = 0, max = 0;  // the set's range (set units)
  std::size_t samples = 0, below = 0, above = 0;
  double fraction = 0;  // (below + above) / samples
  bool warned = false;  // fraction > maxOutside
};

// One session, device and channel with samples outside the range.
struct OutsideDetail {
  std::size_t session = 0;
  std::string device, channel;
  std::size_t samples = 0, outside = 0, spans = 0;
  std::vector<OutsideSpan> firstSpans;
};

struct CoverageResult {
  std::filesystem::path calibrationSet, manifestPath;  // manifestPath empty when absent
  std::string values = "raw";                          // what the set holds: raw or normalized
  std::string layout;                                  // as the manifest names it, or "[..., C]"
  double maxOutside = 0.01;
  std::vector<std::filesystem::path> sessions;
  std::vector<ChannelCoverage> channels;
  std::vector<OutsideDetail> details;
  std::vector<Finding> findings;  // calib_coverage warnings, manifest notes
  bool warned = false;            // some channel above maxOutside
};

// Throws imuwb::Error (not an .npy, no channel axis, unreadable session, manifest that does not
// describe the set) or Cancelled.
CoverageResult checkCalibrationCoverage(const CoverageOptions& options,
                                        const JobControl& control = {});

// The JSON report (format imuwb-calibration-coverage, format_version 1; docs/evaluate.md).
nlohmann::json coverageJson(const CoverageResult& result);

}  // namespace imuwb::quant
