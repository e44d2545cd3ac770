#include "jobs/DriftJob.hpp"

#include "common/Error.hpp"
#include "common/OutputPaths.hpp"
#include "jobs/JobFiles.hpp"

namespace imuwb::jobs {

DriftJobResult runDriftJob(const ModelBundle& bundle, const DriftJobOptions& options,
                           const JobControl& control) {
  OutputPathCheck check(options.force);
  check.inputs(bundleFiles(bundle), "--model")
      .input(options.int8.calibration, "--calib")
      .inputs(options.analysis.sessions, "--session");
  declareReportOutputs(check, options.reports);
  check.output(options.analysis.saveParams, "--save-params").enforce();
  if (options.analysis.noise.maxWindows < 1) throw Error("--windows", "must be at least 1");
  quant::DriftOptions analysis = options.analysis;
  analysis.calibration = options.int8.calibration;
  analysis.config = quantConfigFor(options.int8);
  analysis.noise.threads = options.threads;
  auto outcome = quant::runDrift(bundle, analysis, control);
  writeReportFiles(outcome.result, options.reports, "drift");
  return outcome;
}

}  // namespace imuwb::jobs
