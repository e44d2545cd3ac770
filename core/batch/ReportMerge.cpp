#include "batch/ReportMerge.hpp"

#include "analysis/ParityTally.hpp"
#include "batch/BatchPlan.hpp"
#include "batch/ResultFiles.hpp"
#include "common/Error.hpp"
#include "eval/EvalTally.hpp"
#include "io/ReportJson.hpp"

namespace imuwb::batch {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

BatchPlan planOf(const fs::path& outDir) {
  auto plan = readPlan(outDir);
  if (!plan)
    throw Error(outDir.string(), "holds no batch plan (_batch/plan.json)",
                "give the --out-dir of a batch run (any of its shards writes the plan)");
  return std::move(*plan);
}

// The identity without the per-recording part.
json sharedIdentity(const json& record) {
  json identity = record.at("identity");
  identity.erase("session_sha256");
  return identity;
}

json parityOutputJson(const analysis::OutputParity& o) {
  json checks = json::array();
  for (const auto& c : o.checks)
    checks.push_back({{"name", c.name},
                      {"comparison", c.comparison},
                      {"value", io::reportNumber(c.value)},
                      {"threshold", c.threshold},
                      {"passed", c.passed}});
  return {{"output", o.output},
          {"role", std::string(roleName(o.role))},
          {"windows", o.windows},
          {"dim", o.dim},
          {"metrics",
           {{"cosine_mean", io::reportNumber(o.cosineMean)},
            {"cosine_min", io::reportNumber(o.cosineMin)},
            {"cosine_p5", io::reportNumber(o.cosineP5)},
            {"snr_db", io::reportNumber(o.snr_db)},
            {"mse", io::reportNumber(o.mse)},
            {"max_abs", io::reportNumber(o.maxAbs)},
            {"max_rel", io::reportNumber(o.maxRel)},
            {"top1_agreement", o.top1Agreement ? io::reportNumber(*o.top1Agreement) : json()}}},
          {"sums",
           {{"sum_a2", o.sumA2},
            {"sum_err2", o.sumErr2},
            {"values", o.values},
            {"top1_agreements", o.top1Agreements}}},
          {"crossings", {{"gained", o.crossingsGained}, {"lost", o.crossingsLost}}},
          {"checks", checks},
          {"passed", o.passed}};
}

class Folder {
 public:
  explicit Folder(const std::string& kind) : kind_(kind) {}
  void add(const json& result) {
    if (kind_ == "parity" || kind_ == "drift") {
      analysis::mergeTally(parity_, analysis::tallyFromJson(result.at("tally")));
    } else if (kind_ == "evaluate") {
      eval::mergeTally(eval_, eval::tallyFromJson(result.at("tally")));
    }
  }
  void finish(MergedReport& report) const {
    if (kind_ == "parity" || kind_ == "drift") {
      json outputs = json::array();
      for (const auto& o : analysis::finishTally(parity_)) {
        outputs.push_back(parityOutputJson(o));
        report.metricsPassed = report.metricsPassed && o.passed;
      }
      report.metrics = {{"windows", parity_.windows}, {"outputs", outputs}};
    } else if (kind_ == "evaluate") {
      report.metrics = eval_.classes.empty() ? json::object() : eval::finishTallyJson(eval_);
    } else {
      report.metrics = json::object();
    }
  }

 private:
  std::string kind_;
  analysis::ParityTally parity_;
  eval::EvalTally eval_;
};

void addFailure(MergedReport& report, const PlannedRecording& r, const json& record) {
  const json error = record.value("error", json::object());
  report.failed.push_back({r.key, r.session.string(), error.value("where", ""),
                           error.value("problem", ""), error.value("fix", "")});
}

}  // namespace

MergedReport mergeResults(const fs::path& outDir) {
  const auto plan = planOf(outDir);
  MergedReport report;
  report.kind = plan.kind;
  report.planned = plan.recordings.size();
  Folder folder(plan.kind);
  for (const auto& r : plan.recordings) {
    const auto record = readResult(resultPath(outDir, r.key, plan.kind));
    if (!record) {
      report.missing.push_back(r.key);
      continue;
    }
    if (record->value("status", "") != "ok") {
      addFailure(report, r, *record);
      continue;
    }
    const json identity = sharedIdentity(*record);
    if (report.identity.is_null()) report.identity = identity;
    if (identity != report.identity) {
      report.failed.push_back({r.key, r.session.string(),
                               resultPath(outDir, r.key, plan.kind).string(),
                               "stale: its result was made with another model, options or imuwb "
                               "version than the others",
                               "re-run its shard with --resume (it re-runs stale recordings)"});
      continue;
    }
    folder.add(record->at("result"));
    ++report.ok;
  }
  folder.finish(report);
  return report;
}

}  // namespace imuwb::batch
