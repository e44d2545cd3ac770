#include "jobs/RunJob.hpp"

#include "backends/BackendRegistry.hpp"
#include "common/Error.hpp"
#include "common/OutputPaths.hpp"
#include "jobs/JobFiles.hpp"
#include "pipeline/ResampledSource.hpp"

namespace imuwb::jobs {

BackendOptions backendOptionsFor(const RunJobOptions& options) {
  BackendOptions backendOptions;
  backendOptions.settings["threads"] = std::to_string(options.threads);
  for (const auto& [key, value] : options.backendSettings) backendOptions.settings[key] = value;
  if (!options.calibration.empty())
    backendOptions.settings["calibration"] = options.calibration.string();
  if (!options.quantParams.empty())
    backendOptions.settings["quant_params"] = options.quantParams.string();
  return backendOptions;
}

std::unique_ptr<Backend> loadBackend(const ModelBundle& bundle, const RunJobOptions& options,
                                     const JobControl& control) {
  auto backendOptions = backendOptionsFor(options);
  backendOptions.stop = control.stop;  // a long load (int8 calibration) honours cancellation
  auto backend = makeDefaultBackendRegistry().create(options.backend, backendOptions);
  control.report(0, "loading model into " + options.backend);
  backend->load(bundle);
  return backend;
}

RunJobResult runRunJob(const ModelBundle& bundle, const RunJobOptions& options,
                       const JobControl& control, const Session* loaded) {
  const auto backendOptions = backendOptionsFor(options);
  OutputPathCheck(options.force)
      .input(options.session, "--session")
      .inputs(bundleFiles(bundle), "--model")
      .input(backendOptions.get("calibration"), "--calib")
      .input(backendOptions.get("quant_params"), "--quant-params")
      .output(options.run.outPath, "--out")
      .output(options.run.csvPath, "--csv")
      .enforce();
  if (options.run.stride < 1)
    throw Error("--stride " + std::to_string(options.run.stride), "must be at least 1");
  auto backend = loadBackend(bundle, options, control);
  std::vector<std::unique_ptr<SampleSource>> sources;
  if (loaded)
    sources.push_back(std::make_unique<InMemorySource>(*loaded));
  else
    sources.push_back(std::make_unique<FileSource>(options.session));
  if (options.resample)
    sources = resampledTo(std::move(sources), bundle.manifest.input.sampleRateHz);
  return runModelOnSession(bundle, *backend, *sources.front(), options.run, control);
}

}  // namespace imuwb::jobs
