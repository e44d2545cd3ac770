#include "flags/BatchFlags.hpp"

#include "batch/SessionInputs.hpp"
#include "common/Error.hpp"

namespace imuwb::cli {

void addBatchFlags(CLI::App& command, BatchFlags& flags,
                   const std::vector<std::string>& optionalInBatch) {
  command.add_option("--sessions", flags.lists,
                     "Text file listing sessions, one path, glob or folder per line (# comments); "
                     "repeatable");
  command.add_option("--out-dir", flags.outDir,
                     "Batch mode: one result per recording into this folder (docs/scale.md); "
                     "merge with `imuwb report merge`");
  command.add_option("--shard", flags.shard,
                     "Batch mode: run shard I/N (0-based), or auto/N from SLURM_ARRAY_TASK_ID, "
                     "JOB_COMPLETION_INDEX or AWS_BATCH_JOB_ARRAY_INDEX");
  command.add_option("--root", flags.root,
                     "Batch mode: recordings are keyed (and sharded) by their path relative to "
                     "this folder");
  command.add_flag("--resume", flags.resume,
                   "Batch mode: skip recordings whose result exists with the same inputs");
  command.add_flag("--progress-json", flags.progressJson,
                   "Batch mode: one JSON line per recording on stderr (for log collectors)");
  for (const auto& name : optionalInBatch)
    if (auto* option = command.get_option_no_throw(name)) option->required(false);
}

std::vector<std::filesystem::path> sessionInputs(const std::vector<std::string>& sessions,
                                                 const BatchFlags& flags) {
  batch::SessionInputSpec spec;
  spec.sessions = sessions;
  spec.lists.assign(flags.lists.begin(), flags.lists.end());
  return batch::expandSessionInputs(spec, batch::InputOrder::AsGiven);
}

void requireUnlessBatch(const BatchFlags& flags, const std::string& value,
                        const std::string& flag) {
  if (!flags.active() && value.empty())
    throw Error(flag, "is required", "give " + flag + " (or --out-dir to run a batch)");
}

void refuseInBatch(const BatchFlags& flags, bool given, const std::string& flag) {
  if (flags.active() && given)
    throw Error(flag + " with --out-dir", "a batch writes one result per recording, not this file",
                "drop " + flag +
                    "; `imuwb report merge OUT_DIR --report merged.json` writes the "
                    "batch's report");
}

void checkBatchFlags(const BatchFlags& flags) {
  if (flags.active()) return;
  for (const auto& [given, name] :
       {std::pair{!flags.shard.empty(), "--shard"}, std::pair{!flags.root.empty(), "--root"},
        std::pair{flags.resume, "--resume"}, std::pair{flags.progressJson, "--progress-json"}})
    if (given) throw Error(name, "only applies to a batch", "give --out-dir FOLDER to run a batch");
}

}  // namespace imuwb::cli
