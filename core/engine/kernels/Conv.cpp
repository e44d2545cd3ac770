// Conv (1-D and 2-D; pads, auto_pad, strides, dilations, groups incl. depthwise) as im2col + an
// Eigen GEMM per sample and group, with bias and an optional fused activation applied to the
// GEMM output while it is still in cache. Depthwise convolutions use a direct loop (no GEMM fits).
// EigenGemm.hpp comes first: it sets Eigen's stack limit before Eigen is included.
#include "engine/kernels/EigenGemm.hpp"

#include <algorithm>
#include <cstring>

#include "engine/Kernel.hpp"
#include "engine/PackedGemm.hpp"
#include "engine/ThreadPool.hpp"

namespace imuwb::engine {
namespace {

struct ConvGeometry {
  std::int64_t batch = 0, channels = 0, height = 1, width = 0;
  std::int64_t filters = 0, kernelH = 1, kernelW = 1;
  std::int64_t strideH = 1, strideW = 1, dilationH = 1, dilationW = 1;
  std::int64_t padTop = 0, padLeft = 0, padBottom = 0, padRight = 0;
  std::int64_t outH = 1, outW = 0, groups = 1;
  std::int64_t channelsPerGroup() const { return channels / groups; }
  std::int64_t filtersPerGroup() const { return filters / groups; }
  std::int64_t patch() const { return channelsPerGroup() * kernelH * kernelW; }
  bool pointwise() const {
    return kernelH == 1 && kernelW == 1 && strideH == 1 && strideW == 1 && padTop == 0 &&
           padLeft == 0 && padBottom == 0 && padRight == 0;
  }
};

// Rows: (channel, ki, kj); columns: (oh, ow). Zero where the window hangs over the padding.
// rowStride: distance between rows of cols (several samples can share one column matrix).
void im2col(const float* x, float* cols, const ConvGeometry& g, std::int64_t rowStride) {
  for (std::int64_t c = 0; c < g.channelsPerGroup(); ++c) {
    const float* plane = x + c * g.height * g.width;
    for (std::int64_t ki = 0; ki < g.kernelH; ++ki)
      for (std::int64_t kj = 0; kj < g.kernelW; ++kj) {
        float* row = cols + ((c * g.kernelH + ki) * g.kernelW + kj) * rowStride;
        // Output columns whose input column lies inside [0, width).
        const std::int64_t offsetW = kj * g.dilationW - g.padLeft;
        std::int64_t owBegin = 0, owEnd = g.outW;
        while (owBegin < g.outW && owBegin * g.strideW + offsetW < 0) ++owBegin;
        while (owEnd > owBegin && (owEnd - 1) * g.strideW + offsetW >= g.width) --owEnd;
        for (std::int64_t oh = 0; oh < g.outH; ++oh) {
          float* target = row + oh * g.outW;
          const std::int64_t ih = oh * g.strideH - g.padTop + ki * g.dilationH;
          if (ih < 0 || ih >= g.height) {
            std::fill(target, target + g.outW, 0.f);
            continue;
          }
          const float* source = plane + ih * g.width;
          std::fill(target, target + owBegin, 0.f);
          if (g.strideW == 1) {
            if (owEnd > owBegin)
              std::memcpy(target + owBegin, source + owBegin + offsetW,
                          (owEnd - owBegin) * sizeof(float));
          } else {
            for (std::int64_t ow = owBegin; ow < owEnd; ++ow)
              target[ow] = source[ow * g.strideW + offsetW];
          }
          std::fill(target + owEnd, target + g.outW, 0.f);
        }
      }
  }
}

// Up to this many output columns per GEMM: several windows share one GEMM so the weights are
// packed once per group of windows instead of once per window.
constexpr std::int64_t kTargetColumns = 400;

class ConvKernel final : public Kernel {
 public:
  ConvKernel(ConvGeometry geometry, FusedActivation activation, bool hasBias,
             std::shared_ptr<std::vector<float>> scratch, const Tensor* constantWeights)
      : g_(geometry), activation_(activation), hasBias_(hasBias), scratch_(std::move(scratch)) {
    if (constantWeights)  // pack once per plan: the per-run GEMM only streams the columns
      for (std::int64_t group = 0; group < g_.groups; ++group)
        packed_.emplace_back(
            constantWeights->data<float>() + group * g_.filtersPerGroup() * g_.patch(),
            g_.filtersPerGroup(), g_.patch());
    outSize_ = g_.outH * g_.outW;
    samplesPerGemm_ = std::clamp<std::int64_t>(kTargetColumns / std::max<std::int64_t>(outSize_, 1),
                                               1, std::max<std::int64_t>(g_.batch, 1));
    const std::int64_t width = samplesPerGemm_ * outSize_;
    const bool needCols = samplesPerGemm_ > 1 || !g_.pointwise();
    resultOffset_ = needCols ? g_.patch() * width : 0;
    const std::int64_t resultFloats = samplesPerGemm_ > 1 ? g_.filtersPerGroup() * width : 0;
    const auto need = static_cast<std::size_t>(resultOffset_ + resultFloats);
    if (scratch_->size() < need) scratch_->resize(need);  // plan time only
  }

