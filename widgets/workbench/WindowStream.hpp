#pragma once
// Streams a session in memory through a loaded backend, a few windows at a time, through core's
// WindowFeed: the same windows, contract checks, skips and labels as `imuwb run`. The batch run
// and live playback both drive it. Qt-free.
#include <memory>
#include <string>
#include <vector>

#include "pipeline/SampleSource.hpp"
#include "pipeline/WindowFeed.hpp"
#include "runtime/Backend.hpp"

namespace imuwb::widgets {

class WindowStream {
 public:
  // The backend must already hold the bundle (Backend::load). Throws imuwb::Error (sample rate,
  // devices, stride...). When the model names devices the session lacks, the session's devices
  // are used in file order instead and deviceNote() says so.
  // Windows start at firstRow (the playback's start) and step by strideSamples.
  WindowStream(std::shared_ptr<const Session> session, std::shared_ptr<const ModelBundle> bundle,
               Backend& backend, std::size_t strideSamples, std::size_t firstRow = 0);

  // Runs up to maxWindows more windows (at most the backend's batch limit per call).
  // Returns false when the session is exhausted and nothing was produced.
  bool next(std::size_t maxWindows, OutputSet& outputs, std::vector<double>& windowStart_s);
  double progress() const { return feed_->progress(); }
  std::size_t candidateCount() const { return feed_->candidateCount(); }
  const SkipReport& skipped() const { return feed_->skipped(); }
  std::string deviceNote() const { return feed_->deviceNote(); }

 private:
  std::shared_ptr<const Session> session_;
  std::shared_ptr<const ModelBundle> bundle_;
  Backend& backend_;
  InMemorySource source_;
  std::unique_ptr<WindowFeed> feed_;
  FeedBatch fed_;
};

}  // namespace imuwb::widgets
