// Every op family against ONNX Runtime: random shapes and attributes, models built from ONNX's
// textual syntax, both attribute and input forms across opsets 11-17. Max abs error must be
// within 1e-5 scaled to the output's magnitude.
#include <gtest/gtest.h>

#include <random>
#include <sstream>

#include "EngineTestSupport.hpp"

namespace imuwb::engine::test {
namespace {

using imuwb::test::TempDir;

std::string modelText(int opset, const std::string& inputs, const std::string& outputs,
                      const std::string& body) {
  return "<\n  ir_version: 8,\n  opset_import: [\"\" : " + std::to_string(opset) +
         "]\n>\ntest_graph (" + inputs + ") => (" + outputs + ") {\n" + body + "\n}\n";
}

std::string ints(const std::vector<std::int64_t>& values) {
  std::string text = "[";
  for (std::size_t i = 0; i < values.size(); ++i)
    text += (i ? ", " : "") + std::to_string(values[i]);
  return text + "]";
}

std::string dims(const Shape& shape) {
  std::string text = "N";
  for (std::size_t i = 1; i < shape.size(); ++i) text += "," + std::to_string(shape[i]);
  return text;
}

Tensor int64s(std::vector<std::int64_t> values) {
  return Tensor::fromInt64s({static_cast<std::int64_t>(values.size())}, values);
}

int pick(std::mt19937& rng, int low, int high) {
  return std::uniform_int_distribution<int>(low, high)(rng);
}

struct Family {
  TempDir dir;
  std::vector<PeerCase> cases;
  void add(const std::string& text, std::vector<NamedTensor> initializers,
           std::vector<NamedTensor> inputs) {
    const auto path = dir / ("model_" + std::to_string(cases.size()) + ".onnx");
    writeModel(path, text, initializers);
    cases.push_back({text, path, std::move(inputs)});
  }
  void check() {
    const int compared = expectMatchesOrt(cases, dir.path() / "work");
    EXPECT_EQ(compared, static_cast<int>(cases.size()));
  }
};

TEST(OpFamilyPeer, ConvolutionsWithPadsStridesDilationsGroups) {
  IMUWB_REQUIRE_ORT_PEER();
  std::mt19937 rng(11);
  Family family;
  for (int i = 0; i < 24; ++i) {
    const bool twoD = i % 2 == 1;
    const int groupsChoice = pick(rng, 0, 2);
    const std::int64_t channels =
        groupsChoice == 2 ? pick(rng, 2, 6) : pick(rng, 1, 4) * (groupsChoice == 1 ? 2 : 1);
    const std::int64_t groups = groupsChoice == 0 ? 1 : groupsChoice == 1 ? 2 : channels;
    const std::int64_t filters = groups * pick(rng, 1, 3);
    const int autoPad = pick(rng, 0, 5);  // 0: SAME_UPPER, 1: VALID, else explicit pads
    const std::int64_t kernel = pick(rng, 1, 5), stride = pick(rng, 1, 3);
    // ONNX Runtime rejects dilations with SAME_* auto padding.
    const std::int64_t dilation = autoPad == 0 ? 1 : pick(rng, 1, 3);
    const std::int64_t length = pick(rng, 12, 30), height = twoD ? pick(rng, 2, 6) : 1;
    const std::int64_t padA = pick(rng, 0, kernel - 1), padB = pick(rng, 0, kernel - 1);
    const bool bias = pick(rng, 0, 1) == 1;
    const std::int64_t kernelH = twoD ? std::min<std::int64_t>(pick(rng, 1, 3), height) : 1;
    Shape x = twoD ? Shape{2, channels, height, length} : Shape{3, channels, length};
    Shape w = twoD ? Shape{filters, channels / groups, kernelH, kernel}
                   : Shape{filters, channels / groups, kernel};
    std::ostringstream attrs;
    attrs << "group = " << groups;
    if (twoD) {
      attrs << ", strides = " << ints({1, stride}) << ", dilations = " << ints({1, dilation});
      if (autoPad == 0)
        attrs << ", auto_pad = \"SAME_UPPER\"";
      else if (autoPad == 1)
        attrs << ", auto_pad = \"VALID\"";
      else
        attrs << ", pads = " << ints({0, padA, kernelH - 1, padB});
    } else {
      attrs << ", strides = " << ints({stride}) << ", dilations = " << ints({dilation});
      if (autoPad == 0)
        attrs << ", auto_pad = \"SAME_UPPER\"";
      else if (autoPad == 1)
        attrs << ", auto_pad = \"VALID\"";
      else
        attrs << ", pads = " << ints({padA, padB});
    }
    if ((length + padA + padB - dilation * (kernel - 1) - 1) < 0) continue;
    std::vector<NamedTensor> inits{{"W", randomTensor(w, rng)}};
    if (bias) inits.push_back({"B", randomTensor({filters}, rng)});
    family.add(modelText(i % 3 == 0 ? 11 : 13, "float[" + dims(x) + "] X", "float Y",
                         "  Y = Conv <" + attrs.str() + "> (X, W" + (bias ? ", B" : "") + ")"),
               inits, {{"X", randomTensor(x, rng)}});
  }
  family.check();
}

TEST(OpFamilyPeer, ConvBatchNormActivationFusion) {
  IMUWB_REQUIRE_ORT_PEER();
  std::mt19937 rng(12);
  Family family;
  const char* activations[] = {"Relu", "Clip", "LeakyRelu", "none"};
  for (int i = 0; i < 8; ++i) {
    const std::int64_t channels = pick(rng, 2, 8), filters = pick(rng, 2, 16);
    Shape x{4, channels, 2, 25};
    std::vector<NamedTensor> inits{{"W", randomTensor({filters, channels, 1, 3}, rng)},
                                   {"B", randomTensor({filters}, rng)},
                                   {"scale", randomTensor({filters}, rng, 0.5f, 1.5f)},
                                   {"shift", randomTensor({filters}, rng)},
                                   {"mean", randomTensor({filters}, rng)},
                                   {"var", randomTensor({filters}, rng, 0.1f, 2.f)},
                                   {"lo", Tensor::scalarFloat(-0.5f)},
                                   {"hi", Tensor::scalarFloat(0.7f)}};
    const std::string activation = activations[i % 4];
    std::string body =
        "  c = Conv <pads = [0, 2, 0, 2]> (X, W, B)\n"
        "  b0 = BatchNormalization <epsilon = 0.001> (c, scale, shift, mean, var)\n";
    // Half the cases add a causal "chomp" (Slice of the last axis) as TCN exports do.
    if (i % 2 == 1) {
      body += "  b = Slice (b0, st, en, ax)\n";
      inits.push_back({"st", int64s({0})});
      inits.push_back({"en", int64s({i % 4 == 1 ? -2 : 20})});
      inits.push_back({"ax", int64s({i % 4 == 1 ? -1 : 3})});
    } else {
      body += "  b = Identity (b0)\n";
    }
    if (activation == "Relu")
      body += "  Y = Relu (b)";
    else if (activation == "Clip")
      body += "  Y = Clip (b, lo, hi)";
    else if (activation == "LeakyRelu")
      body += "  Y = LeakyRelu <alpha = 0.2> (b)";
    else
      body += "  Y = Identity (b)";
    family.add(modelText(13, "float[" + dims(x) + "] X", "float Y", body), inits,
               {{"X", randomTensor(x, rng)}});
  }
  family.check();
}

TEST(OpFamilyPeer, Pooling) {
  IMUWB_REQUIRE_ORT_PEER();
  std::mt19937 rng(13);
  Family family;
  for (int i = 0; i < 24; ++i) {
    const bool twoD = i % 2 == 0;
    const bool isMax = (i / 2) % 2 == 0;
    const std::int64_t kernel = pick(rng, 1, 3), stride = pick(rng, 1, 3);
    const std::int64_t padA = pick(rng, 0, kernel - 1), padB = pick(rng, 0, kernel - 1);
    const int ceil = pick(rng, 0, 1), includePad = pick(rng, 0, 1);
    Shape x = twoD ? Shape{2, 3, pick(rng, 3, 7), pick(rng, 8, 20)} : Shape{3, 4, pick(rng, 8, 20)};
    std::ostringstream attrs;
    if (twoD)
      attrs << "kernel_shape = " << ints({2, kernel}) << ", strides = " << ints({1, stride})
            << ", pads = " << ints({1, padA, 0, padB});
    else
      attrs << "kernel_shape = " << ints({kernel}) << ", strides = " << ints({stride})
            << ", pads = " << ints({padA, padB});
    attrs << ", ceil_mode = " << ceil;
    if (!isMax) attrs << ", count_include_pad = " << includePad;
    family.add(modelText(i % 3 == 0 ? 11 : 17, "float[" + dims(x) + "] X", "float Y",
                         std::string("  Y = ") + (isMax ? "MaxPool" : "AveragePool") + " <" +
                             attrs.str() + "> (X)"),
               {}, {{"X", randomTensor(x, rng)}});
  }
  for (const char* op : {"GlobalAveragePool", "GlobalMaxPool"})
    for (Shape x : {Shape{3, 5, 17}, Shape{2, 4, 3, 9}})
      family.add(
          modelText(13, "float[" + dims(x) + "] X", "float Y", std::string("  Y = ") + op + " (X)"),
          {}, {{"X", randomTensor(x, rng)}});
  family.check();
}

TEST(OpFamilyPeer, BroadcastingArithmetic) {
  IMUWB_REQUIRE_ORT_PEER();
  std::mt19937 rng(14);
  Family family;
  const char* ops[] = {"Add", "Sub", "Mul", "Div", "Pow", "Max", "Min"};
  for (int i = 0; i < 28; ++i) {
    const std::string op = ops[i % 7];
    Shape a{3, pick(rng, 1, 4), pick(rng, 1, 5), pick(rng, 2, 6)};
    // B: a broadcastable suffix of A with some dims set to 1.
    Shape b(a.begin() + pick(rng, 1, 3), a.end());
    for (auto& d : b)
      if (pick(rng, 0, 2) == 0) d = 1;
    const bool positive = op == "Pow" || op == "Div";
    family.add(modelText(13, "float[" + dims(a) + "] A", "float Y", "  Y = " + op + " (A, Bc)"),
               {{"Bc", randomTensor(b, rng, positive ? 0.5f : -1.f, positive ? 2.f : 1.f)}},
               {{"A", randomTensor(a, rng, positive ? 0.1f : -2.f, 2.f)}});
  }
  // Two runtime inputs, the constant on the left, and a scalar.
  Shape a{2, 3, 4};
  family.add(modelText(13, "float[N,3,4] A, float[N,3,4] B", "float Y", "  Y = Add (A, B)"), {},
             {{"A", randomTensor(a, rng)}, {"B", randomTensor(a, rng)}});
  family.add(modelText(13, "float[N,3,4] A", "float Y", "  Y = Sub (C, A)"),
             {{"C", randomTensor({4}, rng)}}, {{"A", randomTensor(a, rng)}});
  family.add(modelText(13, "float[N,3,4] A", "float Y", "  Y = Sqrt (A)"), {},
             {{"A", randomTensor(a, rng, 0.f, 3.f)}});
  family.check();
}

TEST(OpFamilyPeer, ActivationsAndSoftmax) {
  IMUWB_REQUIRE_ORT_PEER();
  std::mt19937 rng(15);
  Family family;
  Shape x{3, 4, 7};
  const std::string in = "float[N,4,7] X";
  for (const char* op : {"Relu", "Sigmoid", "Tanh", "Erf", "Exp", "Neg", "Abs", "Softplus"})
    family.add(modelText(13, in, "float Y", std::string("  Y = ") + op + " (X)"), {},
               {{"X", randomTensor(x, rng, -3.f, 3.f)}});
  family.add(modelText(13, in, "float Y", "  Y = LeakyRelu <alpha = 0.1> (X)"), {},
             {{"X", randomTensor(x, rng, -3.f, 3.f)}});
  family.add(modelText(13, in, "float Y", "  Y = Elu <alpha = 0.7> (X)"), {},
             {{"X", randomTensor(x, rng, -3.f, 3.f)}});
  // Clip: attribute form (opset 7..10) and input forms (11+), with and without max.
  family.add(modelText(7, in, "float Y", "  Y = Clip <min = -0.5, max = 0.25> (X)"), {},
             {{"X", randomTensor(x, rng)}});
  family.add(modelText(11, in, "float Y", "  Y = Clip (X, lo, hi)"),
             {{"lo", Tensor::scalarFloat(-0.3f)}, {"hi", Tensor::scalarFloat(0.6f)}},
             {{"X", randomTensor(x, rng)}});
  family.add(modelText(13, in, "float Y", "  Y = Clip (X, lo)"), {{"lo", Tensor::scalarFloat(0.f)}},
             {{"X", randomTensor(x, rng)}});
  // Softmax: legacy 2-D coercion (opset 11) and per-axis (13+), and LogSoftmax.
  for (int opset : {11, 13})
    for (int axis : {1, 2, -1})
      family.add(modelText(opset, in, "float Y",
                           "  Y = Softmax <axis = " + std::to_string(axis) + "> (X)"),
                 {}, {{"X", randomTensor(x, rng, -4.f, 4.f)}});
  family.add(modelText(13, in, "float Y", "  Y = LogSoftmax <axis = 1> (X)"), {},
             {{"X", randomTensor(x, rng, -4.f, 4.f)}});
  family.check();
}

TEST(OpFamilyPeer, GemmAndMatMul) {
  IMUWB_REQUIRE_ORT_PEER();
  std::mt19937 rng(16);
  Family family;
  for (int i = 0; i < 12; ++i) {
    const std::int64_t k = pick(rng, 1, 40), n = pick(rng, 1, 30);
    const int transB = pick(rng, 0, 1);
    const int cForm = pick(rng, 0, 3);  // none, [n], [1,n], scalar
    Shape b = transB ? Shape{n, k} : Shape{k, n};
    std::vector<NamedTensor> inits{{"B", randomTensor(b, rng)}};
    std::string inputs = "(X, B)";
    if (cForm == 1) inits.push_back({"C", randomTensor({n}, rng)});
    if (cForm == 2) inits.push_back({"C", randomTensor({1, n}, rng)});
    if (cForm == 3) inits.push_back({"C", Tensor::scalarFloat(0.5f)});
    if (cForm) inputs = "(X, B, C)";
    family.add(modelText(i % 2 ? 11 : 13, "float[N," + std::to_string(k) + "] X", "float Y",
                         "  Y = Gemm <transB = " + std::to_string(transB) +
                             ", alpha = 0.75, beta = 1.5> " + inputs),
               inits, {{"X", randomTensor({5, k}, rng)}});
  }
  // transA on a constant A times the windows' features is not per-window: use MatMul forms.
  family.add(modelText(13, "float[N,6,8] X", "float Y", "  Y = MatMul (X, B)"),
             {{"B", randomTensor({8, 5}, rng)}}, {{"X", randomTensor({3, 6, 8}, rng)}});
  family.add(modelText(13, "float[N,2,6,8] X", "float Y", "  Y = MatMul (X, B)"),
             {{"B", randomTensor({2, 8, 5}, rng)}}, {{"X", randomTensor({3, 2, 6, 8}, rng)}});
  family.add(modelText(13, "float[N,6,8] X", "float Y", "  Y = MatMul (X, B)"),
             {{"B", randomTensor({8}, rng)}}, {{"X", randomTensor({3, 6, 8}, rng)}});
  family.add(modelText(13, "float[N,6,8] X, float[N,8,4] Z", "float Y", "  Y = MatMul (X, Z)"), {},
             {{"X", randomTensor({3, 6, 8}, rng)}, {"Z", randomTensor({3, 8, 4}, rng)}});
  family.check();
}

TEST(OpFamilyPeer, Normalization) {
  IMUWB_REQUIRE_ORT_PEER();
  std::mt19937 rng(17);
  Family family;
  for (Shape x : {Shape{3, 5, 11}, Shape{2, 4, 3, 6}}) {
    const std::int64_t c = x[1];
    family.add(modelText(13, "float[" + dims(x) + "] X", "float Y",
                         "  Y = BatchNormalization <epsilon = 0.0001> (X, s, b, m, v)"),
               {{"s", randomTensor({c}, rng)},
                {"b", randomTensor({c}, rng)},
                {"m", randomTensor({c}, rng)},
                {"v", randomTensor({c}, rng, 0.2f, 2.f)}},
               {{"X", randomTensor(x, rng, -2.f, 2.f)}});
    family.add(modelText(13, "float[" + dims(x) + "] X", "float Y",
                         "  Y = InstanceNormalization <epsilon = 0.001> (X, s, b)"),
               {{"s", randomTensor({c}, rng)}, {"b", randomTensor({c}, rng)}},
               {{"X", randomTensor(x, rng, -2.f, 2.f)}});
  }
  for (int axis : {-1, -2, 1}) {
    Shape x{3, 4, 10};
    Shape normalized(x.begin() + (axis < 0 ? 3 + axis : axis), x.end());
    family.add(modelText(17, "float[N,4,10] X", "float Y",
                         "  Y = LayerNormalization <axis = " + std::to_string(axis) +
                             ", epsilon = 0.00001> (X, s, b)"),
               {{"s", randomTensor(normalized, rng)}, {"b", randomTensor(normalized, rng)}},
               {{"X", randomTensor(x, rng, -3.f, 3.f)}});
  }
  family.check();
}

TEST(OpFamilyPeer, ShapeOpsAcrossOpsets) {
  IMUWB_REQUIRE_ORT_PEER();
  std::mt19937 rng(18);
  Family family;
  const Shape x{3, 4, 6};
  const std::string in = "float[N,4,6] X";
  auto input = [&] { return std::vector<NamedTensor>{{"X", randomTensor(x, rng)}}; };
  family.add(modelText(13, in, "float Y", "  Y = Reshape (X, s)"), {{"s", int64s({0, -1, 3})}},
             input());
  family.add(modelText(13, in, "float Y", "  Y = Flatten <axis = 1> (X)"), {}, input());
  family.add(modelText(13, in, "float Y", "  Y = Transpose <perm = [0, 2, 1]> (X)"), {}, input());
  family.add(modelText(11, in, "float Y",
                       "  u = Unsqueeze <axes = [1, 3]> (X)\n  Y = Squeeze <axes = [3]> (u)"),
             {}, input());
  family.add(modelText(13, in, "float Y", "  u = Unsqueeze (X, a)\n  Y = Squeeze (u, b)"),
             {{"a", int64s({-1, 2})}, {"b", int64s({2})}}, input());
  family.add(modelText(13, in, "float Y", "  x2 = Mul (X, X)\n  Y = Concat <axis = -1> (X, x2, X)"),
             {}, input());
  family.add(modelText(13, in, "float Y", "  Y = Concat <axis = 1> (X, X)"), {}, input());
  // Slice: negative indices and steps (inputs form), and the opset-9 attribute form.
  family.add(modelText(13, in, "float Y", "  Y = Slice (X, s, e, a, t)"),
             {{"s", int64s({-1, 1})},
              {"e", int64s({-100, 5})},
              {"a", int64s({2, 1})},
              {"t", int64s({-2, 2})}},
             input());
  family.add(modelText(11, in, "float Y", "  Y = Slice (X, s, e)"),
             {{"s", int64s({0, 0, 1})}, {"e", int64s({9223372036854775807, 3, -1})}}, input());
  family.add(modelText(9, in, "float Y",
                       "  Y = Slice <starts = [1, -4], ends = [3, 100], axes = [1, 2]> (X)"),
             {}, input());
  // Pad: constant mode, attribute form (opset 10) and input form (11+), negative pads crop.
  family.add(modelText(10, in, "float Y", "  Y = Pad <pads = [0, 1, 2, 0, 0, 1], value = 0.5> (X)"),
             {}, input());
  family.add(modelText(13, in, "float Y", "  Y = Pad (X, p, v)"),
             {{"p", int64s({0, 0, 3, 0, 2, -1})}, {"v", Tensor::scalarFloat(-1.5f)}}, input());
  family.add(modelText(11, in, "float Y", "  Y = Pad (X, p)"), {{"p", int64s({0, 1, 1, 0, 1, 1})}},
             input());
  // Cast round trip, Identity, Dropout (inference), Constant, Gather, and a Shape-driven Reshape.
  family.add(modelText(13, in, "float Y", "  i = Cast <to = 7> (X)\n  Y = Cast <to = 1> (i)"), {},
             {{"X", randomTensor(x, rng, -5.f, 5.f)}});
  family.add(modelText(13, in, "float Y", "  d = Dropout (X)\n  Y = Identity (d)"), {}, input());
  family.add(
      modelText(13, in, "float Y", "  c = Constant <value = float[1] {2.5}> ()\n  Y = Mul (X, c)"),
      {}, input());
  family.add(modelText(13, in, "float Y", "  Y = Gather <axis = 2> (X, g)"),
             {{"g", int64s({5, 0, -1, 2})}}, input());
  family.add(
      modelText(13, in, "float[N,24] Y",
                "  sh = Shape (X)\n"
                "  n = Gather <axis = 0> (sh, zero)\n"
                "  nn = Unsqueeze (n, zero)\n"
                "  s = Concat <axis = 0> (nn, minus)\n"
                "  Y = Reshape (X, s)"),
      {{"zero", Tensor::fromInt64s({}, std::vector<std::int64_t>{0})}, {"minus", int64s({-1})}},
      input());
  family.check();
}

TEST(OpFamilyPeer, Reductions) {
  IMUWB_REQUIRE_ORT_PEER();
  std::mt19937 rng(19);
  Family family;
  const Shape x{3, 4, 5, 6};
  const std::string in = "float[N,4,5,6] X";
  for (const char* op : {"ReduceMean", "ReduceMax", "ReduceMin"})
    for (const auto& axes : std::vector<std::vector<std::int64_t>>{{1}, {-1}, {2, 3}, {1, 3}})
      for (int keep : {0, 1})
        family.add(modelText(13, in, "float Y",
                             std::string("  Y = ") + op + " <axes = " + ints(axes) +
                                 ", keepdims = " + std::to_string(keep) + "> (X)"),
                   {}, {{"X", randomTensor(x, rng)}});
  family.add(modelText(11, in, "float Y", "  Y = ReduceSum <axes = [2], keepdims = 0> (X)"), {},
             {{"X", randomTensor(x, rng)}});
  family.add(modelText(13, in, "float Y", "  Y = ReduceSum <keepdims = 1> (X, a)"),
             {{"a", int64s({1, -1})}}, {{"X", randomTensor(x, rng)}});
  family.add(modelText(17, in, "float Y", "  Y = ReduceSum <keepdims = 0> (X, a)"),
             {{"a", int64s({-2})}}, {{"X", randomTensor(x, rng)}});
  family.check();
}

TEST(OpFamilyPeer, SplitExpandCompareWhere) {
  IMUWB_REQUIRE_ORT_PEER();
  std::mt19937 rng(20);
  Family family;
  const Shape x{3, 4, 6};
  const std::string in = "float[N,4,6] X";
  auto input = [&] { return std::vector<NamedTensor>{{"X", randomTensor(x, rng)}}; };
  family.add(modelText(11, in, "float a, float b", "  a, b = Split <axis = 2, split = [2, 4]> (X)"),
             {}, input());
  family.add(modelText(13, in, "float a, float b, float c", "  a, b, c = Split <axis = 2> (X, s)"),
             {{"s", int64s({1, 3, 2})}}, input());
  family.add(modelText(13, in, "float a, float b", "  a, b = Split <axis = 1> (X)"), {}, input());
  family.add(modelText(13, in, "float Y", "  e = Expand (C, s)\n  Y = Add (X, e)"),
             {{"C", randomTensor({4, 1}, rng)}, {"s", int64s({4, 6})}}, input());
  family.add(modelText(13, in, "float Y", "  Y = Expand (X, s)"), {{"s", int64s({1, 4, 6})}},
             input());
  family.add(modelText(13, in, "float Y", "  g = Greater (X, t)\n  Y = Where (g, X, Z)"),
             {{"t", Tensor::scalarFloat(0.1f)}, {"Z", randomTensor({6}, rng)}}, input());
  family.add(
      modelText(13, in, "float Y", "  l = Less (X, t)\n  e = Equal (X, X)\n  Y = Where (l, X, t)"),
      {{"t", Tensor::scalarFloat(-0.2f)}}, input());
  family.check();
}

}  // namespace
}  // namespace imuwb::engine::test
