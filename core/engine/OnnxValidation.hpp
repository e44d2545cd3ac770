#pragma once
// Checks an ONNX model's own numbers before anything trusts them: ONNX's shape inference
// divides by strides and sizes buffers from dims without checking them (strides=[0] raised
// SIGFPE inside it), so every attribute and tensor size that inference or the kernels use is
// validated here first. Each refusal is an imuwb::Error naming the node (or initializer) and
// the attribute, with the claimed value and the rule.
#include <string>

namespace onnx {
class ModelProto;
class TensorProto;
}  // namespace onnx

namespace imuwb::engine {

// IR version and opset imports, initializers, tensor attributes and the integer attributes of
// windowed ops (kernel_shape, strides, dilations, pads, group). where: the model path.
void validateOnnxModel(const onnx::ModelProto& model, const std::string& where);

// One tensor: non-negative dims whose extent fits the tensor_elements limit, and stored data
// (raw_data or the typed field) that matches the dims. External data is checked when decoded.
void validateTensorProto(const onnx::TensorProto& tensor, const std::string& where);

}  // namespace imuwb::engine
