// Bad models and bad inputs: every one is an imuwb::Error that names the file, the node and op
// where there is one, and what is supported. Nothing crashes.
#include <gtest/gtest.h>

#include <onnx/onnx_pb.h>

#include <fstream>
#include <random>

#include "EngineTestSupport.hpp"
#include "common/Error.hpp"
#include "engine/InferenceSession.hpp"

namespace fs = std::filesystem;

#pragma GCC diagnostic ignored "-Wmissing-field-initializers"  // SessionOptions{.threads = 2}

namespace imuwb::engine::test {
namespace {

using imuwb::test::TempDir;

std::string modelText(int opset, const std::string& inputs, const std::string& body) {
  return "<\n  ir_version: 8,\n  opset_import: [\"\" : " + std::to_string(opset) + "]\n>\ng (" +
         inputs + ") => (float Y) {\n" + body + "\n}\n";
}

// Runs fn, expects an imuwb::Error whose text contains every fragment.
template <class F>
void expectError(F fn, const std::vector<std::string>& fragments) {
  try {
    fn();
    ADD_FAILURE() << "no error thrown";
  } catch (const Error& error) {
    const std::string text = error.what();
    for (const auto& fragment : fragments)
      EXPECT_NE(text.find(fragment), std::string::npos) << "'" << fragment << "' not in: " << text;
  } catch (const std::exception& error) {
    ADD_FAILURE() << "not an imuwb::Error: " << error.what();
  }
}

TEST(EngineErrors, UnsupportedOpNamesNodeOpAndTheSupportedList) {
  TempDir dir;
  const auto path = writeModel(dir / "m.onnx", modelText(13, "float[N,4,4] X", "  Y = Det (X)"));
  const auto model = loadOnnxModel(path);
  expectError([&] { InferenceSession session(model); },
              {"m.onnx", "Det_0", "'Det' is not supported", "supported ops:", "Conv", "Gemm"});
}

TEST(EngineErrors, CustomDomainOpIsRejected) {
  TempDir dir;
  const auto path = writeModel(dir / "m.onnx", R"(<
  ir_version: 8,
  opset_import: ["" : 13, "com.example" : 1]
>
g (float[N,4] X) => (float[N,4] Y) {
  Y = com.example.Magic (X)
}
)");
  expectError([&] { InferenceSession session(loadOnnxModel(path)); },
              {"m.onnx", "Magic", "com.example", "default ONNX domain"});
  // A scikit-learn export: the domain and every op of it are named (not "re-export it").
  const auto ml = writeModel(dir / "ml.onnx", R"(<
  ir_version: 8,
  opset_import: ["" : 13, "ai.onnx.ml" : 3]
>
g (float[N,4] X) => (float[N,4] Y) {
  S = ai.onnx.ml.Scaler <offset = [0.5], scale = [2.0]> (X)
  Y = ai.onnx.ml.Normalizer <norm = "L1"> (S)
}
)");
  expectError([&] { loadOnnxModel(ml); },
              {"ml.onnx", "op domain 'ai.onnx.ml' (Normalizer, Scaler)", "ONNX Runtime"});
}

TEST(EngineErrors, DynamicNonLeadingDimensionCannotBeResolved) {
  TempDir dir;
  const auto path = writeModel(dir / "m.onnx", modelText(13, "float[N,T,9] X", "  Y = Relu (X)"));
  expectError([&] { InferenceSession session(loadOnnxModel(path)); },
              {"input 'X'", "dimension 1", "'T'", "dynamic"});
}

TEST(EngineErrors, ShapeMismatchInsideTheGraphNamesTheNode) {
  TempDir dir;
  std::mt19937 rng(1);
  const auto path = writeModel(dir / "m.onnx", modelText(13, "float[N,4] X", "  Y = MatMul (X, B)"),
                               {{"B", randomTensor({4, 3}, rng)}});
  // Correct model, wrong run-time input: the engine names the input and the expected shape.
  InferenceSession session(loadOnnxModel(path));
  expectError(
      [&] {
        session.run({{"X", randomTensor({2, 5}, rng)}});
      },
      {"input 'X'", "[2,5]", "[N,4]"});
  expectError(
      [&] {
        session.run({{"Z", randomTensor({2, 4}, rng)}});
      },
      {"no input named 'Z'", "X"});
  expectError([&] { session.run({}); }, {"'X' was not given"});
  Tensor ints(DType::Int64, {2, 4});
  expectError([&] { session.run({{"X", ints}}); }, {"int64", "float32"});
  InferenceSession limited(loadOnnxModel(path), {.maxBatch = 2});
  expectError([&] { limited.run({{"X", randomTensor({3, 4}, rng)}}); }, {"maximum of 2"});
}

void writeExternalModel(const fs::path& path, const std::string& location) {
  onnx::ModelProto model;
  model.set_ir_version(8);
  model.add_opset_import()->set_version(13);
  auto* graph = model.mutable_graph();
  graph->set_name("g");
  auto* node = graph->add_node();
  node->set_op_type("Add");
  node->add_input("X");
  node->add_input("W");
  node->add_output("Y");
  auto addValue = [](onnx::ValueInfoProto* value, const char* name) {
    value->set_name(name);
    auto* type = value->mutable_type()->mutable_tensor_type();
    type->set_elem_type(onnx::TensorProto::FLOAT);
    type->mutable_shape()->add_dim()->set_dim_param("N");
    type->mutable_shape()->add_dim()->set_dim_value(4);
  };
  addValue(graph->add_input(), "X");
  addValue(graph->add_output(), "Y");
  auto* init = graph->add_initializer();
  init->set_name("W");
  init->set_data_type(onnx::TensorProto::FLOAT);
  init->add_dims(4);
  init->set_data_location(onnx::TensorProto::EXTERNAL);
  auto* entry = init->add_external_data();
  entry->set_key("location");
  entry->set_value(location);
  std::ofstream(path, std::ios::binary) << model.SerializeAsString();
}

TEST(EngineErrors, ExternalDataOutsideTheModelFolderIsRefused) {
  TempDir dir;
  fs::create_directories(dir / "model");
  const float weights[4] = {1, 2, 3, 4};
  std::ofstream(dir / "secret.bin", std::ios::binary)
      .write(reinterpret_cast<const char*>(weights), 16);
  std::ofstream(dir / "model" / "weights.bin", std::ios::binary)
      .write(reinterpret_cast<const char*>(weights), 16);
  writeExternalModel(dir / "model" / "up.onnx", "../secret.bin");
  expectError([&] { loadOnnxModel(dir / "model" / "up.onnx"); },
              {"up.onnx", "initializer 'W'", "outside the model's folder"});
  writeExternalModel(dir / "model" / "abs.onnx", (dir / "secret.bin").string());
  expectError([&] { loadOnnxModel(dir / "model" / "abs.onnx"); }, {"absolute"});
  // Inside the folder it loads and runs.
  writeExternalModel(dir / "model" / "ok.onnx", "weights.bin");
  InferenceSession session(loadOnnxModel(dir / "model" / "ok.onnx"));
  const Tensor y = session.run({{"X", Tensor(DType::Float32, {1, 4})}}).outputs[0].tensor;
  EXPECT_EQ(y.data<float>()[3], 4.f);
  // A truncated external file is an error, not garbage.
  std::ofstream(dir / "model" / "weights.bin", std::ios::binary | std::ios::trunc).write("ab", 2);
  expectError([&] { InferenceSession s(loadOnnxModel(dir / "model" / "ok.onnx")); },
              {"initializer 'W'", "truncated"});
}

TEST(EngineErrors, CorruptTruncatedEmptyAndMissingFiles) {
  TempDir dir;
  std::mt19937 rng(2);
  const auto good =
      writeModel(dir / "good.onnx", modelText(13, "float[N,4] X", "  Y = MatMul (X, B)"),
                 {{"B", randomTensor({4, 64}, rng)}});
  std::ifstream in(good, std::ios::binary);
  const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::ofstream(dir / "truncated.onnx", std::ios::binary) << bytes.substr(0, bytes.size() / 2);
  expectError([&] { loadOnnxModel(dir / "truncated.onnx"); }, {"truncated.onnx", "truncated"});
  std::string garbage(4000, '\0');
  for (auto& c : garbage) c = static_cast<char>(rng());
  std::ofstream(dir / "garbage.onnx", std::ios::binary) << garbage;
  expectError([&] { loadOnnxModel(dir / "garbage.onnx"); }, {"garbage.onnx"});
  std::ofstream(dir / "empty.onnx").close();
  expectError([&] { loadOnnxModel(dir / "empty.onnx"); }, {"empty"});
  expectError([&] { loadOnnxModel(dir / "missing.onnx"); }, {"missing.onnx", "does not exist"});
  expectError([&] { loadOnnxModel(dir.path()); }, {"folder"});
}

TEST(EngineErrors, UnsupportedOpsetAndCheckerFailures) {
  TempDir dir;
  const auto path = writeModel(dir / "m.onnx", modelText(18, "float[N,4] X", "  Y = Relu (X)"));
  expectError([&] { loadOnnxModel(path); }, {"opset 18", "7 to 17"});
  // Opsets 1-6: ops whose definition has not changed since run; legacy-broadcast Add does not.
  const auto elu = writeModel(dir / "e.onnx", modelText(6, "float[N,4] X", "  Y = Elu (X)"));
  EXPECT_NO_THROW(InferenceSession(loadOnnxModel(elu)));
  const auto add = writeModel(dir / "a.onnx", modelText(6, "float[N,4] X", "  Y = Add (X, X)"));
  expectError([&] { loadOnnxModel(add); }, {"a.onnx", "opset 6", "'Add'", "7 to 17"});
  // A node reading a tensor nobody produces fails the checker.
  const auto broken = writeModel(dir / "b.onnx", modelText(13, "float[N,4] X", "  Y = Add (X, Z)"));
  expectError([&] { loadOnnxModel(broken); }, {"b.onnx"});
}

TEST(EngineErrors, UnsupportedAttributesSayWhatIsSupported) {
  TempDir dir;
  const auto reflect =
      writeModel(dir / "pad.onnx", R"(<
  ir_version: 8,
  opset_import: ["" : 13]
>
g (float[N,4] X) => (float Y) {
  Y = Pad <mode = "reflect"> (X, p)
}
)",
                 {{"p", Tensor::fromInt64s({4}, std::vector<std::int64_t>{0, 1, 0, 1})}});
  expectError([&] { InferenceSession s(loadOnnxModel(reflect)); },
              {"Pad_0", "'reflect' is not supported", "mode=constant"});
  const auto conv3d =
      writeModel(dir / "conv.onnx", modelText(13, "float[N,1,4,4,4] X", "  Y = Conv (X, W)"),
                 {{"W", Tensor(DType::Float32, {1, 1, 2, 2, 2})}});
  expectError([&] { InferenceSession s(loadOnnxModel(conv3d)); }, {"Conv_0", "1-D", "2-D"});
}

}  // namespace
}  // namespace imuwb::engine::test
