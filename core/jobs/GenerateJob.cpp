#include "jobs/GenerateJob.hpp"

#include <chrono>
#include <cmath>

#include "common/OutputPaths.hpp"

namespace imuwb::jobs {

GenerateJobResult runGenerateJob(const GenerateJobOptions& options, const JobControl& control) {
  if (options.output.empty())
    throw Error("generate", "no output file was given", "name the session file to write");
  OutputPathCheck(options.force).output(options.output, "--out").enforce();
  const auto began = std::chrono::steady_clock::now();
  generateSessionFile(options.generator, options.output, control);
  GenerateJobResult result;
  result.output = options.output;
  result.devices = options.generator.devices;
  result.sampleRateHz = options.generator.sampleRateHz;
  result.durationSeconds = options.generator.durationSeconds;
  result.sampleCount = static_cast<std::size_t>(
      std::llround(options.generator.durationSeconds * options.generator.sampleRateHz));
  result.seed = options.generator.seed;
  result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - began).count();
  return result;
}

}  // namespace imuwb::jobs
