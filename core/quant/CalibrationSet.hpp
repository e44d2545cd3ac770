#pragma once
// Loading a calibration set (.npy, float32) for a model: either already in the model's input
// layout ([N, per-window dims]) or Hailo's canonical NHWC [N, H, W, 9] (what `--calib-set-path`
// takes and calibration export writes), converted to the model layout here.
#include <filesystem>

#include "engine/Tensor.hpp"
#include "model/Manifest.hpp"

namespace imuwb::quant {

// Throws imuwb::Error naming the file when the shape fits neither layout, or values are not
// finite.
engine::Tensor loadWindowsForModel(const std::filesystem::path& npy, const Manifest& manifest);

}  // namespace imuwb::quant
