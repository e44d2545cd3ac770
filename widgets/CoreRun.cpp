#include "CoreRun.hpp"

#include "OutputAssembler.hpp"
#include "WindowStream.hpp"
#include "backends/BackendRegistry.hpp"
#include "common/Error.hpp"
#include "model/ModelBundle.hpp"

namespace imuwb::widgets {

ModelOutputs runModelOverSession(const RunRequest& request, const JobControl& control) {
  if (!request.session || !request.bundle)
    throw Error("run", "no session or no model is open", "open a session and a model bundle");
  const auto registry = makeDefaultBackendRegistry();
  auto backend = registry.create(request.backend);
  control.report(0, "loading model into " + request.backend);
  backend->load(*request.bundle);
  WindowStream stream(request.session, request.bundle, *backend, request.strideSamples);
  OutputAssembler assembler(*request.bundle, backend->describe().name, request.strideSamples,
                            request.session->sampleRateHz);
  OutputSet outputs;
  std::vector<double> starts;
  while (stream.next(256, outputs, starts)) {
    control.throwIfCancelled();
    assembler.add(outputs, starts);
    control.report(stream.progress(), "window " +
                                          std::to_string(assembler.outputs().windowCount()) +
                                          " / " + std::to_string(stream.candidateCount()));
  }
  control.report(1.0, "done");
  return assembler.take();
}

}  // namespace imuwb::widgets
