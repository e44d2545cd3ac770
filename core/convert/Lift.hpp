#pragma once
// The state of the Conv1d -> Conv2d rewrite: which rank-3 [N,C,T] tensors now carry a unit
// height, [N,C,1,T] ("lifted"), and the Unsqueeze/Squeeze copies made at the borders of the lifted
// region (appended to the graph, sorted into place at the end). Shared by the driver
// (Conv1dToConv2d.cpp), the input rewrite (TimeMajorInput.cpp) and the per-op rules
// (LiftOps.cpp).
#include <map>
#include <set>
#include <string>
#include <vector>

#include "convert/Convert.hpp"
#include "convert/GraphEdit.hpp"

namespace imuwb::convert {

struct Lift {
  explicit Lift(onnx::ModelProto& m) : model(m) {}
  onnx::ModelProto& model;
  std::int64_t opset = 0;
  std::map<std::string, Ints> shapes;             // inferred on the graph before the rewrite
  std::set<std::string> lifted;                   // tensors that now hold [N,C,1,T]
  std::map<std::string, std::string> unsqueezed;  // rank-3 tensor -> its lifted copy
  std::map<std::string, std::string> squeezed;    // lifted tensor -> its rank-3 copy

  onnx::GraphProto& graph() { return *model.mutable_graph(); }
  int rankOf(const std::string& tensor) const;  // -1 unknown
  // The lifted form of a tensor: itself when lifted, else an Unsqueeze(axis 2) copy (rank 3),
  // an Unsqueeze(axis 1) copy (rank 2, broadcast as [1,a,b]) or a reshaped constant.
  std::string liftedForm(const std::string& tensor);
  // The original rank-3 form of a lifted tensor: a Squeeze(axis 2) copy.
  std::string rank3Form(const std::string& tensor);
  // Unsqueeze / Squeeze nodes in the model's opset (axes as attribute before 13, input after).
  std::string addAxesNode(const std::string& op, const std::string& input, const Ints& axes,
                          const std::string& outputBase);
};

// An axis of a rank-3 tensor (negative allowed) as the axis of its lifted rank-4 form.
inline std::int64_t liftAxis(std::int64_t axis) {
  if (axis < 0) axis += 3;
  return axis < 2 ? axis : axis + 1;
}

// Per-op rules: rewrites node (some inputs lifted) to work on the lifted tensors and says
// whether its outputs are lifted. False: the op has no rule; the caller feeds it rank-3 copies.
struct LiftOutcome {
  bool handled = false;
  bool outputsLifted = false;
};
LiftOutcome liftNode(Lift& lift, onnx::NodeProto& node);

// Conv / pooling attributes of rank 1 as rank 2 with a unit height.
void liftSpatialAttributes(onnx::NodeProto& node);

// Seeds the lift at the graph inputs (TimeMajorInput.cpp): a time-major [N,T,C] input read
// through Transpose(0,2,1), or a channel-major [N,C,T] input, feeding a Conv1d, becomes the new
// input layout. Marks the tensors it lifted.
void seedInputLayout(Lift& lift, const std::set<std::string>& conv1dInputs,
                     const ConvertOptions& options, ConvertLog& log);

}  // namespace imuwb::convert
