#include "pipeline/BatchBuilder.hpp"

#include "common/Error.hpp"

namespace imuwb {

BatchBuilder::BatchBuilder(const Manifest& manifest)
    : manifest_(manifest), normalizer_(manifest), dims_(canonicalDims(manifest)) {}

void BatchBuilder::buildCanonical(const WindowBlock& block, std::size_t first, std::size_t count,
                                  std::vector<float>& canonical) const {
  const std::size_t rowsPerWindow =
      static_cast<std::size_t>(block.deviceCount) * block.windowLength;
  if (rowsPerWindow != static_cast<std::size_t>(dims_.h) * dims_.w)
    throw Error(manifest_.sourcePath.string() + ": input",
                "windows hold " + std::to_string(block.deviceCount) + " device(s) x " +
                    std::to_string(block.windowLength) + " samples but layout " +
                    std::string(layoutName(manifest_.input.layout)) + " needs " +
                    std::to_string(dims_.h) + " x " + std::to_string(dims_.w),
                "check input.devices and the window length");
  if (block.channelCount != dims_.c)
    throw Error(manifest_.sourcePath.string() + ": input",
                "windows hold " + std::to_string(block.channelCount) +
                    " channels but the model takes " + std::to_string(dims_.c),
                "cut windows with the model's channel count");
  if (first + count > block.size()) throw Error("BatchBuilder", "window range out of block");
  canonical.resize(count * rowsPerWindow * static_cast<std::size_t>(dims_.c));
  // Block raw is [n, devices, T, C], which for device layouts already is [n, H, W, C] and for
  // a folded single device is [n, 1, T, C] == [n, folds, T/folds, C] in memory.
  normalizer_.apply(block.window(first), count * rowsPerWindow, canonical.data());
}

void BatchBuilder::build(const WindowBlock& block, std::size_t first, std::size_t count,
                         Batch& batch) {
  buildCanonical(block, first, count, canonical_);
  batch.inputName = manifest_.input.name;
  batch.shape = batchShape(manifest_, count);
  batch.values.resize(canonical_.size());
  canonicalToLayout(canonical_.data(), count, dims_, manifest_.input.layout, batch.values.data());
}

}  // namespace imuwb
