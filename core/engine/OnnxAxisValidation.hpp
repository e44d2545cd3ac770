#pragma once
// Checks every axis-valued attribute of an ONNX model against the rank of the tensor it indexes,
// before ONNX's shape inference sees it: libonnx 1.12's inference functions index dimensions
// with these attributes unchecked (LayerNormalization with axis=-2817 segfaulted inside
// InferShapes). Each refusal is an imuwb::Error naming the model, the node, the attribute, the
// value and the rank.
#include <string>

namespace onnx {
class ModelProto;
}  // namespace onnx

namespace imuwb::engine {

// The largest |axis| accepted where the rank is not known; no ONNX tensor has more dimensions.
inline constexpr long long kMaxAxisMagnitude = 64;

// For every node: the attributes axis, axes, perm, batch_axis and time_axis. Each value must
// have |value| <= kMaxAxisMagnitude, and, where the rank of the input it refers to is known,
// lie in that rank's range (perm: a permutation of 0..rank-1; axes: no repeats). Ranks come
// from the graph's inputs and initializers and, for intermediate values, from ONNX's own shape
// inference run on the nodes before the node in question (which have all passed this check).
// model must have passed onnx::checker (nodes in topological order). where: the model path.
void validateOnnxAxes(const onnx::ModelProto& model, const std::string& where);

}  // namespace imuwb::engine
