#pragma once
// Streams a session in memory through a loaded backend, a few windows at a time, using core's
// Windower (same windows, skips and labels as `imuwb run`) and BatchBuilder (channel order,
// normalization, layout). The batch run and live playback both drive it. Qt-free.
#include <memory>
#include <string>
#include <vector>

#include "runtime/Backend.hpp"
#include "pipeline/BatchBuilder.hpp"
#include "pipeline/SampleSource.hpp"
#include "pipeline/Windower.hpp"

namespace imuwb::widgets {

class WindowStream {
 public:
  // The backend must already hold the bundle (Backend::load). Throws imuwb::Error (devices,
  // stride...). When the model names devices the session lacks, the session's devices are used
  // in file order instead and deviceNote() says so.
  WindowStream(std::shared_ptr<const Session> session, std::shared_ptr<const ModelBundle> bundle,
               Backend& backend, std::size_t strideSamples);

  // Runs up to maxWindows more windows (at most the backend's batch limit per call).
  // Returns false when the session is exhausted and nothing was produced.
  bool next(std::size_t maxWindows, OutputSet& outputs, std::vector<double>& windowStart_s);
  double progress() const { return windower_->progress(); }
  std::size_t candidateCount() const { return windower_->candidateCount(); }
  const SkipReport& skipped() const { return windower_->skipped(); }
  const std::string& deviceNote() const { return deviceNote_; }

 private:
  std::shared_ptr<const Session> session_;
  std::shared_ptr<const ModelBundle> bundle_;
  Backend& backend_;
  InMemorySource source_;
  std::unique_ptr<Windower> windower_;
  BatchBuilder builder_;
  WindowBlock block_;
  std::size_t used_ = 0;  // windows of block_ already run
  Batch batch_;
  std::string deviceNote_;
};

}  // namespace imuwb::widgets
