#pragma once
// The windows both sides of a parity run see: cut from sessions by the window feed (every
// contract check happens there), read from an .npy already in the model layout, or, when both
// sides are recordings, only the recordings' window times.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "engine/Tensor.hpp"
#include "pipeline/WindowFeed.hpp"
#include "quant/ParityJob.hpp"

namespace imuwb::quant {

class ParityWindows {
 public:
  // Appends the files it reads to inputs. Throws imuwb::Error.
  ParityWindows(const ModelBundle& bundle, const ParitySide& a, const ParitySide& b,
                const ParityOptions& options, std::vector<std::string>& inputs);
  // The next block after `done` windows were compared: model-ready batch (empty when both sides
  // are recorded) and one time per window. False when there is nothing more.
  bool next(Batch& batch, std::vector<double>& times, std::size_t done);
  double progress(std::size_t done) const;
  std::size_t sessionCount() const { return sources_.size(); }
  // The session row each window of the last block starts at (sessions only, else empty).
  const std::vector<std::int64_t>& startRows() const { return startRows_; }
  std::vector<Finding> findings() const;  // skipped windows, device notes

 private:
  const Manifest& manifest_;
  const ParityOptions& options_;
  const RecordedOutputs* recordedA_ = nullptr;
  const RecordedOutputs* recordedB_ = nullptr;
  std::vector<std::unique_ptr<SampleSource>> sources_;
  std::unique_ptr<WindowFeed> feed_;
  FeedBatch fed_;
  engine::Tensor npy_;
  bool useNpy_ = false;
  std::size_t next_ = 0;  // next .npy window or recorded window
  std::size_t totalEstimate_ = 0;
  std::vector<std::int64_t> startRows_;
};

}  // namespace imuwb::quant
