// RNN, GRU and LSTM (kernels/Recurrent.cpp) against ONNX Runtime: every direction (layout 0:
// ORT refuses layout 1, which ONNX's conformance tests "batchwise" cover),
// biases, initial states, peepholes, sequence_lens shorter than the sequence, GRU's
// linear_before_reset, clip and non-default activations. Max abs error within 1e-5 scaled to
// the output's magnitude, on every output (Y, Y_h, Y_c).
#include <gtest/gtest.h>

#include <random>

#include "EngineTestSupport.hpp"

namespace imuwb::engine::test {
namespace {

using imuwb::test::TempDir;

struct RecurrentCase {
  std::string op;  // RNN, GRU, LSTM
  std::string direction;
  int layout = 0;
  bool bias = true, initial = true, lengths = true, peepholes = false;
  std::string extra;  // more attributes
};

std::string shapeText(const Shape& shape) {
  std::string text;
  for (std::size_t i = 0; i < shape.size(); ++i) text += (i ? "," : "") + std::to_string(shape[i]);
  return text;
}

void addCase(const RecurrentCase& c, std::mt19937& rng, TempDir& dir,
             std::vector<PeerCase>& cases) {
  const std::int64_t seq = 5, batch = 3, input = 4, hidden = 6;
  const std::int64_t gates = c.op == "LSTM" ? 4 : c.op == "GRU" ? 3 : 1;
  const std::int64_t dirs = c.direction == "bidirectional" ? 2 : 1;
  const Shape x = c.layout ? Shape{batch, seq, input} : Shape{seq, batch, input};
  const Shape state = c.layout ? Shape{batch, dirs, hidden} : Shape{dirs, batch, hidden};
  std::vector<NamedTensor> init = {
      {"W", randomTensor({dirs, gates * hidden, input}, rng, -0.7f, 0.7f)},
      {"R", randomTensor({dirs, gates * hidden, hidden}, rng, -0.7f, 0.7f)}};
  std::vector<NamedTensor> inputs = {{"X", randomTensor(x, rng, -2.f, 2.f)}};
  std::string args = "X, W, R";
  std::string graphInputs = "float[" + shapeText(x) + "] X";
  if (c.bias) init.push_back({"B", randomTensor({dirs, 2 * gates * hidden}, rng)});
  args += c.bias ? ", B" : ", ";
  if (c.lengths) {
    Tensor lens(DType::Int32, {batch});
    const std::int32_t values[] = {5, 2, 4};
    std::copy(values, values + batch, lens.data<std::int32_t>());
    inputs.push_back({"L", std::move(lens)});
    graphInputs += ", int32[" + std::to_string(batch) + "] L";
  }
  args += c.lengths ? ", L" : ", ";
  if (c.initial) {
    inputs.push_back({"H0", randomTensor(state, rng)});
    graphInputs += ", float[" + shapeText(state) + "] H0";
    if (c.op == "LSTM") {
      inputs.push_back({"C0", randomTensor(state, rng)});
      graphInputs += ", float[" + shapeText(state) + "] C0";
    }
  }
  args += c.initial ? ", H0" : ", ";
  if (c.op == "LSTM") args += c.initial ? ", C0" : ", ";
  if (c.peepholes) {
    init.push_back({"P", randomTensor({dirs, 3 * hidden}, rng)});
    args += ", P";
  }
  const std::string outputs = c.op == "LSTM" ? "float Y, float Yh, float Yc" : "float Y, float Yh";
  const std::string text =
      "<\n  ir_version: 8,\n  opset_import: [\"\" : 14]\n>\ntest_graph (" + graphInputs + ") => (" +
      outputs + ") {\n  " + (c.op == "LSTM" ? "Y, Yh, Yc" : "Y, Yh") + " = " + c.op +
      " <hidden_size = " + std::to_string(hidden) + ", direction = \"" + c.direction +
      "\", layout = " + std::to_string(c.layout) + c.extra + "> (" + args + ")\n}\n";
  const auto path = dir / ("model_" + std::to_string(cases.size()) + ".onnx");
  writeModel(path, text, init);
  cases.push_back({text, path, std::move(inputs)});
}

TEST(RecurrentPeer, RnnGruLstmMatchOnnxRuntime) {
  IMUWB_REQUIRE_ORT_PEER();
  std::mt19937 rng(31);
  TempDir dir;
  std::vector<PeerCase> cases;
  for (const char* op : {"RNN", "GRU", "LSTM"})
    for (const char* direction : {"forward", "reverse", "bidirectional"})
      addCase({op, direction, 0}, rng, dir, cases);
  addCase({"LSTM", "bidirectional", 0, true, true, true, true}, rng, dir, cases);
  addCase({"LSTM", "forward", 0, false, false, false, true, ", clip = 0.8"}, rng, dir, cases);
  addCase({"GRU", "bidirectional", 0, true, true, true, false, ", linear_before_reset = 1"}, rng,
          dir, cases);
  addCase({"GRU", "forward", 0, false, false, false, false, ", linear_before_reset = 1"}, rng, dir,
          cases);
  addCase({"RNN", "forward", 0, true, true, true, false, ", activations = [\"Relu\"]"}, rng, dir,
          cases);
  addCase({"LSTM", "forward", 0, true, true, false, false,
           ", activations = [\"HardSigmoid\", \"Softsign\", \"Tanh\"], activation_alpha = [0.3], "
           "activation_beta = [0.4]"},
          rng, dir, cases);
  EXPECT_EQ(expectMatchesOrt(cases, dir.path() / "work"), static_cast<int>(cases.size()));
}

}  // namespace
}  // namespace imuwb::engine::test
