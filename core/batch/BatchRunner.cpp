#include "batch/BatchRunner.hpp"

#include <algorithm>
#include <chrono>

#include "batch/ResultFiles.hpp"
#include "common/Error.hpp"
#include "common/Sha256.hpp"

namespace imuwb::batch {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

namespace {

double secondsSince(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

// Remaining time from the recordings run so far: seconds per second of recording (by count
// when the headers gave no durations).
struct EtaEstimate {
  double ranDuration = 0, ranSeconds = 0, remainingDuration = 0;
  std::size_t ranCount = 0, remainingCount = 0;
  double eta() const {
    if (ranCount == 0) return -1;
    if (ranDuration > 0) return ranSeconds / ranDuration * remainingDuration;
    return ranSeconds / ranCount * remainingCount;
  }
};

}  // namespace

BatchOutcome runBatch(const BatchOptions& options, const RecordingWork& work,
                      const JobControl& control,
                      const std::function<void(const BatchEvent&)>& onEvent) {
  const auto started = Clock::now();
  if (options.outDir.empty())
    throw Error("--out-dir", "a batch needs an output folder", "give --out-dir FOLDER");
  if (options.sessions.empty())
    throw Error("--session", "no session to run", "give --session, --sessions or a folder");
  fs::create_directories(options.outDir);
  // The remembered plan keeps finished recordings where they are (batch/ShardAssignment).
  const auto previous = readPlan(options.outDir);
  const auto plan = makePlan(options.kind, options.sessions, options.root, options.shard.count,
                             previous ? &*previous : nullptr);
  writePlan(plan, options.outDir);
  BatchOutcome outcome;
  outcome.planned = plan.recordings.size();
  double total = 0;
  for (const double d : plan.shardDuration_s) {
    total += d;
    outcome.maxShardDuration_s = std::max(outcome.maxShardDuration_s, d);
  }
  outcome.meanShardDuration_s = total / options.shard.count;
  outcome.replanned = previous && previous->shardCount != options.shard.count;
  outcome.shardDuration_s = plan.shardDuration_s.at(static_cast<std::size_t>(options.shard.index));
  EtaEstimate eta;
  for (const auto& r : plan.recordings)
    if (r.shard == options.shard.index) {
      ++outcome.assigned;
      eta.remainingDuration += r.duration_s;
      ++eta.remainingCount;
    }
  BatchEvent event;
  event.total = outcome.assigned;
  for (const auto& r : plan.recordings) {
    if (r.shard != options.shard.index) continue;
    control.throwIfCancelled();
    const auto one = Clock::now();
    const auto path = resultPath(options.outDir, r.key, options.kind);
    RecordingIdentity identity{options.kind, options.modelSha256, "", options.options};
    event.key = r.key;
    event.error.clear();
    try {
      identity.sessionSha256 = sha256File(r.session);
      if (options.resume && resultIsCurrent(path, identity)) {
        event.status = "skipped";
      } else {
        const auto result = work({r.session, r.key, artefactBase(options.outDir, r.key)}, control);
        control.throwIfCancelled();
        writeOkResult(path, r.key, r.session, identity, result, secondsSince(one));
        event.status = "ok";
      }
    } catch (const Cancelled&) {
      throw;
    } catch (const Error& e) {
      writeFailedResult(path, r.key, r.session, identity, e, secondsSince(one));
      event.status = "failed";
      event.error = e.problem();
    } catch (const std::exception& e) {
      const Error wrapped(r.session.string(), e.what(), "");
      writeFailedResult(path, r.key, r.session, identity, wrapped, secondsSince(one));
      event.status = "failed";
      event.error = e.what();
    }
    ++event.done;
    (event.status == "ok" ? event.ok : event.status == "skipped" ? event.skipped : event.failed)++;
    eta.remainingDuration -= r.duration_s;
    --eta.remainingCount;
    if (event.status != "skipped") {
      eta.ranDuration += r.duration_s;
      eta.ranSeconds += secondsSince(one);
      ++eta.ranCount;
    }
    event.elapsed_s = secondsSince(started);
    event.eta_s = eta.eta();
    if (onEvent) onEvent(event);
  }
  outcome.ok = event.ok;
  outcome.skipped = event.skipped;
  outcome.failed = event.failed;
  outcome.seconds = secondsSince(started);
  return outcome;
}

}  // namespace imuwb::batch
