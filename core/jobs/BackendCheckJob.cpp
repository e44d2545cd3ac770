#include "jobs/BackendCheckJob.hpp"

#include "backends/BackendRegistry.hpp"

namespace imuwb::jobs {

std::string BackendCheckJobResult::detail(const std::string& key) const {
  for (const auto& d : details)
    if (d.key == key) return d.value;
  return {};
}

BackendCheckJobResult runBackendCheckJob(const ModelBundle& bundle,
                                         const BackendCheckJobOptions& options,
                                         const JobControl& control) {
  BackendOptions backendOptions;
  backendOptions.settings = options.settings;
  backendOptions.settings.emplace("threads", std::to_string(options.threads));
  backendOptions.stop = control.stop;
  control.report(0, "creating " + options.backend);
  auto backend = makeDefaultBackendRegistry().create(options.backend, backendOptions);
  control.report(0.2, "loading the model into " + options.backend);
  backend->load(bundle);
  control.throwIfCancelled();
  BackendCheckJobResult result;
  result.info = backend->describe();
  result.details = backend->details();
  result.determinism = result.detail("determinism");
  result.nonDeterministic = result.determinism.rfind("non-deterministic", 0) == 0;
  control.report(1.0, "done");
  return result;
}

}  // namespace imuwb::jobs
