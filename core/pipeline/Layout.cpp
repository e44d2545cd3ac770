#include "pipeline/Layout.hpp"

#include <algorithm>

namespace imuwb {

CanonicalDims canonicalDims(const Manifest& manifest) {
  const auto& shape = manifest.input.shape;
  const int c = manifest.input.channelCount();
  switch (manifest.input.layout) {
    case InputLayout::NTC:
      return {1, static_cast<int>(shape.at(1)), c};
    case InputLayout::NCHW_devices:
    case InputLayout::NCHW_time_folded:
      return {static_cast<int>(shape.at(2)), static_cast<int>(shape.at(3)), c};
    case InputLayout::NHWC_devices:
      return {static_cast<int>(shape.at(1)), static_cast<int>(shape.at(2)), c};
  }
  return {};
}

std::vector<std::int64_t> batchShape(const Manifest& manifest, std::size_t windows) {
  auto shape = manifest.input.shape;
  shape.at(0) = static_cast<std::int64_t>(windows);
  return shape;
}

namespace {
bool channelsFirst(InputLayout layout) {
  return layout == InputLayout::NCHW_devices || layout == InputLayout::NCHW_time_folded;
}
}  // namespace

void canonicalToLayout(const float* canonical, std::size_t n, CanonicalDims dims,
                       InputLayout layout, float* out) {
  const std::size_t hw = static_cast<std::size_t>(dims.h) * dims.w;
  const std::size_t perWindow = hw * dims.c;
  if (!channelsFirst(layout)) {
    std::copy(canonical, canonical + n * perWindow, out);
    return;
  }
  for (std::size_t i = 0; i < n; ++i) {
    const float* from = canonical + i * perWindow;
    float* to = out + i * perWindow;
    for (std::size_t p = 0; p < hw; ++p)
      for (int c = 0; c < dims.c; ++c) to[c * hw + p] = from[p * dims.c + c];
  }
}

void layoutToCanonical(const float* input, std::size_t n, CanonicalDims dims, InputLayout layout,
                       float* canonical) {
  const std::size_t hw = static_cast<std::size_t>(dims.h) * dims.w;
  const std::size_t perWindow = hw * dims.c;
  if (!channelsFirst(layout)) {
    std::copy(input, input + n * perWindow, canonical);
    return;
  }
  for (std::size_t i = 0; i < n; ++i) {
    const float* from = input + i * perWindow;
    float* to = canonical + i * perWindow;
    for (std::size_t p = 0; p < hw; ++p)
      for (int c = 0; c < dims.c; ++c) to[p * dims.c + c] = from[c * hw + p];
  }
}

}  // namespace imuwb
