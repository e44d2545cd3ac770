#pragma once
// Turns accepted windows into the Batch a backend runs: channels reordered into model order,
// z-scored once (when the host applies it), laid out as the manifest's input layout.
#include "runtime/Backend.hpp"
#include "pipeline/Layout.hpp"
#include "pipeline/Normalizer.hpp"
#include "pipeline/Windower.hpp"

namespace imuwb {

class BatchBuilder {
 public:
  explicit BatchBuilder(const Manifest& manifest);
  // Windows [first, first + count) of block into batch (reusing its storage).
  void build(const WindowBlock& block, std::size_t first, std::size_t count, Batch& batch);
  // The same windows in canonical NHWC [count, h, w, 9] (model channel order, normalized as
  // the manifest says): Hailo's host layout and calibration sets.
  void buildCanonical(const WindowBlock& block, std::size_t first, std::size_t count,
                      std::vector<float>& canonical) const;
  const Normalizer& normalizer() const { return normalizer_; }
  CanonicalDims dims() const { return dims_; }

 private:
  const Manifest& manifest_;
  Normalizer normalizer_;
  CanonicalDims dims_;
  std::vector<float> canonical_;
};

}  // namespace imuwb
