#pragma once
// The files a job reads, as the output-path policy (common/OutputPaths.hpp) needs them: every
// job checks its outputs against these before it starts, so neither the CLI nor the GUI can
// make a job write over what it reads.
#include <filesystem>
#include <string>
#include <vector>

#include "model/ModelBundle.hpp"

namespace imuwb::jobs {

// The files a model bundle was read from: ONNX, manifest, FSQ head (empty paths left out by
// the check).
std::vector<std::filesystem::path> bundleFiles(const ModelBundle& bundle);

// The files a parity side reads: none for a backend name; for a recording the path, and for
// "outputs.h5:BACKEND" also outputs.h5.
std::vector<std::filesystem::path> recordingFiles(const std::string& spec);

}  // namespace imuwb::jobs
