#include "quant/CalibrationSet.hpp"

#include <cmath>

#include "common/Error.hpp"
#include "engine/NpyTensor.hpp"
#include "pipeline/Layout.hpp"

namespace imuwb::quant {

engine::Tensor loadWindowsForModel(const std::filesystem::path& npy, const Manifest& manifest) {
  engine::Tensor data = engine::readNpyAsFloat32(npy);
  const auto model_shape = batchShape(manifest, 1);  // [1, ...]
  const CanonicalDims dims = canonicalDims(manifest);
  const std::vector<std::int64_t> canonical = {1, dims.h, dims.w, dims.c};
  auto matches = [&](const std::vector<std::int64_t>& per_window) {
    if (data.rank() != per_window.size()) return false;
    for (std::size_t i = 1; i < per_window.size(); ++i)
      if (data.dim(i) != per_window[i]) return false;
    return true;
  };
  if (data.rank() < 2 || data.dim(0) == 0)
    throw Error(
        npy.string(),
        "expected windows [N, ...] with N > 0, found shape " + engine::shapeToString(data.shape()),
        "write windows with the window index first");
  for (float v : data.floats())
    if (!std::isfinite(v))
      throw Error(npy.string(), "holds NaN or infinite values",
                  "rebuild it from windows without gaps or NaNs");
  const auto n = data.dim(0);
  if (matches(model_shape)) return data;
  if (matches(canonical)) {
    auto shape = model_shape;
    shape[0] = n;
    engine::Tensor out(engine::DType::Float32, shape);
    canonicalToLayout(data.floats().data(), static_cast<std::size_t>(n), dims,
                      manifest.input.layout, out.floats().data());
    return out;
  }
  auto per_window = [](std::vector<std::int64_t> s) {
    s[0] = -1;
    return engine::shapeToString(s);
  };
  throw Error(npy.string(),
              "window shape " + per_window(data.shape()) + " fits neither the model input " +
                  per_window(model_shape) + " (" + std::string(layoutName(manifest.input.layout)) +
                  ") nor Hailo's NHWC " + per_window(canonical),
              "export the windows in one of these layouts (N first)");
}

}  // namespace imuwb::quant
