// The per-op rules of the Conv1d -> Conv2d lift: how an op that read [N,C,T] tensors reads
// their [N,C,1,T] forms and gives the same values (its outputs lifted, or exactly the original
// outputs for ops that drop the unit height: Squeeze, Reshape, Flatten, reductions).
#include <algorithm>

#include "convert/Lift.hpp"

namespace imuwb::convert {
namespace {

const std::set<std::string> kUnary = {
    "Relu",  "LeakyRelu", "Sigmoid", "Tanh",       "Elu",  "Selu", "HardSigmoid",    "Softplus",
    "Exp",   "Log",       "Sqrt",    "Neg",        "Abs",  "Erf",  "Floor",          "Ceil",
    "Round", "Identity",  "Dropout", "Reciprocal", "Clip", "Cast", "HardSwish",      "Softsign",
    "Sign",  "Not",       "IsNaN",   "Mish",       "Gelu", "Celu", "ThresholdedRelu"};
const std::set<std::string> kBroadcast = {"Add",   "Sub",  "Mul",     "Div",  "Pow",
                                          "Max",   "Min",  "Sum",     "Mean", "PRelu",
                                          "Equal", "Less", "Greater", "Where"};
const std::set<std::string> kChannelOps = {
    "BatchNormalization", "InstanceNormalization", "LRN",
    "GlobalAveragePool",  "GlobalMaxPool",         "GlobalLpPool"};
const std::set<std::string> kPools = {"MaxPool", "AveragePool", "LpPool"};
const std::set<std::string> kReduce = {"ReduceMean", "ReduceSum", "ReduceMax",
                                       "ReduceMin",  "ReduceL2",  "ReduceProd"};

Ints liftedAxes(const Ints& axes) {
  Ints mapped;
  for (auto axis : axes) mapped.push_back(liftAxis(axis));
  return mapped;
}

// An axes list, from the attribute or (later opsets) the constant input at `slot`. nullopt when
// it is a runtime input; an empty list when absent.
std::optional<Ints> axesOf(Lift& lift, const onnx::NodeProto& node, int slot) {
  if (findAttribute(node, "axes")) return intsAttribute(node, "axes");
  if (node.input_size() > slot && !node.input(slot).empty())
    return constantInts(lift.graph(), node.input(slot));
  return Ints{};
}

// Writes axes where the op's signature at this opset keeps them: the input at `slot` (Slice 10+,
// Squeeze 13+, ReduceSum 13+, the other reductions 18+) or the attribute.
void setAxes(Lift& lift, onnx::NodeProto& node, int slot, const Ints& axes, bool asInput) {
  if (!asInput) {
    setIntsAttribute(node, "axes", axes);
    return;
  }
  while (node.input_size() <= slot) node.add_input("");
  node.set_input(slot, addIntsInitializer(lift.graph(), node.name() + "_axes_h", axes));
  removeAttribute(node, "axes");
}

LiftOutcome liftSlice(Lift& lift, onnx::NodeProto& node) {
  if (lift.opset < 10) {
    auto axes = intsAttribute(node, "axes");
    if (axes.empty())
      for (std::size_t i = 0; i < intsAttribute(node, "starts").size(); ++i)
        axes.push_back(static_cast<std::int64_t>(i));
    setIntsAttribute(node, "axes", liftedAxes(axes));
    return {true, true};
  }
  auto axes = axesOf(lift, node, 3);
  const auto starts = constantInts(lift.graph(), node.input(1));
  if (!axes || (axes->empty() && !starts)) return {};
  if (axes->empty())
    for (std::size_t i = 0; i < starts->size(); ++i) axes->push_back(static_cast<std::int64_t>(i));
  setAxes(lift, node, 3, liftedAxes(*axes), true);
  return {true, true};
}

// Pads [b0,b1,b2,e0,e1,e2] -> [b0,b1,0,b2,e0,e1,0,e2].
Ints liftPads(const Ints& pads) {
  return {pads[0], pads[1], 0, pads[2], pads[3], pads[4], 0, pads[5]};
}

LiftOutcome liftPad(Lift& lift, onnx::NodeProto& node) {
  if (lift.opset < 11) {
    const auto pads = intsAttribute(node, "pads");
    if (pads.size() != 6) return {};
    setIntsAttribute(node, "pads", liftPads(pads));
    return {true, true};
  }
  const auto pads = constantInts(lift.graph(), node.input(1));
  if (!pads || pads->size() != 6 || (node.input_size() > 3 && !node.input(3).empty())) return {};
  node.set_input(1, addIntsInitializer(lift.graph(), node.name() + "_pads_h", liftPads(*pads)));
  return {true, true};
}

LiftOutcome liftSqueeze(Lift& lift, onnx::NodeProto& node) {
  auto axes = axesOf(lift, node, 1);
  if (!axes) return {};
  if (axes->empty()) return {true, false};  // squeezes every unit dim, the height included
  auto mapped = liftedAxes(*axes);
  mapped.push_back(2);
  std::sort(mapped.begin(), mapped.end());
  setAxes(lift, node, 1, mapped, lift.opset >= 13);
  return {true, false};
}

LiftOutcome liftReduce(Lift& lift, onnx::NodeProto& node) {
  const int slot = (node.op_type() == "ReduceSum" && lift.opset >= 13) || lift.opset >= 18 ? 1 : -1;
  auto axes = slot < 0 ? std::optional<Ints>(intsAttribute(node, "axes")) : axesOf(lift, node, 1);
  if (!axes) return {};
  const bool keep = intAttribute(node, "keepdims", 1) != 0;
  if (axes->empty()) return {true, keep};  // every axis: the unit height changes nothing
  auto mapped = liftedAxes(*axes);
  if (!keep) mapped.push_back(2);
  setAxes(lift, node, slot, mapped, slot >= 0);
  return {true, keep};
}

LiftOutcome liftConcat(Lift& lift, onnx::NodeProto& node) {
  for (const auto& input : node.input())
    if (lift.rankOf(input) != 3) return {};
  for (int slot = 0; slot < node.input_size(); ++slot)
    node.set_input(slot, lift.liftedForm(node.input(slot)));
  setIntAttribute(node, "axis", liftAxis(intAttribute(node, "axis", 0)));
  return {true, true};
}

LiftOutcome liftBroadcast(Lift& lift, onnx::NodeProto& node) {
  for (const auto& output : node.output())
    if (lift.rankOf(output) != 3) return {};
  for (const auto& input : node.input())
    if (lift.rankOf(input) < 0 || lift.rankOf(input) > 3) return {};
  for (int slot = 0; slot < node.input_size(); ++slot)
    if (!node.input(slot).empty() && lift.rankOf(node.input(slot)) >= 2)
      node.set_input(slot, lift.liftedForm(node.input(slot)));
  return {true, true};
}

LiftOutcome liftTranspose(onnx::NodeProto& node) {
  auto perm = intsAttribute(node, "perm", {2, 1, 0});
  if (perm.size() != 3) return {};
  setIntsAttribute(node, "perm", {liftAxis(perm[0]), liftAxis(perm[1]), 2, liftAxis(perm[2])});
  return {true, true};
}

LiftOutcome liftReshapeLike(Lift& lift, onnx::NodeProto& node) {
  if (node.op_type() == "Flatten") {
    auto axis = intAttribute(node, "axis", 1);
    if (axis < 0) axis += 3;
    setIntAttribute(node, "axis", axis <= 2 ? axis : 4);
    return {true, false};
  }
  // Reshape reads the data in row-major order, which a unit height does not change; only a 0
  // ("copy this input dim") would read the wrong dimension.
  const auto shape = constantInts(lift.graph(), node.input(1));
  if (!shape || (intAttribute(node, "allowzero", 0) == 0 &&
                 std::find(shape->begin(), shape->end(), 0) != shape->end()))
    return {};
  return {true, false};
}

LiftOutcome liftSoftmax(Lift& lift, onnx::NodeProto& node) {
  auto axis = intAttribute(node, "axis", lift.opset >= 13 ? -1 : 1);
  if (axis < 0) axis += 3;
  // Before opset 13 the input is coerced to 2-D at axis: the products are unchanged.
  setIntAttribute(node, "axis", lift.opset >= 13 ? liftAxis(axis) : (axis <= 2 ? axis : 4));
  return {true, true};
}

bool onlyDataInputLifted(const Lift& lift, const onnx::NodeProto& node) {
  for (int slot = 1; slot < node.input_size(); ++slot)
    if (lift.lifted.count(node.input(slot))) return false;
  return node.input_size() > 0 && lift.lifted.count(node.input(0));
}

}  // namespace

void liftSpatialAttributes(onnx::NodeProto& node) {
  for (const auto* name : {"kernel_shape", "strides", "dilations"})
    if (auto values = intsAttribute(node, name); values.size() == 1)
      setIntsAttribute(node, name, {1, values[0]});
  if (auto pads = intsAttribute(node, "pads"); pads.size() == 2)
    setIntsAttribute(node, "pads", {0, pads[0], 0, pads[1]});
}

LiftOutcome liftNode(Lift& lift, onnx::NodeProto& node) {
  if (!node.domain().empty() && node.domain() != "ai.onnx") return {};
  const auto& op = node.op_type();
  if (kBroadcast.count(op)) return liftBroadcast(lift, node);
  if (op == "Concat") return liftConcat(lift, node);  // any of its inputs may be lifted
  if (!onlyDataInputLifted(lift, node)) return {};
  if (kUnary.count(op) || kChannelOps.count(op)) return {true, true};
  if (kPools.count(op)) {
    if (node.output_size() > 1) return {};  // MaxPool's indices are flat positions
    liftSpatialAttributes(node);
    return {true, true};
  }
  if (kReduce.count(op)) return liftReduce(lift, node);
  if (op == "Slice") return liftSlice(lift, node);
  if (op == "Pad") return liftPad(lift, node);
  if (op == "Squeeze") return liftSqueeze(lift, node);
  if (op == "Transpose") return liftTranspose(node);
  if (op == "Reshape" || op == "Flatten") return liftReshapeLike(lift, node);
  if (op == "Softmax" || op == "LogSoftmax") return liftSoftmax(lift, node);
  return {};
}

int Lift::rankOf(const std::string& tensor) const {
  if (tensor.empty()) return -1;
  const auto found = shapes.find(tensor);
  return found == shapes.end() ? -1 : static_cast<int>(found->second.size());
}

std::string Lift::addAxesNode(const std::string& op, const std::string& input, const Ints& axes,
                              const std::string& outputBase) {
  onnx::NodeProto node;
  node.set_op_type(op);
  node.set_name(freshName(graph(), outputBase + "/" + op));
  node.add_input(input);
  if (opset >= 13)
    node.add_input(addIntsInitializer(graph(), outputBase + "_axes", axes));
  else
    setIntsAttribute(node, "axes", axes);
  const std::string output = freshName(graph(), outputBase);
  node.add_output(output);
  *graph().add_node() = node;  // appended; the driver's final sort moves it into place
  return output;
}

std::string Lift::liftedForm(const std::string& tensor) {
  if (lifted.count(tensor)) return tensor;
  if (auto found = unsqueezed.find(tensor); found != unsqueezed.end()) return found->second;
  const int rank = rankOf(tensor);
  if (const auto* constant = constantTensor(graph(), tensor);
      constant && constant->data_type() == onnx::TensorProto::FLOAT) {
    Ints dims(constant->dims().begin(), constant->dims().end());
    while (dims.size() < 3) dims.insert(dims.begin(), 1);
    dims.insert(dims.begin() + 2, 1);
    return unsqueezed[tensor] =
               addFloatInitializer(graph(), tensor + "_h", dims, tensorFloats(*constant));
  }
  return unsqueezed[tensor] = addAxesNode("Unsqueeze", tensor, {rank == 2 ? 1 : 2}, tensor + "_h");
}

std::string Lift::rank3Form(const std::string& tensor) {
  if (auto found = squeezed.find(tensor); found != squeezed.end()) return found->second;
  return squeezed[tensor] = addAxesNode("Squeeze", tensor, {2}, tensor + "_rank3");
}

}  // namespace imuwb::convert
