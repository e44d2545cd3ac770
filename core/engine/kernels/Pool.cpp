// Pooling: MaxPool and AveragePool (1-D/2-D; pads, auto_pad, strides, dilations for MaxPool,
// ceil_mode, count_include_pad) and GlobalAveragePool / GlobalMaxPool (any spatial rank).
#include <algorithm>
#include <limits>

#include "engine/Kernel.hpp"

namespace imuwb::engine {
namespace {

struct PoolAxis {
  std::int64_t in = 1, out = 1, kernel = 1, stride = 1, dilation = 1, padBegin = 0, padEnd = 0;
};

PoolAxis resolve(std::int64_t in, std::int64_t kernel, std::int64_t stride, std::int64_t dilation,
                 std::int64_t padBegin, std::int64_t padEnd, bool ceilMode,
                 const std::string& autoPad) {
  PoolAxis axis{in, 1, kernel, stride, dilation, padBegin, padEnd};
  const std::int64_t effective = (kernel - 1) * dilation + 1;
  if (autoPad == "SAME_UPPER" || autoPad == "SAME_LOWER") {
    axis.out = (in + stride - 1) / stride;
    const std::int64_t total = std::max<std::int64_t>(0, (axis.out - 1) * stride + effective - in);
    axis.padBegin = autoPad == "SAME_UPPER" ? total / 2 : total - total / 2;
    axis.padEnd = total - axis.padBegin;
    return axis;
  }
  if (autoPad == "VALID") axis.padBegin = axis.padEnd = 0;
  const std::int64_t span = in + axis.padBegin + axis.padEnd - effective;
  axis.out = (ceilMode ? (span + stride - 1) / stride : span / stride) + 1;
  // A window that would start entirely in the end padding is dropped (as ONNX Runtime/PyTorch).
  if (ceilMode && (axis.out - 1) * stride >= in + axis.padBegin) --axis.out;
  return axis;
}

template <bool isMax>
std::unique_ptr<Kernel> makePool(PrepareContext& ctx) {
  ctx.requireFloatInput(0);
  const auto& x = ctx.input(0).shape;
  if (x.size() != 3 && x.size() != 4)
    ctx.fail("input rank " + std::to_string(x.size()) + " is not supported",
             "supported: 1-D [N,C,L] and 2-D [N,C,H,W] pooling");
  if (ctx.outputs.size() > 1) ctx.fail("the Indices output is not supported");
  const auto& attributes = ctx.node.attributes;
  const std::size_t spatial = x.size() - 2;
  auto kernel = attributes.getInts("kernel_shape");
  if (kernel.size() != spatial)
    ctx.fail("kernel_shape must have " + std::to_string(spatial) + " values");
  auto strides = attributes.getInts("strides");
  auto pads = attributes.getInts("pads");
  auto dilations = attributes.getInts("dilations");
  if (strides.empty()) strides.assign(spatial, 1);
  if (pads.empty()) pads.assign(2 * spatial, 0);
  if (dilations.empty()) dilations.assign(spatial, 1);
  if (strides.size() != spatial || pads.size() != 2 * spatial || dilations.size() != spatial)
    ctx.fail("strides/pads/dilations do not match the input rank");
  if (!isMax && dilations != std::vector<std::int64_t>(spatial, 1))
    ctx.fail("AveragePool dilations are not supported");
  const bool ceilMode = attributes.getInt("ceil_mode", 0) != 0;
  const bool includePad = attributes.getInt("count_include_pad", 0) != 0;
  const std::string autoPad = attributes.getString("auto_pad", "NOTSET");
  PoolAxis h, w;
  if (spatial == 1) {
    w = resolve(x[2], kernel[0], strides[0], dilations[0], pads[0], pads[1], ceilMode, autoPad);
  } else {
    h = resolve(x[2], kernel[0], strides[0], dilations[0], pads[0], pads[2], ceilMode, autoPad);
    w = resolve(x[3], kernel[1], strides[1], dilations[1], pads[1], pads[3], ceilMode, autoPad);
  }
  if (h.out < 1 || w.out < 1) ctx.fail("the pooling window is larger than the padded input");
  Shape outShape{x[0], x[1]};
  if (spatial == 2) outShape.push_back(h.out);
  outShape.push_back(w.out);
  ctx.setOutput(0, DType::Float32, outShape);
  const std::int64_t planes = x[0] * x[1];
  return makeKernel([=](const TensorView* in, TensorView* out, ThreadPool*) {
    const float* source = in[0].as<const float>();
    float* target = out[0].as<float>();
    for (std::int64_t p = 0; p < planes; ++p) {
      const float* plane = source + p * h.in * w.in;
      for (std::int64_t oh = 0; oh < h.out; ++oh)
        for (std::int64_t ow = 0; ow < w.out; ++ow) {
          const std::int64_t hs = oh * h.stride - h.padBegin, ws = ow * w.stride - w.padBegin;
          float result;
          if constexpr (isMax) {
            result = -std::numeric_limits<float>::infinity();
            for (std::int64_t ki = 0; ki < h.kernel; ++ki) {
              const std::int64_t ih = hs + ki * h.dilation;
              if (ih < 0 || ih >= h.in) continue;
              for (std::int64_t kj = 0; kj < w.kernel; ++kj) {
                const std::int64_t iw = ws + kj * w.dilation;
                if (iw < 0 || iw >= w.in) continue;
                // NaN propagates (numpy, ONNX's reference); ORT's result depends on where it is.
                result = maxPropagatingNaN(result, plane[ih * w.in + iw]);
              }
            }
          } else {
            const std::int64_t he = std::min(hs + h.kernel, h.in + h.padEnd);
            const std::int64_t we = std::min(ws + w.kernel, w.in + w.padEnd);
            const std::int64_t padded = (he - hs) * (we - ws);
            const std::int64_t h0 = std::max<std::int64_t>(hs, 0), h1 = std::min(he, h.in);
            const std::int64_t w0 = std::max<std::int64_t>(ws, 0), w1 = std::min(we, w.in);
            float sum = 0.f;
            for (std::int64_t ih = h0; ih < h1; ++ih)
              for (std::int64_t iw = w0; iw < w1; ++iw) sum += plane[ih * w.in + iw];
            const std::int64_t count = includePad ? padded : (h1 - h0) * (w1 - w0);
            result = count > 0 ? sum / static_cast<float>(count) : 0.f;
          }
          *target++ = result;
        }
    }
  });
}

template <bool isMax>
std::unique_ptr<Kernel> makeGlobalPool(PrepareContext& ctx) {
  ctx.requireFloatInput(0);
  const auto& x = ctx.input(0).shape;
  if (x.size() < 3) ctx.fail("input must be [N,C,spatial...]");
  Shape outShape{x[0], x[1]};
  outShape.resize(x.size(), 1);
  ctx.setOutput(0, DType::Float32, outShape);
  const std::int64_t planes = x[0] * x[1];
  const std::int64_t size = elementCount(x) / std::max<std::int64_t>(planes, 1);
  return makeKernel([=](const TensorView* in, TensorView* out, ThreadPool*) {
    const float* source = in[0].as<const float>();
    float* target = out[0].as<float>();
    for (std::int64_t p = 0; p < planes; ++p) {
      const float* plane = source + p * size;
      if constexpr (isMax) {
        float best = -std::numeric_limits<float>::infinity();
        for (std::int64_t i = 0; i < size; ++i) best = maxPropagatingNaN(best, plane[i]);
        target[p] = best;
      } else {
        float sum = 0.f;
        for (std::int64_t i = 0; i < size; ++i) sum += plane[i];
        target[p] = sum / static_cast<float>(size);
      }
    }
  });
}

}  // namespace

void registerPoolKernels(KernelRegistry& registry) {
  registry.add("MaxPool", makePool<true>);
  registry.add("AveragePool", makePool<false>);
  registry.add("GlobalAveragePool", makeGlobalPool<false>);
  registry.add("GlobalMaxPool", makeGlobalPool<true>);
}

}  // namespace imuwb::engine
