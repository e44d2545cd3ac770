#pragma once
// Builds the views' ModelOutputs from a backend's raw OutputSets, batch by batch: latents and
// motif scores are copied as they are; probabilities come from core's DerivedOutputs (softmax
// with the manifest temperature of the logits, or the FSQ host half and head), the same code
// that writes them to `imuwb run`'s outputs file. Qt-free; used by live playback.
#include <memory>

#include "ModelOutputs.hpp"
#include "pipeline/DerivedOutputs.hpp"
#include "runtime/Backend.hpp"

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
  void append(WindowMatrix& matrix, const std::string& name, const std::vector<float>& values,
              std::size_t rows) const;

  const ModelBundle& bundle_;
  ModelOutputs outputs_;
  DerivedOutputs derived_;
  DerivedOutputs::Batch batch_;
  bool fsqProbabilities_ = false;  // probabilities come from the FSQ head, not a logits output
};

}  // namespace imuwb::widgets
