#pragma once
// "Recorded reference" outputs: model outputs produced elsewhere (PyTorch, the Pi, an earlier
// imuwb run) that parity compares like a backend. Two on-disk forms:
//  - an NPY folder, one <output name>.npy of [W, D] per manifest output (as the pipeline's
//    `run-model --save-outputs` writes; '/' and ':' in names may be replaced by '_'), optional
//    window_start_time_s.npy [W];
//  - an outputs HDF5 from `imuwb run` (docs/outputs-format.md): one backend group is read
//    (the only one, or the one named with FILE.h5:BACKEND).
#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "model/Manifest.hpp"
#include "pipeline/OutputsFile.hpp"

namespace imuwb::quant {

struct RecordedOutputs {
  std::string label;   // "recorded:<file name>"
  std::string detail;  // provenance in words
  std::size_t windows = 0;
  std::map<std::string, OutputMatrix> outputs;  // by manifest output name, [W, D]
  std::vector<double> startTime_s;              // empty when the recording has none
  std::vector<std::int64_t> startIndex;         // empty when the recording has none
};

// Throws imuwb::Error naming the file: missing outputs (listing what is there), wrong widths,
// window counts that differ between outputs, NaN values, several backends without a choice.
RecordedOutputs loadRecordedOutputs(const std::string& path_spec, const Manifest& manifest);

}  // namespace imuwb::quant
