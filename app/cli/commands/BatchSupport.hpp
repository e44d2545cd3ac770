#pragma once
// The CLI's half of a batch (run, parity, drift, evaluate, calib-export --check with --out-dir):
// the shard from --shard, the inputs in their batch order, the progress (a count and an ETA on a
// terminal, JSON lines with --progress-json), then batch::runBatch. Exit 0 when every recording
// of the shard has its result, 1 when some failed (their failure records say why).
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "CliSupport.hpp"
#include "batch/BatchRunner.hpp"
#include "flags/BatchFlags.hpp"

namespace imuwb::cli {

struct BatchCommand {
  std::string kind;         // "run", "parity", "drift", "evaluate", "coverage"
  std::string modelSha256;  // empty for coverage
  nlohmann::json options;   // the identity's options (batch::identityOptions)
  batch::RecordingWork work;
};

int runBatchCommand(CliState& state, const BatchFlags& flags,
                    const std::vector<std::filesystem::path>& sessions,
                    const BatchCommand& command);

}  // namespace imuwb::cli
