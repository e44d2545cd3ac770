#pragma once
// The CLI's flags of `imuwb resample`, bound straight into jobs::ResampleJobOptions (whose
// defaults --help shows). Kept beside JobFlags.hpp, not in it: one job, one small header.
#include <CLI/CLI.hpp>
#include <string>

#include "jobs/ResampleJob.hpp"

namespace imuwb::cli {

struct ResampleFlags {
  jobs::ResampleJobOptions options;
  std::string input, output;
};
void addResampleFlags(CLI::App& command, ResampleFlags& flags);
jobs::ResampleJobOptions toResampleOptions(const ResampleFlags& flags);

}  // namespace imuwb::cli
