#include "commands/BatchSupport.hpp"

#include <unistd.h>

#include <algorithm>
#include <cstdio>

#include "batch/ShardAssignment.hpp"

namespace imuwb::cli {
namespace {

std::string clock(double seconds) {
  if (seconds < 0) return "--:--";
  const long s = static_cast<long>(seconds + 0.5);
  char text[32];
  std::snprintf(text, sizeof text, "%ld:%02ld:%02ld", s / 3600, s / 60 % 60, s % 60);
  return text;
}

// One line per event on stderr: JSON for collectors, or a redrawn count + ETA on a terminal.
class BatchProgress {
 public:
  BatchProgress(const CliState& state, const BatchFlags& flags, std::string kind,
                const batch::ShardSpec& shard)
      : json_(flags.progressJson),
        terminal_(!flags.progressJson && !state.json && ::isatty(STDERR_FILENO)),
        kind_(std::move(kind)),
        shard_(std::to_string(shard.index) + "/" + std::to_string(shard.count)) {}

  void operator()(const batch::BatchEvent& e) const {
    if (json_) {
      const nlohmann::json line = {
          {"event", "recording"},
          {"kind", kind_},
          {"shard", shard_},
          {"key", e.key},
          {"status", e.status},
          {"error", e.error},
          {"done", e.done},
          {"total", e.total},
          {"ok", e.ok},
          {"skipped", e.skipped},
          {"failed", e.failed},
          {"elapsed_s", e.elapsed_s},
          {"eta_s", e.eta_s < 0 ? nlohmann::json() : nlohmann::json(e.eta_s)}};
      std::fprintf(stderr, "%s\n", line.dump().c_str());
      std::fflush(stderr);
      return;
    }
    if (e.status == "failed")
      std::fprintf(stderr, "%sfailed: %s: %s\n", terminal_ ? "\r\033[K" : "", e.key.c_str(),
                   e.error.c_str());
    if (terminal_) {
      std::fprintf(stderr,
                   "\r\033[K%s shard %s: %zu/%zu recordings (%zu skipped, %zu failed), "
                   "elapsed %s, ETA %s",
                   kind_.c_str(), shard_.c_str(), e.done, e.total, e.skipped, e.failed,
                   clock(e.elapsed_s).c_str(), clock(e.eta_s).c_str());
      if (e.done == e.total) std::fprintf(stderr, "\n");
      std::fflush(stderr);
    }
  }

 private:
  bool json_, terminal_;
  std::string kind_, shard_;
};

}  // namespace

int runBatchCommand(CliState& state, const BatchFlags& flags,
                    const std::vector<std::filesystem::path>& sessions,
                    const BatchCommand& command) {
  batch::BatchOptions options;
  options.kind = command.kind;
  options.sessions = sessions;
  std::sort(options.sessions.begin(), options.sessions.end(),
            [](const auto& a, const auto& b) { return a.generic_string() < b.generic_string(); });
  options.root = flags.root;
  options.outDir = flags.outDir;
  options.shard =
      flags.shard.empty() ? batch::ShardSpec{0, 1, "--shard"} : batch::parseShard(flags.shard);
  options.resume = flags.resume;
  options.modelSha256 = command.modelSha256;
  options.options = command.options;
  JobControl control;
  if (state.signals) control.stop = state.signals->token();
  const BatchProgress progress(state, flags, command.kind, options.shard);
  const auto outcome = batch::runBatch(options, command.work, control, progress);
  const nlohmann::json summary = {{"kind", command.kind},
                                  {"out_dir", options.outDir.string()},
                                  {"shard",
                                   {{"index", options.shard.index},
                                    {"count", options.shard.count},
                                    {"source", options.shard.source}}},
                                  {"planned", outcome.planned},
                                  {"assigned", outcome.assigned},
                                  {"ok", outcome.ok},
                                  {"skipped", outcome.skipped},
                                  {"failed", outcome.failed},
                                  {"seconds", outcome.seconds},
                                  {"shard_duration_s", outcome.shardDuration_s},
                                  {"mean_shard_duration_s", outcome.meanShardDuration_s},
                                  {"max_shard_duration_s", outcome.maxShardDuration_s},
                                  {"replanned", outcome.replanned}};
  if (flags.progressJson) {
    auto line = summary;
    line["event"] = "done";
    std::fprintf(stderr, "%s\n", line.dump().c_str());
  }
  if (state.json) {
    printJson(summary);
  } else {
    const double mean = outcome.meanShardDuration_s;
    std::printf(
        "%s shard %d/%d: %zu of %zu recordings assigned; %zu ran, %zu skipped (current), "
        "%zu failed, in %.1f s -> %s\n  this shard holds %.2f h of recordings; shards: mean "
        "%.2f h, largest %.2f h (%.2f x the mean)\n",
        command.kind.c_str(), options.shard.index, options.shard.count, outcome.assigned,
        outcome.planned, outcome.ok, outcome.skipped, outcome.failed, outcome.seconds,
        options.outDir.string().c_str(), outcome.shardDuration_s / 3600, mean / 3600,
        outcome.maxShardDuration_s / 3600, mean > 0 ? outcome.maxShardDuration_s / mean : 1.0);
    if (outcome.replanned)
      std::printf(
          "  note: %s held a plan for another shard count; the recordings were "
          "re-planned (finished results are kept and skipped by --resume)\n",
          options.outDir.string().c_str());
  }
  return outcome.failed ? kFindings : kOk;
}

}  // namespace imuwb::cli
