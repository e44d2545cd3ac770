#pragma once
// `imuwb check` as a job: the static Hailo-8 contract check of the graph, output ranges on a few
// sample windows run through a backend (session windows when given, else windows drawn from
// the manifest's mean/std), and with a session the preprocessing check.
#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "runtime/Backend.hpp"
#include "common/JobControl.hpp"
#include "model/ContractChecker.hpp"
#include "model/ModelBundle.hpp"
#include "pipeline/PreprocessingCheck.hpp"
#include "pipeline/SampleSource.hpp"

namespace imuwb {

struct ModelCheckOptions {
  std::size_t sampleWindows = 32;  // windows run for the output range check (0 = skip)
  PreprocessingOptions preprocessing;
};

struct ModelCheckReport {
  std::string model;    // path as given
  std::string session;  // empty without --session
  ContractReport contract;
  std::vector<Finding> findings;  // contract + output ranges + preprocessing, in that order
  std::vector<DeviceStats> deviceStats;
  std::size_t windowsRun = 0;
  bool passed() const { return !hasErrors(findings); }
};

// backend: loaded-or-not backend to run sample windows on (null = skip that part).
// session: optional source for windows and the preprocessing check.
ModelCheckReport checkModel(const ModelBundle& bundle, Backend* backend,
                            const SampleSource* session, const ModelCheckOptions& options,
                            const JobControl& control = {});

nlohmann::json toJson(const ModelCheckReport& report);

}  // namespace imuwb
