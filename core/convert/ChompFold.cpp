// Rewrite: a Conv with symmetric time padding followed by a Slice that drops the last columns
// (a TCN's "chomp") is one Conv with only the left (causal) padding. In general a Slice
// [s, e) along the time axis of a stride-1 Conv output with pads (b, a) equals the same Conv
// with pads (b - s, L - T - (b - s) + d(k-1)), L = e - s, when both pads stay >= 0.
#include <algorithm>
#include <limits>

#include "convert/Convert.hpp"
#include "convert/GraphEdit.hpp"

namespace imuwb::convert {
namespace {

struct SliceRange {
  std::int64_t axis = 0, start = 0, end = 0;
};

// The one-axis, step-1 range of a Slice, from its constant inputs (opset >= 10) or attributes.
std::optional<SliceRange> sliceRange(const onnx::GraphProto& graph, const onnx::NodeProto& slice) {
  Ints starts, ends, axes, steps;
  if (findAttribute(slice, "starts")) {
    starts = intsAttribute(slice, "starts");
    ends = intsAttribute(slice, "ends");
    axes = intsAttribute(slice, "axes", {0});
  } else {
    auto read = [&](int slot, Ints& into) {
      if (slot >= slice.input_size() || slice.input(slot).empty()) return true;
      const auto values = constantInts(graph, slice.input(slot));
      if (values) into = *values;
      return values.has_value();
    };
    if (!read(1, starts) || !read(2, ends) || !read(3, axes) || !read(4, steps)) return {};
    if (axes.empty()) axes = {0};
  }
  if (starts.size() != 1 || ends.size() != 1 || axes.size() != 1) return {};
  if (!steps.empty() && steps != Ints{1}) return {};
  return SliceRange{axes[0], starts[0], ends[0]};
}

std::int64_t clampIndex(std::int64_t index, std::int64_t length) {
  if (index < 0) index += length;
  return std::clamp<std::int64_t>(index, 0, length);
}

}  // namespace

void foldChompIntoPads(onnx::ModelProto& model, ConvertLog& log) {
  auto& graph = *model.mutable_graph();
  nameUnnamedNodes(graph);
  const auto shapes = inferShapes(model);
  const auto uses = consumers(graph);
  std::set<int> removed;
  for (int n = 0; n < graph.node_size(); ++n) {
    auto& conv = *graph.mutable_node(n);
    if (conv.op_type() != "Conv" || conv.input_size() < 2) continue;
    const auto& out = conv.output(0);
    const auto found = uses.find(out);
    if (found == uses.end() || found->second.size() != 1 || isGraphOutput(graph, out)) continue;
    const int sliceIndex = found->second[0].node;
    const auto& slice = graph.node(sliceIndex);
    if (slice.op_type() != "Slice" || found->second[0].slot != 0) continue;
    const auto range = sliceRange(graph, slice);
    const auto inShape = shapes.count(conv.input(0)) ? shapes.at(conv.input(0)) : Ints{};
    const auto outShape = shapes.count(out) ? shapes.at(out) : Ints{};
    const auto weight = shapes.count(conv.input(1)) ? shapes.at(conv.input(1)) : Ints{};
    if (!range || inShape.size() < 3 || outShape.size() != inShape.size() ||
        weight.size() != inShape.size())
      continue;
    const auto rank = static_cast<std::int64_t>(inShape.size());
    const auto spatial = rank - 2;
    if ((range->axis < 0 ? range->axis + rank : range->axis) != rank - 1) continue;
    auto autoPad = stringAttribute(conv, "auto_pad");
    auto pads = intsAttribute(conv, "pads", Ints(2 * spatial, 0));
    const auto strides = intsAttribute(conv, "strides", Ints(spatial, 1));
    const auto dilations = intsAttribute(conv, "dilations", Ints(spatial, 1));
    if ((!autoPad.empty() && autoPad != "NOTSET") || strides.back() != 1) continue;
    const auto steps = inShape.back(), produced = outShape.back();
    if (steps <= 0 || produced <= 0) continue;
    const auto start = clampIndex(range->start, produced);
    const auto end = std::max(start, clampIndex(range->end, produced));
    const auto reach = dilations.back() * (weight.back() - 1);
    const auto before = pads[spatial - 1] - start;
    const auto after = (end - start) - steps - before + reach;
    if (before < 0 || after < 0) continue;
    const std::string detail =
        "time pads (" + std::to_string(pads[spatial - 1]) + "," + std::to_string(pads.back()) +
        ") + Slice [" + std::to_string(range->start) + ":" + std::to_string(range->end) +
        "] -> pads (" + std::to_string(before) + "," + std::to_string(after) + ")";
    pads[spatial - 1] = before;
    pads.back() = after;
    setIntsAttribute(conv, "pads", pads);
    log.add("chomp_to_causal_pad", {nodeName(graph, n), nodeName(graph, sliceIndex)}, detail);
    conv.set_output(0, slice.output(0));
    removed.insert(sliceIndex);
  }
  removeNodes(graph, removed);
  removeDeadNodes(graph);
}

}  // namespace imuwb::convert
