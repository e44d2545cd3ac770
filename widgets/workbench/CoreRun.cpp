#include "CoreRun.hpp"

#include <unistd.h>
#include <atomic>

#include "JobOptionsFromWidgets.hpp"
#include "OutputsFileBridge.hpp"
#include "common/Error.hpp"
#include "jobs/RunJob.hpp"
#include "model/ModelBundle.hpp"

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
  const auto options = runOptionsFor(request, temporaryOutputsPath());
  // The same job with the same options as `imuwb run`, so the file is exactly what the CLI
  // writes; the views read it back through core's reader, and Save copies it. The session is
  // already in memory: the job windows that copy rather than reading the file again.
  jobs::runRunJob(*request.bundle, options, control, request.session.get());
  const auto& out = options.run.outPath;
  auto owner = std::shared_ptr<const void>(new std::filesystem::path(out), [](const void* p) {
    const auto* path = static_cast<const std::filesystem::path*>(p);
    std::error_code ignored;
    std::filesystem::remove(*path, ignored);
    delete path;
  });
  ModelOutputs outputs = loadOutputs(out);
  outputs.file = out;
  outputs.fileOwner = owner;
  return outputs;
}

}  // namespace imuwb::widgets