  void run(const TensorView* in, TensorView* out, ThreadPool* pool) override {
    const float* x = in[0].as<const float>();
    const float* w = in[1].as<const float>();
    const float* bias = hasBias_ ? in[2].as<const float>() : nullptr;
    float* y = out[0].as<float>();
    float* scratch = scratch_->data();
    const std::int64_t inPlane = g_.height * g_.width;
    const std::int64_t filtersPerGroup = g_.filtersPerGroup();
    const std::int64_t patch = g_.patch();
    for (std::int64_t n0 = 0; n0 < g_.batch; n0 += samplesPerGemm_) {
      const std::int64_t samples = std::min(samplesPerGemm_, g_.batch - n0);
      const std::int64_t width = samples * outSize_;
      for (std::int64_t group = 0; group < g_.groups; ++group) {
        auto inputOf = [&](std::int64_t n) {
          return x + (n * g_.channels + group * g_.channelsPerGroup()) * inPlane;
        };
        const float* cols;
        if (samples == 1 && g_.pointwise()) {
          cols = inputOf(n0);
        } else {
          for (std::int64_t j = 0; j < samples; ++j) {
            if (g_.pointwise()) {
              for (std::int64_t c = 0; c < patch; ++c)
                std::memcpy(scratch + c * width + j * outSize_, inputOf(n0 + j) + c * inPlane,
                            outSize_ * sizeof(float));
            } else {
              im2col(inputOf(n0 + j), scratch + j * outSize_, g_, width);
            }
          }
          cols = scratch;
        }
        // One window: the GEMM writes straight into the output. Several: into scratch, then
        // each row is scattered to its window with bias and activation applied on the way.
        float* target = samples == 1 ? y + (n0 * g_.filters + group * filtersPerGroup) * outSize_
                                     : scratch + resultOffset_;
        const float* wg = w + group * filtersPerGroup * patch;
        const float* bg = bias ? bias + group * filtersPerGroup : nullptr;
        auto rows = [&](std::int64_t begin, std::int64_t count) {
          if (!packed_.empty()) {
            packed_[group].multiply(begin, count, cols, width, width, target + begin * width,
                                    width);
          } else {
            Eigen::Map<const RowMatrix> weights(wg + begin * patch, count, patch);
            Eigen::Map<const RowMatrix> columns(cols, patch, width);
            Eigen::Map<RowMatrix> result(target + begin * width, count, width);
            result.noalias() = weights * columns;
          }
          for (std::int64_t r = begin; r < begin + count; ++r) {
            const float b = bg ? bg[r] : 0.f;
            for (std::int64_t j = 0; j < samples; ++j) {
              const float* source = target + r * width + j * outSize_;
              float* row = y + ((n0 + j) * g_.filters + group * filtersPerGroup + r) * outSize_;
              if (samples == 1) {
                if (bg)
                  for (std::int64_t i = 0; i < outSize_; ++i) row[i] += b;
              } else {
                for (std::int64_t i = 0; i < outSize_; ++i) row[i] = source[i] + b;
              }
              activation_.apply(row, outSize_);
            }
          }
        };
        const int threads = pool ? pool->size() : 1;
        if (threads <= 1 || filtersPerGroup < 16) {
          rows(0, filtersPerGroup);
        } else {
          // Blocks of whole 8-row panels, a few per thread: whoever is free takes the next one,
          // so a thread descheduled on a busy machine does not stall the others.
          const std::int64_t panels = (filtersPerGroup + 7) / 8;
          const std::int64_t blocks = std::min<std::int64_t>(panels, 4 * threads);
          const std::int64_t per = (panels + blocks - 1) / blocks * 8;
          pool->parallelFor((filtersPerGroup + per - 1) / per, [&](std::int64_t part, int) {
            const std::int64_t begin = part * per;
            rows(begin, std::min(per, filtersPerGroup - begin));
          });
        }
      }
    }
  }

