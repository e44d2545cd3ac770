#pragma once
// Builds the views' ModelOutputs from a backend's raw OutputSets, batch by batch: logits go
// through core's softmax with the manifest temperature, FSQ projections through core's FSQ
// quantizer and host head, latents and motif scores are copied as they are. Qt-free; used by
// the batch run and by live playback alike.
#include <memory>

#include "ModelOutputs.hpp"
#include "runtime/Backend.hpp"

namespace imuwb {
class FsqHead;
class FsqQuantizer;
}  // namespace imuwb

namespace imuwb::widgets {

class OutputAssembler {
 public:
  OutputAssembler(const ModelBundle& bundle, std::string backendName, std::size_t strideSamples,
                  double sampleRateHz);
  ~OutputAssembler();
  // One batch: outputs for windows starting at windowStart_s (same order, same count).
  void add(const OutputSet& outputs, const std::vector<double>& windowStart_s);
  const ModelOutputs& outputs() const { return outputs_; }
  ModelOutputs take() { return std::move(outputs_); }

 private:
  const ModelBundle& bundle_;
  ModelOutputs outputs_;
  std::unique_ptr<FsqQuantizer> fsq_;
  std::unique_ptr<FsqHead> fsqHead_;
};

}  // namespace imuwb::widgets
