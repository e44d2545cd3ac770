// imuwb convert: rewrite an ONNX model into the Hailo-8-compatible form and prove it computes the
// same function. Flags -> jobs::ConvertJobOptions, run the job, print what it did. Exit 1 when
// the proof fails (nothing written), 2 for an input or usage error.
#include <cstdio>

#include "Commands.hpp"
#include "flags/JobFlags.hpp"
#include "jobs/ConvertJob.hpp"

namespace imuwb::cli {
namespace {

void printResult(const jobs::ConvertJobOptions& options, const jobs::ConvertJobResult& r) {
  std::printf("imuwb convert: %s -> %s (%s)\n", options.model.string().c_str(),
              options.output.string().c_str(), options.target.c_str());
  std::printf("\n%-22s %-44s %s\n", "REWRITE", "NODES", "DETAIL");
  for (const auto& record : r.log.rewrites) {
    std::string nodes;
    for (const auto& node : record.nodes) nodes += (nodes.empty() ? "" : ", ") + node;
    if (nodes.size() > 44) nodes = "..." + nodes.substr(nodes.size() - 41);
    std::printf("%-22s %-44s %s\n", record.rule.c_str(), nodes.c_str(), record.detail.c_str());
  }
  for (const auto& input : r.log.inputs)
    if (input.changed())
      std::printf("\ninput %s: layout changed (windows permuted for the proof)\n",
                  input.name.c_str());
  for (const auto& warning : r.log.warnings) std::printf("warning: %s\n", warning.c_str());
  std::printf("\nproof on %s:\n", r.proof.origin.c_str());
  for (const auto& output : r.proof.outputs)
    std::printf("  %-24s cosine %.9f (worst window %.9f)  max abs %.3g  max rel %.3g\n",
                output.name.c_str(), output.cosine, output.minWindowCosine, output.maxAbs,
                output.maxRel);
  for (const auto& finding : r.remaining)
    std::printf("still flagged by check: %s %s\n", finding.code.c_str(), finding.message.c_str());
  if (r.written)
    std::printf("\nPASS: wrote %s%s%s\n", options.output.string().c_str(),
                r.manifest.empty() ? "" : " and ", r.manifest.string().c_str());
  else
    std::printf("\nFAIL: below cosine %.6f or above %.0e relative; nothing written\n",
                r.proof.minCosine, r.proof.maxRelative);
  if (!r.manifestNote.empty()) std::printf("note: %s\n", r.manifestNote.c_str());
}

}  // namespace

void addConvertCommand(CLI::App& root, CliState& state) {
  addFlagsCommand<ConvertFlags>(
      root, state, "convert",
      "Rewrite an ONNX model into the Hailo-8-compatible form, with an equivalence proof",
      addConvertFlags, [&state](const ConvertFlags& flags) {
        const auto options = toConvertOptions(flags);
        const auto result = jobs::runConvertJob(options, jobControl(state, "convert"));
        if (state.json)
          printJson(result.report);
        else
          printResult(options, result);
        return result.written ? kOk : kFindings;
      });
}

}  // namespace imuwb::cli