 private:
  ConvGeometry g_;
  FusedActivation activation_;
  bool hasBias_;
  std::shared_ptr<std::vector<float>> scratch_;
  std::vector<PackedGemm> packed_;  // per group, when the weights are constant
  std::int64_t outSize_ = 0;
  std::int64_t samplesPerGemm_ = 1;
  std::int64_t resultOffset_ = 0;
};

class DepthwiseConvKernel final : public Kernel {
 public:
  DepthwiseConvKernel(ConvGeometry geometry, FusedActivation activation, bool hasBias)
      : g_(geometry), activation_(activation), hasBias_(hasBias) {}
  void run(const TensorView* in, TensorView* out, ThreadPool*) override {
    const float* x = in[0].as<const float>();
    const float* w = in[1].as<const float>();
    const float* bias = hasBias_ ? in[2].as<const float>() : nullptr;
    float* y = out[0].as<float>();
    const std::int64_t multiplier = g_.filters / g_.channels;
    for (std::int64_t n = 0; n < g_.batch; ++n)
      for (std::int64_t f = 0; f < g_.filters; ++f) {
        const std::int64_t c = f / multiplier;
        const float* plane = x + (n * g_.channels + c) * g_.height * g_.width;
        const float* kernel = w + f * g_.kernelH * g_.kernelW;
        float* target = y + (n * g_.filters + f) * g_.outH * g_.outW;
        for (std::int64_t oh = 0; oh < g_.outH; ++oh)
          for (std::int64_t ow = 0; ow < g_.outW; ++ow) {
            float sum = bias ? bias[f] : 0.f;
            for (std::int64_t ki = 0; ki < g_.kernelH; ++ki) {
              const std::int64_t ih = oh * g_.strideH - g_.padTop + ki * g_.dilationH;
              if (ih < 0 || ih >= g_.height) continue;
              for (std::int64_t kj = 0; kj < g_.kernelW; ++kj) {
                const std::int64_t iw = ow * g_.strideW - g_.padLeft + kj * g_.dilationW;
                if (iw < 0 || iw >= g_.width) continue;
                sum += plane[ih * g_.width + iw] * kernel[ki * g_.kernelW + kj];
              }
            }
            target[oh * g_.outW + ow] = sum;
          }
        activation_.apply(target, g_.outH * g_.outW);
      }
  }

