#include "convert/Equivalence.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>
#include <random>

#include "common/Error.hpp"
#include "engine/InferenceSession.hpp"

namespace imuwb::convert {
namespace {

using engine::NamedTensor;
using engine::Tensor;

double cosineOf(const float* a, const float* b, std::size_t count) {
  double dot = 0, normA = 0, normB = 0;
  for (std::size_t i = 0; i < count; ++i) {
    dot += static_cast<double>(a[i]) * b[i];
    normA += static_cast<double>(a[i]) * a[i];
    normB += static_cast<double>(b[i]) * b[i];
  }
  if (normA == 0 && normB == 0) return 1.0;
  if (normA == 0 || normB == 0) return 0.0;
  return dot / std::sqrt(normA * normB);
}

OutputAgreement compare(const std::string& name, const Tensor& a, const Tensor& b,
                        std::size_t windows) {
  if (a.elementCount() != b.elementCount() || a.dtype() != engine::DType::Float32 ||
      b.dtype() != engine::DType::Float32)
    throw Error("output '" + name + "'",
                "the converted model's output has another size or type than the original's",
                "this is a bug in a rewrite; report it with the model");
  OutputAgreement agreement;
  agreement.name = name;
  const auto x = a.floats(), y = b.floats();
  agreement.cosine = cosineOf(x.data(), y.data(), x.size());
  agreement.minWindowCosine = 1.0;
  const std::size_t per = windows ? x.size() / windows : x.size();
  for (std::size_t w = 0; w < windows && per; ++w)
    agreement.minWindowCosine =
        std::min(agreement.minWindowCosine, cosineOf(x.data() + w * per, y.data() + w * per, per));
  for (std::size_t i = 0; i < x.size(); ++i) {
    const double difference = std::abs(static_cast<double>(x[i]) - y[i]);
    // A NaN on either side is a disagreement, never a pass.
    agreement.maxAbs = std::isnan(difference) ? INFINITY : std::max(agreement.maxAbs, difference);
    agreement.maxMagnitude = std::max(agreement.maxMagnitude, std::abs(static_cast<double>(x[i])));
  }
  agreement.maxRel = agreement.maxAbs == 0 ? 0 : agreement.maxAbs / agreement.maxMagnitude;
  return agreement;
}

}  // namespace

bool EquivalenceReport::passed() const {
  if (outputs.empty() || windows == 0) return false;
  for (const auto& output : outputs)
    if (!passes(output)) return false;
  return true;
}

bool EquivalenceReport::passes(const OutputAgreement& output) const {
  return output.minWindowCosine >= minCosine && output.cosine >= minCosine &&
         output.maxRel <= maxRelative;
}

Tensor remapWindows(const Tensor& windows, const InputRemap& remap) {
  if (!remap.changed()) return windows;
  const auto& shape = windows.shape();
  const std::size_t rank = shape.size();
  if (rank != remap.perm.size())
    throw Error("input '" + remap.name + "'", "windows of rank " + std::to_string(rank) +
                                                  " do not fit the input's layout change");
  engine::Shape permuted(rank);
  for (std::size_t axis = 0; axis < rank; ++axis) permuted[axis] = shape[remap.perm[axis]];
  std::vector<std::int64_t> strides(rank, 1);  // of the source, per source axis
  for (std::size_t axis = rank - 1; axis > 0; --axis)
    strides[axis - 1] = strides[axis] * shape[axis];
  const auto source = windows.floats();
  std::vector<float> values(source.size());
  std::vector<std::int64_t> index(rank, 0);  // in the permuted shape
  for (std::size_t out = 0; out < values.size(); ++out) {
    std::int64_t offset = 0;
    for (std::size_t axis = 0; axis < rank; ++axis)
      offset += index[axis] * strides[remap.perm[axis]];
    values[out] = source[static_cast<std::size_t>(offset)];
    for (std::size_t axis = rank; axis-- > 0;) {
      if (++index[axis] < permuted[axis]) break;
      index[axis] = 0;
    }
  }
  engine::Shape target = remap.newShape;
  target[0] = shape[0];
  return Tensor::fromFloats(target, values);
}

std::vector<NamedTensor> generatedWindows(const engine::OnnxModel& original, std::size_t count,
                                          std::uint32_t seed) {
  std::mt19937 random(seed);
  std::normal_distribution<float> normal(0.0f, 1.0f);
  std::uniform_real_distribution<float> uniform(0.0f, 1.0f);
  std::vector<NamedTensor> windows;
  for (const auto& input : original.inputs()) {
    engine::Shape shape{static_cast<std::int64_t>(count)};
    for (std::size_t axis = 1; axis < input.shape.size(); ++axis)
      shape.push_back(input.shape[axis].fixed() ? input.shape[axis].value : 1);
    Tensor tensor(engine::DType::Float32, shape);
    auto values = tensor.floats();
    const std::size_t per = count ? values.size() / count : 0;
    for (std::size_t w = 0; w < count; ++w) {
      const bool realistic = w % 2 == 1;
      const float frequency = 0.02f + 0.2f * uniform(random), phase = 6.28f * uniform(random);
      for (std::size_t i = 0; i < per; ++i) {
        const float wave =
            std::sin(frequency * static_cast<float>(i / 9) + phase + static_cast<float>(i % 9));
        values[w * per + i] = realistic ? 0.8f * wave + 0.3f * static_cast<float>(i % 9 % 3) -
                                              0.3f + 0.1f * normal(random)
                                        : normal(random);
      }
    }
    windows.push_back({input.name, std::move(tensor)});
  }
  return windows;
}

EquivalenceReport proveEquivalent(const engine::OnnxModel& original,
                                  const engine::OnnxModel& converted,
                                  const std::vector<InputRemap>& inputs,
                                  const std::vector<NamedTensor>& windows, int threads) {
  engine::SessionOptions options;
  options.threads = threads;
  engine::InferenceSession before(original, options), after(converted, options);
  std::vector<NamedTensor> remapped;
  for (const auto& window : windows) {
    const auto remap = std::find_if(inputs.begin(), inputs.end(),
                                    [&](const InputRemap& r) { return r.name == window.name; });
    remapped.push_back(
        {window.name, remap == inputs.end() ? window.tensor : remapWindows(window.tensor, *remap)});
  }
  const auto a = before.run(windows);
  const auto b = after.run(remapped);
  EquivalenceReport report;
  report.windows = windows.empty() ? 0 : static_cast<std::size_t>(windows.front().tensor.dim(0));
  for (const auto& output : a.outputs) {
    const auto other = std::find_if(b.outputs.begin(), b.outputs.end(),
                                    [&](const NamedTensor& t) { return t.name == output.name; });
    if (other == b.outputs.end())
      throw Error("output '" + output.name + "'", "the converted model has lost this output",
                  "this is a bug in a rewrite; report it with the model");
    report.outputs.push_back(compare(output.name, output.tensor, other->tensor, report.windows));
  }
  return report;
}

}  // namespace imuwb::convert
