// imuwb report merge OUT_DIR: one report from a batch's per-recording results (docs/scale.md).
// Exit 0 = every planned recording merged and every merged check passed; 1 = recordings missing
// or failed (unless --allow-partial) or a merged check failed; 2 = usage or input error.
#include <cstdio>
#include <memory>

#include "Commands.hpp"
#include "batch/ReportMerge.hpp"

namespace imuwb::cli {
namespace {

struct MergeFlags {
  batch::MergeJobOptions options;
  std::string outDir, json, html, junit;
  bool allowPartial = false;
};

void printMerged(const batch::MergedReport& r) {
  std::printf("merged %s: %zu of %zu recordings; %zu failed, %zu missing\n", r.kind.c_str(), r.ok,
              r.planned, r.failed.size(), r.missing.size());
  for (const auto& f : r.failed)
    std::printf("  failed  %s: %s\n", f.key.c_str(), f.problem.c_str());
  for (const auto& k : r.missing) std::printf("  missing %s\n", k.c_str());
  if (r.metrics.contains("outputs"))
    for (const auto& o : r.metrics["outputs"])
      std::printf("  %-24s %zu windows, cosine mean %s, p5 %s: %s\n",
                  o["output"].get<std::string>().c_str(), o["windows"].get<std::size_t>(),
                  o["metrics"]["cosine_mean"].dump().c_str(),
                  o["metrics"]["cosine_p5"].dump().c_str(),
                  o["passed"].get<bool>() ? "pass" : "FAIL");
  if (r.metrics.contains("sides"))
    for (const auto& s : r.metrics["sides"]) {
      std::printf(
          "  %s: accuracy %s, macro F1 %s, ECE %s\n", s["backend"].get<std::string>().c_str(),
          s["decisions"]["accuracy"].dump().c_str(), s["decisions"]["macro_f1"].dump().c_str(),
          s["calibration"]["all"]["ece"].dump().c_str());
      if (s["calibration"].contains("temperature"))
        std::printf("    temperature %s: test ECE %s -> %s\n",
                    s["calibration"]["temperature"]["value"].dump().c_str(),
                    s["calibration"]["test_before"]["ece"].dump().c_str(),
                    s["calibration"]["test_after"]["ece"].dump().c_str());
      for (const auto& c : s.value("conformal", nlohmann::json::array()))
        std::printf("    conformal %s: coverage %s, mean set size %s\n",
                    c["score"].get<std::string>().c_str(), c["coverage"].dump().c_str(),
                    c["average_set_size"].dump().c_str());
    }
  if (r.metrics.contains("fit_error"))
    std::printf("  not fitted: %s\n", r.metrics["fit_error"]["problem"].get<std::string>().c_str());
  for (const auto& c : r.metrics.value("checks", nlohmann::json::array()))
    std::printf("  check %s: %s %s %s: %s\n", c["name"].get<std::string>().c_str(),
                c["value"].dump().c_str(), c["comparison"].get<std::string>().c_str(),
                c["threshold"].dump().c_str(), c["passed"].get<bool>() ? "pass" : "FAIL");
}

}  // namespace

void addReportCommand(CLI::App& root, CliState& state) {
  auto* report = root.add_subcommand("report", "Batch reports (docs/scale.md)");
  report->require_subcommand(1);
  auto flags = std::make_shared<MergeFlags>();
  auto* merge = report->add_subcommand(
      "merge",
      "Merge a batch's per-recording results into one report (exit 1 when recordings are "
      "missing or failed, unless --allow-partial)");
  merge->add_option("OUT_DIR", flags->outDir, "The batch's --out-dir")->required();
  merge->add_option("--report", flags->json, "Merged JSON report")->required();
  merge->add_option("--html", flags->html, "Merged HTML report");
  merge->add_option("--junit", flags->junit,
                    "JUnit XML: one case per failed or missing "
                    "recording and per merged check");
  merge->add_flag("--allow-partial", flags->allowPartial,
                  "Exit 0 even when recordings are missing or failed (they are still listed)");
  merge->add_flag("--force", flags->options.force, "Replace existing report files");
  merge->callback([&state, flags] {
    runGuarded(state, [&] {
      auto options = flags->options;
      options.outDir = flags->outDir;
      options.json = flags->json;
      options.html = flags->html;
      options.junit = flags->junit;
      const auto merged = batch::runMergeJob(options);
      if (state.json)
        printJson(batch::mergedReportJson(merged));
      else
        printMerged(merged);
      if (!merged.complete() && !flags->allowPartial) return int(kFindings);
      return merged.metricsPassed ? int(kOk) : int(kFindings);
    });
  });
}

}  // namespace imuwb::cli
