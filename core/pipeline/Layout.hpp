#pragma once
// Layout conversion between the canonical window tensor and each model input layout.
// Canonical = NHWC: [N, H, W, C] with H = devices (or time folds), W = samples per row, C = the
// model's channels (9, or 6 without a magnetometer). NTC is canonical with H = 1; NHWC_devices is
// canonical as is; NCHW_devices is its transpose [N, C, H, W]; NCHW_time_folded is the one-device
// window reshaped to [N, 2, T/2, C] (t = h * W + w) and transposed to [N, C, 2, T/2].
#include <cstddef>
#include <cstdint>
#include <vector>

#include "model/Manifest.hpp"

namespace imuwb {

struct CanonicalDims {
  int h = 1;              // devices or folds
  int w = 100;            // samples per H row
  int c = kChannelCount;  // model channels: 9, or 6 without a magnetometer
};

// H and W of the canonical tensor for a manifest's layout (time-folded: folds x T/folds).
CanonicalDims canonicalDims(const Manifest& manifest);
// The batch shape handed to a backend: the manifest input shape with N in place of batch 1.
std::vector<std::int64_t> batchShape(const Manifest& manifest, std::size_t windows);

// canonical [n,h,w,c] -> layout; out must hold n*h*w*c floats.
void canonicalToLayout(const float* canonical, std::size_t n, CanonicalDims dims,
                       InputLayout layout, float* out);
// layout -> canonical [n,h,w,c] (inverse of the above).
void layoutToCanonical(const float* input, std::size_t n, CanonicalDims dims, InputLayout layout,
                       float* canonical);

}  // namespace imuwb
