#include "jobs/ResampleJob.hpp"

#include <chrono>

#include "common/BuildInfo.hpp"
#include "common/Error.hpp"
#include "common/OutputPaths.hpp"
#include "common/Sha256.hpp"
#include "session/SessionReader.hpp"
#include "session/resample/SessionResampling.hpp"

namespace imuwb::jobs {

ResampleJobResult runResampleJob(const ResampleJobOptions& options, const JobControl& control) {
  if (options.input.empty())
    throw Error("resample", "no session file was given", "name the session file to resample");
  if (options.output.empty())
    throw Error("resample", "no output file was given", "name the session file to write (--out)");
  OutputPathCheck(options.force)
      .input(options.input, "the session")
      .output(options.output, "--out")
      .enforce();
  const auto began = std::chrono::steady_clock::now();
  // Opening checks the file (and names what is wrong) before it is hashed.
  const std::size_t devices = SessionReader::open(options.input).header().deviceNames.size();
  const nlohmann::json provenance = {
      {"source_file", std::filesystem::absolute(options.input).lexically_normal().string()},
      {"source_sha256", sha256File(options.input)},
      {"tool", std::string("imuwb ") + build_info::kVersion}};
  const SessionResamplePlan plan =
      resampleSessionFile(options.input, options.output, options.targetRateHz, provenance, control);
  ResampleJobResult result;
  result.output = options.output;
  result.sourceRateHz = plan.sourceRateHz;
  result.targetRateHz = plan.targetRateHz;
  result.up = plan.ratio.up;
  result.down = plan.ratio.down;
  result.filter = plan.ratio.filterText();
  result.irregular = plan.irregular;
  result.gridRateHz = plan.gridRateHz;
  result.inputRows = plan.inputRows;
  result.outputRows = plan.outputRows;
  result.devices = devices;
  result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - began).count();
  return result;
}

}  // namespace imuwb::jobs
