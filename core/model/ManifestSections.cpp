// The manifest sections both formats (imuwb-manifest and the legacy model_config.json) share:
// channel order, the input shape against its layout, and the host's normalization.
#include <algorithm>
#include <cmath>
#include <set>
#include <sstream>

#include "model/ManifestParsing.hpp"

namespace imuwb::manifest_parsing {

std::vector<std::string> channelOrderFrom(const Context& context, const nlohmann::json& value,
                                          const std::string& path, int channels) {
  auto names = stringArray(context, value, path);
  const bool nine = channels == kChannelCount;
  const std::string allowed = nine ? "ax ay az gx gy gz mx my mz" : "ax ay az gx gy gz";
  if (names.size() != static_cast<std::size_t>(channels))
    throw context.fail(path,
                       "has " + std::to_string(names.size()) + " names, but the input shape has " +
                           std::to_string(channels) + " channels",
                       "list each of " + allowed + " once, in model order");
  std::set<std::string> seen;
  for (int c = 0; c < channels; ++c) {
    bool known = false;
    for (int k = 0; k < channels; ++k) known |= (kChannelNames[k] == names[c]);
    if (!known)
      throw context.fail(path + "[" + std::to_string(c) + "]",
                         "channel '" + names[c] + "' is not one of " + allowed,
                         nine ? "use the contract names ax ay az gx gy gz mx my mz"
                              : "a 6-channel model takes ax ay az gx gy gz; a model that takes "
                                "mx my mz has a 9-channel input");
    if (!seen.insert(names[c]).second)
      throw context.fail(path, "channel '" + names[c] + "' appears twice",
                         "each channel must appear exactly once");
  }
  return names;
}

int checkInputShape(const Context& context, InputSpec& input, int deviceCount) {
  const auto& shape = input.shape;
  auto describe = [&] {
    std::ostringstream text;
    text << "[";
    for (std::size_t i = 0; i < shape.size(); ++i) text << (i ? "," : "") << shape[i];
    text << "]";
    return text.str();
  };
  auto bad = [&](const std::string& expected) {
    return context.fail("input.shape", "shape " + describe() + " does not fit layout " +
                                           std::string(layoutName(input.layout)) + ": expected " +
                                           expected);
  };
  const std::size_t rank = input.layout == InputLayout::NTC ? 3 : 4;
  if (shape.size() != rank) throw bad(std::to_string(rank) + " dimensions");
  if (shape[0] != 1)
    throw context.fail(
        "input.shape",
        "batch dimension is " + std::to_string(shape[0]) + ", the device runs batch 1",
        "export with a static batch of 1");
  switch (input.layout) {
    case InputLayout::NTC:
      if (!isDeviceChannelCount(shape[2])) throw bad("[1,T,9] or [1,T,6]");
      input.windowLength = static_cast<int>(std::min<std::int64_t>(shape[1], INT32_MAX));
      break;
    case InputLayout::NCHW_devices:
      if (!isDeviceChannelCount(shape[1])) throw bad("[1,9,devices,T] or [1,6,devices,T]");
      if (deviceCount && shape[2] != deviceCount)
        throw context.fail("input.devices", "lists " + std::to_string(deviceCount) +
                                                " devices but the H axis of the shape is " +
                                                std::to_string(shape[2]));
      input.windowLength = static_cast<int>(std::min<std::int64_t>(shape[3], INT32_MAX));
      break;
    case InputLayout::NCHW_time_folded:
      if (!isDeviceChannelCount(shape[1])) throw bad("[1,9,folds,T/folds] or [1,6,folds,T/folds]");
      input.windowLength = static_cast<int>(std::min<std::int64_t>(shape[2] * shape[3], INT32_MAX));
      break;
    case InputLayout::NHWC_devices:
      if (!isDeviceChannelCount(shape[3])) throw bad("[1,devices,T,9] or [1,devices,T,6]");
      if (deviceCount && shape[1] != deviceCount)
        throw context.fail("input.devices", "lists " + std::to_string(deviceCount) +
                                                " devices but the H axis of the shape is " +
                                                std::to_string(shape[1]));
      input.windowLength = static_cast<int>(std::min<std::int64_t>(shape[2], INT32_MAX));
      break;
  }
  if (input.windowLength < 2) throw bad("a window of at least 2 samples");
  if (input.windowLength > kMaxWindowLength)
    throw context.fail("input.shape",
                       "a window of " + std::to_string(input.windowLength) +
                           " samples is over the limit of " + std::to_string(kMaxWindowLength),
                       "write the model's real window length (the contract uses 100)");
  const bool channelsLast =
      input.layout == InputLayout::NTC || input.layout == InputLayout::NHWC_devices;
  return static_cast<int>(channelsLast ? shape.back() : shape[1]);
}

NormalizationSpec parseNormalization(const Context& context, const nlohmann::json& node,
                                     std::vector<std::string>* orderOut,
                                     NormalizationBy defaultBy) {
  NormalizationSpec spec;
  spec.present = true;
  spec.method = optionalString(context, node, "method", "normalization", "z_score_per_channel");
  if (spec.method != "z_score_per_channel")
    throw context.fail("normalization.method", "unknown method '" + spec.method + "'",
                       "only z_score_per_channel ((raw - mean[c]) / std[c]) is defined");
  const auto by = optionalString(context, node, "applied_by", "normalization",
                                 defaultBy == NormalizationBy::Host ? "host" : "model");
  if (by == "host")
    spec.appliedBy = NormalizationBy::Host;
  else if (by == "model")
    spec.appliedBy = NormalizationBy::Model;
  else
    throw context.fail("normalization.applied_by", "unknown value '" + by + "'",
                       "use \"host\" (the host z-scores before inference) or \"model\" (the graph "
                       "does it); never both");
  // One mean and std per model channel: 9, or 6 for a model without a magnetometer.
  const std::size_t channels = orderOut ? orderOut->size() : kChannelCount;
  auto mean = numberArray(context, require(context, node, "mean", "normalization"),
                          "normalization.mean", channels);
  auto std = numberArray(context, require(context, node, "std", "normalization"),
                         "normalization.std", channels);
  spec.mean.resize(channels);
  spec.std.resize(channels);
  for (std::size_t c = 0; c < channels; ++c) {
    if (!(std[c] > 0))
      throw context.fail("normalization.std[" + std::to_string(c) + "]",
                         "std is " + std::to_string(std[c]) + "; it must be > 0 (division by it)",
                         "write the per-channel std from the training set");
    // The host divides in float32: 1e-300 is 0 there and every z-score would be inf.
    if (std[c] < kMinNormalizationStd || std[c] > kMaxNormalizationMagnitude)
      throw context.fail("normalization.std[" + std::to_string(c) + "]",
                         "std is " + numberText(std[c]) + ", outside the usable range [" +
                             numberText(kMinNormalizationStd) + ", " +
                             numberText(kMaxNormalizationMagnitude) +
                             "] (float32 z-scores would be inf or 0)",
                         "write the per-channel std from the training set");
    if (std::fabs(mean[c]) > kMaxNormalizationMagnitude)
      throw context.fail("normalization.mean[" + std::to_string(c) + "]",
                         "mean is " + numberText(mean[c]) + ", beyond +-" +
                             numberText(kMaxNormalizationMagnitude) +
                             " (float32 z-scores would be meaningless)",
                         "write the per-channel mean from the training set");
    spec.mean[c] = static_cast<float>(mean[c]);
    spec.std[c] = static_cast<float>(std[c]);
  }
  if (orderOut && node.contains("channel_order"))
    *orderOut = channelOrderFrom(context, node["channel_order"], "normalization.channel_order",
                                 static_cast<int>(channels));
  return spec;
}

}  // namespace imuwb::manifest_parsing
