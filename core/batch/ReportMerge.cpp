#include "batch/ReportMerge.hpp"

#include "analysis/ParityTally.hpp"
#include "batch/BatchPlan.hpp"
#include "batch/RecordingWork.hpp"
#include "batch/ResultFiles.hpp"
#include "common/Error.hpp"
#include "eval/EvalReportJson.hpp"
#include "eval/EvalTally.hpp"
#include "eval/FitDataFile.hpp"
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

// Evaluate's fitted figures over every merged recording's fit data, as eval::evaluate fits
// them (eval/FittedCalibration), and the thresholds checked on the merged figures.
void addFittedFigures(json& metrics, const eval::FitData& fit, const FitSettings& settings,
                      const eval::EvalTally& tally, bool& passed) {
  std::vector<eval::FittedSide> fitted;
  try {
    fitted = eval::fitCalibration(fit, settings.alpha, tally.eceBins, tally.classes);
  } catch (const Error& e) {  // e.g. too few calibration windows for alpha, as unsharded
    metrics["fit_error"] = {{"where", e.where()}, {"problem", e.problem()}, {"fix", e.fix()}};
    passed = false;
    return;
  }
  std::vector<eval::ThresholdCheck> checks;
  for (std::size_t s = 0; s < fitted.size(); ++s) {
    auto& side = metrics["sides"][s];
    side["calibration"]["temperature"] = eval::temperatureToJson(fitted[s].temperature);
    side["calibration"]["test_after"] = eval::eceToJson(fitted[s].testAfter);
    side["calibration"]["nll_test_after"] = fitted[s].nllTestAfter;
    side["conformal"] = json::array();
    for (const auto& c : fitted[s].conformal) side["conformal"].push_back(eval::conformalToJson(c));
    const auto one =
        eval::sideChecks(settings.thresholds, side["backend"].get<std::string>(),
                         side["decisions"]["accuracy"].get<double>(),
                         side["calibration"]["all"]["ece"].get<double>(), fitted[s].conformal);
    checks.insert(checks.end(), one.begin(), one.end());
  }
  for (const auto& c : checks) passed = passed && c.passed;
  metrics["checks"] = eval::checksToJson(checks);
}

class Folder {
 public:
  Folder(const std::string& kind, std::size_t planned) : kind_(kind), planned_(planned) {}
  // Throws imuwb::Error for a result (or its fit data) that cannot be merged; nothing is added
  // then.
  void add(const json& record, const fs::path& resultPath) {
    const json& result = record.at("result");
    if (kind_ == "parity" || kind_ == "drift") {
      analysis::mergeTally(parity_, analysis::tallyFromJson(result.at("tally")));
    } else if (kind_ == "evaluate") {
      const auto tally = eval::tallyFromJson(result.at("tally"));
      eval::FitDataDigest digest;
      const auto fit = eval::readFitData(fitDataOf(resultPath, record), &digest);
      FitSettings settings;
      try {
        if (digest.sha256 != result.at("fit").at("sha256").get<std::string>())
          throw Error(fitDataOf(resultPath, record).string(),
                      "is not the fit data its result names (another run wrote it)",
                      "re-run the recording's shard with --resume");
        settings = fitSettingsFromJson(result.at("fit_settings"));
      } catch (const json::exception& e) {
        throw Error(resultPath.string(), std::string("malformed: ") + e.what(),
                    "re-run the recording's shard with --resume");
      }
      checkFits(tally, fit);
      eval::mergeTally(eval_, tally);
      const bool first = fit_.classes == 0;
      eval::appendFitData(fit_, fit);
      if (first)  // room for every planned recording at the first one's size, and a margin
        eval::reserveFitData(fit_, fit.calibrationLabels.size() * planned_ * 5 / 4,
                             fit.testLabels.size() * planned_ * 5 / 4);
      settings_ = settings;
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
    } else if (kind_ == "evaluate" && !eval_.classes.empty()) {
      report.metrics = eval::finishTallyJson(eval_);
      addFittedFigures(report.metrics, fit_, settings_, eval_, report.metricsPassed);
    } else {
      report.metrics = json::object();
    }
  }

 private:
  // Refuses, before anything is merged, a recording that does not fit the others.
  void checkFits(const eval::EvalTally& tally, const eval::FitData& fit) const {
    bool same = fit.classes == tally.classes.size() && fit.sides.size() == tally.sides.size();
    for (std::size_t s = 0; same && s < fit.sides.size(); ++s)
      same = fit.sides[s].backend == tally.sides[s].backend;
    if (!eval_.classes.empty()) {
      same = same && tally.classes == eval_.classes && tally.eceBins == eval_.eceBins &&
             tally.sides.size() == eval_.sides.size();
      for (std::size_t s = 0; same && s < tally.sides.size(); ++s)
        same = tally.sides[s].backend == eval_.sides[s].backend;
    }
    if (!same)
      throw Error("evaluation results",
                  "this recording's classes, bins or sides differ from the others'",
                  "merge results of one model and one set of options");
  }

  std::string kind_;
  std::size_t planned_;
  analysis::ParityTally parity_;
  eval::EvalTally eval_;
  eval::FitData fit_;
  FitSettings settings_;
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
  Folder folder(plan.kind, plan.recordings.size());
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
    try {
      folder.add(*record, resultPath(outDir, r.key, plan.kind));
    } catch (const Error& e) {
      report.failed.push_back({r.key, r.session.string(), e.where(), e.problem(), e.fix()});
      continue;
    }
    ++report.ok;
  }
  folder.finish(report);
  return report;
}

}  // namespace imuwb::batch
