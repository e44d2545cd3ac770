#include "jobs/CalibCoverageJob.hpp"

#include "common/AtomicFile.hpp"
#include "common/Error.hpp"
#include "common/OutputPaths.hpp"
#include "quant/CalibrationSetExport.hpp"

namespace imuwb::jobs {

CalibCoverageJobResult runCalibCoverageJob(const CalibCoverageJobOptions& options,
                                           const JobControl& control) {
  if (options.calibrationSet.empty())
    throw Error("--check", "no calibration set given", "give the .npy to check");
  OutputPathCheck(options.force)
      .input(options.calibrationSet, "--check")
      .input(quant::calibrationManifestPath(options.calibrationSet), "--check manifest")
      .inputs(options.sessions, "--session")
      .output(options.report, "--report")
      .enforce();
  quant::CoverageOptions coverage;
  coverage.calibrationSet = options.calibrationSet;
  coverage.sessions = options.sessions;
  coverage.maxOutside = options.maxOutside;
  coverage.devices = options.devices;
  coverage.reportSpans = options.reportSpans;
  auto result = quant::checkCalibrationCoverage(coverage, control);
  if (!options.report.empty())
    writeTextAtomically(options.report, quant::coverageJson(result).dump(2) + "\n",
                        "the coverage report");
  return result;
}

}  // namespace imuwb::jobs
