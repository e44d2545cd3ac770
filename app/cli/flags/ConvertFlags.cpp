#include "CliSupport.hpp"
#include "flags/JobFlags.hpp"

namespace imuwb::cli {

void addConvertFlags(CLI::App& command, ConvertFlags& flags) {
  auto& o = flags.options;
  command
      .add_option("model", flags.model, "The .onnx to convert (a manifest beside it is optional)")
      ->required();
  command.add_option("--to", o.target, "Target compiler")->capture_default_str();
  command.add_option("--out", flags.output, "The converted .onnx (never the input)")->required();
  command
      .add_option("--input-layout", flags.inputLayout,
                  "Layout of the converted input: nchw [1,C,1,T] or nhwc [1,1,T,C]")
      ->check(CLI::IsMember({"nchw", "nhwc"}))
      ->capture_default_str();
  command.add_option("--report", flags.report, "convert.json: rewrites, warnings and the proof");
  command.add_option("--session", flags.session,
                     "Session HDF5 whose windows the proof runs (else generated windows)");
  command.add_option("--devices", flags.devices, "Session device per H index, comma-separated");
  command.add_option("--windows", o.windows, "Windows run through both models for the proof")
      ->capture_default_str();
  command.add_flag("--gemm-as-conv", o.convert.gemmAsConv,
                   "Turn Gemm into a 1x1 Conv (default: keep Gemm, which the DFC maps itself)");
  command
      .add_option("--max-parameters", o.convert.maxParameters,
                  "Parameter budget a grouped-conv expansion must stay within")
      ->capture_default_str();
  addThreadsFlag(command, o.threads, "Worker threads for the proof (0 = all cores)");
  command.add_flag("--force", o.force, "Replace outputs that exist already");
  // The test hook (tests/cli/ConvertCliTest.cpp): breaks one rewrite so the proof must refuse.
  command.add_option("--test-break-rewrite", o.convert.breakRewrite)->group("");
}

jobs::ConvertJobOptions toConvertOptions(const ConvertFlags& flags) {
  jobs::ConvertJobOptions options = flags.options;
  options.model = flags.model;
  options.output = flags.output;
  options.report = flags.report;
  options.session = flags.session;
  options.devices = splitCommaList(flags.devices);
  options.convert.inputLayout = flags.inputLayout == "nhwc" ? convert::InputLayoutChoice::NHWC
                                                            : convert::InputLayoutChoice::NCHW;
  return options;
}

}  // namespace imuwb::cli
