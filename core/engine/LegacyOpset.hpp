#pragma once
// Models of opsets 1-6 (before numpy broadcasting, opset 7). Their ops are accepted only where
// the definition the model's opset selects is the one the engine implements: the op must be in
// a table of ops unchanged since an opset at or below the model's. Elementwise arithmetic with
// the legacy `broadcast`/`axis` attributes, BatchNormalization with `spatial`/`is_test` and
// anything else that differs is refused, naming the op.
#include <cstdint>
#include <string>

namespace onnx {
class ModelProto;
}

namespace imuwb::engine {

// Throws imuwb::Error naming the first node whose op at `opset` the engine does not implement.
void checkLegacyOpset(const onnx::ModelProto& model, std::int64_t opset, const std::string& where);

}  // namespace imuwb::engine
