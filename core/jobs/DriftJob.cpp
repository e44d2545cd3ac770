#include "jobs/DriftJob.hpp"

#include "common/Error.hpp"

namespace imuwb::jobs {

DriftJobResult runDriftJob(const ModelBundle& bundle, const DriftJobOptions& options,
                           const JobControl& control) {
  if (options.analysis.noise.maxWindows < 1) throw Error("--windows", "must be at least 1");
  quant::DriftOptions analysis = options.analysis;
  analysis.calibration = options.int8.calibration;
  analysis.config = quantConfigFor(options.int8);
  analysis.noise.threads = options.threads;
  return quant::runDrift(bundle, analysis, control);
}

}  // namespace imuwb::jobs
