#pragma once
// `imuwb run` as a job: stream a session's windows through a backend and write every output
// (plus softmax probabilities and FSQ codes) to an outputs HDF5 and optionally a CSV.
// Memory stays bounded by one block of windows, whatever the session length.
#include <cstddef>
#include <filesystem>
#include <string>
#include <vector>

#include "common/Finding.hpp"
#include "common/JobControl.hpp"
#include "model/ModelBundle.hpp"
#include "pipeline/SampleSource.hpp"
#include "pipeline/WindowFeed.hpp"
#include "runtime/Backend.hpp"

namespace imuwb {

struct RunOptions {
  std::filesystem::path outPath;  // outputs HDF5 (required)
  std::filesystem::path csvPath;  // optional per-window CSV
  int stride = 50;
  LabelRule labelRule = LabelRule::CentreSample;
  std::vector<std::string> devices;       // session device per H index; empty = manifest's
  bool fallbackToSessionDevices = false;  // see WindowFeedOptions::fallbackToSessionOrder
  bool shareDevice = false;               // a device may feed several H indices (--share-device)
  std::size_t blockWindows = 256;         // windows per block read and per backend call
  std::size_t maxWindows = 0;             // 0 = all
  bool hashSession = true;                // sha256 of the session file for provenance
};

struct RunSummary {
  BackendInfo backend;
  std::vector<std::string> devices;  // as used, per H index
  std::size_t windows = 0;
  SkipReport skipped;
  std::vector<Finding> findings;  // output range checks and skipped windows
  double seconds = 0;
  double windowsPerSecond = 0;
};

// backend must already be loaded with bundle. Throws imuwb::Error or Cancelled (nothing is left
// behind at outPath/csvPath then).
RunSummary runModelOnSession(const ModelBundle& bundle, Backend& backend,
                             const SampleSource& source, const RunOptions& options,
                             const JobControl& control = {});

}  // namespace imuwb
