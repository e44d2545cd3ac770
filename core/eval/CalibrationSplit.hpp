#pragma once
// Which labelled windows calibrate (temperature, conformal threshold) and which test (ECE after
// scaling, conformal coverage). The rule is deterministic and blockwise-interleaved:
//   block b = window index within its session / blockWindows (the run's window numbering);
//   block b calibrates when floor((b+1) f) > floor(b f), f = the calibration fraction,
// so with f = 0.5 blocks alternate test, calibration, test... and any f spreads the calibration
// blocks evenly through each recording.
// Why blocks and not single windows: windows overlap (stride 50 of 100 samples), so neighbouring
// windows share half their samples; alternating single windows would put near-copies on both
// sides and make coverage look better than it is. Why not one contiguous split: behaviours come
// in bouts, so the first half of a recording can hold other classes than the second, breaking
// the exchangeability conformal prediction rests on. Blocks of many windows keep the correlated
// neighbours together and both sides spread over the whole recording.
#include <cstddef>

namespace imuwb::eval {

struct SplitOptions {
  double calibrationFraction = 0.5;  // in (0, 1)
  std::size_t blockWindows = 20;     // consecutive windows kept on one side (10 s at stride 50)
};

// Throws imuwb::Error naming the flag when the fraction is not in (0, 1) or blocks are empty.
void checkSplitOptions(const SplitOptions& options);

bool inCalibrationSplit(std::size_t windowIndex, const SplitOptions& options);

}  // namespace imuwb::eval
