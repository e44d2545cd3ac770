#pragma once
// Resampling a whole session file to a new rate, streamed block by block (a 24 h recording is
// never held in memory): every channel of every device through the polyphase filter
// (PolyphaseResampler, scipy.signal.resample_poly's defaults). Irregular timestamps are first
// interpolated linearly onto a uniform grid near their mean rate. Label intervals are in
// seconds, so they are kept as they are (clamped to the new duration). docs/import.md.
#include <cstddef>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <vector>

#include "common/JobControl.hpp"
#include "session/Session.hpp"
#include "session/resample/ResampleRatio.hpp"

namespace imuwb {

class SessionReader;

struct SessionResamplePlan {
  double sourceRateHz = 0;  // the session's recorded rate
  double targetRateHz = 0;
  bool irregular = false;  // timestamps off a uniform grid: interpolated onto one first
  double meanRateHz = 0;   // irregular only: rows per second of duration
  double gridRateHz = 0;   // the uniform rate the filter runs at (the source rate if regular)
  ResampleRatio ratio;     // target = grid * up / down
  double firstTime_s = 0;  // the source's first timestamp, kept as the output's
  std::size_t inputRows = 0, gridRows = 0, outputRows = 0;
};

// Reads the timestamps (when explicit) to decide regular or irregular, and derives the ratio.
// Throws imuwb::Error for rates without a small exact fraction and for outputs over the
// session_rows limit.
SessionResamplePlan planSessionResample(const SessionReader& reader, double targetRateHz,
                                        const JobControl& control = {});

// Writes source resampled to targetRateHz at target (atomically; the caller applies the
// output-path policy). provenance is stored as metadata["resampling"], with the plan's numbers
// added; a source's own "resampling" entry is kept under it as "previous".
SessionResamplePlan resampleSessionFile(const std::filesystem::path& source,
                                        const std::filesystem::path& target, double targetRateHz,
                                        nlohmann::json provenance, const JobControl& control = {});

// Label intervals for a session that now ends at end_s: unchanged, except that intervals are
// clamped to end_s and those starting at or after it dropped.
std::vector<LabelInterval> labelsWithin(const std::vector<LabelInterval>& labels, double end_s);

}  // namespace imuwb
