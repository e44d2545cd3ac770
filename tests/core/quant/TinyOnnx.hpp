#pragma once
// Builds tiny single-purpose ONNX models in tests (opset 11), written to a file and loaded
// through the engine's normal loader, so the INT8 emulator is exercised on real plans.
#include <onnx/onnx_pb.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "engine/OnnxModel.hpp"

namespace imuwb::test {

class TinyOnnx {
 public:
  TinyOnnx() {
    model_.set_ir_version(7);
    model_.set_producer_name("imuwb-test");
    auto* opset = model_.add_opset_import();
    opset->set_domain("");
    opset->set_version(11);
    model_.mutable_graph()->set_name("tiny");
  }

  void input(const std::string& name, const std::vector<std::int64_t>& shape) {
    valueInfo(model_.mutable_graph()->add_input(), name, shape);
  }
  void output(const std::string& name, const std::vector<std::int64_t>& shape) {
    valueInfo(model_.mutable_graph()->add_output(), name, shape);
  }
  void initializer(const std::string& name, const std::vector<std::int64_t>& shape,
                   const std::vector<float>& values) {
    auto* t = model_.mutable_graph()->add_initializer();
    t->set_name(name);
    t->set_data_type(onnx::TensorProto::FLOAT);
    for (auto d : shape) t->add_dims(d);
    t->set_raw_data(
        std::string(reinterpret_cast<const char*>(values.data()), values.size() * sizeof(float)));
  }
  onnx::NodeProto* node(const std::string& op, const std::string& name,
                        const std::vector<std::string>& inputs,
                        const std::vector<std::string>& outputs) {
    auto* n = model_.mutable_graph()->add_node();
    n->set_op_type(op);
    n->set_name(name);
    for (const auto& i : inputs) n->add_input(i);
    for (const auto& o : outputs) n->add_output(o);
    return n;
  }
  static void ints(onnx::NodeProto* n, const std::string& name,
                   const std::vector<std::int64_t>& v) {
    auto* a = n->add_attribute();
    a->set_name(name);
    a->set_type(onnx::AttributeProto::INTS);
    for (auto x : v) a->add_ints(x);
  }
  static void intAttr(onnx::NodeProto* n, const std::string& name, std::int64_t v) {
    auto* a = n->add_attribute();
    a->set_name(name);
    a->set_type(onnx::AttributeProto::INT);
    a->set_i(v);
  }

  engine::OnnxModel save(const std::filesystem::path& path) const {
    std::ofstream out(path, std::ios::binary);
    model_.SerializeToOstream(&out);
    out.close();
    return engine::loadOnnxModel(path);
  }

 private:
  static void valueInfo(onnx::ValueInfoProto* info, const std::string& name,
                        const std::vector<std::int64_t>& shape) {
    info->set_name(name);
    auto* tensor = info->mutable_type()->mutable_tensor_type();
    tensor->set_elem_type(onnx::TensorProto::FLOAT);
    for (auto d : shape) tensor->mutable_shape()->add_dim()->set_dim_value(d);
  }
  onnx::ModelProto model_;
};

}  // namespace imuwb::test
