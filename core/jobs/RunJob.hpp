#pragma once
// `run` as the user asks for it: a backend by name with its settings, a session, and how to
// window and where to write. Creates and loads the backend, then streams the session through
// it (pipeline's runModelOnSession). `imuwb run` and the GUI's Run button both map their
// choices to RunJobOptions; the defaults below are the only ones.
#include <filesystem>
#include <map>
#include <memory>
#include <string>

#include "common/JobControl.hpp"
#include "model/ModelBundle.hpp"
#include "pipeline/RunJob.hpp"
#include "runtime/Backend.hpp"
#include "session/Session.hpp"

namespace imuwb::jobs {

struct RunJobOptions {
  std::filesystem::path session;  // session file to window (see runRunJob for one in memory)
  std::string backend = "cpu";
  std::map<std::string, std::string> backendSettings;  // registry KEY=VALUE settings
  std::filesystem::path calibration;                   // int8: calibration set .npy
  std::filesystem::path quantParams;                   // int8: saved quantization parameters .json
  int threads = 1;                                     // engine threads
  RunOptions run;      // outputs file, CSV, stride, label rule, devices...
  bool force = false;  // replace an existing outputs file or CSV
  // Resample the session to the model's rate on the fly (pipeline/ResampledSource) when the
  // rates differ; false: a rate mismatch is an error.
  bool resample = false;
};

using RunJobResult = RunSummary;

// The registry settings the backend gets: threads, then backendSettings (which may override
// it), then calibration and quantParams (which win over the same keys in backendSettings).
BackendOptions backendOptionsFor(const RunJobOptions& options);

// Creates the backend named in options and loads the bundle into it. Throws imuwb::Error.
std::unique_ptr<Backend> loadBackend(const ModelBundle& bundle, const RunJobOptions& options,
                                     const JobControl& control = {});

// Runs the bundle over options.session, or over `loaded` when given (a session already in
// memory, e.g. the GUI's; options.session then only names it). Before any work, the output-path
// policy refuses an outputs file or CSV that is an input (session, model files, calibration,
// quantization parameters) or the other output, or that exists without force.
// Throws imuwb::Error or Cancelled.
RunJobResult runRunJob(const ModelBundle& bundle, const RunJobOptions& options,
                       const JobControl& control = {}, const Session* loaded = nullptr);

}  // namespace imuwb::jobs
