#pragma once
// The RunFunction the workbench uses: the backend from core's registry, the bundle loaded into
// it, every window of the session streamed through it in batches, outputs assembled for the
// views. Progress and cancel go through JobControl.
#include "RunController.hpp"

namespace imuwb::widgets {

ModelOutputs runModelOverSession(const RunRequest& request, const JobControl& control);

}  // namespace imuwb::widgets
