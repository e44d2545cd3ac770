#pragma once
// The host-side half of a model's outputs, batch by batch, as the deployment contract gives it:
// softmax (with the manifest temperature) of every logits output and, for FSQ models, the codes,
// code indices and the host head's logits and probabilities. `imuwb run` (and so the GUI's Run)
// writes all of them to the outputs file, its CSV prints the probabilities, and the GUI's live
// playback shows them: one implementation, and the only one.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "model/ModelBundle.hpp"
#include "pipeline/OutputsFile.hpp"
#include "runtime/Backend.hpp"

namespace imuwb {

class FsqQuantizer;
class FsqHead;

class DerivedOutputs {
 public:
  explicit DerivedOutputs(const ModelBundle& bundle);
  ~DerivedOutputs();
  DerivedOutputs(const DerivedOutputs&) = delete;
  DerivedOutputs& operator=(const DerivedOutputs&) = delete;

  bool hasFsq() const { return fsq_ != nullptr; }  // an FSQ projection output and its levels
  bool hasFsqHead() const { return head_ != nullptr; }
  // Classes of the FSQ head (its output width, else the manifest's class names); 0 without one.
  std::size_t fsqClassCount() const;

  // The derived datasets of an outputs file, in the order compute() fills them: per logits
  // output "derived/<name>_probabilities", then "derived/fsq_codes", "derived/fsq_code_index"
  // and, with a head, "derived/fsq_logits" and "derived/fsq_probabilities".
  std::vector<OutputColumn> columns() const;
  static std::string probabilitiesPath(const std::string& logitsOutput) {
    return "derived/" + logitsOutput + "_probabilities";
  }

  struct Batch {
    std::size_t rows = 0;
    // One entry per logits output, in manifest order: [rows, size] probabilities.
    std::vector<std::string> probabilityOutputs;
    std::vector<std::vector<float>> probabilities;
    std::vector<float> fsqCodes;           // [rows, D] normalized codes (with hasFsq)
    std::vector<std::int64_t> fsqIndices;  // [rows] code indices (with hasFsq)
    std::vector<float> fsqLogits;          // [rows, classes] (with hasFsqHead)
    std::vector<float> fsqProbabilities;   // [rows, classes] (with hasFsqHead)
    // The probabilities of logits output `name` ([rows, size]), or nullptr.
    const std::vector<float>* probabilitiesOf(const std::string& name) const;
  };

  // outputs: one backend call for `rows` windows. Outputs the manifest names but the set lacks
  // are left out (their entries stay empty). batch is reused between calls.
  void compute(const OutputSet& outputs, std::size_t rows, Batch& batch);
  // Appends the batch's derived values to the datasets columns() declared for backend.
  void write(const Batch& batch, OutputsWriter& writer, const std::string& backend) const;

 private:
  const Manifest& manifest_;
  const OutputSpec* projection_ = nullptr;
  std::unique_ptr<FsqQuantizer> fsq_;
  std::unique_ptr<FsqHead> head_;
};

}  // namespace imuwb
