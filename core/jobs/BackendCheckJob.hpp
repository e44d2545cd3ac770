#pragma once
// "Check" a backend for a model, as the GUI's backend choices do: create it from the registry with
// the chosen settings, load the model, and report what it says about itself: its description and
// its details() (the edgeinfer sidecar's /healthz fields and determinism verdict, the hailort
// HEF's streams). Nothing runs beyond what load() does (edgeinfer's probe sends one window twice).
#include <map>
#include <string>
#include <vector>

#include "common/JobControl.hpp"
#include "model/ModelBundle.hpp"
#include "runtime/Backend.hpp"

namespace imuwb::jobs {

struct BackendCheckJobOptions {
  std::string backend = "cpu";
  std::map<std::string, std::string> settings;  // registry settings (edgeinfer: url=...)
  int threads = 1;
};

struct BackendCheckJobResult {
  BackendInfo info;
  std::vector<BackendDetail> details;
  std::string determinism;  // the probe's verdict; empty when the backend does not probe
  bool nonDeterministic = false;
  // The value of a detail ("healthz.model"), empty when the backend did not give it.
  std::string detail(const std::string& key) const;
};

// Throws imuwb::Error (unknown or unavailable backend, bad setting, nothing listening at the
// URL, a model the backend cannot load), Cancelled on stop.
BackendCheckJobResult runBackendCheckJob(const ModelBundle& bundle,
                                         const BackendCheckJobOptions& options,
                                         const JobControl& control = {});

}  // namespace imuwb::jobs
