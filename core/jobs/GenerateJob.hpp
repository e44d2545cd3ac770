#pragma once
// `generate`: a deterministic synthetic, labelled dog-behaviour session written to a new file
// (core/session/SessionGenerator.hpp). Never writes over an existing file without force.
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "common/JobControl.hpp"
#include "session/SessionGenerator.hpp"

namespace imuwb::jobs {

struct GenerateJobOptions {
  std::filesystem::path output;  // the session file to write (.h5; required)
  // Duration (600 s), seed (1), devices (collar, harness), rate (the contract's 100 Hz) and
  // start time: the generator's defaults are the task's.
  GeneratorOptions generator;
  bool force = false;  // replace an existing output
};

struct GenerateJobResult {
  std::filesystem::path output;
  std::vector<std::string> devices;
  std::size_t sampleCount = 0;  // rows per device
  double sampleRateHz = 0;
  double durationSeconds = 0;
  std::uint64_t seed = 0;
  double seconds = 0;  // wall time spent
};

// Throws imuwb::Error (bad options; output refused by the output-path policy; write failures)
// or Cancelled (nothing is left at output then). Progress reports through control.
GenerateJobResult runGenerateJob(const GenerateJobOptions& options, const JobControl& control = {});

}  // namespace imuwb::jobs
