#include "CoreRun.hpp"

#include <unistd.h>
#include <atomic>

#include "OutputsFileBridge.hpp"
#include "backends/BackendRegistry.hpp"
#include "common/Error.hpp"
#include "model/ModelBundle.hpp"
#include "pipeline/RunJob.hpp"

namespace imuwb::widgets {

namespace {

std::filesystem::path temporaryOutputsPath() {
  static std::atomic<unsigned> counter = 0;
  return std::filesystem::temp_directory_path() /
         ("imuwb-gui-" + std::to_string(::getpid()) + "-" + std::to_string(counter++) + ".h5");
}

}  // namespace

ModelOutputs runModelOverSession(const RunRequest& request, const JobControl& control) {
  if (!request.session || !request.bundle)
    throw Error("run", "no session or no model is open", "open a session and a model bundle");
  const auto registry = makeDefaultBackendRegistry();
  BackendOptions backendOptions;
  backendOptions.settings = request.backendSettings;
  auto backend = registry.create(request.backend, backendOptions);
  control.report(0, "loading model into " + request.backend);
  backend->load(*request.bundle);
  InMemorySource source(*request.session);
  RunOptions options;
  options.outPath = temporaryOutputsPath();
  options.stride = static_cast<int>(request.strideSamples);
  // The model's devices when the session has them, else the session's first devices in order
  // (the samples are recorded as collar + harness, models may say phone + collar).
  options.fallbackToSessionDevices = true;
  options.hashSession = false;  // in memory; the path is in the provenance
  // The same job as `imuwb run`, so the file is exactly what the CLI writes; the views read it
  // back through core's reader, and Save copies it.
  runModelOnSession(*request.bundle, *backend, source, options, control);
  auto owner =
      std::shared_ptr<const void>(new std::filesystem::path(options.outPath), [](const void* p) {
        const auto* path = static_cast<const std::filesystem::path*>(p);
        std::error_code ignored;
        std::filesystem::remove(*path, ignored);
        delete path;
      });
  ModelOutputs outputs = loadOutputs(options.outPath);
  outputs.file = options.outPath;
  outputs.fileOwner = owner;
  return outputs;
}

}  // namespace imuwb::widgets