 private:
  ConvGeometry g_;
  FusedActivation activation_;
  bool hasBias_;
};

// Resolves pads for one spatial axis; returns the output size.
std::int64_t resolveAxis(const std::string& autoPad, std::int64_t in, std::int64_t kernel,
                         std::int64_t stride, std::int64_t dilation, std::int64_t& padBegin,
                         std::int64_t& padEnd) {
  const std::int64_t effective = (kernel - 1) * dilation + 1;
  if (autoPad == "SAME_UPPER" || autoPad == "SAME_LOWER") {
    const std::int64_t out = (in + stride - 1) / stride;
    const std::int64_t total = std::max<std::int64_t>(0, (out - 1) * stride + effective - in);
    padBegin = autoPad == "SAME_UPPER" ? total / 2 : total - total / 2;
    padEnd = total - padBegin;
    return out;
  }
  if (autoPad == "VALID") padBegin = padEnd = 0;
  return (in + padBegin + padEnd - effective) / stride + 1;
}

std::unique_ptr<Kernel> makeConv(PrepareContext& ctx) {
  ctx.requireFloatInput(0);
  ctx.requireFloatInput(1);
  const auto& x = ctx.input(0).shape;
  const auto& w = ctx.input(1).shape;
  if (x.size() != 3 && x.size() != 4)
    ctx.fail("input rank " + std::to_string(x.size()) + " is not supported",
             "supported: 1-D [N,C,L] and 2-D [N,C,H,W] convolutions");
  if (w.size() != x.size()) ctx.fail("weight rank does not match the input rank");
  const bool is1d = x.size() == 3;
  const auto& attributes = ctx.node.attributes;
  ConvGeometry g;
  g.batch = x[0];
  g.channels = x[1];
  g.height = is1d ? 1 : x[2];
  g.width = x.back();
  g.filters = w[0];
  g.kernelH = is1d ? 1 : w[2];
  g.kernelW = w.back();
  g.groups = attributes.getInt("group", 1);
  auto kernelShape = attributes.getInts("kernel_shape");
  if (!kernelShape.empty() && kernelShape.back() != g.kernelW)
    ctx.fail("kernel_shape does not match the weight shape " + shapeToString(w));
  if (g.groups < 1 || g.channels % g.groups != 0 || g.filters % g.groups != 0 ||
      w[1] != g.channels / g.groups)
    ctx.fail("group=" + std::to_string(g.groups) + " does not fit input channels " +
             std::to_string(g.channels) + " and weight " + shapeToString(w));
  auto strides = attributes.getInts("strides");
  auto dilations = attributes.getInts("dilations");
  auto pads = attributes.getInts("pads");
  const std::size_t spatial = is1d ? 1 : 2;
  if (strides.empty()) strides.assign(spatial, 1);
  if (dilations.empty()) dilations.assign(spatial, 1);
  if (pads.empty()) pads.assign(2 * spatial, 0);
  if (strides.size() != spatial || dilations.size() != spatial || pads.size() != 2 * spatial)
    ctx.fail("strides/dilations/pads do not match the " + std::to_string(spatial) +
             "-D convolution");
  for (auto v : strides)
    if (v < 1) ctx.fail("stride must be >= 1");
  for (auto v : dilations)
    if (v < 1) ctx.fail("dilation must be >= 1");
  const std::string autoPad = attributes.getString("auto_pad", "NOTSET");
  if (is1d) {
    g.strideW = strides[0];
    g.dilationW = dilations[0];
    g.padLeft = pads[0];
    g.padRight = pads[1];
  } else {
    g.strideH = strides[0];
    g.strideW = strides[1];
    g.dilationH = dilations[0];
    g.dilationW = dilations[1];
    g.padTop = pads[0];
    g.padLeft = pads[1];
    g.padBottom = pads[2];
    g.padRight = pads[3];
    g.outH =
        resolveAxis(autoPad, g.height, g.kernelH, g.strideH, g.dilationH, g.padTop, g.padBottom);
  }
  g.outW = resolveAxis(autoPad, g.width, g.kernelW, g.strideW, g.dilationW, g.padLeft, g.padRight);
  if (ctx.node.hasCrop) {
    // A fused trailing Slice: compute only the columns it keeps (Slice clamping rules).
    std::int64_t end = ctx.node.cropEnd < 0 ? ctx.node.cropEnd + g.outW : ctx.node.cropEnd;
    g.outW = std::clamp<std::int64_t>(end, 0, g.outW);
  }
  if (g.outH < 1 || g.outW < 1)
    ctx.fail("the kernel is larger than the padded input " + shapeToString(x));
  const bool hasBias = ctx.hasInput(2);
  if (hasBias && elementCount(ctx.input(2).shape) != g.filters)
    ctx.fail("bias has " + std::to_string(elementCount(ctx.input(2).shape)) + " values for " +
             std::to_string(g.filters) + " filters");
  Shape outShape{g.batch, g.filters};
  if (!is1d) outShape.push_back(g.outH);
  outShape.push_back(g.outW);
  ctx.setOutput(0, DType::Float32, outShape);
  if (g.groups > 1 && g.groups == g.channels)
    return std::make_unique<DepthwiseConvKernel>(g, ctx.node.activation, hasBias);
  const Tensor* weights = ctx.input(1).constant;
  return std::make_unique<ConvKernel>(
      g, ctx.node.activation, hasBias, ctx.scratch,
      weights && weights->dtype() == DType::Float32 ? weights : nullptr);
}

}  // namespace

void registerConvKernels(KernelRegistry& registry) {
  registry.add("Conv", makeConv);
}

}  // namespace imuwb::engine
