// imuwb evaluate: a model's decisions and probabilities against the sessions' labels, on one
// backend or two, with thresholds for CI. Flags -> jobs::EvaluateJobOptions, run the job (which
// writes the reports), print its result. Exit 0 = every threshold met, 1 = a threshold failed,
// 2 = usage or input error (a calibration split too small for --alpha among them).
#include <cstdio>

#include "Commands.hpp"
#include "batch/RecordingWork.hpp"
#include "commands/BatchSupport.hpp"
#include "eval/EvalReportJson.hpp"
#include "flags/JobFlags.hpp"
#include "jobs/EvaluateJob.hpp"

namespace imuwb::cli {
namespace {

void printSide(const eval::SideEvaluation& s) {
  const auto& d = s.decisions;
  const auto& c = s.calibration;
  std::printf("  %s (%s): accuracy %.4f, balanced %.4f, macro F1 %.4f, kappa %.4f\n",
              s.backend.c_str(), s.precision.c_str(), d.accuracy, d.balancedAccuracy, d.macroF1,
              d.kappa);
  std::printf("    ECE %.4f; T = %.4f: test NLL %.4f -> %.4f, test ECE %.4f -> %.4f\n", c.all.ece,
              c.temperature.temperature, c.nllTestBefore, c.nllTestAfter, c.testBefore.ece,
              c.testAfter.ece);
  for (const auto& k : s.conformal)
    std::printf("    conformal %s: threshold %.6f, coverage %.4f, average set size %.3f\n",
                eval::conformalScoreName(k.score), k.threshold, k.coverage, k.averageSetSize);
}

void printSummary(const eval::EvaluationResult& r) {
  const auto& n = r.counts;
  std::printf(
      "evaluate %s: %zu windows, %zu labelled (%zu straddle a label boundary), %zu "
      "unlabelled, %zu of classes the model lacks; split %zu calibration / %zu test\n",
      r.modelName.c_str(), n.windows, n.labelled, n.mixedLabels, n.unlabelled, n.unknownClass,
      n.calibration, n.test);
  for (const auto& side : r.sides) printSide(side);
  if (r.comparison)
    std::printf("  %s vs %s: %zu of %zu windows flipped (agreement %.4f)\n",
                r.sides[1].backend.c_str(), r.sides[0].backend.c_str(), r.comparison->flips,
                r.comparison->windows, r.comparison->agreement);
  for (const auto& c : r.checks)
    std::printf("  %-28s %.6g %s %.6g  %s\n", c.name.c_str(), c.value, c.comparison.c_str(),
                c.threshold, c.passed ? "pass" : "FAIL");
  std::printf("verdict: %s\n", r.passed() ? "PASS" : "FAIL");
}

}  // namespace

void addEvaluateCommand(CLI::App& root, CliState& state) {
  addFlagsCommand<EvaluateFlags>(
      root, state, "evaluate",
      "Evaluate a model against the sessions' labels: decisions, calibration, conformal sets "
      "(exit 0 pass, 1 a threshold failed, 2 usage/input error)",
      addEvaluateFlags, [&state](const EvaluateFlags& flags) -> int {
        const auto options = toEvaluateOptions(flags);
        const auto bundle = loadModelBundle(flags.model);
        if (flags.batch.active())
          return runBatchCommand(state, flags.batch, options.sessions,
                                 {"evaluate", bundle.sha256(), batch::identityOptions(options),
                                  batch::evaluateWork(bundle, options)});
        const auto result = jobs::runEvaluateJob(bundle, options, jobControl(state, "evaluate"));
        if (state.json) {
          auto summary = eval::evaluationToJson(result);
          if (summary["comparison"].is_object()) summary["comparison"].erase("flipped");
          printJson(summary);
        } else {
          printSummary(result);
        }
        return result.passed() ? kOk : kFindings;
      });
}

}  // namespace imuwb::cli
